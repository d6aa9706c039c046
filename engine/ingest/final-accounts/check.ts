import type { Amount } from '../checks.ts';
import { item } from './facts.ts';
import type { SideItem } from './summary.ts';

export type Maybe = Amount | undefined;

/** How many rounded figures a detail table's 类 row adds up: the 项 (or deepest rows) under it. */
export function leaves(rows: { code: string }[], code: string): number {
  const under = rows.filter((r) => r.code.startsWith(code));
  return Math.max(1, under.filter((r) => !under.some((c) => c !== r && c.code.startsWith(r.code))).length);
}

export const amt = <R extends string>(items: SideItem<R>[] | undefined, re: RegExp, role: R): Maybe =>
  items && item(items, re)?.amounts.get(role);

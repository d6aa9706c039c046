import { sum } from '../../money.ts';
import type { Amount, DocumentContext } from '../budget-text/context.ts';
import { item } from './facts.ts';
import type { SideItem } from './summary.ts';

export type Maybe = Amount | undefined;

/**
 * Check that `whole` equals the sum of `parts` (blank parts are the template's zero). Skipped when nothing on
 * either side is printed; a printed whole with no printed part is checked against zero.
 */
export function sumCheck(
  ctx: DocumentContext,
  o: { id: string; scope: string; whole: Maybe; parts: Maybe[]; what: string; skipIfNoParts?: boolean },
): void {
  const parts = o.parts.filter((p): p is Amount => p !== undefined);
  if (!o.whole && parts.length === 0) return;
  if (o.skipIfNoParts && parts.length === 0) return;
  const all = o.whole ? [o.whole, ...parts] : parts;
  ctx.check({
    id: o.id,
    scope: o.scope,
    expected: o.whole?.value ?? 0n,
    actual: sum(parts.map((p) => p.value)),
    addends: Math.max(1, parts.length),
    decimals: Math.max(...all.map((a) => a.decimals)),
    lines: all.map((a) => a.line),
    what: o.what,
  });
}

/** The same figure stated by two tables. */
export function same(
  ctx: DocumentContext,
  id: string,
  scope: string,
  a: Maybe,
  b: Maybe,
  what: string,
  addends = 1,
): void {
  if (!a && !b) return;
  const all = [a, b].filter((x): x is Amount => x !== undefined);
  ctx.check({
    id,
    scope,
    expected: a?.value ?? 0n,
    actual: b?.value ?? 0n,
    addends,
    decimals: Math.max(...all.map((x) => x.decimals)),
    lines: all.map((x) => x.line),
    what,
  });
}

/** How many rounded figures a detail table's 类 row adds up: the 项 (or deepest rows) under it. */
export function leaves(rows: { code: string }[], code: string): number {
  const under = rows.filter((r) => r.code.startsWith(code));
  return Math.max(1, under.filter((r) => !under.some((c) => c !== r && c.code.startsWith(r.code))).length);
}

export const amt = <R extends string>(items: SideItem<R>[] | undefined, re: RegExp, role: R): Maybe =>
  items && item(items, re)?.amounts.get(role);

import { nameKey } from '../../classify/codes.ts';
import type { Amount } from '../budget-text/context.ts';
import { stripNumbering } from '../budget-text/context.ts';
import { headers, money, roles, rowsOf } from './columns.ts';
import { isDataRow } from './functions.ts';
import type { FaTable } from './tables.ts';

/** An item of one side of a 收入 | 支出 table: its name as printed, its key (no numbering, no spaces), amounts. */
export interface SideItem<R extends string> {
  name: string;
  key: string;
  line: number;
  amounts: Map<R, Amount>;
}

export interface TwoSided<L extends string, R extends string> {
  income: SideItem<L>[];
  spending: SideItem<R>[];
}

/**
 * Read a table printed as two sides, 收入 on the left and 支出 on the right, each a 项目 column followed by
 * amount columns (roles from their headers). Undefined when the two 项目 columns cannot be found.
 */
export function readTwoSided<L extends string, R extends string>(
  t: FaTable,
  left: [L, RegExp][],
  right: [R, RegExp][],
  file: string,
): TwoSided<L, R> | undefined {
  const rows = rowsOf(t);
  // A header row holds no number; the first row with one starts the data.
  const header = headers(rows, isDataRow);
  const items = header.flatMap((h, c) => (/项目|科目/.test(h) && !/项目支出|决算数|金额/.test(h) ? [c] : []));
  if (items.length < 2) return undefined;
  const [l, r] = items as [number, number];
  const lc = roles(header, l + 1, r, left);
  const rc = roles(header, r + 1, header.length, right);
  if (lc.size === 0 || rc.size === 0) return undefined;
  const out: TwoSided<L, R> = { income: [], spending: [] };
  const firstData = rows.findIndex(isDataRow);
  for (const row of rows.slice(firstData < 0 ? rows.length : firstData)) {
    const side = <K extends string>(nameCol: number, cols: Map<K, number>): SideItem<K> | undefined => {
      const name = (row.cells[nameCol] ?? '').trim();
      if (!name) return undefined;
      const amounts = new Map<K, Amount>();
      for (const [role, c] of cols) {
        const a = money(t, row.cells[c], row.no, file);
        if (a) amounts.set(role, a);
      }
      const key = nameKey(stripNumbering(name.replace(/^其中[:：]\s*/, '')));
      return { name, key, line: row.no, amounts };
    };
    const a = side(l, lc);
    const b = side(r, rc);
    if (a) out.income.push(a);
    if (b) out.spending.push(b);
  }
  return out;
}

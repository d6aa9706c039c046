import type { Amount } from '../budget-text/context.ts';
import { codeOf, headers, money, rowsOf } from './columns.ts';
import { isDataRow } from './functions.ts';
import type { FaTable } from './tables.ts';

/** A row of the 基本支出 table: 经济分类 code (类 3 digits, 款 5), name, amount when printed. */
export interface EconRow {
  code: string;
  name: string;
  line: number;
  amount?: Amount;
}

export interface EconTable {
  rows: EconRow[];
  /** 人员经费合计 and 公用经费合计. */
  personnel?: Amount;
  public?: Amount;
}

/**
 * Read the 一般公共预算财政拨款基本支出决算表: side-by-side groups of 类 | 款 | 科目名称 | 决算数 (two or
 * three across the page). Undefined when no group can be found.
 */
export function readEconomic(t: FaTable, file: string): EconTable | undefined {
  const rows = rowsOf(t);
  const header = headers(rows, isDataRow);
  const groups: { codes: number[]; name: number; amount: number }[] = [];
  let from = 0;
  header.forEach((h, c) => {
    if (!/名称/.test(h) || c === 0) return;
    const amount = c + 1;
    if (amount >= header.length || !/决算数|金额|合计|数/.test(header[amount] as string)) return;
    groups.push({ codes: Array.from({ length: c - from }, (_, i) => from + i), name: c, amount });
    from = amount + 1;
  });
  if (groups.length === 0) return undefined;
  const out: EconTable = { rows: [] };
  const previous: (string[] | undefined)[] = groups.map(() => undefined);
  for (const l of rows.filter(isDataRow)) {
    groups.forEach((g, k) => {
      const name = (l.cells[g.name] ?? '').trim();
      // A total's label may span the group's code and name columns, or sit in any of them.
      const label = [g.name, ...g.codes].map((c) => (l.cells[c] ?? '').trim()).find((c) => c !== '') ?? '';
      const amount = money(t, l.cells[g.amount], l.no, file);
      const parts = codeOf(l.cells, g.codes, previous[k]);
      const code = parts?.join('') ?? '';
      if (parts && (code.length === 3 || code.length === 5)) {
        previous[k] = parts;
        out.rows.push({ code, name, line: l.no, amount });
      } else if (/人员经费/.test(label) && amount) out.personnel = amount;
      else if (/公用经费/.test(label) && amount) out.public = amount;
    });
  }
  return out;
}

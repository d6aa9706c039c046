import { nameKey } from '../../classify/codes.ts';
import { parseAmount } from '../../money.ts';
import type { Amount } from '../budget-text/context.ts';
import type { Line } from '../budget-text/lines.ts';
import { codeOf, headers, money, roles, rowsOf } from './columns.ts';
import { isEmptyNote, type FaTable } from './tables.ts';

/** A row of a table by 支出功能分类 code: the code (3 / 5 / 7 digits), its name, its amounts by column role. */
export interface FuncRow<R extends string> {
  code: string;
  name: string;
  line: number;
  amounts: Map<R, Amount>;
}

export interface FuncTable<R extends string> {
  rows: FuncRow<R>[];
  /** The 合计 row. */
  total?: { line: number; amounts: Map<R, Amount> };
  /** The note an empty table prints instead of rows. */
  note?: Line;
}

/** A row holding data: some cell is a number (a header holds none; a 栏次 row numbers the columns). */
export function isDataRow(l: Line): boolean {
  if (l.cells.some((c) => /^栏次$/.test(c.replace(/\s+/g, '')))) return false;
  return l.cells.some((c) => parseAmount(c) !== undefined);
}

/**
 * Read a table whose rows are 支出功能分类 items: code columns (类 | 款 | 项), the 科目名称 column, then
 * amount columns named by their headers (`spec`: role and header pattern, the most specific first).
 * Undefined when the columns (or the `required` one) cannot be found: a layout this reader does not know.
 */
export function readFunctionTable<R extends string>(
  t: FaTable,
  spec: [R, RegExp][],
  required: R,
  file: string,
): FuncTable<R> | undefined {
  const rows = rowsOf(t);
  const note = t.lines.find((l) => isEmptyNote(l.text));
  // A table that prints no figure at all (its 合计 row blank, or a note instead of rows) is empty, whatever
  // its header looks like.
  if (!rows.some(isDataRow)) return { rows: [], note };
  const header = headers(rows, isDataRow);
  let nameCol = header.findIndex((h) => /名称/.test(h));
  if (nameCol < 0) nameCol = header.findIndex((h) => /项目/.test(h) && !/项目支出/.test(h));
  if (nameCol < 1) return undefined;
  const cols = roles(header, nameCol + 1, header.length, spec);
  if (!cols.has(required)) return undefined;
  const codeCols = Array.from({ length: nameCol }, (_, i) => i);
  const out: FuncTable<R> = { rows: [], note };
  let previous: string[] | undefined;
  for (const l of rows.filter(isDataRow)) {
    const amounts = new Map<R, Amount>();
    for (const [role, c] of cols) {
      const a = money(t, l.cells[c], l.no, file);
      if (a) amounts.set(role, a);
    }
    const parts = codeOf(l.cells, codeCols, previous);
    const name = (l.cells[nameCol] ?? '').trim();
    if (parts && [3, 5, 7].includes(parts.join('').length)) {
      previous = parts;
      out.rows.push({ code: parts.join(''), name, line: l.no, amounts });
    } else if (
      /^(合计|总计)$/.test(nameKey(name)) ||
      l.cells.slice(0, nameCol).some((c) => /^(合计|总计)$/.test(nameKey(c)))
    )
      out.total ??= { line: l.no, amounts };
  }
  return out;
}

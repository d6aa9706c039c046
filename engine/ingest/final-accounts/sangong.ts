import { parseAmount } from '../../money.ts';
import type { Amount } from '../budget-text/context.ts';
import { headers, money, rowsOf } from './columns.ts';
import { isDataRow } from './functions.ts';
import type { FaTable } from './tables.ts';

export type SangongPart =
  'total' | 'overseas_travel' | 'vehicle' | 'vehicle_purchase' | 'vehicle_operation' | 'reception';
export type Stage = 'budget' | 'final';

/** A printed figure of the 三公 table: which part, 预算数 or 决算数, the amount. */
export interface SangongCell {
  part: SangongPart;
  stage: Stage;
  amount: Amount;
}

/** The part a column's header names, the most specific name first (公务用车购置费 before 公务用车购置及运行费). */
const PARTS: [SangongPart, RegExp][] = [
  ['overseas_travel', /因公出国/],
  ['vehicle_purchase', /公务用车购置费/],
  ['vehicle_operation', /公务用车运行(维护)?费/],
  ['vehicle', /购置及运行|小计/],
  ['reception', /公务接待/],
  ['total', /合计|总计/],
];

/**
 * Read the 财政拨款“三公”经费支出决算表: one row of figures under a header that names, for each column, the
 * part (合计, 因公出国（境）费, 公务用车购置及运行费 with its 购置费 and 运行费, 公务接待费) and the stage
 * (预算数 or 决算数; or rows labelled so). Blank cells are no figure. Undefined when the header names no part.
 */
export function readSangong(t: FaTable, file: string): { cells: SangongCell[]; line?: number } | undefined {
  const rows = rowsOf(t);
  const header = headers(rows, isDataRow);
  const columns = header.map((h) => {
    const part = PARTS.find(([, re]) => re.test(h))?.[0];
    const last = h.split(' ').at(-1) ?? '';
    const stage: Stage | undefined = /预算/.test(last) ? 'budget' : /决算|实际/.test(last) ? 'final' : undefined;
    return part && { part, stage };
  });
  if (!columns.some(Boolean)) return undefined;
  const data = rows.filter(isDataRow);
  const cells: SangongCell[] = [];
  for (const row of data) {
    // Some editions print 预算数 and 决算数 as rows ("年初预算数 | …", "决算数 | …") rather than columns.
    const label = row.cells.find((c) => c.trim() !== '' && parseAmount(c) === undefined) ?? '';
    const rowStage: Stage | undefined = /预算/.test(label) ? 'budget' : /决算|实际/.test(label) ? 'final' : undefined;
    columns.forEach((col, c) => {
      const amount = col && money(t, row.cells[c], row.no, file);
      if (col && amount) cells.push({ part: col.part, stage: col.stage ?? rowStage ?? 'final', amount });
    });
  }
  return { cells, line: data[0]?.no };
}

import { isAmount, parseAmount } from '../../money.ts';
import { squash, type Line } from '../budget-text/lines.ts';
import type { FactRow } from '../types.ts';

/** A table as a reader saw it, for the coverage record. */
export interface CoveredTable {
  /** The number the document prints ("表3"), if any. */
  number: string | null;
  /** The kind the reader took it for (templates.ts, or the reader's own names); null when not recognized. */
  kind: string | null;
  title: string;
  line: number;
  lines: Line[];
  unit: string | null;
  /** What the reader's facts cite as their source_table for this table. */
  source: string;
}

const MONEY = ['total', 'basic', 'project', 'amount'];
const CODE = /^\d{3}(?:\d{2}){0,2}$/;

/**
 * The coverage record of a document read by a reader that does not count as it goes (the 15-table text layout,
 * the 决算 template): for each table, its rows with an amount, the amounts printed in them, and the money
 * values of the facts that cite it. Recognized tables that no fact cites are 'empty' when they print no amount
 * and 'unused' otherwise.
 */
export function coverageOf(
  tables: CoveredTable[],
  facts: Map<string, FactRow[]>,
  page?: (line: number) => number | undefined,
): FactRow[] {
  // An amount is used when a fact cites its line (distinct line and value: two facts of one figure count once).
  const used = new Map<string, Set<string>>();
  for (const rows of facts.values())
    for (const r of rows) {
      if (r['derived'] === true) continue;
      const src = String(r['source_table'] ?? '');
      const set = used.get(src) ?? new Set<string>();
      for (const k of MONEY) if (r[k] !== null && r[k] !== undefined) set.add(`${r['source_line']}:${String(r[k])}`);
      used.set(src, set);
    }
  return tables.map((t) => {
    const data = t.lines.filter((l) => l.cells.length > 1 && l.cells.some((c) => isAmount(squash(c)) && /\d/.test(c)));
    // Numeric cells (less the classification codes printed before a row's name), by line and value; an amount a
    // fact cites counts as printed even where its cell was not counted here (a figure inside a text cell).
    const inTable = new Set(t.lines.map((l) => String(l.no)));
    const usedHere = [...(used.get(t.source) ?? [])].filter((k) => inTable.has(k.split(':')[0] as string));
    const seen = new Set<string>();
    let count = 0;
    for (const l of data)
      l.cells.forEach((c, k) => {
        const v = parseAmount(squash(c));
        if (v === undefined || (k < 3 && CODE.test(squash(c)))) return;
        count++;
        seen.add(`${l.no}:${v}`);
      });
    const printed = count + usedHere.filter((k) => !seen.has(k)).length;

    const u = t.kind === null ? null : usedHere.length;
    return {
      table_no: t.number,
      table_kind: t.kind,
      title: t.title,
      source_line: t.line,
      pages: pageSpan([t.line, ...t.lines.map((l) => l.no)], page),
      unit: t.unit,
      rows_read: t.kind === null ? null : data.length,
      amounts_printed: t.kind === null ? null : printed,
      amounts_used: u,
      status: t.kind === null ? 'unrecognized' : u ? 'read' : printed ? 'unused' : 'empty',
    };
  });
}

/** The pages a table's lines were printed on, as "15-16" or "15"; null for a text source. */
export function pageSpan(lineNos: number[], page?: (line: number) => number | undefined): string | null {
  const ps = lineNos.map((n) => page?.(n)).filter((p): p is number => p !== undefined);
  return ps.length ? `${Math.min(...ps)}-${Math.max(...ps)}`.replace(/^(\d+)-\1$/, '$1') : null;
}

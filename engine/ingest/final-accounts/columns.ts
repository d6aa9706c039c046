import { InputError } from '../../db/errors.ts';
import { amountInWan } from '../../money.ts';
import type { Amount } from '../budget-text/context.ts';
import type { Line } from '../budget-text/lines.ts';
import type { FaTable } from './tables.ts';

/**
 * A printed amount of a table, in 万元: exact, whatever the table's unit (元 are divided by 10 000 without
 * rounding). Blank cells and dashes are no amount; a cell that looks like a number but is not one is refused.
 */
export function money(t: FaTable, text: string | undefined, line: number, file: string): Amount | undefined {
  const c = (text ?? '').trim();
  if (c === '' || /^[-—–－/]+$/.test(c)) return undefined;
  const w = amountInWan(c, t.divisor);
  if (w === undefined) {
    if (/^[+-]?[0-9][0-9A-Za-z,.，]*$/.test(c))
      throw new InputError(file, line, `${t.name}: amount '${c}' is not a number`);
    return undefined;
  }
  if (w === 'inexact')
    throw new InputError(file, line, `${t.name}: amount '${c}' has more decimals than 万元 to 6 places can hold`);
  return { ...w, line };
}

/** The rows of a table: its lines with more than one cell. */
export function rowsOf(t: FaTable): Line[] {
  return t.lines.filter((l) => l.cells.length > 1);
}

/**
 * Each column's header: the texts of the rows above the first data row, top down (a header spanning several
 * columns was copied to each of them when the table was read), e.g. "本年支出 基本支出".
 */
export function headers(rows: Line[], isData: (l: Line) => boolean): string[] {
  const first = rows.findIndex(isData);
  const head = rows.slice(0, first < 0 ? rows.length : first);
  const width = Math.max(0, ...rows.map((r) => r.cells.length));
  return Array.from({ length: width }, (_, c) => {
    const parts: string[] = [];
    for (const r of head) {
      const t = (r.cells[c] ?? '').replace(/\s+/g, '');
      if (t && parts.at(-1) !== t) parts.push(t);
    }
    return parts.join(' ');
  });
}

/** Give each role the first column from `from` on whose header matches it (roles in order of precedence). */
export function roles<R extends string>(
  header: string[],
  from: number,
  to: number,
  spec: [R, RegExp][],
): Map<R, number> {
  const out = new Map<R, number>();
  for (let c = from; c < to && c < header.length; c++) {
    const h = header[c] as string;
    const hit = spec.find(([role, re]) => !out.has(role) && re.test(h));
    if (hit) out.set(hit[0], c);
  }
  return out;
}

/**
 * A classification code printed over several columns (类 | 款 | 项, or one column): the digits joined.
 * A row that leaves its 类 (or 款) blank inherits it from the row before. Undefined when not a code.
 */
export function codeOf(cells: string[], cols: number[], previous: string[] | undefined): string[] | undefined {
  const parts = cols.map((c) => (cells[c] ?? '').replace(/\s+/g, ''));
  if (!parts.every((p) => /^\d*$/.test(p)) || parts.every((p) => p === '')) return undefined;
  if (cols.length === 1) {
    const d = parts[0] as string;
    return [d.slice(0, 3), d.slice(3, 5), d.slice(5, 7)].filter((p) => p !== '');
  }
  const first = parts.findIndex((p) => p !== '');
  const inherited = first > 0 ? (previous ?? []).slice(0, first) : [];
  if (inherited.length < first) return undefined;
  const out = [...inherited, ...parts.slice(first)];
  const end = out.findIndex((p) => p === '');
  return end < 0 ? out : out.slice(0, end);
}

import { parseAmount } from '../../money.ts';
import type { TextRun } from './page.ts';
import { chunks, joinLines, joinRuns, type RunLine } from './text.ts';

/** A line of text outside ruled tables: one chunk per stretch of text between wide gaps. */
export interface FreeLine {
  line: RunLine;
  parts: TextRun[][];
}

/** A table printed without rules, rebuilt: its rows, each one cell per column, top to bottom. */
export interface StreamTable {
  rows: { cells: string[]; y: number; x0: number; x1: number }[];
  /** Index of the first and last free line it took. */
  from: number;
  to: number;
}

const isNumber = (part: TextRun[]) => parseAmount(joinRuns(part)) !== undefined;

/** The chunks of each free line: cells where the gap is wider than a character or so. */
export function freeLines(lines: RunLine[]): FreeLine[] {
  return lines.map((line) => ({ line, parts: chunks(line, Math.max(1.2 * line.size, 8)) }));
}

/**
 * Tables printed without rules: runs of at least three lines of several chunks, numbers among them, no
 * further apart than about two lines of text. Columns come from the x-gaps of the rows that hold
 * numbers (a header label spanning columns is given to each column it covers); rows come from y: a line whose
 * cells sit in columns the line just above leaves empty, less than a line away, is the same row (cells
 * aligned differently), and a lone text cell right under (or over) a row continues that row's cell.
 */
export function streamTables(free: FreeLine[]): StreamTable[] {
  const out: StreamTable[] = [];
  let i = 0;
  while (i < free.length) {
    if ((free[i] as FreeLine).parts.length < 2) {
      i++;
      continue;
    }
    let last = i;
    let numeric = 0;
    let multi = 0;
    for (let k = i; k < free.length; k++) {
      const f = free[k] as FreeLine;
      const prev = free[k - 1] as FreeLine;
      if (k > i && f.line.y - prev.line.y > 2.4 * Math.max(f.line.size, prev.line.size)) break;
      if (f.parts.length < 2) continue;
      last = k;
      multi++;
      if (f.parts.some(isNumber)) numeric++;
    }
    // The second line of a cell wrapped in the last row sits just under it.
    while (last + 1 < free.length) {
      const f = free[last + 1] as FreeLine;
      if (f.parts.length !== 1 || f.line.y - (free[last] as FreeLine).line.y > f.line.size) break;
      last++;
    }
    if (numeric >= 3 || (numeric >= 1 && multi >= 3)) out.push(build(free, i, last));
    i = last + 1;
  }
  return out;
}

function build(free: FreeLine[], from: number, to: number): StreamTable {
  const lines = free.slice(from, to + 1);
  const body = lines.filter((f) => f.parts.length >= 2 && f.parts.some(isNumber));
  const first = lines.indexOf(body[0] as FreeLine);
  const columns = columnsOf(body, lines.slice(0, first));
  const placed = lines.map((f) => {
    const cells: TextRun[][][] = columns.map(() => []);
    for (const part of f.parts) for (const c of columnsOf1(part, columns)) (cells[c] as TextRun[][]).push(part);
    return { f, cells };
  });
  type Row = { cells: string[][]; y: number; size: number; x0: number; x1: number; lastY: number };
  const rows: Row[] = [];
  placed.forEach(({ f, cells }, k) => {
    const texts = cells.map((parts) => parts.map(joinRuns));
    const used = texts.map((t) => t.length > 0);
    const prev = rows.at(-1);
    const size = f.line.size;
    const close = prev && f.line.y - prev.lastY <= 0.8 * size;
    const disjoint = prev && used.every((u, c) => !u || (prev.cells[c] as string[]).length === 0);
    const single = used.filter(Boolean).length === 1 && !f.parts.some(isNumber);
    const col = used.indexOf(true);
    const next = placed[k + 1];
    // A lone text cell over a row that leaves that column empty: the first line of a cell centred on the row.
    const opensNext = single && next && next.f.line.y - f.line.y <= 0.8 * size && (next.cells[col] ?? []).length === 0;
    const continues = single && prev && f.line.y - prev.lastY <= 1.5 * size && (prev.cells[col] as string[]).length > 0;
    if (prev && ((close && disjoint) || (continues && !opensNext))) {
      texts.forEach((t, c) => (prev.cells[c] as string[]).push(...t));
      prev.lastY = f.line.y;
      return;
    }
    rows.push({ cells: texts, y: f.line.y - size, size, x0: f.line.x0, x1: f.line.x1, lastY: f.line.y });
  });
  return {
    rows: rows.map((r) => {
      const cells = r.cells.map((parts) => joinLines(parts));
      while (cells.length && cells.at(-1) === '') cells.pop();
      return { cells, y: r.y, x0: r.x0, x1: r.x1 };
    }),
    from,
    to,
  };
}

type Span = [number, number];

function extent(part: TextRun[]): Span {
  return [Math.min(...part.map((r) => r.x0)), Math.max(...part.map((r) => r.x1))];
}

const overlap = (a: Span, b: Span) => Math.min(a[1], b[1]) - Math.max(a[0], b[0]) > 0;

/**
 * Column intervals: the union of the extents of the rows' chunks, split where no chunk covers the x-axis.
 * A chunk that bridges two chunks of other rows (a 合计 label spanning the code columns) is left out, so as
 * not to merge the columns it spans; a header over a column no row fills adds that column.
 */
function columnsOf(body: FreeLine[], header: FreeLine[]): Span[] {
  const all = body.map((f) => f.parts.map(extent));
  const spans = all.flatMap((line, k) =>
    line.filter((c) => {
      const under = all.flatMap((other, j) => (j === k ? [] : other.filter((o) => overlap(o, c))));
      return !under.some((a) => under.some((b) => !overlap(a, b)));
    }),
  );
  const out: Span[] = [];
  for (const [a, b] of spans.sort((x, y) => x[0] - y[0])) {
    const last = out.at(-1);
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  // The lowest header row is the most detailed: its labels make columns before the labels above them.
  for (const f of [...header].reverse())
    for (const part of f.parts) {
      const e = extent(part);
      if (!out.some((c) => overlap(c, e))) out.push(e);
    }
  return out.sort((x, y) => x[0] - y[0]);
}

/**
 * The columns a chunk belongs to: each column owns the x-range up to the middle of the gaps beside it, and a
 * chunk goes to every column whose range holds a good part of it (a header centred over several columns
 * labels each), else to the one that holds its middle.
 */
function columnsOf1(part: TextRun[], columns: Span[]): number[] {
  const e = extent(part);
  const zone = (c: number): Span => [
    c === 0 ? -Infinity : ((columns[c - 1] as Span)[1] + (columns[c] as Span)[0]) / 2,
    c === columns.length - 1 ? Infinity : ((columns[c] as Span)[1] + (columns[c + 1] as Span)[0]) / 2,
  ];
  const width = Math.max(1, e[1] - e[0]);
  const hit = columns.flatMap((_, c) => {
    const z = zone(c);
    return Math.min(z[1], e[1]) - Math.max(z[0], e[0]) >= 0.25 * width ? [c] : [];
  });
  if (hit.length) return hit;
  const mid = (e[0] + e[1]) / 2;
  const at = columns.findIndex((_, c) => zone(c)[0] <= mid && mid <= zone(c)[1]);
  return [Math.max(0, at)];
}

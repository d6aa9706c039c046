import { findGrids, slot, type Grid } from './grid.ts';
import type { PageContent, TextRun } from './page.ts';
import { freeLines, streamTables, type FreeLine } from './stream.ts';
import { joinLines, joinRuns, runLines } from './text.ts';

/** A line of a page as read: a row of a ruled table (one cell per column) or a line of text. */
export interface PageLine {
  page: number;
  /** 1-based line of the page, top down; a table row is one line however many lines its cells take. */
  no: number;
  kind: 'row' | 'text';
  cells: string[];
  x0: number;
  x1: number;
  /** Top of the line. */
  y: number;
  size: number;
  /** For a row: which table of the page (0-based) it belongs to. */
  table?: number;
}

/**
 * Lay a page out as lines: ruled tables row by row (cells from the rules), tables printed without rules row by
 * row (cells from x-gaps and header positions), the text around them line by line.
 */
export function layoutPage(page: PageContent): PageLine[] {
  const grids = findGrids(page.rules).filter((g) => hasText(g, page.runs));
  const inGrid = new Set<TextRun>();
  const lines: Omit<PageLine, 'no'>[] = [];
  grids.forEach((g, k) => {
    const taken = page.runs.filter((r) => inside(g, r));
    taken.forEach((r) => inGrid.add(r));
    lines.push(...tableRows(g, taken, page.no, k));
  });
  const runs = page.runs.filter((r) => !inGrid.has(r) && r.text.trim() !== '');
  const free = freeLines(runLines(runs).filter((l) => !isPageNumber(l.runs, l.y, page.height)));
  const inStream = new Set<number>();
  streamTables(free).forEach((t, k) => {
    for (let i = t.from; i <= t.to; i++) inStream.add(i);
    for (const r of t.rows)
      lines.push({
        page: page.no,
        kind: 'row',
        ...r,
        size: (free[t.from] as FreeLine).line.size,
        table: grids.length + k,
      });
  });
  free.forEach((f, i) => {
    if (inStream.has(i)) return;
    const cells = f.parts.map(joinRuns);
    if (cells.every((c) => c === '')) return;
    const l = f.line;
    lines.push({ page: page.no, kind: 'text', cells, x0: l.x0, x1: l.x1, y: l.y - l.size, size: l.size });
  });
  return lines.sort((a, b) => a.y - b.y || a.x0 - b.x0).map((l, i) => ({ ...l, no: i + 1 }));
}

function center(r: TextRun): [number, number] {
  return [(r.x0 + r.x1) / 2, r.y - 0.35 * r.size];
}

function inside(g: Grid, r: TextRun): boolean {
  const [x, y] = center(r);
  return slot(g.xs, x) >= 0 && slot(g.ys, y) >= 0;
}

function hasText(g: Grid, runs: TextRun[]): boolean {
  return runs.some((r) => r.text.trim() !== '' && inside(g, r));
}

/**
 * The rows of a ruled table. Each merged cell's text (its lines joined) goes to its top row and to every
 * column it spans, so that a header spanning columns labels each of them; rows left empty are dropped.
 */
function tableRows(g: Grid, runs: TextRun[], page: number, table: number): Omit<PageLine, 'no'>[] {
  const byCell = new Map<number, TextRun[]>();
  for (const r of runs.flatMap((run) => splitAcross(run, g.xs))) {
    const [x, y] = center(r);
    const k = g.cellAt[slot(g.ys, y)]?.[slot(g.xs, x)];
    if (k === undefined) continue;
    byCell.set(k, [...(byCell.get(k) ?? []), r]);
  }
  const rows: string[][] = g.ys.slice(1).map(() => g.xs.slice(1).map(() => ''));
  for (const [k, cellRuns] of byCell) {
    const cell = g.cells[k];
    if (!cell) continue;
    const text = joinLines(runLines(cellRuns).map((l) => joinRuns(l.runs)));
    for (let c = cell.c0; c <= cell.c1; c++) (rows[cell.r0] as string[])[c] = text;
  }
  const size = Math.min(...runs.filter((r) => r.text.trim()).map((r) => r.size));
  const out: Omit<PageLine, 'no'>[] = [];
  rows.forEach((cells, r) => {
    if (cells.every((c) => c === '')) return;
    while (cells.length && cells.at(-1) === '') cells.pop();
    out.push({
      page,
      kind: 'row',
      cells,
      x0: g.xs[0] as number,
      x1: g.xs.at(-1) as number,
      y: g.ys[r] as number,
      size,
      table,
    });
  });
  return out;
}

/**
 * Some writers put the text of neighbouring cells in one run, spaces between: a run that crosses a column
 * rule is cut at its spaces, each piece placed where its characters fall (CJK a full em, others half).
 */
function splitAcross(run: TextRun, xs: number[]): TextRun[] {
  const crosses = xs.slice(1, -1).some((x) => run.x0 < x - 1 && run.x1 > x + 1);
  if (!crosses || !/\S\s+\S/.test(run.text)) return [run];
  const em = (c: string) => (/[\u2e80-\u9fff\uff00-\uffef\u3000-\u303f]/.test(c) ? 1 : 0.5);
  const chars = [...run.text];
  const unit = (run.x1 - run.x0) / chars.reduce((n, c) => n + em(c), 0);
  const out: TextRun[] = [];
  let x = run.x0;
  for (const token of run.text.split(/(\s+)/)) {
    const w = [...token].reduce((n, c) => n + em(c), 0) * unit;
    if (token.trim()) out.push({ ...run, text: token, x0: x, x1: x + w });
    x += w;
  }
  return out;
}

/** A folio: a bare number (or "- 3 -", "第 3 页") in the top or bottom margin. */
function isPageNumber(runs: TextRun[], y: number, height: number): boolean {
  const text = runs
    .map((r) => r.text)
    .join('')
    .replace(/\s+/g, '');
  if (!/^(?:[-—–]*\d{1,4}[-—–]*|第\d+页(?:共\d+页)?|\d+\/\d+)$/.test(text)) return false;
  return y < 0.08 * height || y > 0.92 * height;
}

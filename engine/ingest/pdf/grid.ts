import type { Rule } from './page.ts';

/**
 * A ruled table: the x of every column border, the y of every row border (top down), and the cells that
 * borders missing inside the grid merge into one (a header spanning columns, a label spanning rows).
 */
export interface Grid {
  xs: number[];
  ys: number[];
  /** Merged cells: rows r0..r1 and columns c0..c1 (inclusive), in reading order. */
  cells: Cell[];
  /** cellAt[r][c]: index into cells. */
  cellAt: number[][];
}

export interface Cell {
  r0: number;
  r1: number;
  c0: number;
  c1: number;
}

/** How far apart two coordinates may be and still be the same border. */
const SNAP = 2;

/** The ruled tables of a page: connected sets of rules with at least two rows and two columns of borders. */
export function findGrids(rules: Rule[]): Grid[] {
  const h = mergeCollinear(
    rules.filter((r) => r.y0 === r.y1 && r.x1 - r.x0 > SNAP),
    'h',
  );
  const v = mergeCollinear(
    rules.filter((r) => r.x0 === r.x1 && r.y1 - r.y0 > SNAP),
    'v',
  );
  const all = [...h, ...v];
  const parent = all.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i] as number)));
  h.forEach((a, i) =>
    v.forEach((b, j) => {
      if (b.x0 >= a.x0 - SNAP && b.x0 <= a.x1 + SNAP && a.y0 >= b.y0 - SNAP && a.y0 <= b.y1 + SNAP)
        parent[find(i)] = find(h.length + j);
    }),
  );
  const groups = new Map<number, Rule[]>();
  all.forEach((r, i) => groups.set(find(i), [...(groups.get(find(i)) ?? []), r]));
  const grids: Grid[] = [];
  for (const members of groups.values()) {
    const hs = members.filter((r) => r.y0 === r.y1);
    const vs = members.filter((r) => r.x0 === r.x1);
    const xs = distinct(vs.map((r) => r.x0));
    const ys = distinct(hs.map((r) => r.y0));
    if (xs.length < 3 || ys.length < 2) continue;
    grids.push(buildGrid(xs, ys, hs, vs));
  }
  return grids.sort((a, b) => (a.ys[0] as number) - (b.ys[0] as number));
}

/** Join rules on the same line that touch or overlap. */
function mergeCollinear(rules: Rule[], dir: 'h' | 'v'): Rule[] {
  const key = (r: Rule) => (dir === 'h' ? r.y0 : r.x0);
  const lo = (r: Rule) => (dir === 'h' ? r.x0 : r.y0);
  const hi = (r: Rule) => (dir === 'h' ? r.x1 : r.y1);
  const sorted = [...rules].sort((a, b) => key(a) - key(b) || lo(a) - lo(b));
  const out: Rule[] = [];
  for (const r of sorted) {
    const at = key(r);
    const prev = out.findLast((o) => Math.abs(key(o) - at) <= SNAP / 2 && lo(r) <= hi(o) + SNAP);
    if (prev) {
      if (dir === 'h') prev.x1 = Math.max(prev.x1, r.x1);
      else prev.y1 = Math.max(prev.y1, r.y1);
    } else out.push(dir === 'h' ? { x0: r.x0, x1: r.x1, y0: at, y1: at } : { x0: at, x1: at, y0: r.y0, y1: r.y1 });
  }
  return out;
}

function distinct(values: number[]): number[] {
  const out: number[] = [];
  for (const x of [...values].sort((a, b) => a - b)) if (!out.length || x - (out.at(-1) as number) > SNAP) out.push(x);
  return out;
}

function buildGrid(xs: number[], ys: number[], hs: Rule[], vs: Rule[]): Grid {
  const rows = ys.length - 1;
  const cols = xs.length - 1;
  const vertical = (x: number, y: number) =>
    vs.some((r) => Math.abs(r.x0 - x) <= SNAP && r.y0 <= y + SNAP && r.y1 >= y - SNAP);
  const horizontal = (y: number, x: number) =>
    hs.some((r) => Math.abs(r.y0 - y) <= SNAP && r.x0 <= x + SNAP && r.x1 >= x - SNAP);
  const parent = Array.from({ length: rows * cols }, (_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i] as number)));
  const union = (a: number, b: number) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  for (let r = 0; r < rows; r++) {
    const mid = ((ys[r] as number) + (ys[r + 1] as number)) / 2;
    for (let c = 0; c + 1 < cols; c++) if (!vertical(xs[c + 1] as number, mid)) union(r * cols + c, r * cols + c + 1);
  }
  for (let c = 0; c < cols; c++) {
    const mid = ((xs[c] as number) + (xs[c + 1] as number)) / 2;
    for (let r = 0; r + 1 < rows; r++)
      if (!horizontal(ys[r + 1] as number, mid)) union(r * cols + c, (r + 1) * cols + c);
  }
  const cells: Cell[] = [];
  const index = new Map<number, number>();
  const cellAt: number[][] = [];
  for (let r = 0; r < rows; r++) {
    const row: number[] = [];
    for (let c = 0; c < cols; c++) {
      const root = find(r * cols + c);
      let k = index.get(root);
      if (k === undefined) {
        k = cells.length;
        index.set(root, k);
        cells.push({ r0: r, r1: r, c0: c, c1: c });
      }
      const cell = cells[k] as Cell;
      cell.r1 = Math.max(cell.r1, r);
      cell.c0 = Math.min(cell.c0, c);
      cell.c1 = Math.max(cell.c1, c);
      row.push(k);
    }
    cellAt.push(row);
  }
  return { xs, ys, cells, cellAt };
}

/** Index of the interval of `edges` holding v, or -1 outside. */
export function slot(edges: number[], v: number): number {
  if (v < (edges[0] as number) || v > (edges.at(-1) as number)) return -1;
  for (let i = 0; i + 1 < edges.length; i++) if (v <= (edges[i + 1] as number)) return i;
  return -1;
}

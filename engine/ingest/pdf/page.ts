import type { RawPage, RawPdf } from './pdfjs.ts';
import { foldRadicals } from './radicals.ts';

/**
 * What a page holds, in the page's view coordinates (points, origin top left, y down): runs of text and
 * the straight rules drawn on it (table borders). Rotation and the media box are already applied.
 */
export interface PageContent {
  no: number;
  width: number;
  height: number;
  runs: TextRun[];
  rules: Rule[];
  /** Images painted on the page (a scan is one image per page and no text). */
  images: number;
}

/** A run of text on one baseline as pdf.js reports it. */
export interface TextRun {
  text: string;
  x0: number;
  x1: number;
  /** Baseline. */
  y: number;
  /** Font size (the text's height). */
  size: number;
}

/** A horizontal or vertical rule: from (x0, y0) to (x1, y1) with x0 ≤ x1, y0 ≤ y1. */
export interface Rule {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

type Matrix = [number, number, number, number, number, number];

function multiply(m: Matrix, n: Matrix): Matrix {
  return [
    m[0] * n[0] + m[1] * n[2],
    m[0] * n[1] + m[1] * n[3],
    m[2] * n[0] + m[3] * n[2],
    m[2] * n[1] + m[3] * n[3],
    m[4] * n[0] + m[5] * n[2] + n[4],
    m[4] * n[1] + m[5] * n[3] + n[5],
  ];
}

function apply(m: Matrix, x: number, y: number): [number, number] {
  return [x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5]];
}

/** One page's text runs (with positions), rules and images, from what pdf.js read of it. */
export function readPage(raw: RawPage, pdf: Pick<RawPdf, 'OPS' | 'DrawOPS'>): PageContent {
  const view = raw.view as Matrix;
  const runs: TextRun[] = [];
  for (const item of raw.items) {
    const m = multiply(item.transform as Matrix, view);
    // Only upright text: rotated runs (stamps, vertical captions) are not table content.
    if (Math.abs(m[1]) > 0.01 * Math.abs(m[0]) || m[0] <= 0) continue;
    const size = Math.hypot(m[2], m[3]) || item.height;
    const x1 = m[4] + item.width * (m[0] / Math.hypot(m[0], m[1]));
    runs.push({ text: foldRadicals(item.str), x0: m[4], x1, y: m[5], size });
  }
  const { rules, images } = readDrawing(raw.ops, view, pdf);
  return { no: raw.no, width: raw.width, height: raw.height, runs, rules, images };
}

/** Walk the page's drawing operations, keeping the graphics state's matrix, to find rules and images. */
function readDrawing(
  list: [number, unknown][],
  view: Matrix,
  { OPS, DrawOPS }: Pick<RawPdf, 'OPS' | 'DrawOPS'>,
): { rules: Rule[]; images: number } {
  const op = (name: string) => OPS[name] ?? -1;
  const stroke = new Set(['stroke', 'closeStroke', 'fillStroke', 'eoFillStroke', 'closeFillStroke'].map(op));
  const fill = new Set(['fill', 'eoFill', 'fillStroke', 'eoFillStroke', 'closeFillStroke'].map(op));
  const imageOps = new Set(
    [
      'paintImageXObject',
      'paintInlineImageXObject',
      'paintImageMaskXObject',
      'paintImageXObjectRepeat',
      'paintInlineImageXObjectGroup',
    ].map(op),
  );
  const rules: Rule[] = [];
  let images = 0;
  let ctm: Matrix = [1, 0, 0, 1, 0, 0];
  const stack: Matrix[] = [];
  for (const [fn, a] of list) {
    const args = (a ?? []) as unknown[];
    if (fn === op('save')) stack.push(ctm);
    else if (fn === op('restore')) ctm = stack.pop() ?? ctm;
    else if (fn === op('transform')) ctm = multiply(args as Matrix, ctm);
    else if (imageOps.has(fn)) images++;
    else if (fn === op('constructPath')) {
      // pdf.js 5: [painting operator, [path data], bounding box].
      const paint = args[0] as number;
      const data = (args[1] as ArrayLike<number>[] | undefined)?.[0];
      if (!data || !(stroke.has(paint) || fill.has(paint))) continue;
      const toView = multiply(ctm, view);
      for (const path of subpaths(data, DrawOPS, toView)) {
        if (stroke.has(paint)) rules.push(...strokedRules(path));
        if (fill.has(paint)) rules.push(...filledRules(path));
      }
    }
  }
  return { rules, images };
}

type DrawOps = RawPdf['DrawOPS'];
/** A path's subpaths as point lists in view coordinates; a curve breaks the straight run it is in. */
function subpaths(data: ArrayLike<number>, ops: DrawOps, m: Matrix): [number, number][][] {
  const out: [number, number][][] = [];
  let cur: [number, number][] = [];
  const flush = () => {
    if (cur.length > 1) out.push(cur);
    cur = [];
  };
  for (let k = 0; k < data.length;) {
    const c = data[k++];
    if (c === ops.moveTo) {
      flush();
      cur.push(apply(m, data[k] as number, data[k + 1] as number));
      k += 2;
    } else if (c === ops.lineTo) {
      cur.push(apply(m, data[k] as number, data[k + 1] as number));
      k += 2;
    } else if (c === ops.curveTo || c === ops.quadraticCurveTo) {
      const n = c === ops.curveTo ? 6 : 4;
      const end = apply(m, data[k + n - 2] as number, data[k + n - 1] as number);
      flush();
      cur.push(end);
      k += n;
    } else if (c === ops.closePath) {
      if (cur.length > 1) cur.push(cur[0] as [number, number]);
      flush();
    } else break;
  }
  flush();
  return out;
}

const FLAT = 0.5;

/** The horizontal and vertical segments of a stroked path. */
function strokedRules(points: [number, number][]): Rule[] {
  const out: Rule[] = [];
  for (let i = 1; i < points.length; i++) {
    const [ax, ay] = points[i - 1] as [number, number];
    const [bx, by] = points[i] as [number, number];
    if (Math.abs(ay - by) <= FLAT && Math.abs(ax - bx) > 1)
      out.push({ x0: Math.min(ax, bx), x1: Math.max(ax, bx), y0: (ay + by) / 2, y1: (ay + by) / 2 });
    else if (Math.abs(ax - bx) <= FLAT && Math.abs(ay - by) > 1)
      out.push({ x0: (ax + bx) / 2, x1: (ax + bx) / 2, y0: Math.min(ay, by), y1: Math.max(ay, by) });
  }
  return out;
}

/** A filled thin rectangle is a rule (how many generators draw borders); a wider one is shading, not a rule. */
function filledRules(points: [number, number][]): Rule[] {
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const x0 = Math.min(...xs);
  const x1 = Math.max(...xs);
  const y0 = Math.min(...ys);
  const y1 = Math.max(...ys);
  const rectangular = points.every(
    (p) =>
      (Math.abs(p[0] - x0) <= FLAT || Math.abs(p[0] - x1) <= FLAT) &&
      (Math.abs(p[1] - y0) <= FLAT || Math.abs(p[1] - y1) <= FLAT),
  );
  if (!rectangular || points.length < 4) return [];
  const w = x1 - x0;
  const h = y1 - y0;
  if (h <= 3 && w > 3) return [{ x0, x1, y0: (y0 + y1) / 2, y1: (y0 + y1) / 2 }];
  if (w <= 3 && h > 3) return [{ x0: (x0 + x1) / 2, x1: (x0 + x1) / 2, y0, y1 }];
  return [];
}

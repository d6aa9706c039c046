import { DataType, type Field, type Table } from 'apache-arrow';
import { decimalText, decimalWords, isNumeric } from './format.ts';

/**
 * The source of a figure (issue #19): every fact row carries doc_id, source_table, source_page and source_line;
 * the server serves a loaded document by its doc_id (GET /api/documents/ID, …/lines), never by a path. This module
 * finds a row's source, the forms a figure may be printed in, and where it stands in a line or on a PDF page.
 */

/** Where one figure of a result came from. */
export interface FigureSource {
  doc_id: string;
  /** 1-based page of a PDF; null for a text document. */
  page: number | null;
  /** 1-based line of the text document, or of the PDF's page. */
  line: number | null;
  table: string | null;
  /** The figure as stored, exact (万元 for money), or null when a provenance cell was clicked. */
  amount: string | null;
  /** The column the figure is in. */
  column: string | null;
}

/** The provenance columns of a result, by index; undefined when it has no doc_id or no page / line. */
export interface SourceColumns {
  doc: number;
  page: number | undefined;
  line: number | undefined;
  table: number | undefined;
}

export function sourceColumns(fields: readonly Field[]): SourceColumns | undefined {
  const at = (name: string) => {
    const i = fields.findIndex((f) => f.name === name);
    return i < 0 ? undefined : i;
  };
  const doc = at('doc_id');
  const page = at('source_page');
  const line = at('source_line');
  if (doc === undefined || (page === undefined && line === undefined)) return undefined;
  return { doc, page, line, table: at('source_table') };
}

/** Numeric columns that say where or when, not how much: never a figure to look up in the source. */
const NOT_FIGURE = /^(source_page|source_line|fiscal_year|vintage|doc_year|line_count|year)$|_(level|code|id|year)$/;

/** Is this column's value a figure printed in the source (an amount, a count)? */
export function isFigureColumn(field: Field): boolean {
  return isNumeric(field) && !NOT_FIGURE.test(field.name);
}

/** Is this one of the provenance columns (clicking it opens the source with no figure to find)? */
export function isProvenanceColumn(field: Field): boolean {
  return ['doc_id', 'source_table', 'source_page', 'source_line'].includes(field.name);
}

/** A cell's value as exact decimal text: DECIMAL unscaled, integers, floats. */
export function exactText(field: Field, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (DataType.isDecimal(field.type))
    return decimalText(decimalWords(value as Uint32Array), (field.type as unknown as { scale: number }).scale);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null;
  return null;
}

function intOf(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  const n = typeof v === 'bigint' ? Number(v) : Number(v);
  return Number.isFinite(n) ? n : null;
}

/** The source of row `row`'s value in column `col` (a figure, or a provenance cell), if the row has one. */
export function rowSource(table: Table, cols: SourceColumns, row: number, col: number): FigureSource | undefined {
  const get = (c: number | undefined) => (c === undefined ? null : (table.getChildAt(c)?.get(row) ?? null));
  const doc = get(cols.doc);
  const page = intOf(get(cols.page));
  const line = intOf(get(cols.line));
  if (doc === null || doc === '' || (page === null && line === null)) return undefined;
  const field = table.schema.fields[col];
  const figure = field && isFigureColumn(field) ? exactText(field, table.getChildAt(col)?.get(row)) : null;
  const t = get(cols.table);
  return {
    doc_id: String(doc),
    page,
    line,
    table: t === null ? null : String(t),
    amount: figure,
    column: field?.name ?? null,
  };
}

/** "16497.864" → { int: 16497864n, scale: 3 } (trailing zeros dropped); undefined when not a number. */
function parseDecimal(text: string): { unscaled: bigint; scale: number } | undefined {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/i.exec(text.trim());
  if (!m) return undefined;
  let digits = (m[2] ?? '') + (m[3] ?? '');
  let scale = (m[3] ?? '').length - Number(m[4] ?? 0);
  if (scale < 0) {
    digits += '0'.repeat(-scale);
    scale = 0;
  }
  let unscaled = BigInt(digits);
  while (scale > 0 && unscaled % 10n === 0n) {
    unscaled /= 10n;
    scale--;
  }
  return { unscaled: m[1] ? -unscaled : unscaled, scale };
}

/** An exact decimal with exactly `decimals` decimals (only if no digit is lost), with or without grouping. */
function fixed(unscaled: bigint, scale: number, decimals: number, grouped: boolean): string | undefined {
  if (decimals < scale) return undefined;
  const neg = unscaled < 0n;
  const a = (neg ? -unscaled : unscaled) * 10n ** BigInt(decimals - scale);
  const one = 10n ** BigInt(decimals);
  let int = (a / one).toString();
  if (grouped) int = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const frac = decimals ? '.' + (a % one).toString().padStart(decimals, '0') : '';
  return `${neg ? '-' : ''}${int}${frac}`;
}

/**
 * The forms a figure stored as `amount` (万元, exact) may be printed in, likeliest first: in 万元 with as many
 * decimals as it has up to 6 (16,497.864 / 16497.864 / 16,497.8640 …); in 元 (×10,000: 164,978,640 /
 * 164,978,640.00); in 千元 (×10). Each with and without thousands separators.
 */
export function printedForms(amount: string): string[] {
  const d = parseDecimal(amount);
  if (!d) return [];
  const out: string[] = [];
  const add = (unscaled: bigint, scale: number, from: number, to: number) => {
    for (let k = Math.max(from, scale); k <= Math.max(to, scale); k++)
      for (const grouped of [true, false]) {
        const s = fixed(unscaled, scale, k, grouped);
        if (s !== undefined && !out.includes(s)) out.push(s);
      }
  };
  add(d.unscaled, d.scale, 0, Math.max(6, d.scale)); // 万元
  const shift = (n: number) =>
    d.scale >= n ? { u: d.unscaled, s: d.scale - n } : { u: d.unscaled * 10n ** BigInt(n - d.scale), s: 0 };
  const yuan = shift(4);
  add(yuan.u, yuan.s, 0, 2); // 元
  const qian = shift(1);
  add(qian.u, qian.s, 0, 3); // 千元
  return out;
}

/** Full-width digits and punctuation folded (NFKC), white space dropped: how printed text is compared. */
export function normalize(s: string): string {
  return s.normalize('NFKC').replace(/\s+/g, '');
}

/** Where a printed form of the figure stands in a line of text (a whole number, not part of a longer one). */
export function findInText(
  text: string,
  forms: readonly string[],
): { start: number; end: number; form: string } | undefined {
  const folded = text.normalize('NFKC');
  // NFKC keeps the length of the characters a figure is printed in (digits, commas, points), so positions agree.
  const sameLength = folded.length === text.length;
  const hay = sameLength ? folded : text;
  for (const form of forms) {
    let at = hay.indexOf(form);
    while (at >= 0) {
      const before = hay[at - 1] ?? '';
      const after = hay.slice(at + form.length, at + form.length + 2);
      if (!/[\d.,-]/.test(before) && !/^(\d|[.,]\d)/.test(after)) return { start: at, end: at + form.length, form };
      at = hay.indexOf(form, at + 1);
    }
  }
  return undefined;
}

/** A text item of a PDF page (pdf.js's text layer), placed in points from the page's top left at scale 1. */
export interface TextBox {
  str: string;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** The row a figure was read from on its page (the engine's line source_line), as the server places it. */
export interface RowBand {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

export interface FigureMatch {
  /** The text item the figure was found in (its whole string). */
  item: TextBox;
  /** The box of the figure itself (the item's, or the part of it the figure takes). */
  box: { x0: number; y0: number; x1: number; y1: number };
  /** The form it is printed in. */
  form: string;
  /** Whether it stands on the row source_line names. */
  inRow: boolean;
}

/**
 * Find a figure on a PDF page's text layer: a text item that is one of the printed forms (or holds it as a word),
 * on the row given by source_line when there is one (its leftmost match there), else the match nearest to it.
 */
export function findOnPage(
  items: readonly TextBox[],
  forms: readonly string[],
  band?: RowBand,
): FigureMatch | undefined {
  if (forms.length === 0) return undefined;
  const rank = new Map(forms.map((f, i) => [f, i]));
  const found: (FigureMatch & { exact: boolean; order: number })[] = [];
  for (const item of items) {
    const whole = normalize(item.str);
    const r = rank.get(whole);
    if (r !== undefined) {
      found.push({ item, box: item, form: whole, inRow: false, exact: true, order: r });
      continue;
    }
    // An item holding several cells ("2,976,800 0 2,976,800"): the word, placed by its share of the characters.
    const folded = item.str.normalize('NFKC');
    if (folded.length !== item.str.length || !/\s/.test(folded.trim())) continue;
    const hit = findInText(folded, forms);
    if (!hit || /\S/.test(folded[hit.start - 1] ?? ' ') || /\S/.test(folded[hit.end] ?? ' ')) continue;
    const w = (item.x1 - item.x0) / Math.max(1, folded.length);
    found.push({
      item,
      box: { x0: item.x0 + hit.start * w, x1: item.x0 + hit.end * w, y0: item.y0, y1: item.y1 },
      form: hit.form,
      inRow: false,
      exact: false,
      order: rank.get(hit.form) ?? forms.length,
    });
  }
  if (found.length === 0) return undefined;
  const onRow = (m: FigureMatch) => {
    if (!band) return false;
    const cy = (m.box.y0 + m.box.y1) / 2;
    const cx = (m.box.x0 + m.box.x1) / 2;
    return cy >= band.y0 - 1 && cy <= band.y1 + 1 && cx >= band.x0 - 2 && cx <= band.x1 + 2;
  };
  const distance = (m: FigureMatch) => {
    if (!band) return m.box.y0;
    const cy = (m.box.y0 + m.box.y1) / 2;
    return Math.abs(cy - (band.y0 + band.y1) / 2);
  };
  for (const m of found) m.inRow = onRow(m);
  found.sort(
    (a, b) =>
      Number(b.inRow) - Number(a.inRow) ||
      (a.inRow ? 0 : distance(a) - distance(b)) ||
      Number(b.exact) - Number(a.exact) ||
      a.order - b.order ||
      a.box.y0 - b.box.y0 ||
      a.box.x0 - b.box.x0,
  );
  const best = found[0] as FigureMatch & { exact: boolean; order: number };
  return { item: best.item, box: best.box, form: best.form, inRow: best.inRow };
}

/** A loaded document, as the server names it (GET /api/documents). */
export interface DocumentInfo {
  doc_id: string;
  department: string;
  doc_year: number | null;
  stage: string;
  title: string;
  source_file: string;
  format: string;
  sha256: string;
  line_count: number | null;
}

export interface TextLines {
  doc: DocumentInfo;
  from: number;
  to: number;
  total: number;
  lines: { no: number; text: string }[];
}

export interface PageLines {
  doc: DocumentInfo;
  page: number;
  pages: number;
  width: number;
  height: number;
  lines: { no: number; kind: 'row' | 'text'; cells: string[]; x0: number; x1: number; y0: number; y1: number }[];
}

/** An answer of the documents routes that is not 200: its status and the server's message. */
export class SourceFetchError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function ok(res: Response): Promise<Response> {
  if (res.ok) return res;
  let message = res.statusText;
  try {
    message = ((await res.json()) as { error?: { message?: string } }).error?.message ?? message;
  } catch {
    // not JSON
  }
  throw new SourceFetchError(res.status, message);
}

/** The URL of a loaded document's file (the page holds the token cookie). */
export function documentUrl(docId: string): string {
  return `/api/documents/${encodeURIComponent(docId)}`;
}

export async function documentBytes(docId: string, signal?: AbortSignal): Promise<Uint8Array> {
  const res = await ok(await fetch(documentUrl(docId), { signal }));
  return new Uint8Array(await res.arrayBuffer());
}

export async function textLines(docId: string, from: number, to: number, signal?: AbortSignal): Promise<TextLines> {
  const res = await ok(await fetch(`${documentUrl(docId)}/lines?from=${from}&to=${to}`, { signal }));
  return (await res.json()) as TextLines;
}

export async function pageLines(docId: string, page: number, signal?: AbortSignal): Promise<PageLines> {
  const res = await ok(await fetch(`${documentUrl(docId)}/lines?page=${page}`, { signal }));
  return (await res.json()) as PageLines;
}

export async function loadedDocuments(): Promise<DocumentInfo[]> {
  const res = await ok(await fetch('/api/documents'));
  return ((await res.json()) as { documents: DocumentInfo[] }).documents;
}

import { InputError } from '../../db/errors.ts';
import { lineOf, type Line } from '../budget-text/lines.ts';
import { layoutPage, type PageLine } from './layout.ts';
import { readPage, type PageContent } from './page.ts';
import { PdfJsError, readRawPdf } from './pdfjs.ts';
import { joinLines } from './text.ts';

/** Where a line of the reconstructed text was printed. */
export interface PageRef {
  page: number;
  line: number;
}

/** A PDF read as text: lines numbered through the document (as a text file's), each mapped to its page. */
export interface PdfText {
  lines: Line[];
  /** Line number → page and line of the page. */
  where: Map<number, PageRef>;
  /** Each table: the first line of its first row and the title printed above it ('' on a continuation). */
  tables: { line: number; page: number; title: string }[];
  pages: number;
  /** Pages that are pictures without text (scanned pages in a document that is otherwise text). */
  imageOnly: number[];
}

/**
 * Read a PDF's text layer into lines: ruled tables become lines of TAB-separated cells (one per column),
 * paragraphs wrapped over several lines (or over a page break) become one line.
 * Refuses what is not a PDF and a PDF without a text layer (a scan).
 */
export async function readPdfText(bytes: Uint8Array, file: string): Promise<PdfText> {
  let pdf;
  try {
    pdf = await readRawPdf(bytes);
  } catch (e) {
    if (e instanceof PdfJsError && e.kind === 'PasswordException')
      throw new InputError(file, undefined, 'encrypted PDF: it needs a password; save an unprotected copy');
    if (e instanceof PdfJsError) throw new InputError(file, undefined, `not a readable PDF (${e.message})`);
    throw e;
  }
  const contents = pdf.pages.map((p) => readPage(p, pdf));
  const textOf = (c: PageContent) => c.runs.reduce((k, r) => k + r.text.replace(/\s+/g, '').length, 0);
  const chars = contents.reduce((n, c) => n + textOf(c), 0);
  const images = contents.reduce((n, c) => n + c.images, 0);
  if (chars === 0)
    throw new InputError(
      file,
      undefined,
      images > 0
        ? `scanned PDF: its ${contents.length} page(s) are images with no text layer; run OCR on it first (or load the text)`
        : `PDF has no text layer: its ${contents.length} page(s) hold no text`,
    );
  const imageOnly = contents.filter((c) => c.images > 0 && textOf(c) === 0).map((c) => c.no);
  return { ...number(joinParagraphs(contents.map(layoutPage))), pages: contents.length, imageOnly };
}

/** A logical line: one or more physical lines (a wrapped paragraph), numbered by the first. */
interface Logical {
  first: PageLine;
  last: PageLine;
  cells: string[];
}

/** Margins of a page's text (not its tables): where full lines start and end. */
function margins(lines: PageLine[]): { left: number; right: number } {
  const text = lines.filter((l) => l.kind === 'text');
  return { left: Math.min(...text.map((l) => l.x0)), right: Math.max(...text.map((l) => l.x1)) };
}

/** A line that starts a heading or an item, never the rest of the line before it. */
const STARTS_ITEM =
  /^(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[、．]|\d+\.(?!\d)|表\s*\d|附表|注[:：])/;

function joinParagraphs(pages: PageLine[][]): Logical[] {
  const out: Logical[] = [];
  const m = pages.map(margins);
  const lastOfPage = new Set(pages.map((p) => p.at(-1)));
  for (const page of pages)
    for (const l of page) {
      const prev = out.at(-1);
      if (prev && continues(prev.last, l, m, lastOfPage.has(prev.last))) {
        prev.cells = [joinLines([prev.cells[0] as string, l.cells[0] as string])];
        prev.last = l;
      } else out.push({ first: l, last: l, cells: [...l.cells] });
    }
  return out;
}

/**
 * Does `next` carry on the paragraph of `prev`? Both single text lines of one size; `prev` runs to the
 * right margin; `next` starts at the left margin, on the next line or at the top of the next page.
 */
function continues(
  prev: PageLine,
  next: PageLine,
  m: { left: number; right: number }[],
  prevEndsPage: boolean,
): boolean {
  if (prev.kind !== 'text' || next.kind !== 'text' || prev.cells.length !== 1 || next.cells.length !== 1) return false;
  if (Math.abs(prev.size - next.size) > 0.5) return false;
  const pm = m[prev.page - 1];
  const nm = m[next.page - 1];
  if (!pm || !nm) return false;
  if (prev.x1 < pm.right - 2.5 * prev.size || next.x0 > nm.left + 0.5 * next.size) return false;
  if (STARTS_ITEM.test(next.cells[0] as string)) return false;
  if (next.page === prev.page) return next.y > prev.y && next.y - prev.y <= 1.8 * prev.size;
  return next.page === prev.page + 1 && next.no === 1 && prevEndsPage;
}

function number(lines: Logical[]): Pick<PdfText, 'lines' | 'where' | 'tables'> {
  const where = new Map<number, PageRef>();
  const out: Line[] = [];
  const tables: PdfText['tables'] = [];
  const seen = new Set<string>();
  lines.forEach((l, i) => {
    const no = i + 1;
    where.set(no, { page: l.first.page, line: l.first.no });
    out.push(lineOf(l.cells.join('\t'), no));
    if (l.first.kind === 'row' && l.first.table !== undefined) {
      const key = `${l.first.page}/${l.first.table}`;
      if (seen.has(key)) return;
      seen.add(key);
      tables.push({ line: no, page: l.first.page, title: titleAbove(lines, i) });
    }
  });
  return { lines: out, where, tables };
}

/** The title printed above a table: the nearest text line above its first row, the unit line skipped. */
function titleAbove(lines: Logical[], i: number): string {
  for (let k = i - 1; k >= 0 && k >= i - 4; k--) {
    const l = lines[k] as Logical;
    if (l.first.kind === 'row' || l.last.page !== (lines[i] as Logical).first.page) return '';
    const text = l.cells.join(' ').trim();
    if (/^(?:单位|金额单位|编制单位|部门|填报单位)[:：]/.test(text.replace(/\s+/g, ''))) continue;
    if (text) return text;
  }
  return '';
}

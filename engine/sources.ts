import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import type { Database } from './db/database.ts';
import { projectRoot } from './paths.ts';

/**
 * The source of a figure: a loaded document's own file, found by its doc_id alone. The file is the one recorded
 * when the document was loaded (`ingested_files.path`, matched on the document's sha256); it is served only while
 * its bytes are still those that were loaded. Nothing here takes a path from the caller.
 */

/** A loaded document, as the source viewer names it. */
export interface SourceDocument {
  doc_id: string;
  department: string;
  doc_year: number | null;
  stage: string;
  title: string;
  /** The file's name as loaded (documents.source_file). */
  source_file: string;
  /** 'text' | 'pdf' | … */
  format: string;
  sha256: string;
  line_count: number | null;
}

/** Why a document's source cannot be served: no such document (404), its file gone or changed (410), a bad ask (400). */
export class SourceError extends Error {
  constructor(
    readonly kind: 'unknown' | 'gone' | 'bad',
    message: string,
  ) {
    super(message);
    this.name = 'SourceError';
  }
}

/** A line of a text document. */
export interface SourceLine {
  no: number;
  text: string;
}

/**
 * A line of a PDF page as the engine read it (its source_line is `no`), with where it was printed: points from
 * the page's top left at scale 1 (pdf.js's viewport), `y0` the top of the line and `y1` where the next line starts.
 */
export interface PageLineBox {
  no: number;
  kind: 'row' | 'text';
  /** A table row's cells (one per column), or a text line's parts. */
  cells: string[];
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

export interface SourcePage {
  page: number;
  pages: number;
  width: number;
  height: number;
  lines: PageLineBox[];
}

/** The most lines one request for a text document's lines may ask for. */
export const MAX_LINES = 2000;

const DOC_SQL = `SELECT d.doc_id, d.department, d.doc_year, d.stage, d.title, d.source_file, d.format, d.sha256,
       d.line_count, f.path
FROM documents d LEFT JOIN ingested_files f ON f.sha256 = d.sha256
WHERE d.doc_id = ?`;

/** Every loaded document (for the names of sources in the report and the viewer). */
export async function listDocuments(db: Database): Promise<SourceDocument[]> {
  const rows = await db.all(
    `SELECT doc_id, department, doc_year, stage, title, source_file, format, sha256, line_count
     FROM documents ORDER BY department, doc_year, doc_id`,
  );
  return rows.map(documentOf);
}

function documentOf(r: Record<string, unknown>): SourceDocument {
  return {
    doc_id: String(r['doc_id']),
    department: String(r['department'] ?? ''),
    doc_year: r['doc_year'] === null || r['doc_year'] === undefined ? null : Number(r['doc_year']),
    stage: String(r['stage'] ?? ''),
    title: String(r['title'] ?? ''),
    source_file: String(r['source_file'] ?? ''),
    format: String(r['format'] ?? ''),
    sha256: String(r['sha256'] ?? ''),
    line_count: r['line_count'] === null || r['line_count'] === undefined ? null : Number(r['line_count']),
  };
}

/**
 * A loaded document's file, read and checked: its doc_id looked up in `documents`, its file the one recorded at
 * load (a relative path is tried against the working folder, the project and the database's folder), its name
 * the document's source_file and its bytes those loaded (sha256).
 */
export async function documentFile(
  db: Database,
  dbPath: string,
  docId: string,
): Promise<{ doc: SourceDocument; bytes: Buffer }> {
  const rows = await db.all(DOC_SQL, [docId]);
  const first = rows[0];
  if (!first) throw new SourceError('unknown', `no loaded document has doc_id ${docId}`);
  const doc = documentOf(first);
  const recorded = rows.map((r) => r['path']).filter((p): p is string => typeof p === 'string' && p !== '');
  if (recorded.length === 0)
    throw new SourceError(
      'gone',
      `the file of document ${docId} (${doc.source_file}) was not recorded when it was loaded (loaded from an export?)`,
    );
  const roots = [process.cwd(), projectRoot, ...(dbPath === ':memory:' ? [] : [dirname(resolve(dbPath))])];
  let changed: string | undefined;
  for (const path of recorded) {
    // Only the recorded file, and only if it bears the document's name.
    if (basename(path) !== doc.source_file) continue;
    for (const file of isAbsolute(path) ? [path] : roots.map((r) => resolve(r, path))) {
      if (!existsSync(file) || !statSync(file).isFile()) continue;
      const bytes = readFileSync(file);
      if (createHash('sha256').update(bytes).digest('hex') === doc.sha256) return { doc, bytes };
      changed = file;
    }
  }
  throw new SourceError(
    'gone',
    changed
      ? `the file of document ${docId} changed since it was loaded (${changed} no longer has sha256 ${doc.sha256.slice(0, 16)}…): load it again`
      : `the file of document ${docId} is no longer where it was loaded from (${recorded[0]}): it was moved or deleted`,
  );
}

/** Lines `from` … `to` (1-based, inclusive; cut at the end of the file) of a text document. */
export async function documentLines(
  db: Database,
  dbPath: string,
  docId: string,
  from: number,
  to: number,
): Promise<{ doc: SourceDocument; from: number; to: number; total: number; lines: SourceLine[] }> {
  const { doc, bytes } = await documentFile(db, dbPath, docId);
  if (doc.format === 'pdf')
    throw new SourceError('bad', `document ${docId} is a PDF: ask for the lines of a page (?page=N)`);
  checkRange(from, to);
  const text = new TextDecoder('utf-8').decode(bytes);
  // Numbered as the text reader numbers them (budget-text/lines.ts splitLines): split at \n, a CR before it dropped.
  const raws = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).split('\n');
  const total = raws.length;
  const lines: SourceLine[] = [];
  const last = Math.min(to, total);
  for (let no = from; no <= last; no++) lines.push({ no, text: (raws[no - 1] as string).replace(/\r$/, '') });
  return { doc, from, to: last, total, lines };
}

function checkRange(from: number, to: number): void {
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 1 || to < from)
    throw new SourceError('bad', `lines from ${from} to ${to}: expected 1 ≤ from ≤ to`);
  if (to - from + 1 > MAX_LINES) throw new SourceError('bad', `at most ${MAX_LINES} lines at a time`);
}

/** Laid-out pages of the PDFs read lately, by sha256 (reading a PDF takes about a second). */
const pageCache = new Map<string, Promise<SourcePage[]>>();
const PAGE_CACHE_SIZE = 4;

/**
 * A page of a PDF document as the engine reads it when loading (engine/ingest/pdf: pdf.js's text and rules, laid
 * out into lines), so that a fact's source_page and source_line name one of these lines.
 */
export async function documentPage(
  db: Database,
  dbPath: string,
  docId: string,
  page: number,
): Promise<{ doc: SourceDocument } & SourcePage> {
  const { doc, bytes } = await documentFile(db, dbPath, docId);
  if (doc.format !== 'pdf')
    throw new SourceError('bad', `document ${docId} is ${doc.format}, not a PDF: it has no pages`);
  let pages = pageCache.get(doc.sha256);
  if (pages) pageCache.delete(doc.sha256);
  else {
    pages = layOut(bytes);
    pages.catch(() => pageCache.delete(doc.sha256));
  }
  pageCache.set(doc.sha256, pages);
  while (pageCache.size > PAGE_CACHE_SIZE) pageCache.delete(pageCache.keys().next().value as string);
  const all = await pages;
  const p = all[page - 1];
  if (!Number.isInteger(page) || !p)
    throw new SourceError('bad', `document ${docId} has ${all.length} page(s), no page ${page}`);
  return { doc, ...p };
}

async function layOut(bytes: Buffer): Promise<SourcePage[]> {
  const { readRawPdf } = await import('./ingest/pdf/pdfjs.ts');
  const { readPage } = await import('./ingest/pdf/page.ts');
  const { layoutPage } = await import('./ingest/pdf/layout.ts');
  const raw = await readRawPdf(bytes);
  return raw.pages.map((rp) => {
    const content = readPage(rp, raw);
    const lines = layoutPage(content);
    const tops = [...new Set(lines.map((l) => l.y))].sort((a, b) => a - b);
    return {
      page: rp.no,
      pages: raw.pages.length,
      width: rp.width,
      height: rp.height,
      lines: lines.map((l) => {
        // A text line's top is its baseline less its size; a row's, its top rule. It ends where the next line starts
        // (a row of cells on several lines is that tall), or about a line below.
        const next = tops.find((y) => y > l.y + 0.5 * l.size);
        const end = l.kind === 'text' ? l.y + 1.25 * l.size : l.y + 4 * l.size;
        return {
          no: l.no,
          kind: l.kind,
          cells: l.cells,
          x0: round(l.x0),
          x1: round(l.x1),
          y0: round(l.y),
          y1: round(next === undefined ? end : Math.min(next, end)),
        };
      }),
    };
  });
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

import { readFileSync } from 'node:fs';
import type { Database } from '../../db/database.ts';
import { InputError } from '../../db/errors.ts';
import { parseBudgetLines } from '../budget-text/index.ts';
import { squash } from '../budget-text/lines.ts';
import { findFinalTitle, kindOfTitle, parseFinalAccounts, recognizeFinal, titleKey } from '../final-accounts/index.ts';
import { sha256Hex } from '../hash.ts';
import { coverageOf } from '../tables/coverage.ts';
import { parseBudgetTables } from '../tables/document.ts';
import { loadDocument, loadItem, type LoadItem, type LoadResult } from '../load.ts';
import type { ParsedDocument } from '../types.ts';
import { readPdfText, type PageRef, type PdfText } from './document.ts';

/** Load a published PDF (a 部门预算 or a 部门决算): read its text layer, parse, then one transaction. */
export async function loadPdfDocument(db: Database, path: string): Promise<LoadResult> {
  const bytes = readFileSync(path);
  const parsed = await parsePdf(bytes, path);
  return loadDocument(db, parsed, path, parsed.doc.sha256);
}

/** Parse a PDF file into a LoadItem (what a parse worker hands back to the loading thread). */
export async function parsePdfFile(path: string): Promise<LoadItem> {
  const parsed = await parsePdf(readFileSync(path), path);
  return loadItem(parsed, path, parsed.doc.sha256);
}

/**
 * Parse a PDF: its pages rebuilt into lines, then the parser of its layout (the 部门决算 template, or the
 * 部门预算 layout of the text path), with each fact's page and line of the page.
 * A layout neither knows is refused with the tables that were and were not recognized.
 */
export async function parsePdf(bytes: Uint8Array, file: string): Promise<ParsedDocument> {
  if (!/^%PDF-/.test(new TextDecoder('latin1').decode(bytes.subarray(0, 1024)).trimStart()))
    throw new InputError(file, undefined, 'not a PDF (no %PDF- header)');
  const pdf = await readPdfText(bytes, file);
  const source = { file, sha256: sha256Hex(bytes), format: 'pdf' };
  const where = (n: number) => {
    const w = pdf.where.get(n);
    return w ? `p${w.page}:${w.line}` : `line ${n}`;
  };
  const foreign = foreignTables(pdf).map(describe(where));
  const remark = pdf.imageOnly.length
    ? `Page(s) ${pdf.imageOnly.join(', ')} are images without a text layer (scanned?).`
    : '';
  const final = recognizeFinal(pdf.lines, file);
  const page = (n: number) => pdf.where.get(n)?.page;
  const title = findFinalTitle(pdf.lines);
  if (title || final.tables.length > 0) {
    const parsed = parseFinalAccounts(pdf.lines, source, { foreign, where, remark });
    parsed.coverage = coverageOf(
      [
        ...final.tables.map((t) => ({
          number: null,
          kind: t.kind,
          title: t.title,
          line: t.line,
          lines: t.lines,
          unit: t.divisor === 10_000n ? '元' : t.divisor === 10n ? '千元' : '万元',
          source: t.name,
        })),
        ...foreignTables(pdf).map((t) => ({
          number: null,
          kind: null,
          title: t.title.trim(),
          line: t.line,
          lines: [],
          unit: null,
          source: '',
        })),
      ],
      parsed.facts,
      page,
    );
    return onPages(parsed, pdf.where);
  }
  if (isFifteenTables(pdf)) return onPages(parseBudgetLines(pdf.lines, { ...source, page }), pdf.where);
  return onPages(parseBudgetTables(pdf.lines, source, { where, page, remark }), pdf.where);
}

/**
 * The 15-table 部门预算 of the text path (Shenzhen's districts, as the bundled Longgang document): a
 * "…年…部门预算" title and tables marked "表 1" … "表 15", among them 政府预算拨款收支总表. Every other
 * 部门预算 / 单位预算 is read by its tables' titles (tables/document.ts).
 */
function isFifteenTables(pdf: PdfText): boolean {
  const lines = pdf.lines;
  const numbers = new Set(
    lines.flatMap((l) => {
      const m = /^表\s*(\d{1,2})\s*[:：]?$/.exec(l.text.trim());
      return m ? [Number(m[1])] : [];
    }),
  );
  return (
    numbers.has(13) &&
    numbers.has(15) &&
    lines.some((l) => /政府预算拨款收支总表$/.test(squash(l.text))) &&
    lines.slice(0, 60).some((l) => /\d{4}年.+部门预算$/.test(squash(l.text)))
  );
}

/** Ruled tables whose title is not one of the template's (tables continued from a page before excluded). */
function foreignTables(pdf: PdfText): { title: string; line: number }[] {
  return pdf.tables.filter((t) => t.title !== '' && titleKey(t.title).endsWith('表') && !kindOfTitle(t.title));
}

function describe(where: (n: number) => string): (t: { title: string; line: number }) => string {
  return (t) => `${t.title.trim()} (${where(t.line)})`;
}

/**
 * Give facts and findings the page they were printed on: the parsers number lines through the document;
 * a PDF's facts carry the page and the line of that page (CONTRACT: source_page, source_line), and its
 * findings name their lines as page:line.
 */
export function onPages(parsed: ParsedDocument, where: Map<number, PageRef>): ParsedDocument {
  for (const rows of parsed.facts.values())
    for (const row of rows) {
      const n = row['source_line'];
      const w = typeof n === 'number' ? where.get(n) : undefined;
      if (!w) continue;
      row['source_page'] = w.page;
      row['source_line'] = w.line;
    }
  const at = (n: string) => {
    const w = where.get(Number(n));
    return w ? `p${w.page}:${w.line}` : n;
  };
  for (const f of parsed.findings) {
    f.source_lines = f.source_lines.split(',').filter(Boolean).map(at).join(',');
    f.message = f.message.replace(/\b(lines?) (\d+)(?: and (\d+))?/g, (_m, word: string, a: string, b?: string) =>
      b ? `${word} ${at(a)} and ${at(b)}` : `${word} ${at(a)}`,
    );
  }
  return parsed;
}

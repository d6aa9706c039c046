import { InputError } from '../../db/errors.ts';
import { DocumentContext } from '../budget-text/context.ts';
import type { Line } from '../budget-text/lines.ts';
import { findIdentity } from '../tables/identity.ts';
import { documentMeta, type LinesSource } from '../budget-text/index.ts';
import type { ParsedDocument } from '../types.ts';
import { checkAll } from './checks.ts';
import { emitFacts } from './facts.ts';
import { readTables, type Tables } from './read.ts';
import { findTables, TEMPLATE, type FaTable, type TableKind } from './tables.ts';

export { findTables, kindOfTitle, titleKey } from './tables.ts';

/** Tables without which a 决算 cannot be read: the totals and the spending by function. */
const REQUIRED: TableKind[] = ['summary', 'spending'];

/**
 * The title of a 部门决算: "上海市普陀区财政局2024年度部门决算", "2024年度…部门决算", a title wrapped over several
 * lines of the cover, or a dated title beside "部门名称：…" (see tables/identity.ts).
 */
export function findFinalTitle(
  lines: Line[],
): { department: string; year: number; text: string; line: number } | undefined {
  const id = findIdentity(lines);
  if (!id || id.stage !== 'final') return undefined;
  return { department: id.department, year: id.year, text: id.title, line: id.line };
}

/** What a document holds of the template: tables read, tables whose title is known but columns are not. */
export interface Recognition {
  tables: FaTable[];
  read: Tables;
  missing: TableKind[];
  /** Unreadable or absent required tables: the document cannot be loaded. */
  blocking: TableKind[];
}

export function recognizeFinal(lines: Line[], file: string): Recognition {
  const tables = findTables(lines);
  const read = readTables(tables, file);
  const missing = TEMPLATE.map((t) => t.kind).filter((k) => !tables.some((t) => t.kind === k));
  const blocking = REQUIRED.filter((k) => !read[k]);
  return { tables, read, missing, blocking };
}

export interface FinalOptions {
  /** Tables found in the document that are not of the template (for the finding that says so). */
  foreign?: string[];
  /** How to name a line in messages (a PDF says which page). */
  where?: (line: number) => string;
  /** Said at the end of a refusal (e.g. pages of the PDF that are scans). */
  remark?: string;
}

/**
 * Parse a 部门决算 in the national nine-table template from its lines (a PDF's rebuilt rows, TAB-separated
 * cells): stage 'final' (the 三公 table's 预算数 'budget'), the department as one unit, every figure checked
 * against the others. Refuses a document whose required tables are missing or unreadable.
 */
export function parseFinalAccounts(lines: Line[], source: LinesSource, options: FinalOptions = {}): ParsedDocument {
  const { file } = source;
  const where = options.where ?? ((n: number) => `line ${n}`);
  const title = findFinalTitle(lines);
  const rec = recognizeFinal(lines, file);
  if (rec.blocking.length)
    throw new InputError(file, undefined, refusal(rec, options.foreign ?? [], where, options.remark));
  if (!title)
    throw new InputError(file, 1, 'no title naming the department and year ("…2024年度部门决算") before the tables');

  const ctx = new DocumentContext(file, title.department, title.year, 'final');
  ctx.units = [title.department];
  emitFacts(ctx, rec.read);
  checkAll(ctx, rec.read);
  for (const t of rec.read.unreadable)
    ctx.note('DOC.unreadable', t.name, 'warning', [t.line], `${t.name}: columns not recognized; not loaded`);
  if (rec.missing.length)
    ctx.note(
      'DOC.missing',
      'document',
      'warning',
      [],
      `document has no ${rec.missing.map((k) => TEMPLATE.find((t) => t.kind === k)?.name).join(', ')}: loaded what it has`,
    );
  if (options.foreign?.length)
    ctx.note(
      'DOC.foreign',
      'document',
      'warning',
      [],
      `tables not of the template, not loaded: ${options.foreign.join('; ')}`,
    );

  return {
    doc: documentMeta(source, lines, {
      department: title.department,
      year: title.year,
      stage: 'final',
      title: title.text,
    }),
    facts: ctx.facts,
    findings: ctx.findings,
  };
}

/** Why a document is not loaded: which tables were recognized, which were not. */
export function refusal(
  rec: Recognition,
  foreign: string[],
  where: (line: number) => string,
  remark = '',
  lead = 'not a 部门决算 of a layout this parser knows; nothing loaded.',
): string {
  const known = rec.tables.map((t) => `${t.name} (${where(t.line)})`);
  const unreadable = rec.read.unreadable.map((t) => `${t.name} (${where(t.line)}, columns not recognized)`);
  const absent = rec.blocking.filter((k) => !rec.tables.some((t) => t.kind === k));
  return [
    lead,
    `Recognized: ${known.length ? known.join(', ') : 'no table of the nine-table template'}.`,
    `Not recognized: ${[...unreadable, ...foreign].join(', ') || 'none'}.`,
    absent.length ? `Missing: ${absent.map((k) => TEMPLATE.find((t) => t.kind === k)?.name).join(', ')}.` : '',
    remark,
  ]
    .filter(Boolean)
    .join(' ');
}

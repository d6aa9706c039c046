import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Database } from '../../db/database.ts';
import { InputError } from '../../db/errors.ts';
import { isAmount } from '../../money.ts';
import { sameFigure, type Amount } from '../checks.ts';
import { sha256Hex } from '../hash.ts';
import { loadDocuments, loadItem, type LoadItem, type LoadResult } from '../load.ts';
import type { DocumentMeta, ParsedDocument } from '../types.ts';
import { DocumentContext, type Table } from './context.ts';
import { decodeDocument, isDebrisLine, splitLines, squash, type Line } from './lines.ts';
import { readNarrative } from './narrative.ts';
import { readDepartmentTargets, readProjectTargetForms } from './performance.ts';
import { reconcile } from './reconcile.ts';
import { findUnits } from './tables.ts';
import { coverageOf } from '../tables/coverage.ts';
import { kindOfTitle } from '../tables/find.ts';

/** The tables of a 部门预算 disclosure in this layout, by number. */
export const TABLE_NAMES: Record<number, string> = {
  1: '收支总表',
  2: '收入总表',
  3: '支出总表',
  4: '基本支出总表',
  5: '项目支出总表',
  6: '政府预算拨款收支总表',
  7: '一般公共预算支出表',
  8: '政府性基金预算支出表',
  9: '国有资本经营预算支出表',
  10: '上级专项转移支付支出表',
  11: '政府采购项目支出表',
  12: '一般公共预算“三公”经费支出表',
  13: '部门预算绩效管理项目情况表',
  14: '部门整体支出绩效目标表',
  15: '部门预算项目绩效目标表',
};

/** Load a budget document in the text layout: parse, reconcile, then one transaction. */
export async function loadTextDocument(db: Database, path: string): Promise<LoadResult> {
  const [result] = await loadDocuments(db, [parseTextFile(path)]);
  return result as LoadResult;
}

/** Read and parse a text document, ready for the load path. */
export function parseTextFile(path: string): LoadItem {
  const bytes = readFileSync(path);
  const parsed = parseBudgetText(bytes, path);
  return loadItem(parsed, path, parsed.doc.sha256);
}

/** Parse a 部门预算 document (text extracted from the published PDF) into facts and findings. */
export function parseBudgetText(
  bytes: Uint8Array,
  file: string,
  options: { synthetic?: boolean } = {},
): ParsedDocument {
  const text = decodeDocument(bytes, file);
  return parseBudgetLines(splitLines(text), { file, sha256: sha256Hex(bytes), format: 'text', ...options });
}

/** Where a document's lines came from: its file, the file's hash, and the format they were read from. */
export interface LinesSource {
  file: string;
  sha256: string;
  format: string;
  synthetic?: boolean;
  /** The page a line was printed on (a PDF's), for the coverage record. */
  page?: (line: number) => number | undefined;
}

/** A parsed document's registry entry: its id from its content hash, who and when, its file. */
export function documentMeta(
  source: LinesSource,
  lines: Line[],
  who: { department: string; year: number; stage: string; title: string },
): DocumentMeta {
  return {
    doc_id: source.sha256.slice(0, 16),
    department: who.department,
    doc_year: who.year,
    stage: who.stage,
    title: who.title,
    source_file: basename(source.file),
    sha256: source.sha256,
    format: source.format,
    line_count: lines.at(-1)?.no ?? 0,
    synthetic: source.synthetic ?? /synthetic/i.test(basename(source.file)),
  };
}

/**
 * Parse a 部门预算 document from its lines: a text file's, or those a PDF's pages were rebuilt into
 * (table rows with TAB-separated cells). Line numbers run through the document.
 */
export function parseBudgetLines(all: Line[], source: LinesSource): ParsedDocument {
  const { file } = source;
  const lines: Line[] = [];
  for (let i = 0; i < all.length; i++) {
    const l = all[i] as Line;
    if (!isDebrisLine(l.text)) lines.push(l);
  }
  const tables = findTables(lines);
  const title = findTitle(lines);
  if (tables.size === 0)
    throw new InputError(
      file,
      title?.line ?? 1,
      `no budget tables found (expected 表1 … 表15 of a 部门预算 disclosure): not a budget document of this layout`,
    );
  if (!title)
    throw new InputError(
      file,
      1,
      `no title line naming the year and department ("2021 年…部门预算") before the tables`,
    );
  const unitHeader = findUnitHeader(tables);
  const department = unitHeader
    ? (unitHeader.cells[0] as string).replace(/^单位名称[:：]\s*/, '').replace(/\s+/g, '')
    : title.department;
  for (const t of tables.values()) if (t.no <= 13) refuseMalformed(file, t);
  // This reader reads the layout's amounts as 万元: a table in 元 or 千元 would load 10,000 (or 10) times too large.
  for (const t of tables.values())
    for (const l of t.lines.slice(0, 4)) {
      const m = /单位[:：]\s*(千元|元)(?![\u4e00-\u9fff])/.exec(l.text.replace(/\s+/g, ''));
      if (m && !/万元/.test(l.text))
        throw new InputError(
          file,
          l.no,
          `表${t.no} prints its amounts in ${m[1]}: this reader of the 15-table layout reads 万元 only; nothing loaded`,
        );
    }

  const ctx = new DocumentContext(file, department, title.year, title.stage);
  ctx.units = findUnits(tables);
  if (ctx.units.length === 0) ctx.units = [department];
  if (ctx.units[0] !== department) ctx.units.unshift(department);

  const firstTable = Math.min(...[...tables.values()].map((t) => t.markerLine));
  const narrative = readNarrative(ctx, linesBefore(lines, firstTable));
  reconcile(ctx, tables, narrative);
  const t14 = tables.get(14);
  const t15 = tables.get(15);
  const budget14 = t14 ? readDepartmentTargets(ctx, t14) : {};
  const forms = t15 ? readProjectTargetForms(ctx, t15) : [];
  reconcilePerformance(ctx, tables, narrative, forms, budget14.budget);

  const missing = Object.keys(TABLE_NAMES)
    .map(Number)
    .filter((n) => !tables.has(n));
  if (missing.length)
    ctx.note(
      'DOC.missing',
      'document',
      'warning',
      [],
      `document has no ${missing.map((n) => `表${n} ${TABLE_NAMES[n]}`).join(', ')}: cut short or a different layout; loaded what it has`,
    );

  const synthetic = source.synthetic ?? /synthetic/i.test(basename(file));
  const coverage = coverageOf(
    [...tables.values()].map((t) => ({
      number: `表${t.no}`,
      kind: kindOfTitle(TABLE_NAMES[t.no] ?? t.name)?.kind ?? null,
      title: t.title || TABLE_NAMES[t.no] || t.name,
      line: t.markerLine,
      lines: t.lines,
      unit: '万元',
      source: `表${t.no}`,
    })),
    ctx.facts,
    source.page,
  );
  return {
    doc: documentMeta(source, lines, {
      department,
      year: title.year,
      stage: title.stage,
      title: (synthetic ? '[synthetic] ' : '') + title.text,
    }),
    facts: ctx.facts,
    findings: ctx.findings,
    coverage,
  };
}

function findTitle(
  lines: Line[],
): { year: number; department: string; stage: string; text: string; line: number } | undefined {
  for (const l of lines.slice(0, 40)) {
    const s = squash(l.text);
    const m = /^(?:（单位名称）)?(\d{4})年(.+?)部门(预算|决算)$/.exec(s);
    if (m)
      return {
        year: Number(m[1]),
        department: m[2] as string,
        stage: m[3] === '决算' ? 'final' : 'budget',
        text: l.text.trim(),
        line: l.no,
      };
  }
  return undefined;
}

/** The lines before line number `no` (lines.filter((l) => l.no < no)). */
function linesBefore(lines: Line[], no: number): Line[] {
  const out: Line[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] as Line;
    if (l.no < no) out.push(l);
  }
  return out;
}

/** The first line, in table order, whose first cell is "单位名称：…". */
function findUnitHeader(tables: Map<number, Table>): Line | undefined {
  for (const t of tables.values()) for (const l of t.lines) if (/^单位名称[:：]/.test(l.cells[0] ?? '')) return l;
  return undefined;
}

/** Tables start at a line holding only "表 N" (or "表 N:"); the next line with text is the title. */
function findTables(lines: Line[]): Map<number, Table> {
  const marks: { no: number; index: number }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] as Line;
    // A marker holds 表: most lines do not, and are passed over without the trim and the regex.
    if (l.cells.length > 1 || !l.text.includes('表')) continue;
    const m = /^表\s*(\d{1,2})\s*[:：]?$/.exec(l.text.trim());
    if (m) marks.push({ no: Number(m[1]), index: i });
  }
  const tables = new Map<number, Table>();
  marks.forEach((m, k) => {
    const end = k + 1 < marks.length ? (marks[k + 1] as { index: number }).index : lines.length;
    const body = lines.slice(m.index + 1, end);
    const titleLine = body.find((l) => l.text.trim() !== '');
    if (tables.has(m.no)) return;
    tables.set(m.no, {
      no: m.no,
      name: `表${m.no}`,
      title: titleLine?.cells.join('') ?? '',
      lines: body.filter((l) => l !== titleLine),
      markerLine: (lines[m.index] as Line).no,
    });
  });
  return tables;
}

/** An amount cell that is not a number ("7,9x0") makes the document unreadable: refuse it with its line. */
function refuseMalformed(file: string, t: Table): void {
  for (let i = 0; i < t.lines.length; i++) {
    const l = t.lines[i] as Line;
    for (let k = 0; k < l.cells.length; k++) {
      const c = l.cells[k] as string;
      if (/^[+-]?[0-9][0-9A-Za-z,.，]*$/.test(c) && !isAmount(c) && !/^\d{4}$/.test(c))
        throw new InputError(file, l.no, `${t.name}: amount '${c}' is not a number`);
    }
  }
}

function reconcilePerformance(
  ctx: DocumentContext,
  tables: Map<number, Table>,
  n: ReturnType<typeof readNarrative>,
  forms: ReturnType<typeof readProjectTargetForms>,
  budget14: Amount | undefined,
): void {
  const totals = ctx.rows('budget_totals');
  const deptSpending = totals.find(
    (r) => r['measure'] === 'spending_total' && r['unit'] === ctx.department && r['fiscal_year'] === ctx.year,
  );
  // 表3's 支出总计 as loaded (a fact), rounded as 表14 prints its figure.
  if (budget14 && deptSpending)
    sameFigure(ctx, {
      id: 'T14.budget',
      scope: '表14',
      a: budget14,
      b: { ...budget14, value: deptSpending['amount'] as bigint, line: deptSpending['source_line'] as number },
      what: '表14 年度预算金额 vs 表3 支出总计',
    });
  // Counts, whole (micro-units at 0 decimals): the narrative's line is cited; a difference is a warning.
  if (n.projectCount && forms.length) {
    const { count, line } = n.projectCount;
    sameFigure(ctx, {
      id: 'TEXT.projects',
      scope: 'text 第六部分',
      a: { value: BigInt(count) * 1_000_000n, decimals: 0, line },
      b: { value: BigInt(forms.length) * 1_000_000n, decimals: 0, line },
      what: `narrative project count (${count}) vs 表15 forms (${forms.length})`,
      beyond: 'warning',
    });
  }
  // 表13 (whole 万元) against 表15 (to the cent): the most detailed figure is 表15's.
  const t13 = ctx.projectList ?? [];
  // The first form per unit and project (as forms.find gives it), and 表13's projects, by unit.
  const formOf = new Map<string, Map<string, (typeof forms)[number]>>();
  for (const f of forms) {
    let byProject = formOf.get(f.unit);
    if (!byProject) formOf.set(f.unit, (byProject = new Map()));
    if (!byProject.has(f.project)) byProject.set(f.project, f);
  }
  const listed = new Map<string, Set<string>>();
  for (const p of t13) {
    let names = listed.get(p.unit);
    if (!names) listed.set(p.unit, (names = new Set()));
    names.add(p.name);
  }
  for (const p of t13) {
    const f = formOf.get(p.unit)?.get(p.name);
    const fig = f?.figures.find((x) => x.year === ctx.year && x.stage === 'budget');
    if (!fig) {
      ctx.note(
        'T13.noForm',
        `表13 ${p.unit}`,
        'warning',
        [p.total.line],
        `表13 lists project '${p.name}' of ${p.unit} but 表15 has no 2021 figure for it; loaded from 表13`,
      );
      ctx.add('projects', ctx.prov(p.unit, '表13', p.total.line), { project: p.name, amount: p.total.value });
      continue;
    }
    // 表13 prints whole 万元: the rounding is taken at its precision.
    sameFigure(ctx, {
      id: 'T13.vs.T15',
      scope: `表13 ${p.unit} ${p.name}`,
      a: p.total,
      b: fig.amount,
      decimals: p.total.decimals,
      what: `表13 ${p.name} (${p.unit}) vs 表15`,
    });
  }
  for (const f of forms)
    if (!listed.get(f.unit)?.has(f.project) && tables.has(13))
      ctx.note(
        'T15.not13',
        `表15 ${f.unit}`,
        'warning',
        [f.line],
        `表15 has a form for '${f.project}' (${f.unit}) that 表13 does not list`,
      );
}

import { readFileSync } from 'node:fs';
import { basename, dirname, extname } from 'node:path';
import { parse } from 'csv-parse/sync';
import type ExcelJS from 'exceljs';
import type { Database } from '../db/database.ts';
import { InputError } from '../db/errors.ts';
import { parseAmount } from '../money.ts';
import { TABLE_BY_VIEW, type ColumnDef, type FactTable } from '../schema/tables.ts';
import { alreadyLoaded, appendRows, recordFile, type LoadResult } from './load.ts';
import type { FactRow, FactValue } from './types.ts';
import { sha256Hex } from './hash.ts';
import { bumpFactsVersion } from '../schema/materialize.ts';

/** A row of a canonical file as text, with where it stands in the file. */
interface RawRow {
  where: { line?: number; sheet?: string; row?: number };
  values: Record<string, string | null>;
}

export const CANONICAL_EXTENSIONS = new Set(['.csv', '.xlsx', '.parquet']);

/** The fact view a canonical file holds: --view, else the folder above Hive partitions, else the file's base name. */
export function viewOfFile(path: string, view?: string): string {
  if (view) return view;
  let dir = dirname(path);
  let hive = false;
  while (/^[a-z_]+=/.test(basename(dir))) {
    dir = dirname(dir);
    hive = true;
  }
  if (hive) return basename(dir);
  return basename(path, extname(path));
}

/** Load a canonical CSV / XLSX / Parquet file of one fact view, all or nothing. */
export async function loadCanonical(db: Database, path: string, viewName?: string): Promise<LoadResult> {
  const view = viewOfFile(path, viewName);
  const table = TABLE_BY_VIEW.get(view);
  if (!table) {
    throw new InputError(
      path,
      undefined,
      `'${view}' is not a fact view; name one with --view (${[...TABLE_BY_VIEW.keys()].join(', ')})`,
    );
  }
  const bytes = readFileSync(path);
  const sha = sha256Hex(bytes);
  const ext = extname(path).toLowerCase();
  const raw =
    ext === '.csv' ? readCsv(path, bytes) : ext === '.xlsx' ? await readXlsx(path, bytes) : await readParquet(db, path);
  const header = raw.header;
  checkHeader(path, table, header);
  const rows = raw.rows.map((r) => typed(path, table, r));
  const fileDocId = sha.slice(0, 16);

  const result: LoadResult = {
    file: path,
    doc_id: fileDocId,
    status: 'unchanged',
    rows: {},
    findings: { error: 0, warning: 0, info: 0 },
  };
  await db.transaction(async (s) => {
    if (await alreadyLoaded(s, sha, null)) return;
    if (view === 'documents') {
      const known = new Set((await s.all('SELECT doc_id FROM doc_registry')).map((r) => String(r['doc_id'])));
      const fresh = rows.filter((r) => !known.has(String(r['doc_id'])));
      await appendRows(s, table, fresh);
      result.rows[view] = fresh.length;
    } else if (view === 'reconciliation' || view === 'coverage') {
      // Keyed by document, like the registry: a document's findings (or coverage) come whole or not at all.
      const known = new Set(
        (await s.all(`SELECT DISTINCT doc_id FROM ${table.table}`)).map((r) => String(r['doc_id'])),
      );
      const fresh = rows.filter((r) => !known.has(String(r['doc_id'])));
      await appendRows(s, table, fresh);
      result.rows[view] = fresh.length;
    } else {
      // Rows that name their document keep it (re-ingested exports); the others belong to this file as a document.
      const needsDoc = rows.some((r) => r['doc_id'] === null);
      if (needsDoc) {
        const first = rows[0];
        await appendRows(s, TABLE_BY_VIEW.get('documents') as FactTable, [
          {
            doc_id: fileDocId,
            department: first ? (first['department'] as string) : '',
            doc_year: rows.reduce((y, r) => Math.max(y, Number(r['vintage'] ?? r['fiscal_year'])), 0),
            stage: first ? (first['stage'] as string) : 'budget',
            title: `canonical ${view} file ${basename(path)}`,
            source_file: path,
            sha256: sha,
            format: ext.slice(1),
            loaded_at: BigInt(Date.now()) * 1000n,
            line_count: rows.length + 1,
            synthetic: false,
          },
        ]);
      }
      const present = new Set(
        (await s.all(`SELECT DISTINCT doc_id || '/' || fiscal_year AS k FROM ${table.table}`)).map((r) =>
          String(r['k']),
        ),
      );
      const fresh = rows
        .map((r) => (r['doc_id'] === null ? { ...r, doc_id: fileDocId } : r))
        .filter((r) => !present.has(`${r['doc_id']}/${r['fiscal_year']}`));
      await appendRows(s, table, fresh);
      result.rows[view] = fresh.length;
    }
    await recordFile(s, sha, path, view, result.rows[view] ?? 0);
    await bumpFactsVersion(s);
    result.status = 'loaded';
  });
  return result;
}

/** Columns a fact view derives (the stable ids, from datasets/departments/names.csv): read back from an export, not loaded. */
const DERIVED = ['department_id', 'unit_id'];

function checkHeader(path: string, table: FactTable, header: string[]): void {
  const known = new Set([...table.columns.map((c) => c.name), ...DERIVED]);
  const unknown = header.filter((h) => !known.has(h));
  if (unknown.length) throw new InputError(path, 1, `unknown column(s) ${unknown.join(', ')} for view ${table.view}`);
  const missing = table.columns.filter((c) => c.required && !header.includes(c.name)).map((c) => c.name);
  if (missing.length) throw new InputError(path, 1, `missing column(s) ${missing.join(', ')} for view ${table.view}`);
}

function locate(path: string, r: RawRow, reason: string): InputError {
  if (r.where.sheet !== undefined)
    return new InputError(`${path} sheet ${r.where.sheet} row ${r.where.row}`, undefined, reason);
  if (r.where.line !== undefined) return new InputError(path, r.where.line, `line ${r.where.line}: ${reason}`);
  return new InputError(`${path} row ${r.where.row}`, undefined, reason);
}

function typed(path: string, table: FactTable, r: RawRow): FactRow {
  const out: FactRow = {};
  for (const col of table.columns) {
    const text = r.values[col.name];
    const empty = text === null || text === undefined || text.trim() === '';
    if (empty) {
      if (col.required) throw locate(path, r, `${col.name} is empty`);
      out[col.name] = defaultFor(col, out, r, path);
      continue;
    }
    const v = convert(col, text.trim());
    if (v === undefined) throw locate(path, r, `${col.name} '${text}' is not ${describe(col)}`);
    out[col.name] = v;
  }
  return out;
}

function defaultFor(col: ColumnDef, row: FactRow, r: RawRow, path: string): FactValue {
  switch (col.name) {
    case 'vintage':
      return row['fiscal_year'] ?? null;
    case 'derived':
      return false;
    case 'source_table':
      return basename(path);
    case 'source_line':
      return r.where.line ?? r.where.row ?? null;
    default:
      return null;
  }
}

function convert(col: ColumnDef, t: string): FactValue | undefined {
  switch (col.type) {
    case 'decimal':
      return parseAmount(t);
    case 'integer':
      return /^[+-]?\d{1,9}$/.test(t) ? Number(t) : undefined;
    case 'boolean':
      return /^(true|1|t|yes)$/i.test(t) ? true : /^(false|0|f|no)$/i.test(t) ? false : undefined;
    case 'double': {
      const n = Number(t);
      return Number.isFinite(n) ? n : undefined;
    }
    case 'timestamp': {
      const ms = Date.parse(t.includes('T') || t.endsWith('Z') ? t : t.replace(' ', 'T') + 'Z');
      return Number.isNaN(ms) ? undefined : BigInt(ms) * 1000n;
    }
    default:
      return t;
  }
}

function describe(col: ColumnDef): string {
  return {
    decimal: 'a number',
    integer: 'an integer',
    boolean: 'true or false',
    double: 'a number',
    timestamp: 'a timestamp',
    varchar: 'text',
  }[col.type];
}

interface RawTable {
  header: string[];
  rows: RawRow[];
}

function readCsv(path: string, bytes: Buffer): RawTable {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(bytes, {
      bom: true,
      info: true,
      relax_column_count: false,
      skip_empty_lines: true,
    }) as unknown as typeof records;
  } catch (e) {
    const m = e as { lines?: number; message?: string };
    throw new InputError(path, m.lines, `not a readable CSV: ${m.message ?? String(e)}`);
  }
  const [head, ...body] = records;
  if (!head) throw new InputError(path, undefined, 'empty file: no header row');
  const header = head.record.map((h) => h.trim());
  return {
    header,
    rows: body.map((rec) => ({
      where: { line: rec.info.lines },
      values: Object.fromEntries(header.map((h, i) => [h, rec.record[i] ?? null])),
    })),
  };
}

async function readXlsx(path: string, bytes: Buffer): Promise<RawTable> {
  // Loaded here, not at start-up: exceljs takes ~0.35 s to load, which every `budget` command would pay.
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (e) {
    throw new InputError(
      path,
      undefined,
      `not a readable XLSX workbook: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  const ws = wb.worksheets[0];
  if (!ws) throw new InputError(path, undefined, 'workbook has no sheet');
  const header: string[] = [];
  ws.getRow(1).eachCell({ includeEmpty: false }, (cell, col) => {
    header[col - 1] = String(cell.text).trim();
  });
  const rows: RawRow[] = [];
  for (let r = 2; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    if (!row.hasValues) continue;
    const values: Record<string, string | null> = {};
    header.forEach((h, i) => {
      const cell = row.getCell(i + 1);
      values[h] = cell.value === null || cell.value === undefined ? null : cellText(cell.value);
    });
    rows.push({ where: { sheet: ws.name, row: r }, values });
  }
  return { header: header.filter(Boolean), rows };
}

function cellText(v: ExcelJS.CellValue): string {
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object' && v !== null) {
    if ('result' in v) return String(v.result ?? '');
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('text' in v) return String(v.text);
  }
  return String(v);
}

async function readParquet(db: Database, path: string): Promise<RawTable> {
  let rows;
  let cols;
  try {
    cols = await db.all(`SELECT column_name FROM (DESCRIBE SELECT * FROM read_parquet(?, hive_partitioning = true))`, [
      path,
    ]);
    const list = cols.map(
      (c) =>
        `CAST("${String(c['column_name']).replace(/"/g, '""')}" AS VARCHAR) AS "${String(c['column_name']).replace(/"/g, '""')}"`,
    );
    rows = await db.all(`SELECT ${list.join(', ')} FROM read_parquet(?, hive_partitioning = true)`, [path]);
  } catch (e) {
    throw new InputError(path, undefined, `not a readable Parquet file: ${e instanceof Error ? e.message : String(e)}`);
  }
  // An empty file (an exported view with no rows) is read as such: it loads nothing, without error.
  return {
    header: cols.map((c) => String(c['column_name'])),
    rows: rows.map((r, i) => ({ where: { row: i + 1 }, values: r as Record<string, string | null> })),
  };
}

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Engine, InputError, type Row } from '../engine/engine.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const SEED = path.join(root, 'datasets', '2021-longgang-zwfw-sjglj-budget.txt');
const FACT_VIEWS = [
  'spending_by_function',
  'sangong',
  'projects',
  'budget_totals',
  'procurement',
  'unit_facts',
  'spending_by_economic',
  'revenue_by_source',
  'performance_targets',
  'reconciliation',
];

const DEPT = '深圳市龙岗区政务服务数据管理局';
const UNIT = '深圳市龙岗区大数据中心';
const HEADER = 'department,unit,unit_level,fiscal_year,stage,category,category_name,amount';
const SANGONG_CSV = [
  HEADER,
  `${DEPT},${DEPT},department,2020,budget,reception,公务接待费,17.80`, // line 2
  `${DEPT},${DEPT},department,2020,budget,vehicle_operation,公务用车运行维护费,5.00`, // line 3
  `${DEPT},${DEPT},department,2021,budget,reception,公务接待费,6.00`, // line 4
  `${DEPT},${UNIT},unit,2021,budget,reception,公务接待费,0.80`, // line 5
  `${DEPT},${DEPT},department,2021,budget,overseas_travel,因公出国（境）费,0`, // line 6
  `${DEPT},${DEPT},department,2021,budget,vehicle_operation,公务用车运行维护费,1702.89`, // line 7
].join('\n');

let tmp: string;
const engines: Engine[] = [];

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'budget-test-'));
});
afterEach(() => {
  for (const e of engines.splice(0)) e.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function open(name: string): Promise<Engine> {
  const e = await Engine.open({ db: path.join(tmp, name) });
  engines.push(e);
  return e;
}

function write(rel: string, text: string | Buffer): string {
  const p = path.join(tmp, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
  return p;
}

async function count(e: Engine, view: string): Promise<number> {
  const r = await e.rows(`SELECT count(*)::INTEGER AS n FROM ${view}`);
  return Number(r[0]?.['n']);
}

/** Everything a failed load must not have touched. */
async function snapshot(e: Engine): Promise<Record<string, Row[] | number>> {
  return {
    sangong: await e.rows('SELECT * FROM sangong ORDER BY ALL'),
    documents: await e.rows('SELECT * FROM documents ORDER BY ALL'),
    ingested_files: await e.rows('SELECT * FROM ingested_files ORDER BY ALL'),
    n_sangong: await count(e, 'sangong'),
    n_documents: await count(e, 'documents'),
    n_files: await count(e, 'ingested_files'),
  };
}

async function refusal(p: Promise<unknown>): Promise<InputError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InputError);
  return err as InputError;
}

const sha256 = (p: string): string => createHash('sha256').update(fs.readFileSync(p)).digest('hex');

describe('canonical CSV', () => {
  it('loads rows into the view with exact amounts and provenance, and registers the file as a document', async () => {
    const file = write('in/sangong.csv', SANGONG_CSV);
    const e = await open('a.duckdb');
    const [r, ...more] = await e.ingest([file]);
    expect(more).toHaveLength(0);
    const docId = sha256(file).slice(0, 16);
    expect(r).toEqual({
      file,
      doc_id: docId,
      status: 'loaded',
      rows: { sangong: 6 },
      findings: { error: 0, warning: 0, info: 0 },
    });

    const rows = await e.rows(
      `SELECT doc_id, unit, unit_level, fiscal_year, stage, vintage, derived, source_table, source_page, source_line,
              category, category_name, amount
       FROM sangong ORDER BY source_line`,
    );
    expect(rows).toEqual(
      [
        [DEPT, 'department', 2020, 'reception', '公务接待费', '17.8', 2],
        [DEPT, 'department', 2020, 'vehicle_operation', '公务用车运行维护费', '5', 3],
        [DEPT, 'department', 2021, 'reception', '公务接待费', '6', 4],
        [UNIT, 'unit', 2021, 'reception', '公务接待费', '0.8', 5],
        [DEPT, 'department', 2021, 'overseas_travel', '因公出国（境）费', '0', 6],
        [DEPT, 'department', 2021, 'vehicle_operation', '公务用车运行维护费', '1702.89', 7],
      ].map(([unit, level, year, category, name, amount, line]) => ({
        doc_id: docId,
        unit,
        unit_level: level,
        fiscal_year: year,
        stage: 'budget',
        vintage: year, // defaults to fiscal_year
        derived: false,
        source_table: 'sangong.csv',
        source_page: null,
        source_line: line, // the CSV line the row came from
        category,
        category_name: name,
        amount,
      })),
    );

    // exact sums in DECIMAL: no binary-float residue
    const sums = await e.rows(
      `SELECT fiscal_year, sum(amount) AS total, typeof(sum(amount)) AS t FROM sangong GROUP BY ALL ORDER BY ALL`,
    );
    expect(sums).toEqual([
      { fiscal_year: 2020, total: '22.8', t: 'DECIMAL(38,6)' },
      { fiscal_year: 2021, total: '1709.69', t: 'DECIMAL(38,6)' },
    ]);
    const types = await e.rows(`SELECT typeof(amount) AS t FROM sangong LIMIT 1`);
    expect(types[0]?.['t']).toBe('DECIMAL(20,6)');

    const docs = await e.rows('SELECT * EXCLUDE (loaded_at) FROM documents');
    expect(docs).toEqual([
      {
        doc_id: docId,
        department: DEPT,
        doc_year: 2021,
        stage: 'budget',
        title: 'canonical sangong file sangong.csv',
        source_file: file,
        sha256: sha256(file),
        format: 'csv',
        line_count: 7,
        synthetic: false,
        department_id: DEPT, // no alias in datasets/departments/names.csv: the printed name is the id
      },
    ]);
    const loadedAt = await e.rows('SELECT loaded_at IS NOT NULL AS ok FROM documents');
    expect(loadedAt).toEqual([{ ok: true }]);
    const files = await e.rows('SELECT sha256, path, view, row_count FROM ingested_files');
    expect(files).toEqual([{ sha256: sha256(file), path: file, view: 'sangong', row_count: 6 }]);
  });

  it('a UTF-8 BOM in front of the header changes nothing but the file hash', async () => {
    const plain = write('plain/sangong.csv', SANGONG_CSV);
    const bom = write('bom/sangong.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SANGONG_CSV)]));
    const a = await open('a.duckdb');
    const b = await open('b.duckdb');
    await a.ingest([plain]);
    const [r] = await b.ingest([bom]);
    expect(r?.status).toBe('loaded');
    expect(r?.rows).toEqual({ sangong: 6 });
    const q = 'SELECT * EXCLUDE (doc_id) FROM sangong ORDER BY ALL';
    const rowsB = await b.rows(q);
    expect(rowsB).toEqual(await a.rows(q));
    expect(rowsB.map((x) => x['department'])).toEqual(Array(6).fill(DEPT));
    expect(rowsB.map((x) => x['amount'])).toEqual(['0.8', '17.8', '5', '6', '0', '1702.89']);
    expect(await b.rows('SELECT sha256, department FROM documents')).toEqual([
      { sha256: sha256(bom), department: DEPT },
    ]);
  });

  it('ingesting the same file twice changes nothing', async () => {
    const file = write('sangong.csv', SANGONG_CSV);
    const e = await open('a.duckdb');
    await e.ingest([file]);
    const before = await snapshot(e);
    const [again] = await e.ingest([file]);
    expect(again?.status).toBe('unchanged');
    expect(again?.rows).toEqual({});
    expect(await snapshot(e)).toEqual(before);
    expect(before['n_sangong']).toBe(6);
    expect(before['n_documents']).toBe(1);
    expect(before['n_files']).toBe(1);
    // and through a reopened database too
    e.close();
    engines.splice(engines.indexOf(e), 1);
    const e2 = await open('a.duckdb');
    const [third] = await e2.ingest([file]);
    expect(third?.status).toBe('unchanged');
    expect(await snapshot(e2)).toEqual(before);
  });

  it('a non-numeric amount on line 3 is refused and the database is exactly as before', async () => {
    const good = write('good/sangong.csv', SANGONG_CSV);
    const e = await open('a.duckdb');
    await e.ingest([good]);
    const before = await snapshot(e);
    const badText = SANGONG_CSV.replace(',5.00', ',5.x0').replace(',6.00', ',6.50');
    const bad = write('bad/sangong.csv', badText);
    const err = await refusal(e.ingest([bad]));
    expect(err.message).toContain('line 3');
    expect(err.message).toContain("'5.x0'");
    expect(err.message).toContain('amount');
    expect(err.message).toContain(bad);
    expect(err.line).toBe(3);
    expect(await snapshot(e)).toEqual(before);
    expect(before['n_sangong']).toBe(6);
  });

  it('an empty required cell is refused with its line', async () => {
    const text = SANGONG_CSV.replace(`${DEPT},${UNIT},unit,2021`, `${DEPT},${UNIT},unit,`);
    const file = write('sangong.csv', text);
    const e = await open('a.duckdb');
    const err = await refusal(e.ingest([file]));
    expect(err.message).toContain('line 5');
    expect(err.message).toContain('fiscal_year is empty');
    expect(await count(e, 'sangong')).toBe(0);
    expect(await count(e, 'documents')).toBe(0);
    expect(await count(e, 'ingested_files')).toBe(0);
  });

  it('a missing required column is refused, naming it', async () => {
    const text = SANGONG_CSV.split('\n')
      .map((line) =>
        line
          .split(',')
          .filter((_, i) => i !== 5)
          .join(','),
      )
      .join('\n');
    const file = write('sangong.csv', text);
    const e = await open('a.duckdb');
    const err = await refusal(e.ingest([file]));
    expect(err.message).toContain('missing column(s) category');
    expect(err.message).toContain('sangong');
    expect(await count(e, 'sangong')).toBe(0);
  });

  it('an unknown column is refused, naming it', async () => {
    const text = SANGONG_CSV.split('\n')
      .map((line, i) => `${line},${i === 0 ? 'remark' : 'x'}`)
      .join('\n');
    const file = write('sangong.csv', text);
    const e = await open('a.duckdb');
    const err = await refusal(e.ingest([file]));
    expect(err.message).toContain('unknown column(s) remark');
    expect(await count(e, 'sangong')).toBe(0);
  });

  it('a file that names no fact view is refused', async () => {
    const file = write('notes.csv', SANGONG_CSV);
    const e = await open('a.duckdb');
    const err = await refusal(e.ingest([file]));
    expect(err.message).toContain("'notes' is not a fact view");
    // --view names it
    const [r] = await e.ingest([file], { view: 'sangong' });
    expect(r?.rows).toEqual({ sangong: 6 });
    expect(await e.rows(`SELECT DISTINCT source_table FROM sangong`)).toEqual([{ source_table: 'notes.csv' }]);
  });
  // Regression (was a bug, fixed): engine/ingest/canonical.ts line 85 computes the document's doc_year as
  // Math.max(...rows.map(...)): spreading ~150,000 or more arguments overflows V8's stack, so a large canonical
  // file (no doc_id column) is refused with "RangeError: Maximum call stack size exceeded" and nothing loads.
  it('a large canonical file (200,000 rows) loads', async () => {
    const lines = [HEADER];
    for (let i = 0; i < 200_000; i++)
      lines.push(`${DEPT},U${i},unit,${2000 + (i % 22)},budget,reception,公务接待费,${i}.25`);
    const file = write('big/sangong.csv', lines.join('\n'));
    const e = await open('a.duckdb');
    const [r] = await e.ingest([file]);
    expect(r?.rows).toEqual({ sangong: 200_000 });
    expect(await e.rows('SELECT count(*)::INTEGER AS n, sum(amount) AS s, max(source_line) AS l FROM sangong')).toEqual(
      [{ n: 200_000, s: '19999950000', l: 200_001 }],
    );
    expect(await e.rows('SELECT doc_year FROM documents')).toEqual([{ doc_year: 2021 }]);
  }, 120_000);
});

describe('canonical XLSX', () => {
  async function workbook(file: string, rows: (string | number)[][], sheet = '三公经费'): Promise<string> {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet(sheet);
    ws.addRow(HEADER.split(','));
    for (const r of rows) ws.addRow(r);
    const p = path.join(tmp, file);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    await wb.xlsx.writeFile(p);
    return p;
  }

  const ROWS: (string | number)[][] = [
    [DEPT, DEPT, 'department', 2021, 'budget', 'reception', '公务接待费', 17.8],
    [DEPT, DEPT, 'department', 2021, 'budget', 'overseas_travel', '因公出国（境）费', 0],
    [DEPT, DEPT, 'department', 2020, 'budget', 'vehicle_operation', '公务用车运行维护费', 5],
    [DEPT, UNIT, 'unit', 2021, 'budget', 'vehicle_operation', '公务用车运行维护费', 1702.89],
  ];

  it('numeric cells load exactly; the view comes from the file name', async () => {
    const file = await workbook('x/sangong.xlsx', ROWS);
    const e = await open('a.duckdb');
    const [r] = await e.ingest([file]);
    expect(r?.status).toBe('loaded');
    expect(r?.rows).toEqual({ sangong: 4 });
    const rows = await e.rows(
      `SELECT unit, fiscal_year, vintage, category, amount, source_table, source_line FROM sangong ORDER BY source_line`,
    );
    expect(rows).toEqual([
      {
        unit: DEPT,
        fiscal_year: 2021,
        vintage: 2021,
        category: 'reception',
        amount: '17.8',
        source_table: 'sangong.xlsx',
        source_line: 2,
      },
      {
        unit: DEPT,
        fiscal_year: 2021,
        vintage: 2021,
        category: 'overseas_travel',
        amount: '0',
        source_table: 'sangong.xlsx',
        source_line: 3,
      },
      {
        unit: DEPT,
        fiscal_year: 2020,
        vintage: 2020,
        category: 'vehicle_operation',
        amount: '5',
        source_table: 'sangong.xlsx',
        source_line: 4,
      },
      {
        unit: UNIT,
        fiscal_year: 2021,
        vintage: 2021,
        category: 'vehicle_operation',
        amount: '1702.89',
        source_table: 'sangong.xlsx',
        source_line: 5,
      },
    ]);
    expect(await e.rows('SELECT format, doc_year, title, line_count FROM documents')).toEqual([
      { format: 'xlsx', doc_year: 2021, title: 'canonical sangong file sangong.xlsx', line_count: 5 },
    ]);
    const [again] = await e.ingest([file]);
    expect(again?.status).toBe('unchanged');
    expect(await count(e, 'sangong')).toBe(4);
  });

  it('a bad cell is refused with a message naming the sheet and row', async () => {
    const rows = ROWS.map((r) => [...r]);
    (rows[1] as (string | number)[])[7] = 'abc';
    const file = await workbook('bad.xlsx', rows);
    const e = await open('a.duckdb');
    const err = await refusal(e.ingest([file], { view: 'sangong' }));
    expect(err.message).toContain('sheet 三公经费 row 3');
    expect(err.message).toContain("amount 'abc' is not a number");
    expect(await count(e, 'sangong')).toBe(0);
    expect(await count(e, 'documents')).toBe(0);
    expect(await count(e, 'ingested_files')).toBe(0);
  });
});

/** Every fact view's rows, and the documents without their load time. */
async function facts(e: Engine): Promise<Record<string, Row[]>> {
  const out: Record<string, Row[]> = {};
  for (const v of FACT_VIEWS) out[v] = await e.rows(`SELECT * FROM ${v} ORDER BY ALL`);
  out['documents'] = await e.rows('SELECT * EXCLUDE (loaded_at) FROM documents ORDER BY ALL');
  return out;
}

function parquetUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.parquet'));
}

describe('export to Parquet and re-ingest', () => {
  it('writes Hive partitions by fiscal_year', async () => {
    const file = write('in/sangong.csv', SANGONG_CSV);
    const e = await open('a.duckdb');
    await e.ingest([file]);
    const out = path.join(tmp, 'out');
    const written = await e.exportParquet(out);
    expect(written).toContain(path.join(out, 'sangong'));
    expect(written).toContain(path.join(out, 'documents.parquet'));
    expect(written).toContain(path.join(out, 'reconciliation.parquet'));
    expect(parquetUnder(path.join(out, 'sangong', 'fiscal_year=2021')).length).toBeGreaterThanOrEqual(1);
    expect(parquetUnder(path.join(out, 'sangong', 'fiscal_year=2020')).length).toBeGreaterThanOrEqual(1);
    expect(fs.existsSync(path.join(out, 'sangong', 'fiscal_year=2019'))).toBe(false);
    // The partitions hold the exact DECIMAL rows.
    const back = await e.rows(
      `SELECT fiscal_year::INTEGER AS fiscal_year, amount, typeof(amount) AS t FROM read_parquet(?, hive_partitioning = true)
       WHERE category = 'vehicle_operation' ORDER BY ALL`,
      [path.join(out, 'sangong', '*', '*.parquet')],
    );
    expect(back).toEqual([
      { fiscal_year: 2020, amount: '5', t: 'DECIMAL(20,6)' },
      { fiscal_year: 2021, amount: '1702.89', t: 'DECIMAL(20,6)' },
    ]);
  });

  it('the export of canonical rows, registries aside, re-ingests into the same facts', async () => {
    const file = write('in/sangong.csv', SANGONG_CSV);
    const a = await open('a.duckdb');
    await a.ingest([file]);
    const out = path.join(tmp, 'out');
    await a.exportParquet(out);
    // reconciliation.parquet is empty for canonical-only data: see the regression test below.
    const files = parquetUnder(out)
      .filter((f) => f !== 'reconciliation.parquet')
      .map((f) => path.join(out, f));
    const b = await open('b.duckdb');
    const results = await b.ingest(files);
    expect(results.map((r) => r.status)).toEqual(files.map(() => 'loaded'));
    expect(await facts(b)).toEqual(await facts(a));
    expect(await count(b, 'sangong')).toBe(6);
  });

  // Regression (was a bug, fixed): exportParquet (engine/engine.ts line 91) writes reconciliation.parquet even when the view is empty, as it
  // is for a database holding only canonical files; readParquet (engine/ingest/canonical.ts line 280) then refuses it
  // ("Parquet file holds no rows"), so `engine.ingest([outDir])` / `budget ingest DIR` of the export throws
  // and the contract's "budget export output re-ingests" fails. (Same for an empty documents.parquet.)
  it('the whole export folder of canonical rows re-ingests into the same facts', async () => {
    const file = write('in/sangong.csv', SANGONG_CSV);
    const a = await open('a.duckdb');
    await a.ingest([file]);
    const out = path.join(tmp, 'out');
    await a.exportParquet(out);
    const b = await open('b.duckdb');
    await b.ingest([out]);
    expect(await facts(b)).toEqual(await facts(a));
    expect(await count(b, 'sangong')).toBe(6);
  });

  it('the bundled text document survives export and re-ingest with identical facts', async () => {
    const a = await open('a.duckdb');
    const [loaded] = await a.ingest([SEED]);
    expect(loaded?.status).toBe('loaded');
    const out = path.join(tmp, 'out');
    await a.exportParquet(out);
    for (const v of FACT_VIEWS.filter((x) => x !== 'reconciliation'))
      expect(parquetUnder(path.join(out, v)).length, v).toBeGreaterThanOrEqual(1);
    expect(parquetUnder(path.join(out, 'sangong', 'fiscal_year=2021'))).toHaveLength(1);

    const b = await open('b.duckdb');
    const results = await b.ingest([out]);
    expect(results.every((r) => r.status === 'loaded')).toBe(true);
    // registries first: documents before the facts that name them
    expect(path.basename(results[0]?.file ?? '')).toBe('documents.parquet');

    const fa = await facts(a);
    const fb = await facts(b);
    for (const v of [...FACT_VIEWS, 'documents']) {
      expect(fb[v]?.length, v).toBe(fa[v]?.length);
      expect(fb[v], v).toEqual(fa[v]);
    }
    // real figures made it across, exactly
    expect(fa['sangong']?.length).toBeGreaterThan(0);
    expect(fa['reconciliation']?.length).toBeGreaterThan(0);
    expect(fa['documents']).toHaveLength(1);
    const hot = await b.rows(
      `SELECT amount FROM sangong WHERE fiscal_year = 2021 AND unit_level = 'department' AND category = 'reception'`,
    );
    expect(hot).toEqual(
      await a.rows(
        `SELECT amount FROM sangong WHERE fiscal_year = 2021 AND unit_level = 'department' AND category = 'reception'`,
      ),
    );
    expect(hot.length).toBeGreaterThan(0);

    // re-ingesting the export again changes nothing
    const again = await b.ingest([out]);
    expect(again.every((r) => r.status === 'unchanged')).toBe(true);
    expect(await facts(b)).toEqual(fa);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Database } from '../engine/db/database.ts';
import { Engine, InputError } from '../engine/engine.ts';
import { SCHEMA_VERSION, SchemaError } from '../engine/schema/version.ts';

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'budget-test-'));
});
afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function refusal(p: Promise<unknown>): Promise<Error> {
  const err = await p.then(
    (v: unknown) => {
      if (v instanceof Engine) v.close();
      return undefined;
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Error);
  return err as Error;
}

async function meta(file: string): Promise<Record<string, unknown>[]> {
  const db = await Database.open(file);
  try {
    return await db.all("SELECT key, value FROM budget_meta WHERE key = 'schema_version' ORDER BY key");
  } finally {
    db.close();
  }
}

async function setVersion(file: string, v: string): Promise<void> {
  const db = await Database.open(file);
  try {
    expect(await db.run(`UPDATE budget_meta SET value = ? WHERE key = 'schema_version'`, [v])).toBe(1);
  } finally {
    db.close();
  }
}

const CSV = [
  'department,unit,unit_level,fiscal_year,stage,category,category_name,amount',
  'D,D,department,2021,budget,reception,公务接待费,17.80',
  'D,D,department,2021,budget,vehicle_operation,公务用车运行维护费,5.00',
].join('\n');

describe('schema version', () => {
  it('a fresh database stores schema_version = SCHEMA_VERSION', async () => {
    expect(Number.isInteger(SCHEMA_VERSION)).toBe(true);
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(1);
    const file = path.join(tmp, 'a.duckdb');
    const e = await Engine.open({ db: file });
    expect(await e.rows(`SELECT value FROM budget_meta WHERE key = 'schema_version'`)).toEqual([
      { value: String(SCHEMA_VERSION) },
    ]);
    e.close();
    expect(await meta(file)).toEqual([{ key: 'schema_version', value: String(SCHEMA_VERSION) }]);
  });

  it('reopening keeps the data and the version, read-write and read-only', async () => {
    const file = path.join(tmp, 'a.duckdb');
    const csv = path.join(tmp, 'sangong.csv');
    fs.writeFileSync(csv, CSV);
    const e = await Engine.open({ db: file });
    await e.ingest([csv]);
    e.close();

    const again = await Engine.open({ db: file });
    try {
      expect(await again.rows('SELECT category, amount FROM sangong ORDER BY ALL')).toEqual([
        { category: 'reception', amount: '17.8' },
        { category: 'vehicle_operation', amount: '5' },
      ]);
      expect(await again.rows("SELECT count(*)::INTEGER AS n FROM budget_meta WHERE key = 'schema_version'")).toEqual([
        { n: 1 },
      ]);
    } finally {
      again.close();
    }

    const ro = await Engine.open({ db: file, readOnly: true });
    try {
      expect(await ro.rows('SELECT sum(amount) AS s FROM sangong')).toEqual([{ s: '22.8' }]);
      const other = path.join(tmp, 'other', 'sangong.csv');
      fs.mkdirSync(path.dirname(other));
      fs.writeFileSync(other, CSV.replace('17.80', '18.00'));
      const err = await refusal(ro.ingest([other]));
      expect(err.message).toMatch(/read-?only|read only/i);
    } finally {
      ro.close();
    }
    expect(await meta(file)).toEqual([{ key: 'schema_version', value: String(SCHEMA_VERSION) }]);
  });

  it('a database from a newer engine is refused with both version numbers, and left untouched', async () => {
    const file = path.join(tmp, 'a.duckdb');
    (await Engine.open({ db: file })).close();
    const newer = SCHEMA_VERSION + 1;
    await setVersion(file, String(newer));

    const err = await refusal(Engine.open({ db: file }));
    expect(err).toBeInstanceOf(SchemaError);
    expect(err.message).toContain(`schema version ${newer}`);
    expect(err.message).toContain(`engine's ${SCHEMA_VERSION}`);
    expect(err.message).toContain(file);

    const errRo = await refusal(Engine.open({ db: file, readOnly: true }));
    expect(errRo).toBeInstanceOf(SchemaError);
    expect(errRo.message).toContain(`schema version ${newer}`);
    expect(errRo.message).toContain(String(SCHEMA_VERSION));

    // refused without writing, and the file is closed again (it can be reopened)
    expect(await meta(file)).toEqual([{ key: 'schema_version', value: String(newer) }]);
  });

  it('read-only open of a missing file is refused clearly and creates nothing', async () => {
    const file = path.join(tmp, 'missing', 'nope.duckdb');
    const err = await refusal(Engine.open({ db: file, readOnly: true }));
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toBe(`${file}: no such database: run budget ingest first`);
    expect(fs.existsSync(file)).toBe(false);
    expect(fs.existsSync(path.dirname(file))).toBe(false);
  });

  it('read-only open of a DuckDB file that holds no budget schema is refused', async () => {
    const file = path.join(tmp, 'plain.duckdb');
    const db = await Database.open(file);
    await db.exec('CREATE TABLE t (x INTEGER)');
    db.close();
    const err = await refusal(Engine.open({ db: file, readOnly: true }));
    expect(err).toBeInstanceOf(SchemaError);
    expect(err.message).toContain('has no budget schema');
  });
});

/** The fact views of CONTRACT.md §1, with the columns the contract names for each. */
const COMMON = [
  'doc_id',
  'department',
  'unit',
  'unit_level',
  'fiscal_year',
  'stage',
  'vintage',
  'derived',
  'source_table',
  'source_page',
  'source_line',
];
const CONTRACT: Record<string, string[]> = {
  documents: [
    'doc_id',
    'department',
    'doc_year',
    'stage',
    'title',
    'source_file',
    'sha256',
    'format',
    'loaded_at',
    'line_count',
  ],
  spending_by_function: [
    ...COMMON,
    'func_code',
    'func_name',
    'func_level',
    'func_parent_code',
    'total',
    'basic',
    'project',
  ],
  spending_by_economic: [...COMMON, 'spending_type', 'econ_code', 'econ_name', 'econ_level', 'amount'],
  revenue_by_source: [...COMMON, 'source', 'amount'],
  sangong: [...COMMON, 'category', 'category_name', 'amount'],
  procurement: [...COMMON, 'item_code', 'item_name', 'item_level', 'procurement_type', 'amount'],
  projects: [...COMMON, 'project', 'amount'],
  performance_targets: [...COMMON, 'project', 'level1', 'level2', 'indicator', 'target', 'target_value', 'target_unit'],
  budget_totals: [...COMMON, 'measure', 'amount'],
  unit_facts: [...COMMON, 'fact', 'value', 'measure_unit'],
  reconciliation: [
    'doc_id',
    'check_id',
    'scope',
    'expected',
    'actual',
    'difference',
    'severity',
    'source_lines',
    'message',
  ],
  classification_function: ['code', 'name', 'level', 'parent_code'],
  classification_economic: ['code', 'name', 'level', 'parent_code'],
  classification_procurement: ['code', 'name', 'level', 'parent_code', 'edition'],
};

/** Types the contract fixes (§1 conventions: money DECIMAL(20,6), never DOUBLE). */
const COMMON_TYPES: Record<string, string> = {
  doc_id: 'VARCHAR',
  department: 'VARCHAR',
  unit: 'VARCHAR',
  unit_level: 'VARCHAR',
  fiscal_year: 'INTEGER',
  stage: 'VARCHAR',
  vintage: 'INTEGER',
  derived: 'BOOLEAN',
  source_table: 'VARCHAR',
  source_page: 'INTEGER',
  source_line: 'INTEGER',
};
const MONEY: Record<string, string[]> = {
  spending_by_function: ['total', 'basic', 'project'],
  spending_by_economic: ['amount'],
  revenue_by_source: ['amount'],
  sangong: ['amount'],
  procurement: ['amount'],
  projects: ['amount'],
  budget_totals: ['amount'],
  reconciliation: ['expected', 'actual', 'difference'],
};

describe('contract bind check (CONTRACT.md §1)', () => {
  let e: Engine;
  let dir: string;
  let columns: Map<string, Map<string, string>>;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'budget-test-'));
    e = await Engine.open({ db: path.join(dir, 'c.duckdb') });
    const rows = await e.rows(
      `SELECT table_name, column_name, data_type FROM duckdb_columns()
       WHERE database_name = current_database() ORDER BY table_name, column_index`,
    );
    columns = new Map();
    for (const r of rows) {
      const t = String(r['table_name']);
      if (!columns.has(t)) columns.set(t, new Map());
      columns.get(t)?.set(String(r['column_name']), String(r['data_type']));
    }
  });
  afterAll(() => {
    e.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('every contract view is a view', async () => {
    const views = new Set(
      (await e.rows(`SELECT view_name FROM duckdb_views() WHERE NOT internal`)).map((r) => String(r['view_name'])),
    );
    for (const v of Object.keys(CONTRACT)) expect(views.has(v), v).toBe(true);
  });

  for (const [view, cols] of Object.entries(CONTRACT)) {
    it(`${view} has the contract's columns`, async () => {
      const have = columns.get(view);
      expect(have, view).toBeDefined();
      const missing = cols.filter((c) => !have?.has(c));
      expect(missing, `${view} lacks ${missing.join(', ')}`).toEqual([]);
      // and it binds: selecting exactly the contract columns works
      const rows = await e.rows(`SELECT ${cols.join(', ')} FROM ${view} LIMIT 0`);
      expect(rows).toEqual([]);
      for (const c of cols) {
        if (c in COMMON_TYPES && COMMON.includes(c) && cols.includes('source_line'))
          expect(have?.get(c), `${view}.${c}`).toBe(COMMON_TYPES[c]);
        if (MONEY[view]?.includes(c)) expect(have?.get(c), `${view}.${c}`).toBe('DECIMAL(20,6)');
      }
    });
  }

  it('a few contract types beyond the shared columns', () => {
    expect(columns.get('performance_targets')?.get('target_value')).toBe('DOUBLE');
    expect(columns.get('documents')?.get('doc_year')).toBe('INTEGER');
    expect(columns.get('documents')?.get('loaded_at')).toMatch(/^TIMESTAMP/);
    expect(columns.get('spending_by_function')?.get('func_level')).toBe('INTEGER');
    expect(columns.get('projects')?.get('project')).toBe('VARCHAR');
    expect(columns.get('classification_procurement')?.get('edition')).toBe('VARCHAR');
  });

  it('the classification views hold the engine code lists', async () => {
    const counts = await e.rows(
      `SELECT (SELECT count(*) FROM classification_function)::INTEGER AS f,
              (SELECT count(*) FROM classification_economic)::INTEGER AS e,
              (SELECT count(*) FROM classification_procurement)::INTEGER AS p`,
    );
    expect(Number(counts[0]?.['f'])).toBeGreaterThan(0);
    expect(Number(counts[0]?.['e'])).toBeGreaterThan(0);
    expect(Number(counts[0]?.['p'])).toBeGreaterThan(0);
    const wage = await e.rows(`SELECT name, level FROM classification_economic WHERE code = '30101'`);
    expect(wage).toEqual([{ name: '基本工资', level: 2 }]);
  });
});

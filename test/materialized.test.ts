import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { Engine } from '../engine/engine.ts';
import { buildDefault } from '../engine/cli/main.ts';
import { SEED, tempDir } from './helpers.ts';

const TOTAL_2021 = `SELECT spending_total::DECIMAL(20,2)::VARCHAR AS t FROM department_totals
  WHERE unit_level = 'department' AND fiscal_year = 2021`;
// The stored rows, named with the database's catalog (m.duckdb → m): out of date and read-only, a temp view of the
// same name stands in for the table.
const TABLE_2021 = TOTAL_2021.replace('FROM department_totals', 'FROM m.main._view_department_totals');

/** Change a fact behind the engine's back, as a load would, without refreshing the materialized tables. */
async function changeFact(db: string): Promise<void> {
  const instance = await DuckDBInstance.create(db);
  const c = await instance.connect();
  await c.run(`UPDATE fact_budget_totals SET amount = 8000 WHERE measure = 'spending_total'
    AND unit_level = 'department' AND fiscal_year = 2021`);
  await c.run(`UPDATE budget_meta SET value = (value::BIGINT + 1)::VARCHAR WHERE key = 'facts_version'`);
  c.closeSync();
  instance.closeSync();
}

describe('materialized analysis views', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('are tables rebuilt after a load; out of date and read-only, the definitions answer instead', async () => {
    const db = join(tmp.dir, 'm.duckdb');
    const engine = await Engine.open({ db });
    await engine.ingest([SEED]);
    expect(await engine.rows(TOTAL_2021)).toEqual([{ t: '7920.00' }]);
    expect(await engine.rows(TABLE_2021)).toEqual([{ t: '7920.00' }]);
    const tables = await engine.rows(
      `SELECT table_name AS t FROM duckdb_tables() WHERE table_name LIKE '\\_view\\_%' ESCAPE '\\' ORDER BY 1`,
    );
    expect(tables.map((r) => r['t'])).toEqual([
      '_view_composition',
      '_view_department_totals',
      '_view_procurement_mix',
      '_view_project_trend',
      '_view_sangong_trend',
      '_view_spending_growth',
    ]);
    engine.close();

    await changeFact(db);
    const reader = await Engine.open({ db, readOnly: true });
    try {
      // The stored rows still say 7920; the view answers from the facts as they are now.
      expect(await reader.rows(TABLE_2021)).toEqual([{ t: '7920.00' }]);
      expect(await reader.rows(TOTAL_2021)).toEqual([{ t: '8000.00' }]);
    } finally {
      reader.close();
    }

    // Opened for writing, the engine rebuilds the tables, and the view reads them again.
    const writer = await Engine.open({ db });
    try {
      expect(await writer.rows(TABLE_2021)).toEqual([{ t: '8000.00' }]);
      expect(await writer.rows(TOTAL_2021)).toEqual([{ t: '8000.00' }]);
      const [view] = await writer.rows(
        `SELECT sql, temporary FROM duckdb_views() WHERE view_name = 'department_totals'`,
      );
      expect(view?.['temporary']).toBe(false);
      expect(String(view?.['sql'])).toMatch(/SELECT \* FROM _view_department_totals/);
    } finally {
      writer.close();
    }
  });

  it('npm start (build-default) brings an existing database up to date before it is served read-only', async () => {
    const db = join(tmp.dir, 'served.duckdb');
    const engine = await Engine.open({ db });
    await engine.ingest([SEED]);
    engine.close();
    await changeFact(db);
    expect(await buildDefault(db)).toBe(0);
    const reader = await Engine.open({ db, readOnly: true });
    try {
      // The stored rows were rebuilt: the table itself now says 8000, and the view reads it.
      expect(await reader.rows(TABLE_2021.replace('m.main.', 'served.main.'))).toEqual([{ t: '8000.00' }]);
      expect(await reader.rows(TOTAL_2021)).toEqual([{ t: '8000.00' }]);
    } finally {
      reader.close();
    }
  });
});

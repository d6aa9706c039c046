/**
 * Stable department identity (datasets/departments/names.csv): one department printed under two names is one
 * series. 上海市普陀区人民政府万里街道办事处 is published by its district as 上海市普陀区万里街道办事处 (names.csv has
 * the alias); a researcher who typed its 2023 三公 table into a CSV under that short name must see it as the year
 * before the 2024 document, not as another department.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine, type RefreshResult } from '../engine/engine.ts';
import { projectRoot } from '../engine/paths.ts';
import { tempDir } from './helpers.ts';

const DOCS = join(projectRoot, 'datasets', 'documents');
const FULL = '上海市普陀区人民政府万里街道办事处';
const SHORT = '上海市普陀区万里街道办事处';

// The 2023 部门预算's 三公 table (p. 28, 2023年部门“三公”经费和机关运行经费预算表, 万元), typed under the short name.
const SANGONG_2023 = [
  'department,unit,unit_level,fiscal_year,stage,category,category_name,amount',
  `${SHORT},${SHORT},department,2023,budget,overseas_travel,因公出国（境）费,0`,
  `${SHORT},${SHORT},department,2023,budget,vehicle_purchase,公务用车购置费,0`,
  `${SHORT},${SHORT},department,2023,budget,vehicle_operation,公务用车运行维护费,21.56`,
  `${SHORT},${SHORT},department,2023,budget,reception,公务接待费,1.35`,
].join('\n');

describe('department_id: one department under two printed names', () => {
  const tmp = tempDir();
  let engine: Engine;
  const refreshes: RefreshResult[] = [];

  beforeAll(async () => {
    const csv = join(tmp.dir, 'sangong.csv');
    writeFileSync(csv, SANGONG_2023);
    engine = await Engine.open({ db: join(tmp.dir, 'd.duckdb') });
    await engine.ingest([csv, join(DOCS, '上海市普陀区财政局_2025_部门预算.pdf')]);
    // Then the 2024 document alone: its department is patched, which must take in the rows printed under the alias.
    await engine.ingest([join(DOCS, '上海市普陀区万里街道办事处_2024_部门预算.pdf')], {
      onRefresh: (r) => refreshes.push(r),
    });
  }, 120_000);

  afterAll(() => {
    engine?.close();
    tmp.cleanup();
  });

  it('the fact views give the alias its department_id and keep the printed name', async () => {
    const rows = await engine.rows(
      `SELECT DISTINCT department, department_id, unit_id FROM sangong WHERE department_id = ? ORDER BY department`,
      [FULL],
    );
    expect(rows).toEqual([
      { department: SHORT, department_id: FULL, unit_id: FULL },
      { department: FULL, department_id: FULL, unit_id: FULL },
    ]);
    const docs = await engine.rows(`SELECT department, department_id FROM documents ORDER BY doc_year, department`);
    expect(docs.map((d) => [d['department'], d['department_id']])).toContainEqual([SHORT, FULL]);
  });

  it('sangong_trend follows the department across its two names: 2024 against the 2023 table', async () => {
    // 2024 document p. 31: 公务接待费 1.35, 公务用车运行维护费 21.56, 公务用车购置费 25 (万元); 2023 p. 28 as typed above.
    const rows = await engine.rows(
      `SELECT category, amount::VARCHAR AS amount, prev_amount::VARCHAR AS prev, change::VARCHAR AS change, department
       FROM sangong_trend WHERE department_id = ? AND fiscal_year = 2024 ORDER BY category`,
      [FULL],
    );
    expect(rows).toEqual([
      { category: 'overseas_travel', amount: '0.000000', prev: '0.000000', change: '0.000000', department: FULL },
      { category: 'reception', amount: '1.350000', prev: '1.350000', change: '0.000000', department: FULL },
      { category: 'vehicle_operation', amount: '21.560000', prev: '21.560000', change: '0.000000', department: FULL },
      { category: 'vehicle_purchase', amount: '25.000000', prev: '0.000000', change: '25.000000', department: FULL },
    ]);
  });

  it('department_totals has one series for the id: 22.91 in 2023 (as typed, printed name kept), 47.91 in 2024', async () => {
    const rows = await engine.rows(
      `SELECT fiscal_year, department, sangong_total::VARCHAR AS sangong
       FROM department_totals WHERE department_id = ? AND unit_level = 'department' ORDER BY fiscal_year`,
      [FULL],
    );
    expect(rows).toEqual([
      { fiscal_year: 2023, department: SHORT, sangong: '22.910000' },
      { fiscal_year: 2024, department: FULL, sangong: '47.910000' },
    ]);
  });

  it("the 2024 load patched the id's rows, alias included, and every table equals its definition", async () => {
    expect(refreshes.map((r) => r.kind)).toEqual(['patched']);
    const names = await engine.rows(
      `SELECT replace(view_name, '_source', '') AS n FROM duckdb_views()
       WHERE view_name LIKE '\\_%\\_source' ESCAPE '\\' AND NOT temporary ORDER BY 1`,
    );
    expect(names.length).toBeGreaterThan(10);
    for (const r of names) {
      const n = String(r['n']);
      const [d] = await engine.rows(
        `SELECT (SELECT count(*) FROM (FROM ${n} EXCEPT ALL FROM ${n}_source))::INTEGER AS extra,
                (SELECT count(*) FROM (FROM ${n}_source EXCEPT ALL FROM ${n}))::INTEGER AS missing`,
      );
      expect(d, n).toEqual({ extra: 0, missing: 0 });
    }
  });

  it('department_lineage lists mergers and splits (none recorded among the bundled departments)', async () => {
    const cols = await engine.rows(`SELECT column_name AS c FROM (DESCRIBE department_lineage)`);
    expect(cols.map((c) => c['c'])).toEqual(['department_id', 'kind', 'year', 'related_id', 'source']);
  });
});

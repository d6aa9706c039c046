import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../engine/engine.ts';
import { columnValuesSql, parsePivot, pivotSql, type PivotSpec } from '../web/src/lib/pivot.ts';
import { seededEngine } from './helpers.ts';

/** The pivot cell's SQL, run the way the notebook runs it: the data cell as a CTE in front. */
async function pivot(e: Engine, data: string, spec: PivotSpec): Promise<Record<string, unknown>[]> {
  const cte = `WITH ${spec.data} AS (${data})\n`;
  const values = (await e.rows(cte + columnValuesSql(spec))).map((r) => String(r['c']));
  const q = pivotSql(spec, values);
  if ('error' in q) throw new Error(q.error);
  return e.rows(cte + q.sql);
}

describe('pivot cell: rows × columns with totals', () => {
  let e: Engine;
  beforeAll(async () => {
    e = await seededEngine();
  });
  afterAll(() => e?.close());

  it('function 类 × year of the bundled document: the 合计 row is the document total in each year', async () => {
    const spec = { data: 'by_class', rows: 'func_name', columns: 'fiscal_year', values: 'total' };
    const rows = await pivot(
      e,
      `SELECT func_name, fiscal_year, total FROM spending_growth
       WHERE unit_level = 'department' AND func_level = 1`,
      spec,
    );
    const last = rows.at(-1) as Record<string, unknown>;
    expect(last['func_name']).toBe('合计');
    // 2021 支出总计 of the document: 7,920 万元 (表1, 表3).
    expect(Number(last['2021'])).toBe(7920);
    expect(Object.keys(last).sort()).toEqual(['2020', '2021', 'func_name', '合计']);
    // Row totals are the sums of their cells; the corner is the sum of everything.
    for (const r of rows) expect(Number(r['合计'])).toBeCloseTo(Number(r['2020'] ?? 0) + Number(r['2021'] ?? 0), 6);
  });

  it('refuses a spec that names too few columns, and too many distinct column values', () => {
    expect(parsePivot('data: q1\nrows: a\ncolumns: a\nvalues: b')).toEqual({
      error: 'pivot: rows, columns and values must be three different columns',
    });
    expect('error' in parsePivot('data: q1\nrows: a')).toBe(true);
    const spec = { data: 'q', rows: 'a', columns: 'b', values: 'c' };
    expect(
      pivotSql(
        spec,
        Array.from({ length: 61 }, (_, i) => String(i)),
      ),
    ).toMatchObject({
      error: expect.stringMatching(/more than the 60 columns/),
    });
  });

  it('a column value with a quote in it is a literal, never SQL', async () => {
    const spec = { data: 'd', rows: 'r', columns: 'c', values: 'v' };
    const rows = await pivot(e, `SELECT 'x' AS r, 'it''s' AS c, 1.50::DECIMAL(20,6) AS v`, spec);
    expect(rows[0]?.["it's"]).toBe('1.5');
  });
});

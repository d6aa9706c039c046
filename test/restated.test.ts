/**
 * The restated view and real terms.
 *
 * - A constructed department (labelled so; its figures are set here and worked out by hand below) printed 2017
 *   under the old 医疗 codes (21005 医疗保障 / 2100501 / 2100502) and 2019 under the new (21011 行政事业单位医疗):
 *   restated, the 2017 figures stand under the 2019 codes, with the 款 totals moved, and the series are flagged
 *   where they cross the crosswalk's unverified 2018 row or the rename of 类 210.
 * - The bundled 万里街道 2023–2024 documents: no change between them, so restated = printed.
 * - real_amount against the CPI of the 国家统计局 公报 (datasets/deflators/china-cpi.csv).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../engine/engine.ts';
import { projectRoot } from '../engine/paths.ts';
import { tempDir } from './helpers.ts';

const DEPT = '（构造）医疗编码测试局';
const ROWS: [number, string, string, number, number][] = [
  // fiscal_year, code, name, level, total (万元)
  [2017, '210', '医疗卫生与计划生育支出', 1, 100],
  [2017, '21001', '医疗卫生与计划生育管理事务', 2, 40],
  [2017, '2100101', '行政运行', 3, 40],
  [2017, '21005', '医疗保障', 2, 60],
  [2017, '2100501', '行政单位医疗', 3, 40],
  [2017, '2100502', '事业单位医疗', 3, 15],
  [2017, '2100599', '其他医疗保障支出', 3, 5],
  [2019, '210', '卫生健康支出', 1, 120],
  [2019, '21001', '卫生健康管理事务', 2, 50],
  [2019, '2100101', '行政运行', 3, 50],
  [2019, '21011', '行政事业单位医疗', 2, 70],
  [2019, '2101101', '行政单位医疗', 3, 50],
  [2019, '2101102', '事业单位医疗', 3, 20],
];
const CSV = [
  'department,unit,unit_level,fiscal_year,stage,func_code,func_name,func_level,total,basic,project',
  ...ROWS.map(
    ([y, code, name, level, total]) =>
      `${DEPT},${DEPT},department,${y},budget,${code},${name},${level},${total},${total},0`,
  ),
].join('\n');
const WANLI = '上海市普陀区人民政府万里街道办事处';

describe('restated: function series in the latest classification edition', () => {
  const tmp = tempDir();
  let engine: Engine;

  beforeAll(async () => {
    const csv = join(tmp.dir, 'spending_by_function.csv');
    writeFileSync(csv, CSV);
    engine = await Engine.open({ db: join(tmp.dir, 'r.duckdb') });
    const docs = join(projectRoot, 'datasets', 'documents');
    await engine.ingest([
      csv,
      join(docs, '上海市普陀区万里街道办事处_2023_部门预算.pdf'),
      join(docs, '上海市普陀区万里街道办事处_2024_部门预算.pdf'),
    ]);
  }, 120_000);

  afterAll(() => {
    engine?.close();
    tmp.cleanup();
  });

  const series = async (where: string) =>
    (
      await engine.rows(
        `SELECT fiscal_year AS y, func_code AS code, func_name AS name, total::VARCHAR AS total,
                printed_total::VARCHAR AS printed, restated_by, crosses_change AS crosses, change_note
         FROM restated WHERE department_id = ? AND ${where} ORDER BY func_code, fiscal_year`,
        [DEPT],
      )
    ).map((r) => ({ ...r }));

  it('moves the 2017 amounts printed under 2100501 / 2100502 to 2101101 / 2101102, and out of 款 21005 into 21011', async () => {
    const rows = await series(`func_code IN ('21005', '21011', '2101101', '2101102', '2100599')`);
    expect(rows.map((r) => [r['y'], r['code'], r['total'], r['printed'], r['restated_by']])).toEqual([
      // 21005 keeps only its 其他医疗保障支出: 60 - 40 - 15 = 5
      [2017, '21005', '5.000000', '60.000000', '2100501→2101101, 2100502→2101102'],
      [2017, '2100599', '5.000000', '5.000000', null],
      // 21011 did not exist in 2017: created from the two moved 项, 40 + 15 = 55
      [2017, '21011', '55.000000', null, '2100501→2101101, 2100502→2101102'],
      [2019, '21011', '70.000000', '70.000000', null],
      [2017, '2101101', '40.000000', null, '2100501→2101101'],
      [2019, '2101101', '50.000000', '50.000000', null],
      [2017, '2101102', '15.000000', null, '2100502→2101102'],
      [2019, '2101102', '20.000000', '20.000000', null],
    ]);
    const created = rows.find((r) => r['code'] === '21011' && r['y'] === 2017);
    expect(created?.['name']).toBe('行政事业单位医疗');
  });

  it('the 类 total is not moved (both codes are in 210), and 类 + 款 + 项 still add up in 2017', async () => {
    const rows = await series(`fiscal_year = 2017`);
    const total = (code: string) => Number(rows.find((r) => r['code'] === code)?.['total']);
    expect(total('210')).toBe(100);
    expect(total('21001') + total('21005') + total('21011')).toBe(100);
    expect(total('2101101') + total('2101102') + total('2100599')).toBe(total('21005') + total('21011'));
  });

  it('flags the series that cross the unverified 2018 move, and 类 210 renamed between 2017 and 2019', async () => {
    const rows = await series(`fiscal_year = 2019`);
    const note = (code: string) => rows.find((r) => r['code'] === code);
    expect(note('2101101')?.['crosses']).toBe(true);
    expect(note('2101101')?.['change_note']).toBe('2018 2100501→2101101 (mapped, unverified)');
    expect(note('21011')?.['crosses']).toBe(true);
    expect(note('210')?.['change_note']).toContain(
      '医疗卫生与计划生育支出 → 卫生健康支出 (renamed, not in the crosswalk)',
    );
    // 2100101 行政运行 kept its code and name: nothing crossed.
    expect(note('2100101')?.['crosses']).toBe(false);
  });

  it('the 万里街道 documents of 2023 and 2024 cross no change: restated = printed, 类 totals as the documents print them', async () => {
    const rows = await engine.rows(
      `SELECT fiscal_year, sum(total)::VARCHAR AS total, bool_or(restated) AS restated, bool_or(crosses_change) AS crosses
       FROM restated WHERE department_id = ? AND unit_level = 'department' AND func_level = 1 AND stage = 'budget'
       GROUP BY fiscal_year ORDER BY fiscal_year`,
      [WANLI],
    );
    // 支出总计 of the two documents: 164,978,640 元 (2023) and 156,211,123 元 (2024).
    expect(rows).toEqual([
      { fiscal_year: 2023, total: '16497.864000', restated: false, crosses: false },
      { fiscal_year: 2024, total: '15621.112300', restated: false, crosses: false },
    ]);
  });

  it('real_amount: 2023 万元 in 2025 prices with the 公报 CPI (2024 +0.2%, 2025 0.0%)', async () => {
    const [r] = await engine.rows(
      `SELECT real_amount(16497.864, 2023, 2025)::VARCHAR AS a, real_amount(100, 2021, 2024)::VARCHAR AS b,
              real_amount(100, 2026, 2025) AS none`,
    );
    // 16,497.864 × 1.002 × 1.000 = 16,530.859728; 100 × 1.020 × 1.002 × 1.002 = 102.408408
    expect(r).toEqual({ a: '16530.859728', b: '102.408408', none: null });
    const [src] = await engine.rows(`SELECT source FROM deflator WHERE year = 2024`);
    expect(String(src?.['source'])).toContain('国家统计局');
  });
});

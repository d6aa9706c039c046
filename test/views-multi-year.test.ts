import { refreshMaterialized } from '../engine/schema/materialize.ts';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../engine/engine.ts';
import { projectRoot } from '../engine/paths.ts';
import { value } from './helpers.ts';

/** A query's rows as arrays of values, in the SELECT's column order (DECIMAL as exact strings). */
async function tuples(e: Engine, sql: string, params?: (string | number)[]): Promise<unknown[][]> {
  return (await e.rows(sql, params)).map((r) => Object.values(r));
}

// Five budgets (2019–2023) of one fictional department, as canonical files: see test/fixtures/multi-year/README.md.
const FIXTURE = join(projectRoot, 'test', 'fixtures', 'multi-year');
const DEMO = '示例区测试局';

describe('several documents of one department over 2019–2023 give continuous series', () => {
  let e: Engine;
  beforeAll(async () => {
    e = await Engine.open({ db: ':memory:' });
    await e.ingest([FIXTURE]);
    // The fixture's renumbering is fictional, so it is not in datasets/: add it here.
    await e.db.exec(
      `INSERT INTO code_crosswalk (old_code, new_code, from_year, note) VALUES ('2010397', '2010398', 2022, 'fixture only: fictional renumbering')`,
    );
    // A crosswalk changed by hand: the materialized tables catch up.
    await refreshMaterialized(e.db);
  });
  afterAll(() => e.close());

  it('loads five documents of one department', async () => {
    expect(await tuples(e, `SELECT doc_id, doc_year FROM documents ORDER BY doc_year`)).toEqual([
      ['demo-2019', 2019],
      ['demo-2020', 2020],
      ['demo-2021', 2021],
      ['demo-2022', 2022],
      ['demo-2023', 2023],
    ]);
  });

  it('every analysis view has every year 2019–2023', async () => {
    for (const view of [
      'spending_growth',
      'department_totals',
      'composition',
      'sangong_trend',
      'procurement_mix',
      'project_trend',
    ]) {
      const years = await value(
        e,
        `SELECT list(DISTINCT fiscal_year ORDER BY fiscal_year)::VARCHAR FROM ${view} WHERE department = ? AND fiscal_year BETWEEN 2019 AND 2023`,
        [DEMO],
      );
      expect(years, view).toBe('[2019, 2020, 2021, 2022, 2023]');
    }
  });

  it("spending_growth 201: each year's own document wins over a later restatement (2020: 1100, not 1080); 2018 from the 2019 document", async () => {
    expect(
      await tuples(
        e,
        `SELECT fiscal_year, total, prev_total, change, pct_change FROM spending_growth WHERE func_code = '201' ORDER BY fiscal_year`,
      ),
    ).toEqual([
      [2018, '950', null, null, null],
      [2019, '1000', '950', '50', 0.0526],
      [2020, '1100', '1000', '100', 0.1],
      [2021, '1210', '1100', '110', 0.1],
      [2022, '1300', '1210', '90', 0.0744],
      [2023, '1450', '1300', '150', 0.1154],
    ]);
  });

  it('spending_growth 210: the 2022 gap is filled by the 2023 document (derived 65)', async () => {
    expect(
      await tuples(
        e,
        `SELECT fiscal_year, total, prev_total, change FROM spending_growth WHERE func_code = '210' ORDER BY fiscal_year`,
      ),
    ).toEqual([
      [2018, '45', null, null],
      [2019, '50', '45', '5'],
      [2020, '55', '50', '5'],
      [2021, '60', '55', '5'],
      [2022, '65', '60', '5'],
      [2023, '70', '65', '5'],
    ]);
    expect(
      await tuples(
        e,
        `SELECT doc_id, vintage, derived FROM _best_spending_by_function WHERE func_code = '210' AND fiscal_year = 2022`,
      ),
    ).toEqual([['demo-2023', 2023, true]]);
  });

  it('a renamed code (20805) is one series under its latest name', async () => {
    expect(
      await tuples(
        e,
        `SELECT fiscal_year, func_name, total, prev_total FROM spending_growth WHERE func_code = '20805' ORDER BY fiscal_year`,
      ),
    ).toEqual([
      [2019, '行政事业单位养老支出', '100', null],
      [2020, '行政事业单位养老支出', '110', '100'],
      [2021, '行政事业单位养老支出', '120', '110'],
      [2022, '行政事业单位养老支出', '130', '120'],
      [2023, '行政事业单位养老支出', '140', '130'],
    ]);
  });

  it('a renumbered code (2010397 → 2010398 from 2022) is one series under the new code and name', async () => {
    expect(
      await tuples(
        e,
        `SELECT func_code, func_name, func_level, fiscal_year, total, prev_total, change, pct_change FROM spending_growth WHERE func_code IN ('2010397', '2010398') ORDER BY fiscal_year`,
      ),
    ).toEqual([
      ['2010398', '数据治理', 3, 2019, '400', null, null, null],
      ['2010398', '数据治理', 3, 2020, '450', '400', '50', 0.125],
      // The 2022 document restates 2021 as 505 under the new code; the 2021 document's 510 wins.
      ['2010398', '数据治理', 3, 2021, '510', '450', '60', 0.1333],
      ['2010398', '数据治理', 3, 2022, '580', '510', '70', 0.1373],
      ['2010398', '数据治理', 3, 2023, '700', '580', '120', 0.2069],
    ]);
  });

  it('department_totals: 2018–2023 with per-staff measures; 2020 from its own document (1265, not 1245)', async () => {
    expect(
      await tuples(
        e,
        `SELECT fiscal_year, stage, revenue_total, spending_total, basic_total, project_total, sangong_total, procurement_total,
                staff_actual, spending_per_staff, sangong_per_staff
         FROM department_totals ORDER BY fiscal_year`,
      ),
    ).toEqual([
      // 2018: only the 2019 document's derived total, and 三公 as the sum of its categories.
      [2018, 'budget', null, '1090', null, null, '13', null, null, null, null],
      [2019, 'budget', '1150', '1150', '700', '450', '12', '100', '20', '57.5', '0.6'],
      [2020, 'budget', '1265', '1265', '760', '505', '11', '115', '21', '60.238095', '0.52381'],
      [2021, 'budget', '1390', '1390', '820', '570', '30.5', '130', '22', '63.181818', '1.386364'],
      [2022, 'budget', '1495', '1495', '850', '645', '9.5', '140', '22', '67.954545', '0.431818'],
      [2023, 'budget', '1660', '1660', '900', '760', '9', '200', '25', '66.4', '0.36'],
    ]);
  });

  it('sangong_trend: 公务用车运行维护费 2018–2023 (2020: 8 from its own document, not 7.5); a purchase from 0 has no pct_change', async () => {
    expect(
      await tuples(
        e,
        `SELECT category, fiscal_year, amount, prev_amount, change, pct_change, share_of_total FROM sangong_trend
         WHERE category IN ('vehicle_operation', 'vehicle_purchase') ORDER BY category, fiscal_year`,
      ),
    ).toEqual([
      ['vehicle_operation', 2018, '9.5', null, null, null, 0.7308],
      ['vehicle_operation', 2019, '9', '9.5', '-0.5', -0.0526, 0.75],
      ['vehicle_operation', 2020, '8', '9', '-1', -0.1111, 0.7273],
      ['vehicle_operation', 2021, '8', '8', '0', 0, 0.2623],
      ['vehicle_operation', 2022, '7.5', '8', '-0.5', -0.0625, 0.7895],
      ['vehicle_operation', 2023, '7', '7.5', '-0.5', -0.0667, 0.7778],
      ['vehicle_purchase', 2018, '0', null, null, null, 0],
      ['vehicle_purchase', 2019, '0', '0', '0', null, 0],
      ['vehicle_purchase', 2020, '0', '0', '0', null, 0],
      ['vehicle_purchase', 2021, '20', '0', '20', null, 0.6557],
      ['vehicle_purchase', 2022, '0', '20', '-20', -1, 0],
      ['vehicle_purchase', 2023, '0', '0', '0', null, 0],
    ]);
  });

  it('procurement_mix: services share by year', async () => {
    expect(
      await tuples(
        e,
        `SELECT fiscal_year, amount, share FROM procurement_mix WHERE procurement_type = 'services' ORDER BY fiscal_year`,
      ),
    ).toEqual([
      [2019, '80', 0.8],
      [2020, '90', 0.7826],
      [2021, '100', 0.7692],
      [2022, '120', 0.8571],
      [2023, '160', 0.8],
    ]);
  });

  it('project_trend: budget against the previous budget (2020: 120, not 125), actual against actual; the first budget against an actual', async () => {
    expect(
      await tuples(
        e,
        `SELECT stage, fiscal_year, amount, prev_amount, change, pct_change, prev_stage FROM project_trend
         WHERE project = '示例平台运维' ORDER BY stage, fiscal_year`,
      ),
    ).toEqual([
      ['actual', 2017, '70', null, null, null, null],
      ['actual', 2018, '78', '70', '8', 0.1143, 'actual'],
      ['actual', 2019, '95', '78', '17', 0.2179, 'actual'],
      ['actual', 2020, '118', '95', '23', 0.2421, 'actual'],
      ['actual', 2021, '149', '118', '31', 0.2627, 'actual'],
      ['budget', 2018, '80', '70', '10', 0.1429, 'actual'],
      ['budget', 2019, '100', '80', '20', 0.25, 'budget'],
      ['budget', 2020, '120', '100', '20', 0.2, 'budget'],
      ['budget', 2021, '150', '120', '30', 0.25, 'budget'],
      ['budget', 2022, '160', '150', '10', 0.0667, 'budget'],
      ['budget', 2023, '200', '160', '40', 0.25, 'budget'],
    ]);
  });

  it('composition 2022: the renumbered 项 under its 款, 210 from the later document in the whole', async () => {
    expect(
      await tuples(
        e,
        `SELECT code, name, amount, parent_amount, share FROM composition
         WHERE dimension = 'function' AND fiscal_year = 2022 ORDER BY code`,
      ),
    ).toEqual([
      ['201', '一般公共服务支出', '1300', '1495', 0.8696],
      ['20103', '政府办公厅（室）及相关机构事务', '1300', '1300', 1],
      ['2010301', '行政运行', '720', '1300', 0.5538],
      ['2010398', '数据治理', '580', '1300', 0.4462],
      ['208', '社会保障和就业支出', '130', '1495', 0.087],
      ['20805', '行政事业单位养老支出', '130', '130', 1],
      ['210', '卫生健康支出', '65', '1495', 0.0435],
    ]);
  });
});

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshMaterialized } from '../engine/schema/materialize.ts';
import { Engine } from '../engine/engine.ts';
import { BENJI, BIGDATA, DEPT, SEED, seededEngine, tempDir, value } from './helpers.ts';
import { sqlHeaders } from './views-doc.ts';

// The analysis views of sql/ (CONTRACT.md §1 "Analysis views"), tested the way DuckDB tests itself:
// tiny inline fixtures, the exact expected rows, an explicit ORDER BY in every checked query.

/** The contract's columns of each analysis view, in order; views may add columns after them. */
const CONTRACT: Record<string, string[]> = {
  spending_growth: [
    'department',
    'unit',
    'unit_level',
    'func_code',
    'func_name',
    'func_level',
    'fiscal_year',
    'total',
    'prev_total',
    'change',
    'pct_change',
  ],
  department_totals: [
    'department',
    'unit',
    'unit_level',
    'fiscal_year',
    'stage',
    'revenue_total',
    'spending_total',
    'basic_total',
    'project_total',
    'sangong_total',
    'procurement_total',
    'staff_actual',
  ],
  composition: [
    'department',
    'unit',
    'unit_level',
    'fiscal_year',
    'stage',
    'dimension',
    'code',
    'name',
    'amount',
    'parent_amount',
    'share',
  ],
  sangong_trend: [
    'department',
    'unit',
    'unit_level',
    'fiscal_year',
    'category',
    'amount',
    'prev_amount',
    'change',
    'pct_change',
    'share_of_total',
  ],
  procurement_mix: ['department', 'unit', 'unit_level', 'fiscal_year', 'procurement_type', 'amount', 'share'],
  project_trend: [
    'department',
    'unit',
    'project',
    'fiscal_year',
    'stage',
    'amount',
    'prev_amount',
    'change',
    'pct_change',
  ],
};
const MACROS = ['cagr', 'func_class', 'share', 'vintage_priority', 'yoy'];
const MONEY = /^(amount|total|change|prev_total|prev_amount|parent_amount|\w+_total|\w+_per_staff)$/;
const FRACTION = /^(pct_change|share|share_of_total)$/;

const views = () => sqlHeaders().flatMap((h) => h.objects.filter((o) => o.kind === 'VIEW').map((o) => o.name));

/** A query's rows as arrays of values, in the SELECT's column order (DECIMAL as exact strings). */
async function tuples(e: Engine, sql: string, params?: (string | number)[]): Promise<unknown[][]> {
  return (await e.rows(sql, params)).map((r) => Object.values(r));
}

/** Append rows to a fact table from SQL literals: the fixture is the test's own text, never user input. */
async function load(e: Engine, view: string, columns: string, rows: string[]): Promise<void> {
  await e.db.exec(`INSERT INTO fact_${view} BY NAME SELECT * FROM (VALUES ${rows.join(',\n')}) AS t(${columns})`);
  // Facts written behind the load path's back: bring the materialized tables up to date by hand.
  await refreshMaterialized(e.db);
}

describe('bind check: every view and macro of sql/ on an empty schema', () => {
  let e: Engine;
  beforeAll(async () => {
    e = await Engine.open({ db: ':memory:' });
  });
  afterAll(() => e.close());

  it('sql/ creates the six contract views, one view per file, and the macros', async () => {
    expect(Object.keys(CONTRACT).every((v) => views().includes(v))).toBe(true);
    for (const h of sqlHeaders())
      expect(h.objects.filter((o) => o.kind === 'VIEW').length, h.file).toBeLessThanOrEqual(1);
    const macros = await e.rows(
      `SELECT DISTINCT function_name AS f FROM duckdb_functions() WHERE function_type = 'macro' AND function_name IN (${MACROS.map((m) => `'${m}'`).join(', ')}) ORDER BY f`,
    );
    expect(macros.map((m) => m['f'])).toEqual(MACROS);
  });

  it('every view binds (EXPLAIN) and is empty', async () => {
    for (const v of views()) {
      await expect(e.rows(`EXPLAIN SELECT * FROM ${v}`), v).resolves.toBeDefined();
      expect(await e.rows(`SELECT * FROM ${v} LIMIT 0`), v).toEqual([]);
      expect(await value(e, `SELECT count(*)::INTEGER FROM ${v}`), v).toBe(0);
    }
  });

  it("the contract views have the contract's columns, in order; money DECIMAL(20,6), fractions DOUBLE", async () => {
    for (const [view, columns] of Object.entries(CONTRACT)) {
      const described = await e.rows(`SELECT column_name AS c, column_type AS t FROM (DESCRIBE ${view})`);
      expect(
        described.slice(0, columns.length).map((d) => d['c']),
        view,
      ).toEqual(columns);
      for (const d of described) {
        const name = String(d['c']);
        if (MONEY.test(name) && !FRACTION.test(name)) expect(d['t'], `${view}.${name}`).toBe('DECIMAL(20,6)');
        if (FRACTION.test(name)) expect(d['t'], `${view}.${name}`).toBe('DOUBLE');
      }
    }
  });

  it('the crosswalk CSV is loaded into code_crosswalk', async () => {
    expect(await tuples(e, `SELECT old_code, new_code, from_year FROM code_crosswalk ORDER BY old_code`)).toEqual([
      ['2100501', '2101101', 2018],
      ['2100502', '2101102', 2018],
      ['2100503', '2101103', 2018],
    ]);
  });
});

describe('a database opened read-only gets the views as TEMP views', () => {
  it('budget query sees spending_growth and the crosswalk in a read-only database', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const path = join(dir, 'ro.duckdb');
      const w = await Engine.open({ db: path });
      await w.ingest([SEED]);
      w.close();
      const r = await Engine.open({ db: path, readOnly: true });
      try {
        expect(
          await r.rows(
            `SELECT fiscal_year, total, prev_total FROM spending_growth WHERE unit = ? AND func_code = '201' ORDER BY fiscal_year`,
            [BIGDATA],
          ),
        ).toEqual([
          { fiscal_year: 2020, total: '2829', prev_total: null },
          { fiscal_year: 2021, total: '3690', prev_total: '2829' },
        ]);
        expect(await value(r, `SELECT count(*)::INTEGER FROM code_crosswalk`)).toBe(3);
      } finally {
        r.close();
      }
    } finally {
      cleanup();
    }
  });
});

describe('macros', () => {
  let e: Engine;
  beforeAll(async () => {
    e = await Engine.open({ db: ':memory:' });
  });
  afterAll(() => e.close());

  it('yoy, cagr, share, func_class', async () => {
    const [r] = await e.rows(`SELECT
        yoy(125, 100) AS up, yoy(75, 100) AS down, yoy(5, 0) AS from_zero, yoy(5, NULL) AS unknown,
        round(yoy(7920::DECIMAL(20,6), 6928::DECIMAL(20,6)), 4) AS dec,
        round(cagr(100, 121, 2), 4) AS cagr, cagr(0, 121, 2) AS cagr_zero, cagr(100, 121, 0) AS cagr_no_years,
        share(1, 4) AS share, share(1, 0) AS share_zero,
        func_class('2010301') AS class3, func_class('20103') AS class2, func_class(NULL) AS class_null`);
    expect(r).toEqual({
      up: 0.25,
      down: -0.25,
      from_zero: null,
      unknown: null,
      dec: 0.1432,
      cagr: 0.1,
      cagr_zero: null,
      cagr_no_years: null,
      share: 0.25,
      share_zero: null,
      class3: '201',
      class2: '201',
      class_null: null,
    });
  });
});

describe('the vintage rule, on inline documents', () => {
  let e: Engine;
  beforeAll(async () => {
    e = await Engine.open({ db: ':memory:' });
  });
  afterAll(() => e.close());

  it("own year's document wins (even derived); else the latest vintage; printed beats derived at equal vintage; stages apart", async () => {
    await load(
      e,
      'budget_totals',
      'doc_id, department, unit, unit_level, fiscal_year, stage, vintage, derived, measure, amount',
      [
        `('d2017', '甲局', '甲局', 'department', 2017, 'budget', 2017, true, 'spending_total', 60)`,
        `('d2021', '甲局', '甲局', 'department', 2017, 'budget', 2021, false, 'spending_total', 65)`,
        `('d2021', '甲局', '甲局', 'department', 2018, 'budget', 2021, true, 'spending_total', 70)`,
        `('d2021b', '甲局', '甲局', 'department', 2018, 'budget', 2021, false, 'spending_total', 75)`,
        `('d2021', '甲局', '甲局', 'department', 2019, 'budget', 2021, true, 'spending_total', 80)`,
        `('d2022', '甲局', '甲局', 'department', 2019, 'budget', 2022, false, 'spending_total', 85)`,
        `('d2020', '甲局', '甲局', 'department', 2020, 'budget', 2020, false, 'spending_total', 100)`,
        `('d2021', '甲局', '甲局', 'department', 2020, 'budget', 2021, true, 'spending_total', 90)`,
        `('d2022', '甲局', '甲局', 'department', 2020, 'budget', 2022, false, 'spending_total', 95)`,
        `('d2021', '甲局', '甲局', 'department', 2021, 'budget', 2021, false, 'spending_total', 110)`,
        `('d2022', '甲局', '甲局', 'department', 2021, 'final', 2022, false, 'spending_total', 108)`,
      ],
    );
    expect(
      await tuples(
        e,
        `SELECT fiscal_year, stage, amount, doc_id, derived FROM _best_budget_totals ORDER BY fiscal_year, stage`,
      ),
    ).toEqual([
      [2017, 'budget', '60', 'd2017', true],
      [2018, 'budget', '75', 'd2021b', false],
      [2019, 'budget', '85', 'd2022', false],
      [2020, 'budget', '100', 'd2020', false],
      [2021, 'budget', '110', 'd2021', false],
      [2021, 'final', '108', 'd2022', false],
    ]);
    expect(
      await tuples(e, `SELECT fiscal_year, stage, spending_total FROM department_totals ORDER BY fiscal_year, stage`),
    ).toEqual([
      [2017, 'budget', '60'],
      [2018, 'budget', '75'],
      [2019, 'budget', '85'],
      [2020, 'budget', '100'],
      [2021, 'budget', '110'],
      [2021, 'final', '108'],
    ]);
  });
});

describe('classification changes: renamed and renumbered function codes, on inline documents', () => {
  let e: Engine;
  beforeAll(async () => {
    e = await Engine.open({ db: ':memory:' });
    // Fictional codes 9990101 + 9990102 merged into 9990199 from 2020; 2100501 → 2101101 (2018) is the shipped CSV's.
    await e.db.exec(
      `INSERT INTO code_crosswalk (old_code, new_code, from_year, note) VALUES ('9990101', '9990199', 2020, 'test'), ('9990102', '9990199', 2020, 'test')`,
    );
    const cols =
      'doc_id, department, unit, unit_level, fiscal_year, stage, vintage, derived, func_code, func_name, func_level, total, basic, project';
    await load(e, 'spending_by_function', cols, [
      `('d2017', '乙局', '乙局', 'department', 2017, 'budget', 2017, false, '2100501', '行政单位医疗（旧）', 3, 10, 10, 0)`,
      `('d2018', '乙局', '乙局', 'department', 2017, 'budget', 2018, false, '2101101', '行政单位医疗', 3, 11, NULL, NULL)`,
      `('d2018', '乙局', '乙局', 'department', 2018, 'budget', 2018, false, '2101101', '行政单位医疗', 3, 12, 12, 0)`,
      `('d2020', '乙局', '乙局', 'department', 2020, 'budget', 2020, false, '2101101', '行政单位医疗', 3, 15, 15, 0)`,
      `('d2019', '乙局', '乙局', 'department', 2019, 'budget', 2019, false, '9990101', '甲项', 3, 3, 3, 0)`,
      `('d2019', '乙局', '乙局', 'department', 2019, 'budget', 2019, false, '9990102', '乙项', 3, 4, NULL, NULL)`,
      `('d2020', '乙局', '乙局', 'department', 2020, 'budget', 2020, false, '9990199', '合并项', 3, 9, 9, 0)`,
      `('d2021', '乙局', '乙局', 'department', 2021, 'budget', 2021, false, '9990101', '新用途', 3, 2, 2, 0)`,
    ]);
  });
  afterAll(() => e.close());

  it('old codes of documents older than from_year count under the new code; merged codes add up in their document', async () => {
    expect(
      await tuples(
        e,
        `SELECT func_code, fiscal_year, total, basic, printed_code, doc_id FROM _best_spending_by_function ORDER BY func_code, fiscal_year`,
      ),
    ).toEqual([
      ['2101101', 2017, '10', '10', '2100501', 'd2017'],
      ['2101101', 2018, '12', '12', '2101101', 'd2018'],
      ['2101101', 2020, '15', '15', '2101101', 'd2020'],
      // A code reused after the renumbering (vintage 2021 >= from_year 2020) is not mapped.
      ['9990101', 2021, '2', '2', '9990101', 'd2021'],
      // basic is NULL: one of the merged codes does not split it.
      ['9990199', 2019, '7', null, '9990101,9990102', 'd2019'],
      ['9990199', 2020, '9', '9', '9990199', 'd2020'],
    ]);
  });

  it('spending_growth: one series per code with its latest name; a missing year leaves prev_total NULL', async () => {
    expect(
      await tuples(
        e,
        `SELECT func_code, func_name, func_level, fiscal_year, total, prev_total, change, pct_change FROM spending_growth ORDER BY func_code, fiscal_year`,
      ),
    ).toEqual([
      ['2101101', '行政单位医疗', 3, 2017, '10', null, null, null],
      ['2101101', '行政单位医疗', 3, 2018, '12', '10', '2', 0.2],
      ['2101101', '行政单位医疗', 3, 2020, '15', null, null, null],
      ['9990101', '新用途', 3, 2021, '2', null, null, null],
      ['9990199', '合并项', 3, 2019, '7', null, null, null],
      ['9990199', '合并项', 3, 2020, '9', '7', '2', 0.2857],
    ]);
  });

  it('composition: a renamed economic code shows its latest name', async () => {
    const cols =
      'doc_id, department, unit, unit_level, fiscal_year, stage, vintage, derived, spending_type, econ_code, econ_name, econ_level, amount';
    await load(e, 'spending_by_economic', cols, [
      `('d2020', '乙局', '乙局', 'department', 2020, 'budget', 2020, false, 'basic', '301', '工资福利支出', 1, 8)`,
      `('d2020', '乙局', '乙局', 'department', 2020, 'budget', 2020, false, 'basic', '30110', '城镇职工基本医疗保险缴费', 2, 2)`,
      `('d2021', '乙局', '乙局', 'department', 2021, 'budget', 2021, false, 'basic', '301', '工资福利支出', 1, 9)`,
      `('d2021', '乙局', '乙局', 'department', 2021, 'budget', 2021, false, 'basic', '30110', '职工基本医疗保险缴费', 2, 3)`,
      `('d2021', '乙局', '乙局', 'department', 2021, 'budget', 2021, false, 'project', '301', '工资福利支出', 1, 1)`,
    ]);
    expect(
      await tuples(
        e,
        `SELECT fiscal_year, code, name, amount, parent_amount, share, level, parent_code FROM composition WHERE dimension = 'economic' ORDER BY fiscal_year, code`,
      ),
    ).toEqual([
      [2020, '301', '工资福利支出', '8', '8', 1, 1, null],
      [2020, '30110', '职工基本医疗保险缴费', '2', '8', 0.25, 2, '301'],
      // basic and project add up: 301 = 9 + 1.
      [2021, '301', '工资福利支出', '10', '10', 1, 1, null],
      [2021, '30110', '职工基本医疗保险缴费', '3', '10', 0.3, 2, '301'],
    ]);
  });
});

describe('per-staff measures and gap filling in department_totals, on inline documents', () => {
  it('staff_actual as stated, else admin_actual + institution_actual; spending_total from the 类 when not stated', async () => {
    const e = await Engine.open({ db: ':memory:' });
    try {
      const common = 'doc_id, department, unit, unit_level, fiscal_year, stage, vintage, derived';
      await load(e, 'budget_totals', `${common}, measure, amount`, [
        `('d', '丙局', '丙局', 'department', 2021, 'budget', 2021, false, 'spending_total', 300)`,
        `('d', '丙局', '丙局', 'department', 2021, 'budget', 2021, false, 'sangong_total', 6)`,
      ]);
      await load(e, 'spending_by_function', `${common}, func_code, func_name, func_level, total`, [
        `('d', '丙局', '丙局本级', 'unit', 2021, 'budget', 2021, false, '201', '一般公共服务支出', 1, 100)`,
        `('d', '丙局', '丙局本级', 'unit', 2021, 'budget', 2021, false, '208', '社会保障和就业支出', 1, 20)`,
        `('d', '丙局', '丙局中心', 'unit', 2021, 'budget', 2021, false, '201', '一般公共服务支出', 1, 180)`,
      ]);
      await load(e, 'sangong', `${common}, category, amount`, [
        `('d', '丙局', '丙局本级', 'unit', 2021, 'budget', 2021, false, 'reception', 1.5)`,
        `('d', '丙局', '丙局本级', 'unit', 2021, 'budget', 2021, false, 'vehicle_operation', 2.5)`,
      ]);
      await load(e, 'unit_facts', `${common}, fact, value`, [
        `('d', '丙局', '丙局', 'department', 2021, 'budget', 2021, false, 'staff_actual', 30)`,
        `('d', '丙局', '丙局本级', 'unit', 2021, 'budget', 2021, false, 'admin_actual', 8)`,
        `('d', '丙局', '丙局中心', 'unit', 2021, 'budget', 2021, false, 'institution_actual', 22)`,
        `('d', '丙局', '丙局中心', 'unit', 2021, 'budget', 2021, false, 'admin_actual', 0)`,
      ]);
      expect(
        await tuples(
          e,
          `SELECT unit, spending_total, sangong_total, staff_actual, spending_per_staff, sangong_per_staff FROM department_totals ORDER BY unit`,
        ),
      ).toEqual([
        ['丙局', '300', '6', '30', '10', '0.2'],
        ['丙局中心', '180', null, '22', '8.181818', null],
        ['丙局本级', '120', '4', '8', '15', '0.5'],
      ]);
    } finally {
      e.close();
    }
  });
});

// The figures of the seed document (datasets/2021-longgang-zwfw-sjglj-budget.txt) through the views.
describe('the seed document through the analysis views', () => {
  let e: Engine;
  beforeAll(async () => {
    e = await seededEngine();
  });
  afterAll(() => e.close());

  it('spending_growth: 大数据中心 201 in 2021 = 3690 against 2829 (2020, derived): +861, 0.3043', async () => {
    expect(
      await tuples(
        e,
        `SELECT func_name, func_level, fiscal_year, total, prev_total, change, pct_change FROM spending_growth WHERE unit = ? AND func_code = '201' ORDER BY fiscal_year`,
        [BIGDATA],
      ),
    ).toEqual([
      ['一般公共服务支出', 1, 2020, '2829', null, null, null],
      ['一般公共服务支出', 1, 2021, '3690', '2829', '861', 0.3043],
    ]);
  });

  it('department_totals: the department 7920 (2021) and 6928 (2020); 三公 17.8; procurement 2129.08; staff 47', async () => {
    expect(
      await tuples(
        e,
        `SELECT department, unit, fiscal_year, stage, revenue_total, spending_total, basic_total, project_total,
                sangong_total, procurement_total, staff_actual, spending_per_staff, sangong_per_staff
         FROM department_totals WHERE unit_level = 'department' ORDER BY fiscal_year, stage`,
      ),
    ).toEqual([
      [DEPT, DEPT, 2020, 'budget', '6928', '6928', null, null, '19.5', null, null, null, null],
      [DEPT, DEPT, 2021, 'budget', '7920', '7920', '2703', '5217', '17.8', '2129.08', '47', '168.510638', '0.378723'],
    ]);
  });

  it('department_totals: units, with 2020 spending from the 类 and staff from 实有在编', async () => {
    expect(
      await tuples(
        e,
        `SELECT unit, fiscal_year, spending_total, sangong_total, procurement_total, staff_actual, spending_per_staff FROM department_totals WHERE unit_level = 'unit' ORDER BY unit, fiscal_year`,
      ),
    ).toEqual([
      [BIGDATA, 2020, '3329', '10', null, null, null],
      [BIGDATA, 2021, '4247', '8.8', '1742.28', '33', '128.69697'],
      [BENJI, 2020, '3598', '9.5', null, null, null],
      [BENJI, 2021, '3673', '9', '386.8', '14', '262.357143'],
    ]);
  });

  it('sangong_trend: 大数据中心 2021, 公务用车运行维护费 8 against 9: −1.00, −0.1111', async () => {
    expect(
      await tuples(
        e,
        `SELECT category, amount, prev_amount, change, pct_change, share_of_total FROM sangong_trend WHERE unit = ? AND fiscal_year = 2021 ORDER BY category`,
        [BIGDATA],
      ),
    ).toEqual([
      ['overseas_travel', '0', '0', '0', null, 0],
      ['reception', '0.8', '1', '-0.2', -0.2, 0.0909],
      ['vehicle_operation', '8', '9', '-1', -0.1111, 0.9091],
      ['vehicle_purchase', '0', '0', '0', null, 0],
    ]);
  });

  it('procurement_mix: the department in 2021, services 2096.68 = 0.9848', async () => {
    expect(
      await tuples(
        e,
        `SELECT procurement_type, amount, share FROM procurement_mix WHERE unit = ? AND fiscal_year = 2021 ORDER BY procurement_type`,
        [DEPT],
      ),
    ).toEqual([
      ['goods', '32.4', 0.0152],
      ['services', '2096.68', 0.9848],
      ['works', '0', 0],
    ]);
  });

  it('project_trend: 政务服务管理, 2021 budget 1702.89 against the 2020 budget 133.39: +1569.50', async () => {
    expect(
      await tuples(
        e,
        `SELECT fiscal_year, stage, amount, prev_amount, change, pct_change, prev_stage FROM project_trend WHERE project = '政务服务管理' ORDER BY fiscal_year, stage`,
      ),
    ).toEqual([
      [2019, 'actual', '704.66', null, null, null, null],
      [2020, 'budget', '133.39', '704.66', '-571.27', -0.8107, 'actual'],
      [2021, 'budget', '1702.89', '133.39', '1569.5', 11.7662, 'budget'],
    ]);
  });

  it('project_trend: a project name two units share stays two series', async () => {
    expect(
      await tuples(
        e,
        `SELECT unit, fiscal_year, amount, prev_amount FROM project_trend WHERE project = '其他一般管理事务' AND fiscal_year = 2021 ORDER BY unit`,
      ),
    ).toEqual([
      [BIGDATA, 2021, '87.53', '87.53'],
      [BENJI, 2021, '540.1', '2303.04'],
    ]);
  });

  it('composition: the department in 2021, function 201 = 0.9000 of the whole, basic = 0.3413', async () => {
    expect(
      await tuples(
        e,
        `SELECT dimension, code, name, amount, parent_amount, share FROM composition
         WHERE unit = ? AND fiscal_year = 2021 AND level = 1 AND dimension IN ('function', 'spending_type') ORDER BY dimension, code`,
        [DEPT],
      ),
    ).toEqual([
      ['function', '201', '一般公共服务支出', '7128', '7920', 0.9],
      ['function', '208', '社会保障和就业支出', '199', '7920', 0.0251],
      ['function', '210', '卫生健康支出', '56', '7920', 0.0071],
      ['function', '221', '住房保障支出', '537', '7920', 0.0678],
      ['spending_type', 'basic', '基本支出', '2703', '7920', 0.3413],
      ['spending_type', 'project', '项目支出', '5217', '7920', 0.6587],
    ]);
  });

  it('composition: a 款 and a 项 against their parents; the top level of every dimension adds up to 1', async () => {
    expect(
      await tuples(
        e,
        `SELECT code, amount, parent_amount, share, level, parent_code FROM composition
         WHERE unit = ? AND fiscal_year = 2021 AND dimension = 'function' AND code IN ('20105', '2010504') ORDER BY code`,
        [DEPT],
      ),
    ).toEqual([
      ['20105', '2421', '7128', 0.3396, 2, '201'],
      ['2010504', '2412', '2421', 0.9963, 3, '20105'],
    ]);
    expect(
      await tuples(
        e,
        `SELECT dimension, round(sum(amount / parent_amount), 6) AS total_share FROM composition
         WHERE unit = ? AND fiscal_year = 2021 AND level = 1 GROUP BY dimension ORDER BY dimension`,
        [DEPT],
      ),
    ).toEqual([
      ['economic', 1],
      ['function', 1],
      ['procurement_type', 1],
      ['sangong', 1],
      ['spending_type', 1],
    ]);
  });
});

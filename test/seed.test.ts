import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../engine/engine.ts';
import { BENJI, BIGDATA, DEPT, seededEngine, value } from './helpers.ts';

// Figures read off the reference document (datasets/2021-longgang-zwfw-sjglj-budget.txt).
describe('the seed document: 2021 budget of 深圳市龙岗区政务服务数据管理局', () => {
  let e: Engine;
  beforeAll(async () => {
    e = await seededEngine();
  });
  afterAll(() => e.close());

  const func = (unit: string, code: string, year = 2021) =>
    value(e, 'SELECT total FROM spending_by_function WHERE unit = ? AND func_code = ? AND fiscal_year = ?', [
      unit,
      code,
      year,
    ]);

  it('registers the document', async () => {
    const [doc] = await e.rows('SELECT department, doc_year, stage, format, line_count FROM documents');
    expect(doc).toEqual({ department: DEPT, doc_year: 2021, stage: 'budget', format: 'text', line_count: 1007 });
  });

  it('department spending by function: 201 = 7128, 2010301 = 730, 208 = 199, 221 = 537; 类 sum to 7920', async () => {
    expect(await func(DEPT, '201')).toBe('7128');
    expect(await func(DEPT, '2010301')).toBe('730');
    expect(await func(DEPT, '208')).toBe('199');
    expect(await func(DEPT, '221')).toBe('537');
    expect(
      await value(
        e,
        `SELECT sum(total)::VARCHAR FROM spending_by_function WHERE unit = ? AND func_level = 1 AND fiscal_year = 2021`,
        [DEPT],
      ),
    ).toBe('7920.000000');
  });

  it('大数据中心: 201 = 3690 (2021), 2829 (2020, derived); 2010504 信息事务 project 2412', async () => {
    expect(await func(BIGDATA, '201')).toBe('3690');
    expect(await func(BIGDATA, '201', 2020)).toBe('2829');
    expect(
      await value(
        e,
        `SELECT derived FROM spending_by_function WHERE unit = ? AND func_code = '201' AND fiscal_year = 2020`,
        [BIGDATA],
      ),
    ).toBe(true);
    expect(
      await value(
        e,
        `SELECT project FROM spending_by_function WHERE unit = ? AND func_code = '2010504' AND fiscal_year = 2021`,
        [BIGDATA],
      ),
    ).toBe('2412');
  });

  it('hierarchy comes from codes: 二、统计信息事务 in 表6 is the 款 20105 of 201', async () => {
    const [r] = await e.rows(
      `SELECT func_level, func_parent_code, total FROM spending_by_function WHERE unit = ? AND func_code = '20105' AND fiscal_year = 2021`,
      [DEPT],
    );
    expect(r).toEqual({ func_level: 2, func_parent_code: '201', total: '2421' });
    const [f] = await e.rows(`SELECT severity, source_lines FROM reconciliation WHERE check_id LIKE '表6.numbering%'`);
    expect(f).toEqual({ severity: 'info', source_lines: '368' });
  });

  it('budget_totals: spending 7920 (2021) and 6928 (2020, derived); procurement 2129.08; 机关运行经费 2744 and 1092', async () => {
    const t = (measure: string, year: number, unit = DEPT) =>
      value(e, 'SELECT amount FROM budget_totals WHERE measure = ? AND fiscal_year = ? AND unit = ?', [
        measure,
        year,
        unit,
      ]);
    expect(await t('spending_total', 2021)).toBe('7920');
    expect(await t('spending_total', 2020)).toBe('6928');
    expect(
      await value(e, `SELECT derived FROM budget_totals WHERE measure = 'spending_total' AND fiscal_year = 2020`),
    ).toBe(true);
    expect(await t('procurement_total', 2021)).toBe('2129.08');
    expect(await t('operating_cost', 2021, BENJI)).toBe('2744');
    expect(await t('operating_cost', 2020, BENJI)).toBe('1092');
    expect(await t('basic_total', 2021)).toBe('2703');
    expect(await t('project_total', 2021)).toBe('5217');
    expect(await t('sangong_total', 2021)).toBe('17.8');
  });

  it('政务服务管理: 704.66 (2019 actual), 133.39 (2020 budget), 1702.89 (2021 budget); 14 projects in 2021', async () => {
    const rows = await e.rows(
      `SELECT fiscal_year, stage, amount, source_table FROM projects WHERE project = '政务服务管理' ORDER BY fiscal_year`,
    );
    expect(rows).toEqual([
      { fiscal_year: 2019, stage: 'actual', amount: '704.66', source_table: '表15' },
      { fiscal_year: 2020, stage: 'budget', amount: '133.39', source_table: '表15' },
      { fiscal_year: 2021, stage: 'budget', amount: '1702.89', source_table: '表15' },
    ]);
    expect(await value(e, `SELECT count(*)::INTEGER FROM projects WHERE fiscal_year = 2021`)).toBe(14);
    // 基础技术平台运营 prints no 2019 figure: no row.
    expect(
      await value(
        e,
        `SELECT count(*)::INTEGER FROM projects WHERE project = '基础技术平台运营' AND fiscal_year = 2019`,
      ),
    ).toBe(0);
  });

  it('三公: 本级 2021 公务接待费 5.00, 大数据中心 2021 公务用车运行维护费 8.00, department 2020 运行维护费 13.50', async () => {
    const s = (unit: string, year: number, cat: string) =>
      value(e, 'SELECT amount FROM sangong WHERE unit = ? AND fiscal_year = ? AND category = ?', [unit, year, cat]);
    expect(await s(BENJI, 2021, 'reception')).toBe('5');
    expect(await s(BIGDATA, 2021, 'vehicle_operation')).toBe('8');
    expect(await s(DEPT, 2020, 'vehicle_operation')).toBe('13.5');
    expect(await s(DEPT, 2021, 'reception')).toBe('6');
  });

  it('staffing: 编制 48, 实有 47, 车辆 3', async () => {
    const f = (fact: string) =>
      value(e, `SELECT value FROM unit_facts WHERE unit = ? AND fact = ? AND fiscal_year = 2021`, [DEPT, fact]);
    expect(await f('staff_authorized')).toBe('48');
    expect(await f('staff_actual')).toBe('47');
    expect(await f('vehicles')).toBe('3');
  });

  it('procurement: A/C items with codes; the department’s types from the narrative', async () => {
    const rows = await e.rows(
      `SELECT procurement_type, amount, source_table FROM procurement WHERE unit = ? AND item_level = 1 ORDER BY procurement_type`,
      [DEPT],
    );
    expect(rows).toEqual([
      { procurement_type: 'goods', amount: '32.4', source_table: 'text' },
      { procurement_type: 'services', amount: '2096.68', source_table: 'text' },
      { procurement_type: 'works', amount: '0', source_table: 'text' },
    ]);
    expect(
      await value(e, `SELECT item_level FROM procurement WHERE item_code = 'A03020201' AND unit = ?`, [BENJI]),
    ).toBe(5);
  });

  it('economic classification: names mapped to 部门预算支出经济分类 codes', async () => {
    const code = (name: string, type = 'basic') =>
      value(e, `SELECT econ_code FROM spending_by_economic WHERE unit = ? AND econ_name = ? AND spending_type = ?`, [
        BENJI,
        name,
        type,
      ]);
    expect(await code('工资福利支出')).toBe('301');
    expect(await code('基本工资')).toBe('30101');
    expect(await code('委托业务费', 'project')).toBe('30227');
    expect(await code('办公设备购置', 'project')).toBe('31002');
    expect(await code('城镇职工基本医疗保险缴费')).toBe('30110');
  });

  it('every fact row points to its document, table and line', async () => {
    for (const view of [
      'spending_by_function',
      'spending_by_economic',
      'revenue_by_source',
      'sangong',
      'procurement',
      'projects',
      'performance_targets',
      'budget_totals',
      'unit_facts',
    ]) {
      const bad = await value(
        e,
        `SELECT count(*)::INTEGER FROM ${view} WHERE doc_id IS NULL OR source_table IS NULL OR source_line IS NULL OR vintage <> 2021`,
      );
      expect(bad, view).toBe(0);
    }
  });

  it('reconciliation: the 表12 公务接待费 contradiction is an error that says so; 表7 本级 3674 vs 3673 is info', async () => {
    const [t12] = await e.rows(`SELECT severity, expected, actual, message FROM reconciliation WHERE scope = ? `, [
      `表12 ${DEPT} 2021 reception`,
    ]);
    expect(t12?.['severity']).toBe('error');
    expect(t12?.['expected']).toBe('6');
    expect(t12?.['actual']).toBe('5.8');
    expect(String(t12?.['message'])).toContain('表12 contradicts itself');
    const [t7] = await e.rows(
      `SELECT severity, expected, actual FROM reconciliation WHERE scope = ? AND message LIKE '%支出总计 = sum of its 7 项%'`,
      [`表7 ${BENJI}`],
    );
    expect(t7).toEqual({ severity: 'info', expected: '3673', actual: '3674' });
    const [narr] = await e.rows(
      `SELECT severity, message FROM reconciliation WHERE check_id LIKE 'TEXT.sangong.item%' AND severity = 'error'`,
    );
    expect(String(narr?.['message'])).toContain('the narrative and the units agree, the department row is wrong');
  });

  it('counts of findings by severity', async () => {
    const rows = await e.rows(`SELECT severity, count(*)::INTEGER AS n FROM reconciliation GROUP BY ALL ORDER BY ALL`);
    expect(rows).toEqual([
      { severity: 'error', n: 3 },
      { severity: 'info', n: 251 },
      { severity: 'warning', n: 6 },
    ]);
  });
});

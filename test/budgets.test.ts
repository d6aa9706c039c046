import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../engine/engine.ts';
import { projectRoot } from '../engine/paths.ts';
import { columnValuesSql, pivotSql } from '../web/src/lib/pivot.ts';

/**
 * 23 real 部门预算 / 单位预算 PDFs of three templates, beside the checkout (../shared/fixtures/budgets, never
 * copied into the repo). The figures are those printed in the documents, as listed in that folder's README:
 * 收入总计 (in 万元; the Shanghai documents print 元) and the year's 财政拨款三公经费.
 */
const DIR = resolve(projectRoot, '..', 'shared', 'fixtures', 'budgets');

/** file → [department as its cover prints it, year, 收入总计 in 万元, 三公 in 万元]. */
const PRINTED: Record<string, [string, number, string, string]> = {
  '2026年中共深圳市委宣传部部门预算.pdf': ['中共深圳市委宣传部（本级）', 2026, '149580.9', '121.95'],
  '2026年深圳市人民政府办公厅部门预算.pdf': ['深圳市人民政府办公厅', 2026, '10192.01', '94.38'],
  '2026年深圳市人民政府国有资产监督管理委员会部门预算.pdf': [
    '深圳市人民政府国有资产监督管理委员会',
    2026,
    '418487.59',
    '120.8',
  ],
  '2026年深圳市信访局部门预算.pdf': ['深圳市信访局', 2026, '4684.3', '5.58'],
  '2026年深圳市公安局部门预算.pdf': ['深圳市公安局（本级）', 2026, '204397.58', '3086.94'],
  '2026年深圳市卫生健康委员会部门预算.pdf': ['深圳市卫生健康委员会（本级）', 2026, '151194.32', '117.9'],
  '2026年深圳市司法局部门预算.pdf': ['深圳市司法局（本级）', 2026, '21796.12', '103.23'],
  '2026年深圳市审计局部门预算.pdf': ['深圳市审计局', 2026, '10737.69', '35.1'],
  '2026年深圳市市场监督管理局深汕监管局部门预算.pdf': ['深圳市市场监督管理局深汕监管局', 2026, '3703.39', '47.56'],
  '2026年深圳市建筑工务署部门预算.pdf': ['深圳市建筑工务署', 2026, '33934.54', '100.22'],
  '2026年深圳市民政局部门预算.pdf': ['深圳市民政局（本级）', 2026, '28283.46', '66'],
  '2026年深圳市水务局部门预算.pdf': ['深圳市水务局', 2026, '857808.76', '469.17'],
  '2026年深圳市科技创新局部门预算.pdf': ['深圳市科技创新局（本级）', 2026, '991722.33', '118.2'],
  '2026年深圳市规划和自然资源局大鹏管理局部门预算.pdf': ['深圳市规划和自然资源局大鹏管理局', 2026, '4505.81', '4.4'],
  '2026年深圳市财政局部门预算.pdf': ['深圳市财政局（本级）', 2026, '37385.88', '58.46'],
  '2026年深圳市退役军人事务局部门预算.pdf': ['深圳市退役军人事务局（本级）', 2026, '55028.56', '11.98'],
  '2026年广州市人民政府办公厅部门预算.pdf': ['广州市人民政府办公厅', 2026, '16410.71', '226.86'],
  '2026年广州市工业和信息化局部门预算.pdf': ['广州市工业和信息化局', 2026, '225431.78', '95.71'],
  '2026年广州市气象局部门预算.pdf': ['广州市气象局', 2026, '7651.71', '26.11'],
  // 164,978,640 元 = 16,497.8640 万元, exactly.
  '上海市普陀区万里街道办事处_2023_部门预算.pdf': ['上海市普陀区人民政府万里街道办事处', 2023, '16497.864', '22.91'],
  '上海市普陀区万里街道办事处_2024_部门预算.pdf': ['上海市普陀区人民政府万里街道办事处', 2024, '15621.1123', '47.91'],
  '上海市普陀区财政局_2025_部门预算.pdf': ['上海市普陀区财政局', 2025, '3121.42058', '0.95'],
  '上海市普陀区商务委员会_2025_单位预算.pdf': ['上海市普陀区商务委员会', 2025, '37151.4655', '1'],
};

describe('23 real budget PDFs of three templates, read by what their tables say', () => {
  let e: Engine;
  const docs = new Map<string, string>();
  beforeAll(async () => {
    if (!existsSync(DIR))
      throw new Error(`missing ${DIR}: the tests read the real budgets from ../shared/fixtures (CI provides it)`);
    e = await Engine.open({ db: ':memory:' });
    await e.ingest(
      readdirSync(DIR)
        .filter((f) => f.endsWith('.pdf'))
        .map((f) => join(DIR, f)),
    );
    for (const r of await e.rows('SELECT source_file, doc_id FROM documents'))
      docs.set(String(r['source_file']), String(r['doc_id']));
  }, 240_000);
  afterAll(() => e?.close());

  it('loads all 23 documents', () => {
    expect([...docs.keys()].sort()).toEqual(Object.keys(PRINTED).sort());
  });

  for (const [file, [department, year, revenue, sangong]] of Object.entries(PRINTED)) {
    it(`${file}: ${department} ${year}, 收入总计 ${revenue} 万元, 三公 ${sangong} 万元, 类 add up to 支出总计`, async () => {
      const id = docs.get(file) as string;
      const [doc] = await e.rows('SELECT department, doc_year, stage FROM documents WHERE doc_id = ?', [id]);
      expect(doc).toEqual({ department, doc_year: year, stage: 'budget' });
      const total = async (measure: string) =>
        (
          await e.rows(
            `SELECT amount::VARCHAR AS a FROM budget_totals
             WHERE doc_id = ? AND measure = ? AND unit_level = 'department' AND fiscal_year = ?`,
            [id, measure, year],
          )
        ).map((r) => String(r['a']).replace(/\.?0+$/, ''));
      expect(await total('revenue_total')).toEqual([revenue]);
      expect(await total('sangong_total')).toEqual([sangong]);
      const [spending] = await total('spending_total');
      const [l1] = await e.rows(
        `SELECT sum(total) AS s, count(*)::INTEGER AS n FROM spending_by_function
         WHERE doc_id = ? AND func_level = 1 AND unit_level = 'department'`,
        [id],
      );
      expect(Number(l1?.['n'])).toBeGreaterThan(0);
      // Each 类 is rounded on its own: the sum may differ from the printed 支出总计 by a cent per 类 at most.
      const diff = Math.abs(Number(l1?.['s']) - Number(spending));
      expect(diff).toBeLessThanOrEqual(0.01 * Number(l1?.['n']));
      expect(spending).toBe(revenue);
    });
  }

  it('amounts printed in 元 are stored in 万元: 164,978,640 元 is 16,497.8640 万元, 26,300 元 is 2.63 万元', async () => {
    const id = docs.get('上海市普陀区万里街道办事处_2023_部门预算.pdf') as string;
    const rows = await e.rows(
      `SELECT func_code, total::VARCHAR AS t, basic::VARCHAR AS b, project::VARCHAR AS p FROM spending_by_function
       WHERE doc_id = ? AND func_code IN ('2010506', '212') ORDER BY func_code`,
      [id],
    );
    // 统计管理 26,300 | 0 | 26,300 and 城乡社区支出 121,319,878 | 71,441,335 | 49,878,543 (page 15 and 17).
    expect(rows).toEqual([
      { func_code: '2010506', t: '2.630000', b: '0.000000', p: '2.630000' },
      { func_code: '212', t: '12131.987800', b: '7144.133500', p: '4987.854300' },
    ]);
  });

  it('万里街道办事处 2023 and 2024 are one department with two years in spending_growth', async () => {
    const rows = await e.rows(
      `SELECT fiscal_year, total::VARCHAR AS total, prev_total::VARCHAR AS prev FROM spending_growth
       WHERE department = '上海市普陀区人民政府万里街道办事处' AND func_code = '212' AND unit_level = 'department'
       ORDER BY fiscal_year`,
    );
    // 城乡社区支出: 121,319,878 元 (2023) and 119,385,303 元 (2024), both printed on the 收支预算总表.
    expect(rows.map((r) => [r['fiscal_year'], Number(r['total'])])).toEqual([
      [2023, 12131.9878],
      [2024, 11938.5303],
    ]);
    expect(Number(rows[1]?.['prev'])).toBe(12131.9878);
  });

  it('三公 by category, summed over the fund columns where a table splits them (深圳市公安局, 表9)', async () => {
    const id = docs.get('2026年深圳市信访局部门预算.pdf') as string;
    const rows = await e.rows(
      `SELECT category, amount::VARCHAR AS a FROM sangong WHERE doc_id = ? AND fiscal_year = 2026 ORDER BY category`,
      [id],
    );
    // 表9 of 深圳市信访局, the 2026 row: 因公出国 0.00, 公务接待费 2.98, 购置费 0.00, 运行维护费 2.60.
    expect(rows.map((r) => [r['category'], Number(r['a'])])).toEqual([
      ['overseas_travel', 0],
      ['reception', 2.98],
      ['vehicle_operation', 2.6],
      ['vehicle_purchase', 0],
    ]);
  });

  it('a department printed as its units: the department rows are their sums, marked derived (深圳市建筑工务署)', async () => {
    const id = docs.get('2026年深圳市建筑工务署部门预算.pdf') as string;
    const [row] = await e.rows(
      `SELECT total::VARCHAR AS t, derived FROM spending_by_function
       WHERE doc_id = ? AND func_code = '215' AND unit_level = 'department'`,
      [id],
    );
    // 表1 prints 资源勘探工业信息等支出 21,886.33 for the department; 表3 prints it unit by unit.
    expect(Math.abs(Number(row?.['t']) - 21886.33)).toBeLessThanOrEqual(0.02);
    expect(row?.['derived']).toBe(true);
    const units = await e.rows(
      `SELECT DISTINCT unit FROM spending_by_function WHERE doc_id = ? AND unit_level = 'unit' ORDER BY unit`,
      [id],
    );
    expect(units.map((u) => u['unit'])).toContain('深圳市建筑工务署（本级）');
  });

  it('every document has a coverage record: each table by kind, pages, rows read, amounts used', async () => {
    const rows = await e.rows(
      `SELECT d.source_file, count(*) FILTER (WHERE c.status IN ('read', 'partial'))::INTEGER AS read,
              sum(c.amounts_used)::INTEGER AS used
       FROM coverage c JOIN documents d USING (doc_id) GROUP BY d.source_file`,
    );
    expect(rows).toHaveLength(23);
    for (const r of rows) {
      expect(Number(r['read'])).toBeGreaterThanOrEqual(5);
      expect(Number(r['used'])).toBeGreaterThan(0);
    }
    const id = docs.get('2026年广州市气象局部门预算.pdf') as string;
    const [t] = await e.rows(
      `SELECT table_no, table_kind, pages, unit, status FROM coverage WHERE doc_id = ? AND table_kind = 'spending'`,
      [id],
    );
    expect(t).toEqual({ table_no: '表3', table_kind: 'spending', pages: '8-9', unit: '万元', status: 'read' });
  });

  it('peer_compare ranks the 16 Shenzhen 2026 departments by 收入总计, with the median and quartiles of the 16', async () => {
    const rows = await e.rows(
      `SELECT department, value, rank, peer_count, peer_median, peer_p25 FROM peer_compare
       WHERE government = '深圳市' AND fiscal_year = 2026 AND stage = 'budget' AND metric = 'revenue_total'
       ORDER BY rank`,
    );
    expect(rows).toHaveLength(16);
    // The 收入总计 of the README's table, largest first: 科技创新局 991,722.33, 水务局 857,808.76, 国资委 418,487.59.
    expect(rows.slice(0, 3).map((r) => [r['department'], r['value'], r['rank']])).toEqual([
      ['深圳市科技创新局（本级）', 991722.33, 1n],
      ['深圳市水务局', 857808.76, 2n],
      ['深圳市人民政府国有资产监督管理委员会', 418487.59, 3n],
    ]);
    for (const r of rows) {
      const printed = Object.values(PRINTED).find(([d]) => d === r['department']);
      expect(String(r['value'])).toBe(printed?.[2]);
      expect(r['peer_count']).toBe(16n);
    }
    // 16 values: the median is the mean of the 8th and 9th (33,934.54 and 37,385.88); the first quartile lies
    // three quarters of the way from the 4th (10,192.01) to the 5th (10,737.69).
    expect(rows[0]?.['peer_median']).toBe(35660.21);
    expect(rows[0]?.['peer_p25']).toBe(10601.27);
  });

  it("peer_compare gives each 类 as a share of a department's spending (深圳市信访局: 201 is 3,459.13 of 4,684.30)", async () => {
    const [r] = await e.rows(
      `SELECT value, metric_name FROM peer_compare WHERE department = '深圳市信访局' AND metric = 'func_share_201'`,
    );
    expect(r?.['metric_name']).toBe('一般公共服务支出');
    expect(r?.['value']).toBeCloseTo(3459.13 / 4684.3, 6);
  });

  it('projects from the 项目支出总表 (深圳市信访局 表5: six projects adding up to 1,612.29)', async () => {
    const id = docs.get('2026年深圳市信访局部门预算.pdf') as string;
    const rows = await e.rows(
      `SELECT project, amount::DOUBLE AS a, unit_level, source_table, source_page FROM projects WHERE doc_id = ? ORDER BY source_line`,
      [id],
    );
    expect(rows.map((r) => [r['project'], r['a']])).toEqual([
      ['社工服务项目', 498.82],
      ['信访大厅运行', 603.84],
      ['信访专项', 486.39],
      ['预算准备金', 4.9],
      ['政务信息化项目（系统业务运营服务）', 0.44],
      ['综合管理', 17.91],
    ]);
    expect(
      rows.every((r) => r['unit_level'] === 'department' && r['source_table'] === '表5' && r['source_page'] === 23),
    ).toBe(true);
  });

  it('project names wrapped over lines (Guangzhou 表12) are not loaded cut in two: a warning says so', async () => {
    const id = docs.get('2026年广州市气象局部门预算.pdf') as string;
    expect(await e.rows('SELECT * FROM projects WHERE doc_id = ?', [id])).toEqual([]);
    const [w] = await e.rows(
      `SELECT severity, message FROM reconciliation WHERE doc_id = ? AND check_id LIKE 'DOC.wrapped%'`,
      [id],
    );
    expect(w?.['severity']).toBe('warning');
    expect(String(w?.['message'])).toMatch(
      /^表12 部门预算项目支出及其他支出预算表: names wrapped over lines \(first at p22:\d+\)/,
    );
  });

  it('the pivot of 万里街道办事处: function 类 × year, its 合计 row the 支出总计 of the documents (16,497.8640 and 15,621.1123 万元)', async () => {
    const spec = { data: 'by_class', rows: 'func_name', columns: 'fiscal_year', values: 'total' };
    const cte = `WITH by_class AS (SELECT func_name, fiscal_year, total FROM spending_growth
      WHERE department = '上海市普陀区人民政府万里街道办事处' AND unit_level = 'department' AND func_level = 1)\n`;
    const values = (await e.rows(cte + columnValuesSql(spec))).map((r) => String(r['c']));
    expect(values).toEqual(['2023', '2024']);
    const q = pivotSql(spec, values);
    if ('error' in q) throw new Error(q.error);
    const rows = await e.rows(cte + q.sql);
    const total = rows.at(-1) as Record<string, unknown>;
    expect([total['func_name'], total['2023'], total['2024']]).toEqual(['合计', '16497.864', '15621.1123']);
    // 城乡社区支出, printed 121,319,878 元 (2023) and 119,385,303 元 (2024).
    const city = rows.find((r) => r['func_name'] === '城乡社区支出') as Record<string, unknown>;
    expect([city['2023'], city['2024'], city['合计']]).toEqual(['12131.9878', '11938.5303', '24070.5181']);
  });

  it('checks compare like with like: no error on any of the 23 documents', async () => {
    const errors = await e.rows(`SELECT doc_id, message FROM reconciliation WHERE severity = 'error'`);
    expect(errors).toEqual([]);
  });
});

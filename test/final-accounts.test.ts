import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../engine/engine.ts';
import { parsePdf } from '../engine/ingest/pdf/index.ts';
import type { ParsedDocument } from '../engine/ingest/types.ts';
import { formatAmount } from '../engine/money.ts';
import { projectRoot } from '../engine/paths.ts';
import { printPdfs } from './fixtures/pdf/chromium.ts';
import { finalAccountsHtml, SYNTHETIC_DEPT, SYNTHETIC_YEAR } from './fixtures/pdf/final-accounts-html.ts';
import { tempDir, value } from './helpers.ts';

/** The real 2024 决算 of 上海市普陀区财政局, beside the checkout (../shared), never copied into the repo. */
const FIXTURE = resolve(
  projectRoot,
  '..',
  'shared',
  'fixtures',
  'shanghai-putuo-finance-bureau-2024-final-accounts.pdf',
);
const DEPT = '上海市普陀区财政局';

function requireFixture(): void {
  if (!existsSync(FIXTURE))
    throw new Error(
      `missing test fixture ${FIXTURE}: the 决算 tests read it from ../shared/fixtures beside the checkout (CI provides it); it is not in the repo`,
    );
}

// Figures read off the fixture's tables (pages 6–20).
describe('the 2024 决算 of 上海市普陀区财政局 (PDF)', () => {
  let e: Engine;
  beforeAll(async () => {
    requireFixture();
    e = await Engine.open({ db: ':memory:' });
    await e.ingest([FIXTURE]);
  });
  afterAll(() => e?.close());

  const total = (measure: string, stage = 'final') =>
    value(e, `SELECT amount FROM budget_totals WHERE measure = ? AND stage = ? AND fiscal_year = 2024`, [
      measure,
      stage,
    ]);
  const func = (code: string) =>
    value(e, `SELECT total FROM spending_by_function WHERE func_code = ? AND fiscal_year = 2024`, [code]);

  it('registers the document: department, year, stage final, format pdf', async () => {
    const [doc] = await e.rows('SELECT department, doc_year, stage, format FROM documents');
    expect(doc).toEqual({ department: DEPT, doc_year: 2024, stage: 'final', format: 'pdf' });
    expect(await value(e, `SELECT count(DISTINCT stage)::INTEGER FROM spending_by_function`)).toBe(1);
  });

  it('本年收入合计 2,946.25; 本年支出合计 2,940.05 = 基本支出 2,336.91 + 项目支出 603.14', async () => {
    expect(await total('revenue_current_year')).toBe('2946.25');
    expect(await total('spending_total')).toBe('2940.05');
    expect(await total('basic_total')).toBe('2336.91');
    expect(await total('project_total')).toBe('603.14');
    expect(await total('revenue_total')).toBe('2995.39');
  });

  it('年初结转和结余 49.14, 年末结转和结余 55.34, 人员经费 2,152.26, 公用经费 184.65', async () => {
    expect(await total('carryover_begin')).toBe('49.14');
    expect(await total('carryover_end')).toBe('55.34');
    expect(await total('personnel_cost')).toBe('2152.26');
    expect(await total('public_cost')).toBe('184.65');
  });

  it('spending by 类: 201 2,106.66; 208 326.71; 210 60.99; 221 445.69 (they add up to 本年支出合计)', async () => {
    expect(await func('201')).toBe('2106.66');
    expect(await func('208')).toBe('326.71');
    expect(await func('210')).toBe('60.99');
    expect(await func('221')).toBe('445.69');
    expect(
      await value(
        e,
        `SELECT sum(total)::VARCHAR FROM spending_by_function WHERE func_level = 1 AND fiscal_year = 2024`,
      ),
    ).toBe('2940.050000');
  });

  it('款 and 项 from the 类 | 款 | 项 columns, with their 基本 / 项目 split', async () => {
    const [r] = await e.rows(
      `SELECT func_name, func_level, func_parent_code, total, basic, project, source_table, source_page
       FROM spending_by_function WHERE func_code = '2010601'`,
    );
    expect(r).toEqual({
      func_name: '行政运行',
      func_level: 3,
      func_parent_code: '20106',
      total: '1511.89',
      basic: '1503.52',
      project: '8.37',
      source_table: '支出决算表',
      source_page: 10,
    });
    expect(await value(e, `SELECT count(*)::INTEGER FROM spending_by_function WHERE func_level = 3`)).toBe(11);
  });

  it('三公: 预算数 0.95 (公务接待费) as stage budget; no 决算数 printed, so no final row', async () => {
    const rows = await e.rows(`SELECT category, stage, amount FROM sangong ORDER BY ALL`);
    expect(rows).toEqual([{ category: 'reception', stage: 'budget', amount: '0.95' }]);
    expect(await total('sangong_total', 'budget')).toBe('0.95');
  });

  it('基本支出 by economic classification, codes from the 类 | 款 columns', async () => {
    const econ = (code: string) =>
      value(e, `SELECT amount FROM spending_by_economic WHERE econ_code = ? AND spending_type = 'basic'`, [code]);
    expect(await econ('301')).toBe('2082.85');
    expect(await econ('30102')).toBe('1238.58');
    expect(await econ('303')).toBe('69.41');
    expect(await econ('31002')).toBe('13.58');
  });

  it('revenue by source: 一般公共预算财政拨款 2,940.05 and 其他收入 6.20', async () => {
    const rows = await e.rows(`SELECT source, amount FROM revenue_by_source ORDER BY ALL`);
    expect(rows).toEqual([
      { source: '一般公共预算财政拨款', amount: '2940.05' },
      { source: '其他收入', amount: '6.2' },
    ]);
  });

  it('本年收入合计 + 年初结转和结余 = 本年支出合计 + 年末结转和结余 holds (info)', async () => {
    const [r] = await e.rows(
      `SELECT severity, expected, actual, message FROM reconciliation WHERE check_id = 'FA.balance#1'`,
    );
    expect(r?.['severity']).toBe('info');
    expect(r?.['expected']).toBe('2995.39');
    expect(r?.['actual']).toBe('2995.39');
  });

  it('checks within and across the tables: every one within printed rounding', async () => {
    const rows = await e.rows(`SELECT severity, count(*)::INTEGER AS n FROM reconciliation GROUP BY ALL ORDER BY ALL`);
    expect(rows).toEqual([{ severity: 'info', n: expect.any(Number) }]);
    // 208 is 326.71 in the 总表 and 326.72 (the sum of its 项 as rounded) in the 支出决算表.
    const [c] = await e.rows(`SELECT severity, difference FROM reconciliation WHERE scope = '收入支出决算总表 208'`);
    expect(c).toEqual({ severity: 'info', difference: '0.01' });
    for (const id of ['FA.fiscal.balance#1', 'FA.x.spending#1', 'FA.x.generalSpending#1', 'FA.basic.personnel#1'])
      expect(await value(e, `SELECT severity FROM reconciliation WHERE check_id = ?`, [id]), id).toBe('info');
  });

  it('the empty 政府性基金 and 国有资本经营预算 tables load as no rows, with their note', async () => {
    const notes = await e.rows(
      `SELECT scope, message FROM reconciliation WHERE check_id LIKE 'FA.empty%' ORDER BY scope`,
    );
    expect(notes.map((n) => n['scope'])).toEqual([
      '国有资本经营预算财政拨款收入支出决算表',
      '政府性基金预算财政拨款收入支出决算表',
    ]);
    expect(String(notes[0]?.['message'])).toContain('故本表无数据');
  });

  it('every fact names its table, page and line of the page', async () => {
    for (const view of [
      'spending_by_function',
      'spending_by_economic',
      'revenue_by_source',
      'sangong',
      'budget_totals',
    ]) {
      const bad = await value(
        e,
        `SELECT count(*)::INTEGER FROM ${view} WHERE source_table IS NULL OR source_page IS NULL OR source_line IS NULL OR source_line < 1 OR vintage <> 2024`,
      );
      expect(bad, view).toBe(0);
    }
    const [r] = await e.rows(`SELECT source_page, source_line FROM budget_totals WHERE measure = 'carryover_begin'`);
    expect(r).toEqual({ source_page: 7, source_line: 2 });
  });
});

describe('a 决算 of another department in the same template (printed from HTML)', () => {
  const tmp = tempDir();
  const file = join(tmp.dir, 'synthetic-final-accounts.pdf');
  const bare = join(tmp.dir, 'synthetic-final-accounts-without-rules.pdf');
  let e: Engine;
  beforeAll(async () => {
    requireFixture();
    await printPdfs([
      { out: file, page: { html: finalAccountsHtml(), landscape: true } },
      { out: bare, page: { html: finalAccountsHtml({ ruled: false }), landscape: true } },
    ]);
    e = await Engine.open({ db: ':memory:' });
    await e.ingest([file, FIXTURE]);
  });
  afterAll(() => {
    e?.close();
    tmp.cleanup();
  });

  const total = (dept: string, measure: string, stage = 'final') =>
    value(e, `SELECT amount FROM budget_totals WHERE department = ? AND measure = ? AND stage = ?`, [
      dept,
      measure,
      stage,
    ]);

  it('loads its own figures, next to the fixture’s', async () => {
    const docs = await e.rows(`SELECT department, doc_year FROM documents ORDER BY doc_year`);
    expect(docs).toEqual([
      { department: SYNTHETIC_DEPT, doc_year: SYNTHETIC_YEAR },
      { department: DEPT, doc_year: 2024 },
    ]);
    expect(await total(SYNTHETIC_DEPT, 'revenue_current_year')).toBe('1360');
    expect(await total(SYNTHETIC_DEPT, 'spending_total')).toBe('1340');
    expect(await total(SYNTHETIC_DEPT, 'basic_total')).toBe('1000');
    expect(await total(SYNTHETIC_DEPT, 'carryover_begin')).toBe('30');
    expect(await total(SYNTHETIC_DEPT, 'personnel_cost')).toBe('940');
    expect(await total(DEPT, 'spending_total')).toBe('2940.05');
    const [f] = await e.rows(
      `SELECT total, basic, project FROM spending_by_function WHERE department = ? AND func_code = '2120899'`,
      [SYNTHETIC_DEPT],
    );
    expect(f).toEqual({ total: '150', basic: '10', project: '140' });
  });

  it('a table in 元 is converted to 万元 exactly; 三公 预算数 and 决算数 by stage', async () => {
    const rows = await e.rows(`SELECT category, stage, amount FROM sangong WHERE department = ? ORDER BY ALL`, [
      SYNTHETIC_DEPT,
    ]);
    expect(rows).toEqual([
      { category: 'overseas_travel', stage: 'budget', amount: '2' },
      { category: 'overseas_travel', stage: 'final', amount: '1.5' },
      { category: 'reception', stage: 'budget', amount: '4' },
      { category: 'reception', stage: 'final', amount: '4' },
      { category: 'vehicle_operation', stage: 'budget', amount: '6' },
      { category: 'vehicle_operation', stage: 'final', amount: '5' },
    ]);
    expect(await total(SYNTHETIC_DEPT, 'sangong_total', 'budget')).toBe('12');
  });

  it('execution: the 三公 决算数 against the 预算数 the same 决算 prints (1.5 of 2, 4 of 4, 5 of 6)', async () => {
    const rows = await e.rows(
      `SELECT code, budget, final, rate, budget_from FROM execution
       WHERE department = ? AND dimension = 'sangong' ORDER BY code`,
      [SYNTHETIC_DEPT],
    );
    expect(rows).toEqual([
      { code: 'overseas_travel', budget: '2', final: '1.5', rate: 0.75, budget_from: '决算所列预算数' },
      { code: 'reception', budget: '4', final: '4', rate: 1, budget_from: '决算所列预算数' },
      { code: 'vehicle_operation', budget: '6', final: '5', rate: 0.8333, budget_from: '决算所列预算数' },
    ]);
    // The total: 12 (2 + 4 + 6) of the same 预算数 column, named as the 决算's own, not a 预算's.
    expect(
      await e.rows(
        `SELECT code, budget, final, budget_from FROM execution WHERE department = ? AND dimension = 'total'`,
        [SYNTHETIC_DEPT],
      ),
    ).toEqual([{ code: 'sangong_total', budget: '12', final: '10.5', budget_from: '决算所列预算数' }]);
    // The real 决算 prints 预算数 0.95 for 公务接待费 and no 决算数: no rate is made up.
    expect(await e.rows(`SELECT * FROM execution WHERE department = ?`, [DEPT])).toEqual([]);
  });

  it('names wrapped over two lines of a cell are read whole; every check holds', async () => {
    expect(
      await value(e, `SELECT func_name FROM spending_by_function WHERE department = ? AND func_code = '2080505'`, [
        SYNTHETIC_DEPT,
      ]),
    ).toBe('机关事业单位基本养老保险缴费支出');
    const bad = await e.rows(
      `SELECT r.check_id, r.message FROM reconciliation r JOIN documents d USING (doc_id)
       WHERE d.department = ? AND r.severity <> 'info'`,
      [SYNTHETIC_DEPT],
    );
    expect(bad).toEqual([]);
  });

  it('printed without table rules (columns from x-gaps and headers, rows from y), it reads the same', async () => {
    const facts = (p: ParsedDocument) =>
      [...p.facts].map(([view, rows]) => [
        view,
        rows
          .map((r) =>
            JSON.stringify(
              Object.entries(r)
                .filter(([k]) => k !== 'source_line' && k !== 'source_page')
                .map(([k, v]) => [k, typeof v === 'bigint' ? formatAmount(v) : v]),
            ),
          )
          .sort(),
      ]);
    const ruled = await parsePdf(readFileSync(file), file);
    const unruled = await parsePdf(readFileSync(bare), file);
    expect(facts(unruled)).toEqual(facts(ruled));
    expect(unruled.findings.filter((f) => f.severity !== 'info')).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { lineOf, type Line } from '../engine/ingest/budget-text/lines.ts';
import { findFinalTitle } from '../engine/ingest/final-accounts/index.ts';
import { parseBudgetTables } from '../engine/ingest/tables/document.ts';
import { findTables, kindOfTitle } from '../engine/ingest/tables/find.ts';
import { findIdentity } from '../engine/ingest/tables/identity.ts';
import { formatAmount } from '../engine/money.ts';
import type { FactRow } from '../engine/ingest/types.ts';

/** Lines as a PDF's pages are rebuilt: table rows as TAB-separated cells. */
const lines = (...texts: string[]): Line[] => texts.map((t, i) => lineOf(t, i + 1));
const source = { file: 'test.pdf', sha256: 'f'.repeat(64), format: 'pdf' };

describe('who and when: the department, year and stage from the cover', () => {
  it('a 决算 title wrapped over two lines is read whole, not as the department "度"', () => {
    const id = findIdentity(lines('上海市普陀区财政局', '2024年度部门决算', '目录'));
    expect(id).toMatchObject({ department: '上海市普陀区财政局', year: 2024, stage: 'final' });
    expect(findFinalTitle(lines('上海市普陀区财政局2024', '年度部门决算'))).toMatchObject({
      department: '上海市普陀区财政局',
      year: 2024,
    });
  });

  it('a dated title that names no one takes the department from its 单位名称 line', () => {
    const id = findIdentity(lines('2023年度部门决算', '单位名称：上海市普陀区审计局', '目录'));
    expect(id).toMatchObject({ department: '上海市普陀区审计局', year: 2023, stage: 'final' });
    expect(
      findIdentity(lines('上海市普陀区2023年区级部门预算', '预算主管部门：上海市普陀区人民政府万里街道办事处')),
    ).toMatchObject({ department: '上海市普陀区人民政府万里街道办事处', year: 2023, stage: 'budget' });
  });

  it('spaces between characters and a title wrapped mid-word (Shenzhen and Guangzhou covers)', () => {
    expect(findIdentity(lines('2 0 2 6 年 深 圳 市 审 计 局 部 门 预 算'))).toMatchObject({
      department: '深圳市审计局',
      year: 2026,
    });
    expect(findIdentity(lines('2026 年深圳市公安局（本级）部门预', '算', '目录'))).toMatchObject({
      department: '深圳市公安局（本级）',
    });
    expect(findIdentity(lines('2026年', '广州市气象局部门预算'))).toMatchObject({ department: '广州市气象局' });
    expect(findIdentity(lines('上海市普陀区2025年区级单位预算', '预算单位：上海市普陀区商务委员会'))).toMatchObject({
      department: '上海市普陀区商务委员会',
      scope: '单位',
    });
  });

  it('no name anywhere: no identity (the document is refused, not loaded under a guess)', () => {
    expect(findIdentity(lines('上海市普陀区2023年区级部门预算', '目录'))).toBeUndefined();
  });
});

describe('tables by what their titles say, in each family', () => {
  const kinds: [string, string][] = [
    ['收支总表', 'summary'],
    ['部门收支总表', 'summary'],
    ['收支总体情况表', 'summary'],
    ['2023年部门财务收支预算总表', 'summary'],
    ['2025年预算单位财务收支预算总表', 'summary'],
    ['表2 收入总表', 'income'],
    ['二、收入总体情况表', 'income'],
    ['本年支出总体情况表', 'spending'],
    ['2023年部门支出预算总表', 'spending'],
    ['财政拨款收支总表', 'fiscal'],
    ['四、财政拨款收支总体情况表', 'fiscal'],
    ['2023年部门财政拨款收支预算总表', 'fiscal'],
    ['一般公共预算支出表（按功能分类）', 'general'],
    ['一般公共预算支出情况表（按功能分类科目）', 'general'],
    ['2023年部门一般公共预算支出功能分类预算表', 'general'],
    ['一般公共预算支出表（按经济分类）', 'general_economic'],
    ['一般公共预算基本支出情况表（按经济分类科目）', 'general_economic'],
    ['2023年部门一般公共预算基本支出部门预算经济分类预算表', 'general_economic'],
    ['一般公共预算项目支出情况表（按经济分类科目）', 'general_project_economic'],
    ['财政拨款“三公”经费支出表', 'sangong'],
    ['财政拨款安排的行政经费及“三公”经费预算表', 'sangong'],
    ['2023年部门“三公”经费和机关运行经费预算表', 'sangong'],
    ['政府性基金预算支出情况表', 'fund'],
    ['2023年部门国有资本经营预算支出功能分类预算表', 'capital'],
    ['基本支出总表', 'basic'],
    ['项目支出总表', 'project'],
    ['政府采购预算表', 'procurement'],
    ['项目支出绩效目标表', 'performance'],
    ['教育部2024年部门收支总表', 'summary'],
    ['一般公共预算基本支出表', 'general_economic'],
    ['一般公共预算“三公”经费支出表', 'sangong'],
    ['部门收入预算表', 'income'],
    ['部门支出预算表', 'spending'],
    ['一般公共预算财政拨款支出预算表', 'general'],
    ['一般公共预算财政拨款基本支出表', 'general_economic'],
    ['附表1 2024年部门收支预算总表', 'summary'],
  ];
  for (const [title, kind] of kinds)
    it(`${title} → ${kind}`, () => {
      expect(kindOfTitle(title)?.kind).toBe(kind);
    });

  it('a table of contents names tables, but no rows follow: no table', () => {
    const ts = findTables(lines('目录', '（一）收支总表', '（二）收入总表', '（三）支出总表', '第一部分 概况'));
    expect(ts).toEqual([]);
  });
});

/** A small Shanghai-style document in 元: a 收支总表, a 支出总表 by 类/款/项 in three columns, and a 三公 table in 万元. */
const YUAN = lines(
  '上海市普陀区2023年区级部门预算',
  '预算主管部门：上海市普陀区某某局',
  '2023年部门财务收支预算总表',
  '编制部门：上海市普陀区某某局\t单位：元',
  '本年收入\t本年收入\t本年支出\t本年支出',
  '项目\t预算数\t项目\t预算数',
  '一、财政拨款收入\t164,978,640\t一、一般公共服务支出\t164,978,640',
  '1. 一般公共预算\t164,978,640',
  '收入总计\t164,978,640\t支出总计\t164,978,640',
  '2023年部门支出预算总表',
  '编制部门：上海市普陀区某某局\t单位：元',
  '项目\t项目\t项目\t项目\t支出预算\t支出预算\t支出预算',
  '功能分类科目编码\t功能分类科目编码\t功能分类科目编码\t功能分类科目名称\t合计\t基本支出\t项目支出',
  '类\t款\t项',
  '201\t\t\t一般公共服务支出\t164,978,640\t100,000,001\t64,978,639',
  '201\t05\t\t统计信息事务\t164,978,640\t100,000,001\t64,978,639',
  '201\t05\t06\t统计管理\t164,978,640\t100,000,001\t64,978,639',
  '合计\t合计\t合计\t合计\t164,978,640\t100,000,001\t64,978,639',
  '2023年部门“三公”经费和机关运行经费预算表',
  '编制部门：上海市普陀区某某局\t单位:万元',
  '2023年“三公”经费预算数\t2023年“三公”经费预算数\t2023年“三公”经费预算数\t2023年“三公”经费预算数\t2023年“三公”经费预算数\t2023年“三公”经费预算数\t2023年机关运行经费预算数',
  '合计\t因公出国(境)费\t公务接待费\t公务用车购置及运行费\t公务用车购置及运行费\t公务用车购置及运行费',
  '\t\t\t小计\t购置费\t运行费',
  '22.91\t0\t1.35\t21.56\t0\t21.56\t786.09',
  '其他相关情况说明',
  '一、2023年“三公”经费预算情况说明',
  '2023年“三公”经费预算数为22.91万元，比2022年预算持平。',
);

const rows = (facts: Map<string, FactRow[]>, view: string) => facts.get(view) ?? [];

describe('a document in 元, its 三公 in 万元', () => {
  const parsed = parseBudgetTables(YUAN, source);

  it('converts 元 to 万元 exactly: 164,978,640 元 = 16,497.8640 万元; the 三公 table stays in 万元', () => {
    const totals = Object.fromEntries(
      rows(parsed.facts, 'budget_totals').map((r) => [r['measure'], formatAmount(r['amount'] as bigint)]),
    );
    expect(totals['revenue_total']).toBe('16497.864');
    expect(totals['sangong_total']).toBe('22.91');
    expect(totals['operating_cost']).toBe('786.09');
    const f = rows(parsed.facts, 'spending_by_function').map((r) => [
      r['func_code'],
      formatAmount(r['total'] as bigint),
      formatAmount(r['basic'] as bigint),
    ]);
    expect(f).toEqual([
      ['201', '16497.864', '10000.0001'],
      ['20105', '16497.864', '10000.0001'],
      ['2010506', '16497.864', '10000.0001'],
    ]);
  });

  it('三公 by category from the columns; the narrative agrees with the table', () => {
    const s = Object.fromEntries(
      rows(parsed.facts, 'sangong').map((r) => [r['category'], formatAmount(r['amount'] as bigint)]),
    );
    expect(s).toEqual({ overseas_travel: '0', reception: '1.35', vehicle_purchase: '0', vehicle_operation: '21.56' });
    const text = parsed.findings.find((f) => f.check_id.startsWith('TEXT.sangong'));
    expect(text?.severity).toBe('info');
  });

  it('every recognized table is in the coverage record with its unit', () => {
    expect(parsed.coverage?.map((c) => [c['table_kind'], c['unit'], c['status']])).toEqual([
      ['summary', '元', 'read'],
      ['spending', '元', 'read'],
      ['sangong', '万元', 'read'],
    ]);
  });

  it('a spending table whose figures do not add up is a finding naming the table and line (40 元 off: a warning)', () => {
    const broken = YUAN.map((l) =>
      l.text.startsWith('201\t05\t06')
        ? lineOf('201\t05\t06\t统计管理\t164,978,600\t100,000,001\t64,978,599', l.no)
        : l,
    );
    const p = parseBudgetTables(broken, source);
    const f = p.findings.find((x) => x.check_id.startsWith('FUNC.levels') && x.severity !== 'info');
    expect(f?.severity).toBe('warning');
    expect(f?.message).toContain('20105 统计信息事务 = Σ of the 1 codes under it (2023年部门支出预算总表, line 16)');
    expect(f?.message).toContain('16497.864 vs 16497.86 — DO NOT AGREE: off by -0.004');
  });

  it('a recognized table that yields no row is a warning', () => {
    const empty = lines(
      ...YUAN.map((l) => l.text),
      '2023年部门政府性基金预算支出功能分类预算表',
      '编制部门：上海市普陀区某某局\t单位：元',
      '项目\t项目\t项目\t项目\t政府性基金预算支出',
      '功能分类科目编码\t功能分类科目编码\t功能分类科目编码\t功能分类科目名称\t合计',
    );
    const p = parseBudgetTables(empty, source);
    expect(p.findings.some((f) => f.check_id.startsWith('DOC.empty') && f.severity === 'warning')).toBe(true);
  });

  it('no table of a known kind: refused, naming the tables it saw', () => {
    expect(() =>
      parseBudgetTables(lines('2023年某某局部门预算', '部门收支情况汇总表', '项目\t金额', '合计\t1.00'), source),
    ).toThrow(/no table of a kind this reader reads.*Not recognized: 部门收支情况汇总表 \(line 2\)/);
  });
});

describe('a 收支总表 that prints last year beside this year', () => {
  it('takes the column of this year, never 上年预算数', () => {
    const doc = lines(
      '2024年某某部部门预算',
      '收支总表',
      '单位：万元',
      '收入\t收入\t收入\t支出\t支出\t支出',
      '项目\t2023年预算数\t2024年预算数\t项目\t上年预算数\t本年预算数',
      '一、一般公共预算财政拨款\t90.00\t100.00\t一、一般公共服务支出\t90.00\t100.00',
      '收入总计\t90.00\t100.00\t支出总计\t90.00\t100.00',
    );
    const p = parseBudgetTables(doc, source);
    const totals = rows(p.facts, 'budget_totals').map((r) => [r['measure'], formatAmount(r['amount'] as bigint)]);
    expect(totals).toEqual([
      ['revenue_total', '100'],
      ['spending_total', '100'],
    ]);
    expect(rows(p.facts, 'revenue_by_source').map((r) => formatAmount(r['amount'] as bigint))).toEqual(['100']);
  });
});

describe('what a careless reader would get wrong', () => {
  it('a blank amount does not join two labels: 事业收入 (blank) beside 教育支出 100', () => {
    const doc = lines(
      '2024年某某局部门预算',
      '收支总表',
      '单位：万元',
      '收入\t收入\t支出\t支出',
      '项目\t预算数\t项目\t预算数',
      '一、财政拨款收入\t100.00\t一、一般公共服务支出\t0.00',
      '二、事业收入\t\t二、教育支出\t100.00',
      '上年结转\t\t结转下年\t10.00',
      '收入总计\t100.00\t支出总计\t100.00',
    );
    const p = parseBudgetTables(doc, source);
    const totals = Object.fromEntries(
      rows(p.facts, 'budget_totals').map((r) => [r['measure'], formatAmount(r['amount'] as bigint)]),
    );
    // 结转下年 10 is the carry-over to next year, not 上年结转.
    expect(totals['carryover_begin']).toBeUndefined();
    expect(totals['carryover_end']).toBe('10');
  });

  it('编制单位：元宝山区… names a place, not the unit 元', () => {
    const t = findTables(lines('收入总表', '编制单位：元宝山区某某局', '单位\t合计', '合计\t1.00'));
    expect(t[0]?.unit).toBe('');
  });

  it('the change the narrative states is not its total: "比上年减少3.5万元"', () => {
    const doc = lines(
      '2024年某某局部门预算',
      '2024年“三公”经费预算比上年减少3.5万元。',
      '收支总表',
      '单位：万元',
      '项目\t预算数\t项目\t预算数',
      '收入总计\t100.00\t支出总计\t100.00',
    );
    const p = parseBudgetTables(doc, source);
    expect(rows(p.facts, 'budget_totals').some((r) => r['measure'] === 'sangong_total')).toBe(false);
  });

  it('a cover line before the name is not part of it; 市本级 names no one', () => {
    expect(findIdentity(lines('附件1', '深圳市信访局', '2026年部门预算'))).toMatchObject({
      department: '深圳市信访局',
    });
    expect(findIdentity(lines('广州市2024年市本级部门预算', '目录'))).toBeUndefined();
  });

  it('a 款 printed without its leading zero ("301 | 2 | 津贴补贴") is 30102, not a second 301', () => {
    const doc = lines(
      '2024年某某局部门预算',
      '2024年部门一般公共预算基本支出部门预算经济分类预算表',
      '编制部门：某某局\t单位：元',
      '部门预算经济分类科目编码\t部门预算经济分类科目编码\t经济分类科目名称\t合计\t人员经费\t公用经费',
      '类\t款',
      '301\t\t工资福利支出\t30,000\t30,000\t0',
      '301\t2\t津贴补贴\t30,000\t30,000\t0',
      '合计\t合计\t合计\t30,000\t30,000\t0',
    );
    const p = parseBudgetTables(doc, source);
    expect(
      rows(p.facts, 'spending_by_economic').map((r) => [r['econ_code'], formatAmount(r['amount'] as bigint)]),
    ).toEqual([
      ['301', '3'],
      ['30102', '3'],
    ]);
    expect(p.findings.find((f) => f.check_id.startsWith('ECON.total'))?.severity).toBe('info');
  });
});

describe('三公 across the top, last year beside this year', () => {
  it('the columns of 2025 are not added to 2026', () => {
    const doc = lines(
      '2026年某某局部门预算',
      '“三公”经费预算表',
      '单位：万元',
      '2025年预算数\t2025年预算数\t2025年预算数\t2026年预算数\t2026年预算数\t2026年预算数',
      '合计\t因公出国（境）费\t公务接待费\t合计\t因公出国（境）费\t公务接待费',
      '9.00\t4.00\t5.00\t3.00\t1.00\t2.00',
    );
    const p = parseBudgetTables(doc, source);
    const t = rows(p.facts, 'budget_totals').find((r) => r['measure'] === 'sangong_total');
    expect(formatAmount(t?.['amount'] as bigint)).toBe('3');
    const s = Object.fromEntries(
      rows(p.facts, 'sangong').map((r) => [r['category'], formatAmount(r['amount'] as bigint)]),
    );
    expect(s).toEqual({ overseas_travel: '1', reception: '2' });
  });

  it('a narrative figure of one category is not the total', () => {
    const doc = lines(
      '2026年某某局部门预算',
      '2026年“三公”经费中因公出国（境）费预算为0万元。',
      '收支总表',
      '单位：万元',
      '项目\t预算数\t项目\t预算数',
      '收入总计\t100.00\t支出总计\t100.00',
    );
    const p = parseBudgetTables(doc, source);
    expect(rows(p.facts, 'budget_totals').some((r) => r['measure'] === 'sangong_total')).toBe(false);
  });
});

describe('the national nine-table template and its relatives', () => {
  it('本年预算数 beside 上年预算数: this year is the total, never the column of the year before', () => {
    const doc = lines(
      '2024年某某部部门预算',
      '一般公共预算支出表',
      '单位：万元',
      '科目编码\t科目名称\t本年预算数\t上年预算数',
      '201\t一般公共服务支出\t100.00\t90.00',
      '合计\t\t100.00\t90.00',
    );
    const p = parseBudgetTables(doc, source);
    const f = rows(p.facts, 'spending_by_function').map((r) => [r['func_code'], formatAmount(r['total'] as bigint)]);
    expect(f).toEqual([['201', '100']]);
  });

  it('a 款 under a blank 类 cell is not a code of its own, not a unit, and not silent', () => {
    const doc = lines(
      '2024年某某部部门预算',
      '一般公共预算支出表',
      '单位：万元',
      '类\t款\t项\t科目名称\t合计',
      '201\t\t\t一般公共服务支出\t100.00',
      '\t01\t\t人大事务\t100.00',
      '合计\t\t\t\t100.00',
    );
    const p = parseBudgetTables(doc, source);
    expect(rows(p.facts, 'spending_by_function').map((r) => r['func_code'])).toEqual(['201']);
    expect(p.findings.some((x) => x.check_id.startsWith('DOC.rows') && x.severity === 'warning')).toBe(true);
  });

  it('a 收支总表 whose sources stand under a group row 一、本年收入', () => {
    const doc = lines(
      '2024年某某部部门预算',
      '部门收支总表',
      '单位：万元',
      '收入\t收入\t支出\t支出',
      '项目\t预算数\t项目\t预算数',
      '一、本年收入\t100.00\t一、本年支出\t100.00',
      '（一）一般公共预算财政拨款收入\t100.00\t（一）一般公共服务支出\t100.00',
      '二、上年结转\t\t二、结转下年\t',
      '收入总计\t100.00\t支出总计\t100.00',
    );
    const p = parseBudgetTables(doc, source);
    const src = rows(p.facts, 'revenue_by_source').map((r) => [r['source'], formatAmount(r['amount'] as bigint)]);
    expect(src).toEqual([['一般公共预算财政拨款', '100']]);
  });

  it('titles that carry the department after the year: 2024年北京市某某局部门收支总表', () => {
    expect(kindOfTitle('2024年北京市某某局部门收支总表')?.kind).toBe('summary');
    expect(kindOfTitle('某某局部门收入总表')?.kind).toBe('income');
  });
});

describe('amounts the layout ran together or split apart', () => {
  const doc = (cell: string) =>
    lines(
      '2026年某某局部门预算',
      '收支总表',
      '单位：万元',
      '项目\t预算数\t项目\t预算数',
      '收入总计\t124,216.99\t支出总计\t124,216.99',
      '收入总表',
      '单位：万元',
      '单位名称\t合计\t财政拨款收入',
      `合计\t${cell}\t0.00`,
    );
  it('"16,410.71 16,410.71" is two amounts of two columns; "124,216.9 9" is one amount', () => {
    const two = parseBudgetTables(doc('124,216.99 124,216.99'), source);
    const one = parseBudgetTables(doc('124,216.9 9'), source);
    for (const p of [two, one]) {
      const f = p.findings.find((x) => x.check_id.startsWith('INCOME.total'));
      expect(f?.message).toContain('124216.99 vs 124216.99 — agree');
    }
  });
});

describe('三公 printed by category without its 合计', () => {
  it('the total is the sum of the categories, marked derived, and the narrative is checked against it', () => {
    const doc = lines(
      '二〇二四年某某局部门预算',
      '2024年“三公”经费财政拨款预算为3.50万元，比上年持平。',
      '一般公共预算“三公”经费支出表（单位：万元）',
      '项目\t本年预算数',
      '因公出国（境）费\t1.00',
      '公务接待费\t0.50',
      '公务用车购置及运行费\t2.00',
      '其中：公务用车购置费\t0.00',
      '公务用车运行费\t2.00',
    );
    const p = parseBudgetTables(doc, source);
    expect(p.doc).toMatchObject({ department: '某某局', doc_year: 2024 });
    const t = rows(p.facts, 'budget_totals').find((r) => r['measure'] === 'sangong_total');
    expect([formatAmount(t?.['amount'] as bigint), t?.['derived']]).toEqual(['3.5', true]);
    const text = p.findings.find((f) => f.check_id.startsWith('TEXT.sangong'));
    expect(text?.severity).toBe('info');
    expect(p.coverage?.[0]).toMatchObject({ table_kind: 'sangong', unit: '万元', status: 'read' });
  });
});

describe('columns mapped from their headers when the layout shifts them (Guangzhou 表5)', () => {
  it('amounts one column right of their headers are read by order, and only if total = basic + project', () => {
    const doc = lines(
      '2026年',
      '广州市某某局部门预算',
      '一般公共预算支出情况表（按功能分类科目）',
      '单位名称：广州市某某局\t\t\t\t\t\t单位：万元',
      '\t\t\t\t一般公共预算支出',
      '\t功能科目名称',
      '\t\t小计\t\t其中：基本支出\t\t项目支出',
      '\t合计\t\t7,651.71\t\t6,146.33\t\t1,505.38',
      '[206]科学技术支出\t\t\t53.44\t\t0.00\t\t53.44',
      '[20605]科技条件与服务\t\t\t53.44\t\t0.00\t\t53.44',
    );
    const p = parseBudgetTables(doc, source);
    const f = rows(p.facts, 'spending_by_function').map((r) => [
      r['func_code'],
      r['func_name'],
      formatAmount(r['total'] as bigint),
      formatAmount(r['basic'] as bigint),
      formatAmount(r['project'] as bigint),
    ]);
    expect(f).toEqual([
      ['206', '科学技术支出', '53.44', '0', '53.44'],
      ['20605', '科技条件与服务', '53.44', '0', '53.44'],
    ]);
    // Only 一般公共预算 was printed by function: said, not silently taken for every source.
    expect(p.findings.some((x) => x.check_id.startsWith('DOC.functions'))).toBe(true);
  });
});

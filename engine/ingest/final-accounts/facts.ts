import { codeLists, funcLevel, funcParent, nameKey } from '../../classify/codes.ts';
import type { Amount, DocumentContext } from '../budget-text/context.ts';
import type { SideItem } from './summary.ts';
import type { Tables } from './read.ts';
import { NAME } from './tables.ts';

/** 收入 items of the 收入支出决算总表 and the revenue_by_source name each is loaded as (the budget's names). */
const SOURCES: [RegExp, string][] = [
  [/^一般公共预算财政拨款(收入)?$/, '一般公共预算财政拨款'],
  [/^政府性基金预算财政拨款(收入)?$/, '政府性基金预算拨款'],
  [/^国有资本经营预算财政拨款(收入)?$/, '国有资本经营预算拨款'],
  [/^财政拨款(收入)?$/, '财政拨款收入'],
  [/^上级补助收入$/, '上级补助收入'],
  [/^事业收入$/, '事业收入'],
  [/^经营收入$/, '经营收入'],
  [/^附属单位上缴收入$/, '附属单位上缴收入'],
  [/^其他收入$/, '其他收入'],
  [/^使用非财政拨款结余/, '使用非财政拨款结余'],
  [/^用事业基金弥补收支差额$/, '用事业基金弥补收支差额'],
];
const FISCAL_PARTS = new Set(['一般公共预算财政拨款', '政府性基金预算拨款', '国有资本经营预算拨款']);

export function sourceOf(key: string): string | undefined {
  return SOURCES.find(([re]) => re.test(key))?.[1];
}

/** The 类 code a name of the 收入支出决算总表 stands for ("八、社会保障和就业支出" → 208). */
export function classCode(key: string): string | undefined {
  return codeLists()
    .func.named(key)
    .find((c) => c.level === 1)?.code;
}

/** Named lines of a side: the first item whose key matches. */
export function item<R extends string>(items: SideItem<R>[], re: RegExp): SideItem<R> | undefined {
  return items.find((i) => re.test(i.key));
}

/** Emit the document's facts from its tables; the checks between them are made in checks.ts. */
export function emitFacts(ctx: DocumentContext, tables: Tables): void {
  const dept = ctx.department;
  const prov = (table: keyof typeof NAME, line: number, stage = 'final') =>
    ctx.prov(dept, NAME[table], line, { stage });
  const total = (table: keyof typeof NAME, measure: string, a: Amount | undefined, stage = 'final') => {
    if (a) ctx.add('budget_totals', prov(table, a.line, stage), { measure, amount: a.value });
  };

  // 收入支出决算总表: sources of income, totals, carry-overs.
  const s = tables.summary?.r;
  if (s) {
    const end = s.income.findIndex((i) => /^本年收入合计$/.test(i.key));
    const items = s.income.slice(0, end < 0 ? s.income.length : end);
    const all = [...items, ...s.income.filter((i) => /^(使用非财政拨款结余|用事业基金弥补收支差额)/.test(i.key))];
    const split = items.some((i) => sourceOf(i.key) === '财政拨款收入');
    for (const i of all) {
      const source = sourceOf(i.key);
      const a = i.amounts.get('amount');
      if (!source || !a) continue;
      const child = split && FISCAL_PARTS.has(source);
      ctx.add('revenue_by_source', prov('summary', a.line), {
        source,
        source_level: child ? 2 : 1,
        parent_source: child ? '财政拨款收入' : null,
        amount: a.value,
      });
    }
    const amt = (list: SideItem<'amount'>[], re: RegExp) => item(list, re)?.amounts.get('amount');
    total('summary', 'revenue_current_year', amt(s.income, /^本年收入合计$/));
    total('summary', 'revenue_total', amt(s.income, /^(总计|收入总计)$/));
    total('summary', 'carryover_begin', amt(s.income, /^年初结转和结余$/));
    total('summary', 'carryover_end', amt(s.spending, /^年末结转和结余$/));
    total('summary', 'surplus_distribution', amt(s.spending, /^结余分配$/));
    if (!tables.spending?.r.total) total('summary', 'spending_total', amt(s.spending, /^本年支出合计$/));
  }

  // 支出决算表: the totals by type of spending.
  const sp = tables.spending?.r.total;
  if (sp) {
    total('spending', 'spending_total', sp.amounts.get('total'));
    total('spending', 'basic_total', sp.amounts.get('basic'));
    total('spending', 'project_total', sp.amounts.get('project'));
    total('spending', 'remittance_total', sp.amounts.get('remit'));
    total('spending', 'operating_spending_total', sp.amounts.get('operating'));
    total('spending', 'affiliate_subsidy_total', sp.amounts.get('affiliate'));
  }
  spendingByFunction(ctx, tables);

  // 财政拨款收入支出决算总表: the totals of 财政拨款 alone.
  const f = tables.fiscal?.r;
  if (f) {
    const carry = f.income.findIndex((i) => /^年初财政拨款结转和结余$/.test(i.key));
    total('fiscal', 'fiscal_revenue_total', item(f.income, /^本年收入合计$/)?.amounts.get('amount'));
    total('fiscal', 'fiscal_carryover_begin', carry >= 0 ? f.income[carry]?.amounts.get('amount') : undefined);
    total('fiscal', 'fiscal_spending_total', item(f.spending, /^本年支出合计$/)?.amounts.get('total'));
    total('fiscal', 'fiscal_carryover_end', item(f.spending, /^年末财政拨款结转和结余$/)?.amounts.get('total'));
  }
  const g = tables.general?.r.total;
  if (g) total('general', 'general_budget_spending_total', g.amounts.get('total'));

  // 一般公共预算财政拨款基本支出决算表: 基本支出 by economic classification, 人员经费 and 公用经费.
  const b = tables.basic?.r;
  if (b) {
    for (const r of b.rows) {
      if (!r.amount) continue;
      ctx.add('spending_by_economic', prov('basic', r.line), {
        spending_type: 'basic',
        econ_code: r.code,
        econ_name: r.name,
        econ_level: r.code.length === 3 ? 1 : 2,
        amount: r.amount.value,
      });
    }
    total('basic', 'personnel_cost', b.personnel);
    total('basic', 'public_cost', b.public);
  }

  // 财政拨款“三公”经费支出决算表: 预算数 are stage 'budget', 决算数 'final'; the totals are budget_totals.
  const sg = tables.sangong?.r;
  if (sg) {
    const names: Record<string, string> = {
      overseas_travel: '因公出国（境）费',
      reception: '公务接待费',
      vehicle_purchase: '公务用车购置费',
      vehicle_operation: '公务用车运行维护费',
    };
    for (const c of sg.cells) {
      if (c.part === 'total') total('sangong', 'sangong_total', c.amount, c.stage);
      const name = names[c.part];
      if (name)
        ctx.add('sangong', prov('sangong', c.amount.line, c.stage), {
          category: c.part,
          category_name: name,
          amount: c.amount.value,
        });
    }
  }
}

/**
 * spending_by_function from the 支出决算表 (every 类, 款 and 项 with its 基本 / 项目 split). The total of a 类
 * is the 收入支出决算总表's: that table states each 类 as a part of 本年支出合计 (its 类 add up to it), where
 * the 支出决算表's 类 row is the sum of its 项 as rounded; the other figure is checked against it.
 * In a row that prints a total, a blank 基本 or 项目 next to a printed one is the template's zero.
 */
function spendingByFunction(ctx: DocumentContext, tables: Tables): void {
  const classes = new Map<string, SideItem<'amount'>>();
  for (const i of tables.summary?.r.spending ?? []) {
    const code = classCode(i.key);
    if (code && i.amounts.get('amount')) classes.set(code, i);
  }
  const rows = tables.spending?.r.rows ?? [];
  const seen = new Set<string>();
  for (const r of rows) {
    const printed = r.amounts.get('total');
    const summary = funcLevel(r.code) === 1 ? classes.get(r.code) : undefined;
    const totalAmount = summary?.amounts.get('amount') ?? printed;
    if (!totalAmount || seen.has(r.code)) continue;
    seen.add(r.code);
    const basic = r.amounts.get('basic');
    const project = r.amounts.get('project');
    const split = basic !== undefined || project !== undefined;
    ctx.add(
      'spending_by_function',
      ctx.prov(ctx.department, summary ? NAME.summary : NAME.spending, summary ? totalAmount.line : r.line),
      {
        func_code: r.code,
        func_name: r.name || summary?.name || r.code,
        func_level: funcLevel(r.code),
        func_parent_code: funcParent(r.code),
        total: totalAmount.value,
        basic: split ? (basic?.value ?? 0n) : null,
        project: split ? (project?.value ?? 0n) : null,
      },
    );
  }
  for (const [code, i] of classes) {
    if (seen.has(code)) continue;
    const a = i.amounts.get('amount') as Amount;
    ctx.add('spending_by_function', ctx.prov(ctx.department, NAME.summary, a.line), {
      func_code: code,
      func_name: nameKey(i.key),
      func_level: 1,
      func_parent_code: null,
      total: a.value,
      basic: null,
      project: null,
    });
  }
}

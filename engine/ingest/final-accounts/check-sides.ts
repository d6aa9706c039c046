import type { DocumentContext } from '../budget-text/context.ts';
import { sameFigure, sidesBalance, sumOfParts } from '../checks.ts';
import { amt } from './check.ts';
import { classCode, item, sourceOf } from './facts.ts';
import type { Tables } from './read.ts';
import { NAME } from './tables.ts';

/** 收入支出决算总表: its sides add up, and 收入 + 年初结转和结余 = 支出 + 年末结转和结余 (+ 结余分配). */
export function summaryChecks(ctx: DocumentContext, t: Tables): void {
  const s = t.summary?.r;
  if (!s) return;
  const scope = NAME.summary;
  const end = s.income.findIndex((i) => /^本年收入合计$/.test(i.key));
  const incomeItems = s.income.slice(0, end < 0 ? 0 : end).filter((i) => sourceOf(i.key));
  const revenue = amt(s.income, /^本年收入合计$/, 'amount');
  const spending = amt(s.spending, /^本年支出合计$/, 'amount');
  const unused = amt(s.income, /^(使用非财政拨款结余|用事业基金弥补收支差额)/, 'amount');
  const begin = amt(s.income, /^年初结转和结余$/, 'amount');
  const distributed = amt(s.spending, /^结余分配$/, 'amount');
  const endCarry = amt(s.spending, /^年末结转和结余$/, 'amount');
  const totalIn = amt(s.income, /^(总计|收入总计)$/, 'amount');
  const totalOut = amt(s.spending, /^(总计|支出总计)$/, 'amount');
  // Where 财政拨款收入 is printed with its parts, the parts are not added again.
  const split = incomeItems.some((i) => sourceOf(i.key) === '财政拨款收入');
  const addable = incomeItems.filter(
    (i) =>
      !(
        split && ['一般公共预算财政拨款', '政府性基金预算拨款', '国有资本经营预算拨款'].includes(sourceOf(i.key) ?? '')
      ),
  );
  sumOfParts(ctx, {
    id: 'FA.summary.revenue',
    scope,
    whole: revenue,
    parts: addable.map((i) => i.amounts.get('amount')),
    what: `${scope}: 本年收入合计 = sum of its ${addable.length} sources`,
  });
  const classes = s.spending.filter((i) => classCode(i.key));
  sumOfParts(ctx, {
    id: 'FA.summary.spending',
    scope,
    whole: spending,
    parts: classes.map((i) => i.amounts.get('amount')),
    what: `${scope}: 本年支出合计 = sum of its 类`,
  });
  sumOfParts(ctx, {
    id: 'FA.summary.totalIn',
    scope,
    whole: totalIn,
    parts: [revenue, unused, begin],
    what: `${scope}: 收入总计 = 本年收入合计 + 使用非财政拨款结余 + 年初结转和结余`,
  });
  sumOfParts(ctx, {
    id: 'FA.summary.totalOut',
    scope,
    whole: totalOut,
    parts: [spending, distributed, endCarry],
    what: `${scope}: 支出总计 = 本年支出合计 + 结余分配 + 年末结转和结余`,
  });
  if (revenue && spending)
    sidesBalance(ctx, {
      id: 'FA.balance',
      scope,
      left: [revenue, unused, begin],
      right: [spending, distributed, endCarry],
      what: `${scope}: 本年收入合计 + 使用非财政拨款结余 + 年初结转和结余 = 本年支出合计 + 结余分配 + 年末结转和结余`,
    });
  sameFigure(ctx, {
    id: 'FA.summary.totals',
    scope,
    a: totalIn,
    b: totalOut,
    what: `${scope}: 收入总计 = 支出总计`,
  });
}

/** 财政拨款收入支出决算总表: the same balance for 财政拨款 alone, and its columns by kind of 财政拨款. */
export function fiscalChecks(ctx: DocumentContext, t: Tables): void {
  const f = t.fiscal?.r;
  if (!f) return;
  const scope = NAME.fiscal;
  const carryAt = f.income.findIndex((i) => /^年初财政拨款结转和结余$/.test(i.key));
  const end = f.income.findIndex((i) => /^本年收入合计$/.test(i.key));
  const items = f.income.slice(0, end < 0 ? 0 : end).filter((i) => sourceOf(i.key));
  const revenue = amt(f.income, /^本年收入合计$/, 'amount');
  const begin = carryAt >= 0 ? f.income[carryAt]?.amounts.get('amount') : undefined;
  const beginParts = carryAt >= 0 ? f.income.slice(carryAt + 1).filter((i) => sourceOf(i.key)) : [];
  const totalIn = amt(f.income, /^总计$/, 'amount');
  sumOfParts(ctx, {
    id: 'FA.fiscal.revenue',
    scope,
    whole: revenue,
    parts: items.map((i) => i.amounts.get('amount')),
    what: `${scope}: 本年收入合计 = 一般公共预算 + 政府性基金 + 国有资本经营预算财政拨款`,
  });
  sumOfParts(ctx, {
    id: 'FA.fiscal.begin',
    scope,
    whole: begin,
    parts: beginParts.map((i) => i.amounts.get('amount')),
    what: `${scope}: 年初财政拨款结转和结余 = sum of its kinds`,
    skipIfNoParts: true,
  });
  sumOfParts(ctx, {
    id: 'FA.fiscal.totalIn',
    scope,
    whole: totalIn,
    parts: [revenue, begin],
    what: `${scope}: 收入总计 = 本年收入合计 + 年初财政拨款结转和结余`,
  });
  const lines = f.spending.filter(
    (i) => classCode(i.key) || /^(本年支出合计|年末财政拨款结转和结余|总计)$/.test(i.key),
  );
  for (const i of lines)
    sumOfParts(ctx, {
      id: 'FA.fiscal.kinds',
      scope: `${scope} ${i.key}`,
      whole: i.amounts.get('total'),
      parts: [i.amounts.get('general'), i.amounts.get('fund'), i.amounts.get('capital')],
      what: `${scope} ${i.key}: 合计 = 一般公共预算 + 政府性基金 + 国有资本经营预算财政拨款`,
    });
  const classes = f.spending.filter((i) => classCode(i.key));
  const spending = item(f.spending, /^本年支出合计$/);
  for (const role of ['total', 'general', 'fund', 'capital'] as const)
    sumOfParts(ctx, {
      id: 'FA.fiscal.spending',
      scope: `${scope} ${role}`,
      whole: spending?.amounts.get(role),
      parts: classes.map((i) => i.amounts.get(role)),
      what: `${scope}: 本年支出合计 (${role}) = sum of its 类`,
    });
  const out = amt(f.spending, /^本年支出合计$/, 'total');
  const endCarry = amt(f.spending, /^年末财政拨款结转和结余$/, 'total');
  const totalOut = amt(f.spending, /^总计$/, 'total');
  sumOfParts(ctx, {
    id: 'FA.fiscal.totalOut',
    scope,
    whole: totalOut,
    parts: [out, endCarry],
    what: `${scope}: 支出总计 = 本年支出合计 + 年末财政拨款结转和结余`,
  });
  if (revenue && out)
    sidesBalance(ctx, {
      id: 'FA.fiscal.balance',
      scope,
      left: [revenue, begin],
      right: [out, endCarry],
      what: `${scope}: 本年收入合计 + 年初财政拨款结转和结余 = 本年支出合计 + 年末财政拨款结转和结余`,
    });
}

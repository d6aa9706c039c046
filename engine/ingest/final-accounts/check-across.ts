import type { DocumentContext } from '../budget-text/context.ts';
import { sameFigure, sumOfParts } from '../checks.ts';
import { amt, leaves } from './check.ts';
import { classCode, item, sourceOf } from './facts.ts';
import type { FuncRow } from './functions.ts';
import type { Tables } from './read.ts';
import { NAME } from './tables.ts';

/** Figures that two tables state: totals of the 总表 against the detail tables, 财政拨款 across its tables. */
export function crossChecks(ctx: DocumentContext, t: Tables): void {
  const s = t.summary?.r;
  const sp = t.spending?.r;
  const inc = t.income?.r;
  const f = t.fiscal?.r;
  const gen = t.general?.r;
  const sAmt = (side: 'income' | 'spending', re: RegExp) => amt(s?.[side], re, 'amount');
  sameFigure(ctx, {
    id: 'FA.x.revenue',
    scope: `${NAME.summary} / ${NAME.income}`,
    a: sAmt('income', /^本年收入合计$/),
    b: inc?.total?.amounts.get('total'),
    what: `本年收入合计: ${NAME.summary} vs ${NAME.income} 合计`,
  });
  const fiscalSources = s?.income.filter((i) =>
    ['一般公共预算财政拨款', '政府性基金预算拨款', '国有资本经营预算拨款'].includes(sourceOf(i.key) ?? ''),
  );
  if (inc?.total && fiscalSources?.length)
    sumOfParts(ctx, {
      id: 'FA.x.fiscalIncome',
      scope: `${NAME.income} / ${NAME.summary}`,
      whole: inc.total.amounts.get('fiscal'),
      parts: fiscalSources.map((i) => i.amounts.get('amount')),
      what: `财政拨款收入: ${NAME.income} 合计 vs the 财政拨款 of ${NAME.summary}`,
    });
  for (const [role, re] of [
    ['upper', /^上级补助收入$/],
    ['business', /^事业收入$/],
    ['operating', /^经营收入$/],
    ['affiliate', /^附属单位上缴收入$/],
    ['other', /^其他收入$/],
  ] as const)
    sameFigure(ctx, {
      id: 'FA.x.source',
      scope: `${NAME.summary} / ${NAME.income}`,
      a: sAmt('income', re),
      b: inc?.total?.amounts.get(role),
      what: `${re.source.replace(/[\^$]/g, '')}: ${NAME.summary} vs ${NAME.income} 合计`,
    });
  sameFigure(ctx, {
    id: 'FA.x.spending',
    scope: `${NAME.summary} / ${NAME.spending}`,
    a: sAmt('spending', /^本年支出合计$/),
    b: sp?.total?.amounts.get('total'),
    what: `本年支出合计: ${NAME.summary} vs ${NAME.spending} 合计`,
  });
  // Each 类 of the 总表 against the 支出决算表's 类 row, which adds up its 项 as rounded.
  for (const i of s?.spending ?? []) {
    const code = classCode(i.key);
    const row = code ? sp?.rows.find((r) => r.code === code) : undefined;
    if (!code || !sp || (!row && !i.amounts.get('amount'))) continue;
    sameFigure(ctx, {
      id: 'FA.x.class',
      scope: `${NAME.summary} ${code}`,
      a: i.amounts.get('amount'),
      b: row?.amounts.get('total'),
      what: `${code} ${i.key}: ${NAME.summary} vs ${NAME.spending}`,
      addends: leaves(sp.rows, code),
    });
  }
  // 财政拨款 across its tables.
  const fIn = (re: RegExp) => amt(f?.income, re, 'amount');
  if (f) {
    sameFigure(ctx, {
      id: 'FA.x.general',
      scope: `${NAME.fiscal} / ${NAME.summary}`,
      a: fIn(/^一般公共预算财政拨款(收入)?$/),
      b: sAmt('income', /^一般公共预算财政拨款(收入)?$/),
      what: `一般公共预算财政拨款收入: ${NAME.fiscal} vs ${NAME.summary}`,
    });
    sameFigure(ctx, {
      id: 'FA.x.fiscalRevenue',
      scope: `${NAME.fiscal} / ${NAME.income}`,
      a: fIn(/^本年收入合计$/),
      b: inc?.total?.amounts.get('fiscal'),
      what: `财政拨款 本年收入合计: ${NAME.fiscal} vs ${NAME.income} 财政拨款收入`,
    });
    const fSpend = item(f.spending, /^本年支出合计$/);
    sameFigure(ctx, {
      id: 'FA.x.generalSpending',
      scope: `${NAME.fiscal} / ${NAME.general}`,
      a: fSpend?.amounts.get('general'),
      b: gen?.total?.amounts.get('total'),
      what: `一般公共预算财政拨款支出: ${NAME.fiscal} vs ${NAME.general} 合计`,
    });
    for (const [k, role] of [
      ['fund', 'fund'],
      ['capital', 'capital'],
    ] as const) {
      const other = t[k]?.r;
      if (!other) continue;
      sameFigure(ctx, {
        id: `FA.x.${k}`,
        scope: `${NAME.fiscal} / ${NAME[k]}`,
        a: fSpend?.amounts.get(role),
        b: other.total?.amounts.get('total'),
        what: `${NAME[k]} 本年支出: ${NAME.fiscal} vs ${NAME[k]} 合计`,
      });
    }
    if (gen)
      for (const i of f.spending) {
        const code = classCode(i.key);
        if (!code) continue;
        const row = gen.rows.find((r: FuncRow<string>) => r.code === code);
        sameFigure(ctx, {
          id: 'FA.x.generalClass',
          scope: `${NAME.fiscal} / ${NAME.general} ${code}`,
          a: i.amounts.get('general'),
          b: row?.amounts.get('total'),
          what: `${code} ${i.key}: ${NAME.fiscal} 一般公共预算 vs ${NAME.general}`,
          addends: leaves(gen.rows, code),
        });
      }
  }
}

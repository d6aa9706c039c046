import type { DocumentContext } from '../budget-text/context.ts';
import { amt, leaves, same, sumCheck } from './check.ts';
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
  same(
    ctx,
    'FA.x.revenue',
    `${NAME.summary} / ${NAME.income}`,
    sAmt('income', /^本年收入合计$/),
    inc?.total?.amounts.get('total'),
    `本年收入合计: ${NAME.summary} vs ${NAME.income} 合计`,
  );
  const fiscalSources = s?.income.filter((i) =>
    ['一般公共预算财政拨款', '政府性基金预算拨款', '国有资本经营预算拨款'].includes(sourceOf(i.key) ?? ''),
  );
  if (inc?.total && fiscalSources?.length)
    sumCheck(ctx, {
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
    same(
      ctx,
      'FA.x.source',
      `${NAME.summary} / ${NAME.income}`,
      sAmt('income', re),
      inc?.total?.amounts.get(role),
      `${re.source.replace(/[\^$]/g, '')}: ${NAME.summary} vs ${NAME.income} 合计`,
    );
  same(
    ctx,
    'FA.x.spending',
    `${NAME.summary} / ${NAME.spending}`,
    sAmt('spending', /^本年支出合计$/),
    sp?.total?.amounts.get('total'),
    `本年支出合计: ${NAME.summary} vs ${NAME.spending} 合计`,
  );
  // Each 类 of the 总表 against the 支出决算表's 类 row, which adds up its 项 as rounded.
  for (const i of s?.spending ?? []) {
    const code = classCode(i.key);
    const row = code ? sp?.rows.find((r) => r.code === code) : undefined;
    if (!code || !sp || (!row && !i.amounts.get('amount'))) continue;
    same(
      ctx,
      'FA.x.class',
      `${NAME.summary} ${code}`,
      i.amounts.get('amount'),
      row?.amounts.get('total'),
      `${code} ${i.key}: ${NAME.summary} vs ${NAME.spending}`,
      leaves(sp.rows, code),
    );
  }
  // 财政拨款 across its tables.
  const fIn = (re: RegExp) => amt(f?.income, re, 'amount');
  if (f) {
    same(
      ctx,
      'FA.x.general',
      `${NAME.fiscal} / ${NAME.summary}`,
      fIn(/^一般公共预算财政拨款(收入)?$/),
      sAmt('income', /^一般公共预算财政拨款(收入)?$/),
      `一般公共预算财政拨款收入: ${NAME.fiscal} vs ${NAME.summary}`,
    );
    same(
      ctx,
      'FA.x.fiscalRevenue',
      `${NAME.fiscal} / ${NAME.income}`,
      fIn(/^本年收入合计$/),
      inc?.total?.amounts.get('fiscal'),
      `财政拨款 本年收入合计: ${NAME.fiscal} vs ${NAME.income} 财政拨款收入`,
    );
    const fSpend = item(f.spending, /^本年支出合计$/);
    same(
      ctx,
      'FA.x.generalSpending',
      `${NAME.fiscal} / ${NAME.general}`,
      fSpend?.amounts.get('general'),
      gen?.total?.amounts.get('total'),
      `一般公共预算财政拨款支出: ${NAME.fiscal} vs ${NAME.general} 合计`,
    );
    for (const [k, role] of [
      ['fund', 'fund'],
      ['capital', 'capital'],
    ] as const) {
      const other = t[k]?.r;
      if (!other) continue;
      same(
        ctx,
        `FA.x.${k}`,
        `${NAME.fiscal} / ${NAME[k]}`,
        fSpend?.amounts.get(role),
        other.total?.amounts.get('total'),
        `${NAME[k]} 本年支出: ${NAME.fiscal} vs ${NAME[k]} 合计`,
      );
    }
    if (gen)
      for (const i of f.spending) {
        const code = classCode(i.key);
        if (!code) continue;
        const row = gen.rows.find((r: FuncRow<string>) => r.code === code);
        same(
          ctx,
          'FA.x.generalClass',
          `${NAME.fiscal} / ${NAME.general} ${code}`,
          i.amounts.get('general'),
          row?.amounts.get('total'),
          `${code} ${i.key}: ${NAME.fiscal} 一般公共预算 vs ${NAME.general}`,
          leaves(gen.rows, code),
        );
      }
  }
}

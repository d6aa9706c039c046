import type { DocumentContext } from '../budget-text/context.ts';
import { sidesBalance, sumOfParts } from '../checks.ts';
import type { FuncTable } from './functions.ts';
import type { Tables } from './read.ts';
import { NAME } from './tables.ts';

/**
 * A table by 支出功能分类: each row's total is the sum of its columns (`parts`), the 合计 row the sum of the
 * 类, each 类 the sum of its 款, each 款 of its 项 (for every column in `levels`).
 */
export function functionTableChecks<R extends string>(
  ctx: DocumentContext,
  name: string,
  table: FuncTable<R>,
  levels: R[],
  parts: R[],
): void {
  const rows = table.rows;
  for (const r of [...rows, ...(table.total ? [{ code: '合计', name: '合计', ...table.total }] : [])])
    sumOfParts(ctx, {
      id: 'FA.row',
      scope: `${name} ${r.code}`,
      whole: r.amounts.get('total' as R),
      parts: parts.map((p) => r.amounts.get(p)),
      what: `${name} ${r.code} ${r.name}: total = sum of its columns`,
      skipIfNoParts: true,
    });
  for (const role of levels) {
    const classes = rows.filter((r) => r.code.length === 3);
    if (table.total)
      sumOfParts(ctx, {
        id: 'FA.classes',
        scope: `${name} ${role}`,
        whole: table.total.amounts.get(role),
        parts: classes.map((r) => r.amounts.get(role)),
        what: `${name}: 合计 (${role}) = sum of its ${classes.length} 类`,
      });
    for (const parent of rows.filter((r) => r.code.length < 7)) {
      const children = rows.filter((c) => c.code.length === parent.code.length + 2 && c.code.startsWith(parent.code));
      if (children.length === 0) continue;
      sumOfParts(ctx, {
        id: 'FA.hierarchy',
        scope: `${name} ${parent.code} ${role}`,
        whole: parent.amounts.get(role),
        parts: children.map((c) => c.amounts.get(role)),
        what: `${name} ${parent.code} ${parent.name} (${role}) = sum of its ${children.length} ${parent.code.length === 3 ? '款' : '项'}`,
      });
    }
  }
}

/** 政府性基金 / 国有资本经营预算 tables: 年初 + 本年收入 − 本年支出 = 年末; 本年支出 = 基本 + 项目. */
export function fundChecks<R extends string>(ctx: DocumentContext, name: string, table: FuncTable<R>): void {
  if (table.rows.length === 0 && !table.total?.amounts.size) {
    ctx.note(
      'FA.empty',
      name,
      'info',
      table.note ? [table.note.no] : [],
      `${name} prints no rows${table.note ? `: ${table.note.text.trim()}` : ''}`,
    );
    return;
  }
  for (const r of [...table.rows, ...(table.total ? [{ code: '合计', name: '合计', ...table.total }] : [])]) {
    const a = (k: string) => r.amounts.get(k as R);
    sumOfParts(ctx, {
      id: 'FA.fund.split',
      scope: `${name} ${r.code}`,
      whole: a('total'),
      parts: [a('basic'), a('project')],
      what: `${name} ${r.code}: 本年支出 = 基本支出 + 项目支出`,
      skipIfNoParts: true,
    });
    sidesBalance(ctx, {
      id: 'FA.fund.balance',
      scope: `${name} ${r.code}`,
      left: [a('begin'), a('revenue')],
      right: [a('total'), a('end')],
      lines: [r.line],
      what: `${name} ${r.code}: 年初结转和结余 + 本年收入 = 本年支出 + 年末结转和结余`,
    });
  }
}

/** 基本支出 by economic classification: 类 = sum of 款; 人员经费 + 公用经费 = 一般公共预算 基本支出. */
export function basicChecks(ctx: DocumentContext, t: Tables): void {
  const b = t.basic?.r;
  if (!b) return;
  const scope = NAME.basic;
  const classes = b.rows.filter((r) => r.code.length === 3);
  for (const c of classes) {
    const items = b.rows.filter((r) => r.code.length === 5 && r.code.startsWith(c.code));
    if (items.length)
      sumOfParts(ctx, {
        id: 'FA.basic.class',
        scope: `${scope} ${c.code}`,
        whole: c.amount,
        parts: items.map((r) => r.amount),
        what: `${scope} ${c.code} ${c.name} = sum of its ${items.length} 款`,
      });
  }
  const personnel = classes.filter((c) => c.code === '301' || c.code === '303');
  const publicCost = classes.filter((c) => c.code !== '301' && c.code !== '303');
  sumOfParts(ctx, {
    id: 'FA.basic.personnel',
    scope,
    whole: b.personnel,
    parts: personnel.map((c) => c.amount),
    what: `${scope}: 人员经费合计 = 工资福利支出 + 对个人和家庭的补助`,
  });
  sumOfParts(ctx, {
    id: 'FA.basic.public',
    scope,
    whole: b.public,
    parts: publicCost.map((c) => c.amount),
    what: `${scope}: 公用经费合计 = sum of the other 类`,
  });
  const genBasic = t.general?.r.total?.amounts.get('basic');
  if (genBasic)
    sumOfParts(ctx, {
      id: 'FA.x.basic',
      scope: `${scope} / ${NAME.general}`,
      whole: genBasic,
      parts: [b.personnel, b.public],
      what: `一般公共预算财政拨款基本支出: ${NAME.general} 合计 = 人员经费 + 公用经费`,
    });
}

/** 三公: for each stage printed, 合计 = 因公出国（境）+ 公务用车购置及运行 + 公务接待, and the 公务用车 split. */
export function sangongChecks(ctx: DocumentContext, t: Tables): void {
  const sg = t.sangong?.r;
  if (!sg) return;
  const scope = NAME.sangong;
  for (const stage of ['budget', 'final'] as const) {
    const cells = sg.cells.filter((c) => c.stage === stage);
    if (cells.length === 0) continue;
    const get = (p: string) => cells.find((c) => c.part === p)?.amount;
    const vehicle = get('vehicle');
    sumOfParts(ctx, {
      id: 'FA.sangong.total',
      scope: `${scope} ${stage}`,
      whole: get('total'),
      parts: [
        get('overseas_travel'),
        vehicle ?? get('vehicle_purchase'),
        vehicle ? undefined : get('vehicle_operation'),
        get('reception'),
      ],
      what: `${scope} (${stage === 'budget' ? '预算数' : '决算数'}): 合计 = 因公出国（境）费 + 公务用车购置及运行费 + 公务接待费`,
    });
    sumOfParts(ctx, {
      id: 'FA.sangong.vehicle',
      scope: `${scope} ${stage}`,
      whole: vehicle,
      parts: [get('vehicle_purchase'), get('vehicle_operation')],
      what: `${scope} (${stage === 'budget' ? '预算数' : '决算数'}): 公务用车购置及运行费 = 购置费 + 运行费`,
      skipIfNoParts: true,
    });
  }
}

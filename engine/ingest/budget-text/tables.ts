import { codeLists, funcLevel, funcParent, nameKey, procLevel, procType, type Code } from '../../classify/codes.ts';
import { departmentAndUnits, printedMoney, sumOfParts } from '../checks.ts';
import { amountOf, stripNumbering, type Amount, type DocumentContext, type Table } from './context.ts';
import { dropSpaces, type Line } from './lines.ts';

/** Lines of a table that hold data: not blank, not the title or the 单位名称 / 单位 header lines. */
export function dataLines(t: Table): Line[] {
  // Plain loops: this runs over every line of every table, once or twice per document.
  const out: Line[] = [];
  for (let i = 0; i < t.lines.length; i++) {
    const l = t.lines[i] as Line;
    let first = '';
    for (let k = 0; k < l.cells.length && !first; k++) first = l.cells[k] as string;
    if (!first) continue;
    if (/^(单位名称|单位|填报单位|部门（单位）名称|部门\(单位\)名称)[:：]/.test(first)) continue;
    out.push(l);
  }
  return out;
}

/** The amounts of a row, from cell `from` on; undefined where a cell is not a number. */
function amounts(l: Line, from: number, count: number): (Amount | undefined)[] {
  const out: (Amount | undefined)[] = [];
  for (let i = from; i < from + count; i++) out.push(amountOf(l.cells[i], l.no));
  return out;
}

function allAmounts(l: Line, from: number, count: number): Amount[] | undefined {
  const a = amounts(l, from, count);
  return a.every((x) => x !== undefined) ? (a as Amount[]) : undefined;
}

/** Units, in table order (the department first), from 表3, else 表2, else 表7. */
export function findUnits(tables: Map<number, Table>): string[] {
  for (const [no, cols, from] of [
    [3, 4, 1],
    [2, 18, 1],
    [7, 3, 3],
  ] as const) {
    const t = tables.get(no);
    if (!t) continue;
    const units = dataLines(t)
      .filter((l) => l.cells[0] && allAmounts(l, from, cols) && !/合计|总计/.test(l.cells[0]))
      .map((l) => (l.cells[0] as string).replace(/\s+/g, ''));
    if (units.length) return units;
  }
  return [];
}

// ---------------------------------------------------------------- 表2 收入总表

const REVENUE_SOURCES: { col: number; source: string; level: number; parent: string | null }[] = [
  { col: 3, source: '一般公共预算财政拨款', level: 1, parent: null },
  { col: 4, source: '一般性经费拨款', level: 2, parent: '一般公共预算财政拨款' },
  { col: 5, source: '财政专项资金拨款', level: 2, parent: '一般公共预算财政拨款' },
  { col: 6, source: '政府投资项目', level: 2, parent: '一般公共预算财政拨款' },
  { col: 7, source: '政府性基金预算拨款', level: 1, parent: null },
  { col: 8, source: '其他政府性基金', level: 2, parent: '政府性基金预算拨款' },
  { col: 9, source: '政府投资项目', level: 2, parent: '政府性基金预算拨款' },
  { col: 10, source: '财政专户拨款（教育收费）', level: 1, parent: null },
  { col: 11, source: '事业收入', level: 1, parent: null },
  { col: 12, source: '经营收入', level: 1, parent: null },
  { col: 13, source: '其他收入', level: 1, parent: null },
  { col: 14, source: '上级补助收入', level: 1, parent: null },
  { col: 15, source: '附属单位上缴收入', level: 1, parent: null },
  { col: 16, source: '用事业基金弥补收支差额', level: 1, parent: null },
  { col: 17, source: '上年结转', level: 1, parent: null },
];

/**
 * 表2 收入总表: each unit's row (the department's first) of 收入总计, 本年收入合计 and its sources (财政拨款 by
 * kind, 事业收入, …, 上年结转): budget_totals and revenue_by_source, the row's own sums, department = Σ units.
 * Returns each unit's 18 amounts in print order.
 */
export function readRevenueBySource(ctx: DocumentContext, t: Table): Map<string, Amount[]> {
  const byUnit = new Map<string, Amount[]>();
  for (const l of dataLines(t)) {
    const unit = ctx.unitNamed(l.cells[0] ?? '');
    const a = unit && allAmounts(l, 1, 18);
    if (!unit || !a) continue;
    byUnit.set(unit, a);
    const at = (i: number) => a[i] as Amount;
    const p = ctx.prov(unit, '表2', l.no);
    ctx.add('budget_totals', p, { measure: 'revenue_total', amount: at(0).value });
    ctx.add('budget_totals', p, { measure: 'revenue_current_year', amount: at(1).value });
    for (const s of REVENUE_SOURCES)
      ctx.add('revenue_by_source', p, {
        source: s.source,
        source_level: s.level,
        parent_source: s.parent,
        amount: at(s.col).value,
      });
    // The rounding is taken at the finest precision printed anywhere in the row.
    const decimals = Math.max(...a.map((x) => x.decimals));
    const scope = `表2 ${unit}`;
    for (const [id, whole, parts, what] of [
      ['T2.total', 0, [1, 16, 17], '收入总计 = 本年收入合计 + 用事业基金弥补收支差额 + 上年结转'],
      [
        'T2.current',
        1,
        [2, 11, 12, 13, 14, 15],
        '本年收入合计 = 财政拨款 + 事业/经营/其他收入 + 上级补助 + 附属单位上缴',
      ],
      ['T2.fiscal', 2, [3, 7, 10], '财政拨款 = 一般公共预算 + 政府性基金 + 财政专户'],
      ['T2.general', 3, [4, 5, 6], '一般公共预算拨款 = 一般性经费 + 财政专项 + 政府投资项目'],
    ] as const)
      sumOfParts(ctx, { id, scope, whole: at(whole), parts: parts.map(at), decimals, what: `表2 ${unit}: ${what}` });
  }
  unitsAddUp(
    ctx,
    '表2',
    byUnit,
    [0, 1, 2, 3, 7, 11, 17],
    ['收入总计', '本年收入合计', '财政拨款', '一般公共预算拨款', '政府性基金', '事业收入', '上年结转'],
  );
  return byUnit;
}

/** Check that the department's row equals the sum of its units' rows, column by column. */
function unitsAddUp(
  ctx: DocumentContext,
  table: string,
  byUnit: Map<string, Amount[]>,
  cols: number[],
  names: string[],
): void {
  const { department, units } = departmentAndUnits(byUnit, ctx.department);
  if (!department || units.length === 0) return;
  cols.forEach((c, k) =>
    sumOfParts(ctx, {
      id: `${table}.units`,
      scope: `${table} ${ctx.department}`,
      whole: department[c],
      parts: units.map((u) => u[c]),
      what: `${table} ${names[k]}: department = sum of its ${units.length} units`,
    }),
  );
}

// ---------------------------------------------------------------- 表3 支出总表

/**
 * 表3 支出总表: each unit's 支出总计, 基本支出, 项目支出 and 其中：政府采购 (budget_totals), 支出总计 = 基本 +
 * 项目, department = Σ units. Returns each unit's four amounts.
 */
export function readSpendingTotals(ctx: DocumentContext, t: Table): Map<string, Amount[]> {
  const byUnit = new Map<string, Amount[]>();
  for (const l of dataLines(t)) {
    const unit = ctx.unitNamed(l.cells[0] ?? '');
    const a = unit && allAmounts(l, 1, 4);
    if (!unit || !a) continue;
    byUnit.set(unit, a);
    const [total, basic, project] = a as [Amount, Amount, Amount, Amount];
    const p = ctx.prov(unit, '表3', l.no);
    ctx.add('budget_totals', p, { measure: 'spending_total', amount: total.value });
    ctx.add('budget_totals', p, { measure: 'basic_total', amount: basic.value });
    ctx.add('budget_totals', p, { measure: 'project_total', amount: project.value });
    sumOfParts(ctx, {
      id: 'T3.split',
      scope: `表3 ${unit}`,
      whole: total,
      parts: [basic, project],
      decimals: total.decimals,
      what: `表3 ${unit}: 支出总计 = 基本支出 + 项目支出`,
    });
  }
  unitsAddUp(ctx, '表3', byUnit, [0, 1, 2, 3], ['支出总计', '基本支出', '项目支出', '政府采购']);
  return byUnit;
}

// ---------------------------------------------------------------- 表4 基本支出总表 / 表5 项目支出总表

const ECON_CLASSES_FALLBACK: Record<string, string> = {
  工资福利支出: '301',
  商品和服务支出: '302',
  对个人和家庭的补助: '303',
  对个人和家庭的补助支出: '303',
  债务利息及费用支出: '307',
  '资本性支出（基本建设）': '309',
  资本性支出: '310',
  '对企业补助（基本建设）': '311',
  对企业补助: '312',
  对社会保障基金补助: '313',
  其他支出: '399',
};

function econClass(name: string): Code | undefined {
  const { econ } = codeLists();
  const hit = econ.named(name).find((c) => c.level === 1);
  if (hit) return hit;
  const key = nameKey(name);
  const wide = key.includes('(') || key.includes(')') ? key.replace(/\(/g, '（').replace(/\)/g, '）') : key;
  const code = ECON_CLASSES_FALLBACK[wide] ?? ECON_CLASSES_FALLBACK[name];
  return code ? { code, name, level: 1, parent_code: null } : undefined;
}

export interface EconRow {
  unit: string;
  type: 'basic' | 'project';
  code: string | null;
  name: string;
  level: number;
  amount: Amount;
}

/**
 * 表4 基本支出总表 or 表5 项目支出总表 (`type`): each unit's spending by economic 类 and 款
 * (spending_by_economic; the department's rows are its units' sums), unit total = Σ 类, 类 = Σ 款, department = Σ
 * units. Returns each unit's printed total and the rows.
 */
export function readSpendingByEconomicClass(
  ctx: DocumentContext,
  t: Table,
  type: 'basic' | 'project',
): { units: Map<string, Amount>; rows: EconRow[] } {
  const { econ } = codeLists();
  const units = new Map<string, Amount>();
  const rows: EconRow[] = [];
  let unit: string | undefined;
  let cls: EconRow | undefined;
  const tname = t.name;
  // Each unit lists the same items: look a name up in the classification once per table.
  const lookups = new Map<string, { cls: Code | undefined; items: Code[] }>();
  const lookup = (name: string) => {
    let hit = lookups.get(name);
    if (!hit) {
      const c = econClass(name);
      hit = { cls: c, items: c ? [] : econ.named(name).filter((x) => x.level === 2) };
      lookups.set(name, hit);
    }
    return hit;
  };
  for (const l of dataLines(t)) {
    const name = l.cells[0] ?? '';
    const total = amountOf(l.cells[1], l.no);
    if (!name || !total) continue;
    const u = ctx.unitNamed(name);
    if (u) {
      unit = u;
      cls = undefined;
      units.set(u, total);
      continue;
    }
    if (!unit) continue;
    const { cls: c, items: cands } = lookup(name);
    if (c) {
      cls = { unit, type, code: c.code, name, level: 1, amount: total };
      rows.push(cls);
    } else {
      const code = (cands.find((x) => cls && x.parent_code === cls.code) ?? cands[0])?.code ?? null;
      if (!code)
        ctx.note(
          'ECON.unknown',
          `${tname} ${unit}`,
          'info',
          [l.no],
          `${tname}: economic item '${name}' is not in the classification; loaded without a code`,
        );
      rows.push({ unit, type, code, name, level: 2, amount: total });
    }
  }
  for (const r of rows) {
    ctx.add('spending_by_economic', ctx.prov(r.unit, tname, r.amount.line), {
      spending_type: r.type,
      econ_code: r.code,
      econ_name: r.name,
      econ_level: r.level,
      amount: r.amount.value,
    });
  }
  // Department level: the sum of its units, item by item (the table prints only the department's total).
  const key = (r: EconRow) => `${r.level}|${r.code ?? r.name}`;
  const agg = new Map<string, { r: EconRow; total: bigint }>();
  for (const r of rows) {
    if (r.unit === ctx.department) continue;
    const k = key(r);
    const cur = agg.get(k);
    if (cur) cur.total += r.amount.value;
    else agg.set(k, { r, total: r.amount.value });
  }
  for (const { r, total } of agg.values())
    ctx.add('spending_by_economic', ctx.prov(ctx.department, tname, r.amount.line, { derived: true }), {
      spending_type: type,
      econ_code: r.code,
      econ_name: r.name,
      econ_level: r.level,
      amount: total,
    });
  // Checks: unit total = its 类; 类 = its 款; department = units.
  for (const [u, total] of units) {
    if (u === ctx.department) continue;
    const classes = rows.filter((r) => r.unit === u && r.level === 1);
    sumOfParts(ctx, {
      id: `${tname}.unit`,
      scope: `${tname} ${u}`,
      whole: total,
      parts: classes.map((c) => c.amount),
      decimals: total.decimals,
      what: `${tname} ${u}: total = sum of its ${classes.length} economic 类`,
    });
    for (const c of classes) {
      const items = itemsOf(rows, c);
      if (items.length === 0) continue;
      sumOfParts(ctx, {
        id: `${tname}.class`,
        scope: `${tname} ${u} ${c.name}`,
        whole: c.amount,
        parts: items.map((i) => i.amount),
        decimals: c.amount.decimals,
        what: `${tname} ${u}: ${c.name} = sum of its ${items.length} 款`,
      });
    }
  }
  const { department, units: parts } = departmentAndUnits(units, ctx.department);
  if (department && parts.length)
    sumOfParts(ctx, {
      id: `${tname}.units`,
      scope: `${tname} ${ctx.department}`,
      whole: department,
      parts,
      decimals: department.decimals,
      what: `${tname}: department total = sum of its units`,
    });
  return { units, rows };
}

function itemsOf(rows: EconRow[], cls: EconRow): EconRow[] {
  const i = rows.indexOf(cls);
  const out: EconRow[] = [];
  for (let k = i + 1; k < rows.length; k++) {
    const r = rows[k] as EconRow;
    if (r.unit !== cls.unit || r.level === 1) break;
    out.push(r);
  }
  return out;
}

// ---------------------------------------------------------------- 表7 一般公共预算支出表 (by function)

export interface FuncItem {
  unit: string;
  code: string;
  name: string;
  total: Amount;
  basic: Amount;
  project: Amount;
}

export interface FuncAggregate {
  unit: string;
  code: string;
  total: bigint;
  basic: bigint;
  project: bigint;
  items: FuncItem[];
}

/**
 * 表7 一般公共预算支出表: each unit's 项 by function code with total / 基本支出 / 项目支出, and its printed totals;
 * aggregated to every level per unit and for the department (the facts are written by reconcile); each total = Σ
 * 项, total = basic + project per unit and per 项. 一般公共预算 only.
 */
export function readGeneralBudgetByFunction(
  ctx: DocumentContext,
  t: Table,
): { units: Map<string, Amount[]>; items: FuncItem[]; aggregates: Map<string, FuncAggregate> } {
  const units = new Map<string, Amount[]>();
  const items: FuncItem[] = [];
  let unit: string | undefined;
  for (const l of dataLines(t)) {
    const u = ctx.unitNamed(l.cells[0] ?? '');
    const a = allAmounts(l, 3, 3);
    if (u && a) {
      unit = u;
      units.set(u, a);
      continue;
    }
    const code = dropSpaces(l.cells[1] ?? '');
    if (!unit || !/^\d{3}(\d{2}){0,2}$/.test(code) || !a) continue;
    const [total, basic, project] = a as [Amount, Amount, Amount];
    items.push({ unit, code, name: l.cells[2] ?? '', total, basic, project });
  }
  // Aggregates per unit (and for the department: all units) at every level above what is printed.
  const aggregates = new Map<string, FuncAggregate>();
  const bump = (u: string, code: string, it: FuncItem) => {
    const k = `${u}|${code}`;
    const cur = aggregates.get(k) ?? { unit: u, code, total: 0n, basic: 0n, project: 0n, items: [] };
    cur.total += it.total.value;
    cur.basic += it.basic.value;
    cur.project += it.project.value;
    cur.items.push(it);
    aggregates.set(k, cur);
  };
  for (const it of items) {
    for (const u of it.unit === ctx.department ? [it.unit] : [it.unit, ctx.department]) {
      for (let c: string | null = it.code; c; c = funcParent(c)) bump(u, c, it);
    }
  }
  // Checks: each unit's printed total and split against its items; department = units.
  for (const [u, a] of units) {
    const its = u === ctx.department ? items : items.filter((i) => i.unit === u);
    const [total, basic, project] = a as [Amount, Amount, Amount];
    for (const [label, printed, pick] of [
      ['支出总计', total, (i: FuncItem) => i.total],
      ['基本支出', basic, (i: FuncItem) => i.basic],
      ['项目支出', project, (i: FuncItem) => i.project],
    ] as const) {
      sumOfParts(ctx, {
        id: 'T7.items',
        scope: `表7 ${u}`,
        whole: printed,
        parts: its.map(pick),
        decimals: printed.decimals,
        what: `表7 ${u}: ${label} = sum of its ${its.length} 项`,
      });
    }
    sumOfParts(ctx, {
      id: 'T7.split',
      scope: `表7 ${u}`,
      whole: total,
      parts: [basic, project],
      decimals: total.decimals,
      what: `表7 ${u}: 支出总计 = 基本支出 + 项目支出`,
    });
  }
  for (const it of items)
    sumOfParts(ctx, {
      id: 'T7.row',
      scope: `表7 ${it.unit} ${it.code}`,
      whole: it.total,
      parts: [it.basic, it.project],
      decimals: it.total.decimals,
      what: `表7 ${it.unit} ${it.code} ${it.name}: total = basic + project`,
    });
  return { units, items, aggregates };
}

/** Names of function codes: as printed in 表7 for 项, else from the classification. */
export function funcName(code: string, items: FuncItem[]): string {
  return funcNameOf(code, items).name;
}

function funcNameUncached(code: string, items: FuncItem[]): string {
  const printed = items.find((i) => i.code === code)?.name;
  if (printed) return printed;
  return codeLists().func.byCode.get(code)?.name ?? FUNC_CLASS_FALLBACK[code] ?? code;
}

/**
 * funcName and its nameKey, remembered per 表7 item list (a document's; weakly held, so it goes with it):
 * resolveFuncName compares a name with every code a document uses, for each line of 表1, 表6 and the text.
 * The list's length is kept too, so that a list that grew is looked at afresh.
 */
const funcNames = new WeakMap<FuncItem[], { length: number; byCode: Map<string, { name: string; key: string }> }>();

function funcNameOf(code: string, items: FuncItem[]): { name: string; key: string } {
  let memo = funcNames.get(items);
  if (!memo || memo.length !== items.length) {
    memo = { length: items.length, byCode: new Map() };
    funcNames.set(items, memo);
  }
  let e = memo.byCode.get(code);
  if (!e) {
    const name = funcNameUncached(code, items);
    e = { name, key: nameKey(name) };
    memo.byCode.set(code, e);
  }
  return e;
}

const FUNC_CLASS_FALLBACK: Record<string, string> = {
  '201': '一般公共服务支出',
  '208': '社会保障和就业支出',
  '210': '卫生健康支出',
  '221': '住房保障支出',
};

/** Resolve a function name printed without a code (表1, 表6, the narrative) among the codes a document uses. */
export function resolveFuncName(
  name: string,
  context: { class?: string; kuan?: string },
  known: Set<string>,
  items: FuncItem[],
): string | undefined {
  const stripped = stripNumbering(name);
  const key = nameKey(stripped);
  const cands: string[] = [];
  for (const c of known) if (funcNameOf(c, items).key === key) cands.push(c);
  if (cands.length === 0) {
    const fromList = codeLists()
      .func.named(stripped)
      .map((c) => c.code);
    cands.push(...fromList.filter((c) => funcLevel(c) === 1 || (context.class && c.startsWith(context.class))));
  }
  if (cands.length <= 1) return cands[0];
  return (
    cands.find((c) => context.kuan && funcLevel(c) === 3 && c.startsWith(context.kuan)) ??
    cands.find((c) => context.class && funcLevel(c) === 2 && c.startsWith(context.class)) ??
    cands.find((c) => funcLevel(c) === 1) ??
    cands[0]
  );
}

// ---------------------------------------------------------------- 表1 / 表6: two-sided summaries

export interface TwoSided {
  revenue: { name: string; amount: Amount }[];
  spending: { name: string; amount: Amount }[];
}

/** 表1 收支总表 or 表6 政府预算拨款收支总表: the named lines of its 收入 (left) and 支出 (right) sides. */
export function readTwoSidedSummary(t: Table): TwoSided {
  const out: TwoSided = { revenue: [], spending: [] };
  for (const l of dataLines(t)) {
    const [rn, ra, sn, sa] = [l.cells[0] ?? '', l.cells[1], l.cells[2] ?? '', l.cells[3]];
    const r = amountOf(ra, l.no);
    const s = amountOf(sa, l.no);
    if (rn && r) out.revenue.push({ name: rn, amount: r });
    if (sn && s) out.spending.push({ name: sn, amount: s });
  }
  return out;
}

/** Compare a table's function rows (names only) with 表7's aggregates for the department. */
export function checkFunctionSummary(
  ctx: DocumentContext,
  table: string,
  rows: { name: string; amount: Amount }[],
  agg: Map<string, FuncAggregate>,
  items: FuncItem[],
): Map<string, Amount> {
  const known = new Set([...agg.values()].filter((a) => a.unit === ctx.department).map((a) => a.code));
  const printed = new Map<string, Amount>();
  const context: { class?: string; kuan?: string } = {};
  for (const r of rows) {
    if (/合计|总计|结转|结余/.test(r.name)) continue;
    const code = resolveFuncName(r.name, context, known, items);
    if (!code) {
      if (r.amount.value !== 0n)
        ctx.note(
          `${table}.func`,
          table,
          'warning',
          [r.amount.line],
          `${table}: spending line '${r.name}' (${r.amount.value === 0n ? 0 : 'non-zero'}) matches no function code of 表7`,
        );
      continue;
    }
    const level = funcLevel(code);
    if (level === 1) {
      context.class = code;
      context.kuan = undefined;
    } else if (level === 2) context.kuan = code;
    const numbered = /^[一二三四五六七八九十]+、/.test(r.name);
    if (numbered && level !== 1)
      ctx.note(
        `${table}.numbering`,
        table,
        'info',
        [r.amount.line],
        `${table}: '${r.name}' is numbered like a 类 but is the 款 ${code} ${funcName(code, items)}; the hierarchy follows the code`,
      );
    printed.set(code, r.amount);
    // 表7's aggregate of the code is the sum of its 项 (none: zero).
    const its = agg.get(`${ctx.department}|${code}`)?.items ?? [];
    sumOfParts(ctx, {
      id: `${table}.vs.T7`,
      scope: `${table} ${code}`,
      whole: r.amount,
      parts: its.map((i) => i.total),
      decimals: r.amount.decimals,
      what: `${table} ${code} ${funcName(code, items)} vs 表7 (sum of ${its.length} 项)`,
    });
  }
  return printed;
}

// ---------------------------------------------------------------- 表11 政府采购项目支出表

/**
 * 表11 政府采购项目支出表: each unit's procurement total and its items by 品目编码 (procurement; A 货物 / B 工程 /
 * C 服务), each type = Σ its items, unit total = Σ types, department = Σ units. Returns each unit's total and types.
 */
export function readProcurement(
  ctx: DocumentContext,
  t: Table,
): Map<string, { total: Amount; types: Map<string, Amount> }> {
  const { proc } = codeLists();
  const byUnit = new Map<string, { total: Amount; types: Map<string, Amount> }>();
  let unit: string | undefined;
  let parent: { code: string; amount: Amount; items: Amount[] } | undefined;
  const closeParent = () => {
    if (parent && parent.items.length)
      sumOfParts(ctx, {
        id: 'T11.type',
        scope: `表11 ${unit} ${parent.code}`,
        whole: parent.amount,
        parts: parent.items,
        decimals: parent.amount.decimals,
        what: `表11 ${unit}: ${parent.code} = sum of its ${parent.items.length} items`,
      });
  };
  for (const l of dataLines(t)) {
    const u = ctx.unitNamed(l.cells[0] ?? '');
    const amt = amountOf(l.cells[3], l.no);
    if (u && amt) {
      closeParent();
      parent = undefined;
      unit = u;
      byUnit.set(u, { total: amt, types: new Map() });
      ctx.add('budget_totals', ctx.prov(u, '表11', l.no), { measure: 'procurement_total', amount: amt.value });
      continue;
    }
    const code = dropSpaces(l.cells[1] ?? '');
    const type = procType(code);
    if (!unit || !amt || !/^[ABC]\d*$/.test(code) || !type) continue;
    const level = procLevel(code);
    const name = l.cells[2] || proc.byCode.get(code)?.name || code;
    ctx.add('procurement', ctx.prov(unit, '表11', l.no), {
      item_code: code,
      item_name: name,
      item_level: level,
      procurement_type: type,
      amount: amt.value,
    });
    if (level === 1) {
      closeParent();
      parent = { code, amount: amt, items: [] };
      byUnit.get(unit)?.types.set(type, amt);
    } else parent?.items.push(amt);
  }
  closeParent();
  for (const [u, { total, types }] of byUnit) {
    if (u === ctx.department) continue;
    sumOfParts(ctx, {
      id: 'T11.unit',
      scope: `表11 ${u}`,
      whole: total,
      parts: [...types.values()],
      decimals: total.decimals,
      what: `表11 ${u}: total = goods + works + services`,
    });
  }
  const { department, units } = departmentAndUnits(byUnit, ctx.department);
  if (department && units.length)
    sumOfParts(ctx, {
      id: 'T11.units',
      scope: `表11 ${ctx.department}`,
      whole: department.total,
      parts: units.map((v) => v.total),
      decimals: department.total.decimals,
      what: '表11: department total = sum of its units',
    });
  return byUnit;
}

// ---------------------------------------------------------------- 表12 一般公共预算“三公”经费支出表

export const SANGONG = [
  { category: 'overseas_travel', name: '因公出国（境）费' },
  { category: 'reception', name: '公务接待费' },
  { category: 'vehicle_purchase', name: '公务用车购置费' },
  { category: 'vehicle_operation', name: '公务用车运行维护费' },
] as const;

export interface SangongRow {
  unit: string;
  year: number;
  total: Amount;
  parts: Record<(typeof SANGONG)[number]['category'], Amount>;
}

/**
 * 表12 一般公共预算“三公”经费支出表: each unit's row per year (the year before and this one) of 因公出国（境）,
 * 公务接待 and 公务用车 购置 / 运行维护 (sangong, budget_totals), 总计 = Σ categories, department = Σ units.
 */
export function readSangong(ctx: DocumentContext, t: Table): SangongRow[] {
  const lines = dataLines(t);
  // Column order comes from the header: the second header line names 小计, 运行维护费 and 购置费 in print order.
  const head2 = lines.find((l) => l.cells.some((c) => c === '小计'));
  const order = (head2?.cells.filter((c) => c !== '') ?? ['小计', '公务用车运行维护费', '公务用车购置费']).map((c) =>
    /运行/.test(c) ? 'op' : /购置/.test(c) ? 'buy' : 'sub',
  );
  const out: SangongRow[] = [];
  let unit: string | undefined;
  for (const l of lines) {
    const u = l.cells[0] ? ctx.unitNamed(l.cells[0]) : undefined;
    if (l.cells[0] && !u) continue;
    if (u) unit = u;
    const year = Number((l.cells[1] ?? '').trim());
    const a = allAmounts(l, 2, 6);
    if (!unit || !a || !(year > 1990 && year < 2100)) continue;
    const [total, overseas, reception, v1, v2, v3] = a as [Amount, Amount, Amount, Amount, Amount, Amount];
    const vehicle: Record<string, Amount> = {};
    [v1, v2, v3].forEach((v, i) => (vehicle[order[i] ?? 'sub'] = v));
    const op = vehicle['op'] as Amount;
    const buy = vehicle['buy'] as Amount;
    const sub = vehicle['sub'] as Amount;
    const row: SangongRow = {
      unit,
      year,
      total,
      parts: { overseas_travel: overseas, reception, vehicle_purchase: buy, vehicle_operation: op },
    };
    if (sub.value !== op.value + buy.value) {
      // The 小计 column does not hold the sum of the two beside it: the columns were shifted in extraction.
      // The total settles which reading is right.
      const partsSum = overseas.value + reception.value + op.value + buy.value;
      ctx.note(
        'T12.shifted',
        `表12 ${unit} ${year}`,
        'info',
        [l.no],
        `表12 ${unit} ${year}: 公务用车 小计 ${sub.value === 0n ? '0.00' : 'column'} ≠ 运行维护费 + 购置费; the 小计 column is shifted in extraction and is not used (total ${partsSum === total.value ? 'agrees with' : 'differs from'} the parts)`,
      );
    }
    out.push(row);
    const p = ctx.prov(unit, '表12', l.no, { fiscal_year: year, stage: 'budget' });
    for (const s of SANGONG)
      ctx.add('sangong', p, { category: s.category, category_name: s.name, amount: row.parts[s.category].value });
    ctx.add('budget_totals', p, { measure: 'sangong_total', amount: total.value });
    sumOfParts(ctx, {
      id: 'T12.total',
      scope: `表12 ${unit} ${year}`,
      whole: total,
      parts: SANGONG.map((s) => row.parts[s.category]),
      decimals: total.decimals,
      what: `表12 ${unit} ${year}: 总计 = 因公出国（境）+ 公务接待 + 公务用车购置 + 运行维护`,
    });
  }
  sangongUnitsAddUp(ctx, out);
  return out;
}

/** 表12: the department's row = the sum of its units' rows, per year and category, and in total. */
function sangongUnitsAddUp(ctx: DocumentContext, out: SangongRow[]): void {
  for (const year of new Set(out.map((r) => r.year))) {
    const { department: dept, units } = departmentAndUnits(
      out.filter((r) => r.year === year).map((r) => [r.unit, r] as const),
      ctx.department,
    );
    if (!dept || units.length === 0) continue;
    for (const s of SANGONG) {
      const e = dept.parts[s.category];
      const parts = units.map((u) => u.parts[s.category]);
      const f = sumOfParts(ctx, {
        id: 'T12.units',
        scope: `表12 ${ctx.department} ${year} ${s.category}`,
        whole: e,
        parts,
        decimals: e.decimals,
        what: `表12 ${year} ${s.name}: department = sum of its units (${units.map((u) => `${u.unit.replace(ctx.department, '') || u.unit} ${printedMoney(u.parts[s.category])}`).join(' + ')})`,
      });
      if (f && f.severity !== 'info')
        f.message = `表12 contradicts itself: it prints ${year} ${s.name} ${printedMoney(e)} for ${ctx.department}, but its units sum to ${printedMoney(...parts)}. ${f.message}`;
    }
    sumOfParts(ctx, {
      id: 'T12.units',
      scope: `表12 ${ctx.department} ${year} total`,
      whole: dept.total,
      parts: units.map((u) => u.total),
      decimals: dept.total.decimals,
      what: `表12 ${year} 总计: department = sum of its units`,
    });
  }
}

// ---------------------------------------------------------------- 表13 部门预算绩效管理项目情况表

export interface ProjectRow {
  unit: string;
  name: string;
  total: Amount;
}

/** 表13 部门预算绩效管理项目情况表: the projects under each unit, with their 合计 (checked against 表3 and 表15). */
export function readProjectList(ctx: DocumentContext, t: Table): ProjectRow[] {
  const out: ProjectRow[] = [];
  let unit: string | undefined;
  for (const l of dataLines(t)) {
    const u = ctx.unitNamed(l.cells[0] ?? '');
    if (u) {
      unit = u;
      continue;
    }
    const total = amountOf(l.cells[2], l.no);
    if (!unit || l.cells[0] || !l.cells[1] || !total) continue;
    out.push({ unit, name: (l.cells[1] as string).replace(/\s+/g, ' '), total });
  }
  return out;
}

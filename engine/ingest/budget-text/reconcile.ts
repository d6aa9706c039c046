import { funcLevel, funcParent, nameKey } from '../../classify/codes.ts';
import { sum } from '../../money.ts';
import { departmentAndUnits, printedMoney, sameFigure, sumOfParts } from '../checks.ts';
import type { FactRow, FactValue } from '../types.ts';
import type { Amount, DocumentContext, Table } from './context.ts';
import type { Narrative } from './narrative.ts';
import {
  checkFunctionSummary,
  funcName,
  readGeneralBudgetByFunction,
  readProcurement,
  readProjectList,
  readRevenueBySource,
  readSangong,
  readSpendingByEconomicClass,
  readSpendingTotals,
  readTwoSidedSummary,
  resolveFuncName,
  SANGONG,
  type FuncAggregate,
} from './tables.ts';

/** Read tables 1–13, emit their facts, and run every identity the document implies. */
export function reconcile(ctx: DocumentContext, tables: Map<number, Table>, n: Narrative): void {
  const t2 = tables.get(2) ? readRevenueBySource(ctx, tables.get(2) as Table) : new Map<string, Amount[]>();
  const t3 = tables.get(3) ? readSpendingTotals(ctx, tables.get(3) as Table) : new Map<string, Amount[]>();
  const t4 = tables.get(4) ? readSpendingByEconomicClass(ctx, tables.get(4) as Table, 'basic') : undefined;
  const t5 = tables.get(5) ? readSpendingByEconomicClass(ctx, tables.get(5) as Table, 'project') : undefined;
  const t7 = tables.get(7) ? readGeneralBudgetByFunction(ctx, tables.get(7) as Table) : undefined;
  const t11 = tables.get(11) ? readProcurement(ctx, tables.get(11) as Table) : new Map();
  const t12 = tables.get(12) ? readSangong(ctx, tables.get(12) as Table) : [];
  ctx.projectList = tables.get(13) ? readProjectList(ctx, tables.get(13) as Table) : [];
  const dept = ctx.department;

  // Like with like: 表7 holds 一般公共预算 only; 表1 and 表3 every source, 表6 every 财政拨款. They are compared
  // only where 表2 shows the money is all 一般公共预算 (收入总计 = 一般公共预算拨款; no 政府性基金 for 表6).
  const allGeneral = (u: string) => {
    const r = t2.get(u);
    return !r || (r[0] as Amount).value === (r[3] as Amount).value;
  };
  const noFund = (u: string) => {
    const r = t2.get(u);
    return !r || (r[7] as Amount).value === 0n;
  };
  const unlike = (table: string, u: string, why: string) =>
    ctx.note(
      `${table}.vs.T7`,
      `${table} ${u}`,
      'info',
      [],
      `${table} vs 表7 (${u}) not compared: ${why}, 表7 一般公共预算 only (表2 shows other sources)`,
    );
  if (!allGeneral(dept))
    ctx.note(
      'DOC.functions',
      'document',
      'warning',
      [],
      'spending_by_function holds 表7 (一般公共预算 only): 表2 shows money of other sources, which no table of this layout prints by function',
    );

  // 表1 and 表6 against 表2 (revenue), 表3 (totals) and 表7 (functions).
  let printed1 = new Map<string, Amount>();
  for (const no of [1, 6]) {
    const t = tables.get(no);
    if (!t) continue;
    const two = readTwoSidedSummary(t);
    const name = `表${no}`;
    const comparable = no === 1 ? allGeneral(dept) : noFund(dept);
    if (t7 && !comparable) unlike(name, dept, no === 1 ? `${name} holds every source` : `${name} holds 政府性基金 too`);
    if (t7 && comparable) {
      const fm = checkFunctionSummary(ctx, name, two.spending, t7.aggregates, t7.items);
      if (no === 1 || printed1.size === 0) printed1 = fm;
    }
    const d2 = t2.get(dept);
    for (const r of two.revenue) {
      const k = nameKey(r.name.replace(/^[一二三四五六七八九十]+、|^（[一二三四五六七八九十]+）/, ''));
      const col = /^一般公共预算(财政)?拨款$/.test(k)
        ? 3
        : /^政府性基金预算拨款$/.test(k)
          ? 7
          : /^财政专户拨款/.test(k)
            ? 10
            : k === '事业收入'
              ? 11
              : k === '上年结转'
                ? 17
                : k === '本年收入合计'
                  ? 1
                  : k === '收入总计'
                    ? 0
                    : undefined;
      if (col === undefined || !d2) continue;
      sameFigure(ctx, {
        id: `${name}.vs.T2`,
        scope: `${name} revenue`,
        a: r.amount,
        b: d2[col],
        decimals: r.amount.decimals,
        what: `${name} ${r.name} vs 表2`,
      });
    }
    const d3 = t3.get(dept);
    const spendTotal = two.spending.find((s) => /^(本年支出合计|支出总计)$/.test(s.name));
    if (d3 && spendTotal)
      sameFigure(ctx, {
        id: `${name}.vs.T3`,
        scope: `${name} spending`,
        a: spendTotal.amount,
        b: d3[0],
        decimals: spendTotal.amount.decimals,
        what: `${name} ${spendTotal.name} vs 表3 支出总计`,
      });
  }

  // 表4 + 表5 against 表3; 表7 against 表3.
  for (const [u, a] of t3) {
    const [total, basic, project, proc] = a as [Amount, Amount, Amount, Amount];
    const b4 = t4?.units.get(u);
    const p5 = t5?.units.get(u);
    // Rounding is taken at 表3's precision.
    if (b4)
      sameFigure(ctx, {
        id: 'T4.vs.T3',
        scope: `表4 ${u}`,
        a: basic,
        b: b4,
        decimals: basic.decimals,
        what: `表3 基本支出 vs 表4 (${u})`,
      });
    if (p5)
      sameFigure(ctx, {
        id: 'T5.vs.T3',
        scope: `表5 ${u}`,
        a: project,
        b: p5,
        decimals: project.decimals,
        what: `表3 项目支出 vs 表5 (${u})`,
      });
    if (b4 && p5)
      sumOfParts(ctx, {
        id: 'T45.vs.T3',
        scope: `表4+表5 ${u}`,
        whole: total,
        parts: [b4, p5],
        decimals: total.decimals,
        what: `表3 支出总计 vs 表4 + 表5 (${u})`,
      });
    const u7 = t7?.units.get(u);
    if (u7 && !allGeneral(u)) unlike('表3', u, '表3 支出总计 holds every source');
    else if (u7)
      sameFigure(ctx, {
        id: 'T7.vs.T3',
        scope: `表7 ${u}`,
        a: total,
        b: u7[0],
        decimals: total.decimals,
        what: `表3 支出总计 vs 表7 (${u})`,
      });
    const p11 = t11.get(u);
    if (p11)
      sameFigure(ctx, {
        id: 'T11.vs.T3',
        scope: `表11 ${u}`,
        a: proc,
        b: p11.total,
        decimals: proc.decimals,
        what: `表3 其中：政府采购 vs 表11 (${u})`,
      });
    // 表13's projects (whole 万元) against 表3's project spending.
    const projects = (ctx.projectList ?? []).filter((p) => p.unit === u);
    if (projects.length)
      sumOfParts(ctx, {
        id: 'T13.vs.T3',
        scope: `表13 ${u}`,
        whole: project,
        parts: projects.map((p) => p.total),
        decimals: project.decimals,
        what: `表3 项目支出 vs sum of 表13's ${projects.length} projects (${u})`,
      });
  }
  // 表8 / 表9 / 表10 hold only zeros when the narrative says there is no such spending.
  for (const [no, said] of [
    [8, n.noFundSpending],
    [9, n.noStateCapital],
  ] as const) {
    const t = tables.get(no);
    if (!t || said === undefined) continue;
    const nonZero = t.lines
      .flatMap((l) => l.cells.slice(3).map((c) => (/^[\d,.]+$/.test(c) && /[1-9]/.test(c) ? l.no : 0)))
      .filter(Boolean);
    ctx.note(
      `T${no}.empty`,
      `表${no}`,
      nonZero.length ? 'error' : 'info',
      [said, ...nonZero],
      nonZero.length
        ? `表${no} holds amounts but the narrative (line ${said}) says there is none`
        : `表${no} holds only zeros, as the narrative (line ${said}) says`,
    );
  }

  if (t7) functionFacts(ctx, t7.aggregates, t7.items, printed1, n);
  narrativeChecks(ctx, n, t2, t3, t4, t7?.aggregates, t11, t12);
}

/** spending_by_function: every level, for units and the department, from 表7; 2020 from the narrative. */
function functionFacts(
  ctx: DocumentContext,
  agg: Map<string, FuncAggregate>,
  items: Parameters<typeof funcName>[1],
  printed1: Map<string, Amount>,
  n: Narrative,
): void {
  const dept = ctx.department;
  const textClass = new Map<string, { line: number; amount: Amount }>();
  for (const st of n.units.values()) {
    if (st.functions.length === 0) continue;
    const known = new Set([...agg.values()].filter((a) => a.unit === st.unit).map((a) => a.code));
    for (const f of st.functions) {
      const code = resolveFuncName(f.name, {}, known, items);
      if (code) textClass.set(`${st.unit}|${code}`, { line: f.line, amount: f.amount });
    }
  }
  // Codes are ASCII digits (表7 reads them as \d{3}(\d{2}){0,2}): plain comparison orders them exactly as
  // localeCompare does, without a collator.
  const sorted = [...agg.values()].sort((a, b) =>
    a.unit === b.unit
      ? a.code < b.code
        ? -1
        : a.code > b.code
          ? 1
          : 0
      : ctx.units.indexOf(a.unit) - ctx.units.indexOf(b.unit),
  );
  for (const a of sorted) {
    const level = funcLevel(a.code);
    const first = a.items[0];
    // Where a figure is printed (a 项 of 表7, the department's lines of 表1, a unit's 类 in the narrative) the
    // printed figure is the row; elsewhere the row is the sum of 表7's 项 and marked derived.
    let prov = ctx.prov(a.unit, '表7', first?.total.line ?? null, { derived: true });
    let printed: Amount | undefined;
    if (a.unit !== dept && level === 3 && a.items.length === 1)
      prov = ctx.prov(a.unit, '表7', first?.total.line ?? null);
    else if (a.unit === dept && printed1.has(a.code)) {
      printed = printed1.get(a.code) as Amount;
      prov = ctx.prov(a.unit, '表1', printed.line);
    } else if (a.unit !== dept && level === 1 && textClass.has(`${a.unit}|${a.code}`)) {
      printed = (textClass.get(`${a.unit}|${a.code}`) as { amount: Amount }).amount;
      prov = ctx.prov(a.unit, 'text', printed.line);
    }
    const total = printed?.value ?? a.total;
    const split = a.basic + a.project === total;
    ctx.add('spending_by_function', prov, {
      func_code: a.code,
      func_name: funcName(a.code, items),
      func_level: level,
      func_parent_code: funcParent(a.code),
      total,
      basic: split ? a.basic : null,
      project: split ? a.project : null,
    });
  }
  // The previous year's 类 totals, implied by "比 2020 年增加 X 万元": each unit's figure (this year's less the
  // change, as precise as this year's), by 类.
  const prevByClass = new Map<string, Amount[]>();
  for (const st of n.units.values()) {
    const known = new Set([...agg.values()].filter((a) => a.unit === st.unit).map((a) => a.code));
    for (const f of st.functions) {
      if (!f.change || !f.prevYear) continue;
      const code = resolveFuncName(f.name, {}, known, items);
      if (!code) continue;
      const prev = f.amount.value - f.change.value;
      ctx.add('spending_by_function', ctx.prov(st.unit, 'text', f.line, { fiscal_year: f.prevYear, derived: true }), {
        func_code: code,
        func_name: funcName(code, items),
        func_level: funcLevel(code),
        func_parent_code: funcParent(code),
        total: prev,
        basic: null,
        project: null,
      });
      const implied = prevByClass.get(code) ?? [];
      implied.push({ value: prev, decimals: f.amount.decimals, line: f.line });
      prevByClass.set(code, implied);
      // The printed growth rate against the implied previous figure.
      if (f.pct !== undefined && prev !== 0n) {
        const pct = Number((f.change.value * 10000n) / prev) / 100;
        pctCheck(
          ctx,
          `TEXT.growth`,
          `text ${st.unit} ${code}`,
          f.pct,
          pct,
          f.line,
          `narrative growth of ${f.name} (${st.unit})`,
        );
      }
      if (f.share !== undefined && st.total) {
        const share = Number((f.amount.value * 10000n) / st.total.value) / 100;
        pctCheck(
          ctx,
          'TEXT.share',
          `text ${st.unit} ${code}`,
          f.share,
          share,
          f.line,
          `narrative share of ${f.name} in ${st.unit}'s spending`,
        );
      }
      const a = agg.get(`${st.unit}|${code}`);
      if (a)
        sumOfParts(ctx, {
          id: 'TEXT.func.vs.T7',
          scope: `text ${st.unit} ${code}`,
          whole: f.amount,
          parts: a.items.map((i) => i.total),
          decimals: f.amount.decimals,
          lines: [f.line, ...a.items.map((i) => i.total.line)],
          what: `narrative ${f.name} (${st.unit}) vs 表7 (sum of ${a.items.length} 项)`,
        });
    }
  }
  const nUnits = n.units.size;
  for (const [code, implied] of prevByClass) {
    if (implied.length !== nUnits || nUnits < 1 || ctx.units.length - 1 !== nUnits) continue;
    const year = [...n.units.values()][0]?.functions[0]?.prevYear ?? ctx.year - 1;
    ctx.add(
      'spending_by_function',
      ctx.prov(dept, 'text', implied[0]?.line ?? null, { fiscal_year: year, derived: true }),
      {
        func_code: code,
        func_name: funcName(code, items),
        func_level: funcLevel(code),
        func_parent_code: funcParent(code),
        total: sum(implied.map((a) => a.value)),
        basic: null,
        project: null,
      },
    );
  }
  if (n.spending && prevByClass.size) {
    // The implied total against its units' implied 类, rounded as the total is printed.
    const { amount, change, prevYear } = n.spending;
    sumOfParts(ctx, {
      id: 'TEXT.prev.classes',
      scope: `text ${dept} ${prevYear}`,
      whole: { value: amount.value - change.value, decimals: amount.decimals, line: amount.line },
      parts: [...prevByClass.values()].flat(),
      decimals: amount.decimals,
      what: `implied ${prevYear} spending (${dept}) vs the sum of the implied ${prevYear} 类 of its units`,
    });
  }
}

function pctCheck(
  ctx: DocumentContext,
  id: string,
  scope: string,
  printed: number,
  computed: number,
  line: number,
  what: string,
): void {
  // A percentage printed as a whole number is right when the computed one rounds to it (±0.5 point).
  const diff = Math.round((computed - printed) * 100) / 100;
  const ok = Math.abs(diff) <= 0.5;
  ctx.note(
    id,
    scope,
    ok ? 'info' : 'warning',
    [line],
    `${what}: printed ${printed}%, computed ${computed.toFixed(2)}% — ${ok ? 'agree within rounding' : `DO NOT AGREE (off by ${diff.toFixed(2)} points)`}`,
  );
}

function narrativeChecks(
  ctx: DocumentContext,
  n: Narrative,
  t2: Map<string, Amount[]>,
  t3: Map<string, Amount[]>,
  t4: ReturnType<typeof readSpendingByEconomicClass> | undefined,
  agg: Map<string, FuncAggregate> | undefined,
  t11: Map<string, { total: Amount; types: Map<string, Amount> }>,
  t12: ReturnType<typeof readSangong>,
): void {
  // One part per section of the narrative (说明): totals, units, procurement, 三公, operating cost, staffing.
  void agg;
  narrativeTotals(ctx, n, t2, t3);
  narrativeUnits(ctx, n, t3, t4);
  if (n.procurement) narrativeProcurement(ctx, n.procurement, t11);
  narrativeSangong(ctx, n, t12);
  if (n.operatingCost) narrativeOperatingCost(ctx, n.operatingCost, t3);
  narrativeStaffing(ctx);
}

/** Totals and their change on the previous year; basic and project spending. */
function narrativeTotals(
  ctx: DocumentContext,
  n: Narrative,
  t2: Map<string, Amount[]>,
  t3: Map<string, Amount[]>,
): void {
  const dept = ctx.department;
  const d3 = t3.get(dept);
  const d2 = t2.get(dept);
  // Totals and their change on the previous year.
  for (const [label, st, measure, table] of [
    ['收入', n.revenue, 'revenue_total', d2?.[0]],
    ['支出', n.spending, 'spending_total', d3?.[0]],
  ] as const) {
    if (!st) continue;
    if (table)
      sameFigure(ctx, {
        id: `TEXT.${measure}`,
        scope: `text ${dept}`,
        a: st.amount,
        b: table,
        decimals: st.amount.decimals,
        what: `narrative 部门预算${label} vs ${measure === 'revenue_total' ? '表2' : '表3'}`,
      });
    const prev = st.amount.value - st.change.value;
    ctx.add('budget_totals', ctx.prov(dept, 'text', st.amount.line, { fiscal_year: st.prevYear, derived: true }), {
      measure,
      amount: prev,
    });
    if (st.pct && prev !== 0n)
      pctCheck(
        ctx,
        'TEXT.growth',
        `text ${dept} ${measure}`,
        st.pct.value,
        Number((st.change.value * 10000n) / prev) / 100,
        st.amount.line,
        `narrative growth of 部门预算${label}`,
      );
  }
  // The narrative's figures are rounded as printed there.
  if (d3 && n.basic)
    sameFigure(ctx, {
      id: 'TEXT.basic',
      scope: `text ${dept}`,
      a: n.basic,
      b: d3[1],
      decimals: n.basic.decimals,
      what: 'narrative 基本支出 vs 表3',
    });
  if (d3 && n.project)
    sameFigure(ctx, {
      id: 'TEXT.project',
      scope: `text ${dept}`,
      a: n.project,
      b: d3[2],
      decimals: n.project.decimals,
      what: 'narrative 项目支出 vs 表3',
    });
}

/** Economic 类 of basic spending against 表4; each unit's totals against 表3, and its 类 against its total. */
function narrativeUnits(
  ctx: DocumentContext,
  n: Narrative,
  t3: Map<string, Amount[]>,
  t4: ReturnType<typeof readSpendingByEconomicClass> | undefined,
): void {
  const dept = ctx.department;
  // Economic 类 of basic spending: the narrative against 表4, for the department and each unit.
  // Only 类 rows can match: look through those rather than all of 表4's rows each time.
  const classRows = t4?.rows.filter((r) => r.level === 1);
  const econ = (unit: string | undefined, code: string) =>
    classRows?.filter(
      (r) => r.level === 1 && r.code === code && (unit === undefined ? r.unit !== dept : r.unit === unit),
    ) ?? [];
  for (const [code, a] of Object.entries(n.basicParts)) {
    const rows = econ(undefined, code);
    if (rows.length)
      sumOfParts(ctx, {
        id: 'TEXT.econ.vs.T4',
        scope: `text ${dept} ${code}`,
        whole: a,
        parts: rows.map((r) => r.amount),
        decimals: a.decimals,
        what: `narrative basic ${code} (${dept}) vs 表4 (sum of ${rows.length} units)`,
      });
  }
  for (const st of n.units.values()) {
    const u3 = t3.get(st.unit);
    for (const [label, a, k] of [
      ['一般公共预算支出', st.total, 0],
      ['基本支出', st.basic, 1],
      ['项目支出', st.project, 2],
    ] as const) {
      const t = u3?.[k];
      if (a && t)
        sameFigure(ctx, {
          id: 'TEXT.unit.vs.T3',
          scope: `text ${st.unit}`,
          a,
          b: t,
          decimals: a.decimals,
          what: `narrative ${label} (${st.unit}) vs 表3`,
        });
    }
    for (const [code, a] of Object.entries(st.basicParts)) {
      const rows = econ(st.unit, code);
      // A unit prints a 类 once: rounding is allowed for one figure.
      if (rows.length)
        sumOfParts(ctx, {
          id: 'TEXT.econ.vs.T4',
          scope: `text ${st.unit} ${code}`,
          whole: a,
          parts: rows.map((r) => r.amount),
          addends: 1,
          decimals: a.decimals,
          what: `narrative basic ${code} (${st.unit}) vs 表4`,
        });
    }
    if (st.total && st.functions.length)
      sumOfParts(ctx, {
        id: 'TEXT.func.sum',
        scope: `text ${st.unit}`,
        whole: st.total,
        parts: st.functions.map((f) => f.amount),
        decimals: st.total.decimals,
        what: `narrative ${st.unit}: total = sum of its ${st.functions.length} 类`,
      });
  }
}

/** Procurement: the narrative against 表11, by type; the department's type totals are printed only there. */
function narrativeProcurement(
  ctx: DocumentContext,
  p: NonNullable<Narrative['procurement']>,
  t11: Map<string, { total: Amount; types: Map<string, Amount> }>,
): void {
  const dept = ctx.department;
  const d11 = t11.get(dept);
  if (d11)
    sameFigure(ctx, {
      id: 'TEXT.proc.vs.T11',
      scope: `text ${dept} procurement`,
      a: p.total,
      b: d11.total,
      decimals: p.total.decimals,
      what: 'narrative 政府采购预算总额 vs 表11',
    });
  const { units } = departmentAndUnits(t11, dept);
  for (const [type, code, a] of [
    ['goods', 'A', p.goods],
    ['works', 'B', p.works],
    ['services', 'C', p.services],
  ] as const) {
    ctx.add('procurement', ctx.prov(dept, 'text', a.line), {
      item_code: code,
      item_name: { A: '货物类', B: '工程类', C: '服务类' }[code],
      item_level: 1,
      procurement_type: type,
      amount: a.value,
    });
    sumOfParts(ctx, {
      id: 'TEXT.proc.type',
      scope: `text ${dept} ${type}`,
      whole: a,
      parts: units.map((v) => v.types.get(type)),
      what: `narrative ${type} procurement vs 表11 (sum of units)`,
    });
  }
}

/** 三公: the narrative against 表12's department rows, for this year and the implied previous one. */
function narrativeSangong(ctx: DocumentContext, n: Narrative, t12: ReturnType<typeof readSangong>): void {
  const dept = ctx.department;
  const d12 = (year: number) => t12.find((r) => r.unit === dept && r.year === year);
  if (n.sangong) {
    const cur = d12(ctx.year);
    const prev = d12(n.sangong.prevYear);
    const { amount, change, prevYear } = n.sangong;
    if (cur)
      sameFigure(ctx, {
        id: 'TEXT.sangong',
        scope: `text ${dept} ${ctx.year} sangong`,
        a: amount,
        b: cur.total,
        decimals: amount.decimals,
        what: `narrative “三公” ${ctx.year} vs 表12 总计`,
      });
    // The figure less the change: two printed figures, each rounded.
    if (prev)
      sameFigure(ctx, {
        id: 'TEXT.sangong',
        scope: `text ${dept} ${prevYear} sangong`,
        a: { ...amount, value: amount.value - change.value },
        b: prev.total,
        addends: 2,
        decimals: amount.decimals,
        what: `implied “三公” ${prevYear} (${ctx.year} figure − change) vs 表12`,
      });
  }
  for (const s of SANGONG) {
    const st = n.sangongItems.get(s.category);
    if (!st) continue;
    const cur = d12(ctx.year)?.parts[s.category];
    const units = t12.filter((r) => r.unit !== dept && r.year === ctx.year).map((r) => r.parts[s.category]);
    if (cur) {
      const f = sameFigure(ctx, {
        id: 'TEXT.sangong.item',
        scope: `text ${dept} ${ctx.year} ${s.category}`,
        a: st.amount,
        b: cur,
        what: `narrative ${s.name} ${ctx.year} vs 表12 (department row)`,
      });
      if (f && f.severity !== 'info' && units.length) {
        const us = sum(units.map((u) => u.value));
        f.message = `The narrative says ${s.name} ${ctx.year} is ${printedMoney(st.amount)}, 表12 prints ${printedMoney(cur)} for the department, and 表12's units sum to ${printedMoney(...units)}: ${us === st.amount.value ? 'the narrative and the units agree, the department row is wrong' : 'all three differ'}. ${f.message}`;
      }
    }
    // The figure less the change: two printed figures, each rounded.
    const prev = d12(st.prevYear)?.parts[s.category];
    if (prev)
      sameFigure(ctx, {
        id: 'TEXT.sangong.item',
        scope: `text ${dept} ${st.prevYear} ${s.category}`,
        a: { ...st.amount, value: st.amount.value - st.change.value },
        b: prev,
        addends: 2,
        what: `implied ${s.name} ${st.prevYear} vs 表12`,
      });
  }
}

/** 机关运行经费 and its change. */
function narrativeOperatingCost(
  ctx: DocumentContext,
  oc: NonNullable<Narrative['operatingCost']>,
  t3: Map<string, Amount[]>,
): void {
  ctx.add('budget_totals', ctx.prov(oc.unit, 'text', oc.amount.line), {
    measure: 'operating_cost',
    amount: oc.amount.value,
  });
  ctx.add('budget_totals', ctx.prov(oc.unit, 'text', oc.amount.line, { fiscal_year: oc.prevYear, derived: true }), {
    measure: 'operating_cost',
    amount: oc.amount.value - oc.change.value,
  });
  const basic = t3.get(oc.unit)?.[1];
  if (basic && oc.amount.value > basic.value)
    ctx.note(
      'TEXT.operating',
      `text ${oc.unit}`,
      'warning',
      [oc.amount.line, basic.line],
      `机关运行经费 ${printedMoney(oc.amount)} for ${oc.unit} exceeds its whole basic spending ${printedMoney(basic)} (表3): the figure must include project funds, so it is not comparable with other departments' 机关运行经费`,
    );
}

/** Staffing: 行政 + 事业 编制 against the total, units against the department. */
function narrativeStaffing(ctx: DocumentContext): void {
  const dept = ctx.department;
  // The first of this year's unit_facts rows per unit and fact, as facts.find would give it.
  const thisYear = new Map<FactValue, Map<FactValue, FactRow>>();
  for (const r of ctx.rows('unit_facts')) {
    if (r['fiscal_year'] !== ctx.year) continue;
    let byFact = thisYear.get(r['unit'] ?? null);
    if (!byFact) thisYear.set(r['unit'] ?? null, (byFact = new Map()));
    if (!byFact.has(r['fact'] ?? null)) byFact.set(r['fact'] ?? null, r);
  }
  const fact = (unit: string, name: string) => thisYear.get(unit)?.get(name);
  // Counts are whole (stored as micro-units): compared exactly, at 6 decimals; a difference is a warning.
  const count = (r: FactRow): Amount => ({
    value: r['value'] as bigint,
    decimals: 6,
    line: r['source_line'] as number,
  });
  for (const [total, parts] of [
    ['staff_authorized', ['admin_authorized', 'institution_authorized']],
    ['staff_actual', ['admin_actual', 'institution_actual']],
  ] as const) {
    const t = fact(dept, total);
    const p = parts.map((x) => fact(dept, x)).filter((x) => x !== undefined);
    if (t && p.length === 2)
      sumOfParts(ctx, {
        id: 'TEXT.staff',
        scope: `text ${dept} ${total}`,
        whole: count(t),
        parts: p.map(count),
        lines: [t['source_line'] as number],
        what: `${total === 'staff_authorized' ? '总编制数' : '实有人数'} vs 行政 + 事业 (${dept})`,
        beyond: 'warning',
      });
  }
  for (const name of ['employees', 'vehicles', 'admin_actual', 'institution_actual']) {
    const t = fact(dept, name);
    const units = ctx.units.filter((u) => u !== dept).map((u) => fact(u, name));
    if (t && units.length && units.every((u) => u !== undefined))
      sumOfParts(ctx, {
        id: 'TEXT.staff.units',
        scope: `text ${dept} ${name}`,
        whole: count(t),
        parts: units.map((u) => count(u as FactRow)),
        what: `${name}: department vs sum of its units`,
        beyond: 'warning',
      });
  }
}

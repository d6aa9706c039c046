import { parseAmount, printedDecimals } from '../../money.ts';
import type { Amount, DocumentContext } from './context.ts';
import { squash, type Line } from './lines.ts';

/** What the narrative (第一部分 … 第七部分) states, each figure with its line. */
export interface Narrative {
  revenue?: Change;
  spending?: Change;
  basic?: Amount;
  project?: Amount;
  basicParts: Record<string, Amount>;
  units: Map<string, UnitStatement>;
  procurement?: { total: Amount; goods: Amount; works: Amount; services: Amount };
  sangong?: Change;
  sangongItems: Map<string, Change>;
  operatingCost?: Change & { unit: string };
  projectCount?: { count: number; amount: Amount; line: number };
  noFundSpending?: number;
  noStateCapital?: number;
}

export interface Change {
  amount: Amount;
  prevYear: number;
  /** Signed change on the previous year. */
  change: Amount;
  pct?: { value: number; line: number };
}

export interface UnitStatement {
  unit: string;
  total?: Amount;
  basic?: Amount;
  project?: Amount;
  basicParts: Record<string, Amount>;
  functions: {
    name: string;
    amount: Amount;
    share?: number;
    change?: Amount;
    prevYear?: number;
    pct?: number;
    line: number;
  }[];
}

const NUM = '([0-9][0-9,]*(?:\\.[0-9]+)?)';

/**
 * The narrative's sentences, built once (not per line). None is global except sangongItem, which is used only
 * through matchAll (that works on a copy, so the shared regex keeps no state).
 */
const RE = {
  revenue: new RegExp(`部门预算收入${NUM}万元.*?比(\\d{4})年(增加|减少)${NUM}万元，?(?:增长|下降)?${NUM}?%?`),
  spending: new RegExp(`部门预算支出${NUM}万元.*?比(\\d{4})年(增加|减少)${NUM}万元，?(?:增长|下降)?${NUM}?%?`),
  basic: new RegExp(`基本支出${NUM}万元`),
  project: new RegExp(`项目支出${NUM}万元`),
  unitTotal: new RegExp(`一般公共预算安排支出${NUM}万元`),
  unitFunction: new RegExp(
    `^\\d+[.、．](.+?)${NUM}万元，占${NUM}%，比(\\d{4})年(增加|减少)${NUM}万元，(?:增长|下降)${NUM}%`,
  ),
  procurement: new RegExp(
    `政府采购预算总额${NUM}万元，其中：货物采购预算${NUM}万元、工程采购预算${NUM}万元、服务采购预算${NUM}万元`,
  ),
  sangong: new RegExp(`“三公”经费预算${NUM}万元，比(\\d{4})年预算(增加|减少)${NUM}万元`),
  sangongItem: new RegExp(
    `(因公出国（境）费用?|公务接待费|公务用车购置费|公务用车运行维护费)。?(\\d{4})年预算数${NUM}万元[。，]?(?:其中：)?比(\\d{4})年(?:预算数)?(增加（减少）|增加|减少)${NUM}万元`,
    'g',
  ),
  projectCount: new RegExp(`涉及预算资金${NUM}万元设置并编报(\\d+)个项目绩效目标`),
  operatingCost: new RegExp(`\\d{4}年(.+?)机关运行经费财政拨款预算${NUM}万元，比(\\d{4})年预算(增加|减少)${NUM}万元`),
};

const ECON_PARTS = (
  [
    ['工资福利支出', '301'],
    ['商品和服务支出', '302'],
    ['对个人和家庭的补助支出', '303'],
  ] as const
).map(([name, key]) => [new RegExp(`${name}${NUM}万元`), key] as const);

function amt(text: string | undefined, line: number, negative = false): Amount | undefined {
  if (text === undefined) return undefined;
  const v = parseAmount(text);
  if (v === undefined) return undefined;
  return { value: negative ? -v : v, decimals: printedDecimals(text), line };
}

function change(
  m: RegExpExecArray,
  at: { amount: number; year: number; dir: number; delta: number; pct?: number },
  line: number,
): Change | undefined {
  const amount = amt(m[at.amount], line);
  const dir = m[at.dir] ?? '';
  const c = amt(m[at.delta], line, /减少|下降/.test(dir) && !/增加（减少）|增加\(减少\)/.test(dir));
  if (!amount || !c) return undefined;
  const out: Change = { amount, prevYear: Number(m[at.year]), change: c };
  // "减少 X 万元，下降 P%": a decrease is a negative rate, like the change itself.
  if (at.pct !== undefined && m[at.pct] !== undefined)
    out.pct = { value: Number(m[at.pct]) * (c.value < 0n ? -1 : 1), line };
  return out;
}

export function readNarrative(ctx: DocumentContext, lines: Line[]): Narrative {
  const n: Narrative = { basicParts: {}, units: new Map(), sangongItems: new Map() };
  let section = '';
  let unit: UnitStatement | undefined;
  let staffUnit: string | undefined;
  for (const l of lines) {
    const s = squash(l.text);
    if (!s) continue;
    const part = /^第([一二三四五六七八九十]+)部分/.exec(s);
    if (part) {
      section = part[1] as string;
      unit = undefined;
      continue;
    }
    if (section === '一') staffing(ctx, s, l.no, (u) => (staffUnit = u), staffUnit);
    if (section === '二') {
      let m = RE.revenue.exec(s);
      if (m) n.revenue = change(m, { amount: 1, year: 2, dir: 3, delta: 4, pct: 5 }, l.no);
      m = RE.spending.exec(s);
      if (m) {
        n.spending = change(m, { amount: 1, year: 2, dir: 3, delta: 4, pct: 5 }, l.no);
        const b = RE.basic.exec(s);
        const p = RE.project.exec(s);
        n.basic = amt(b?.[1], l.no);
        n.project = amt(p?.[1], l.no);
        n.basicParts = econParts(s, l.no);
      }
    }
    if (section === '三') {
      const head = /^[（(][一二三四五六七八九十]+[）)](.+)$/.exec(s);
      if (head) {
        const u = ctx.unitNamed(head[1] as string);
        unit = u ? (n.units.get(u) ?? { unit: u, basicParts: {}, functions: [] }) : undefined;
        if (unit) n.units.set(unit.unit, unit);
        continue;
      }
      if (unit) {
        const tot = RE.unitTotal.exec(s);
        if (tot) {
          unit.total = amt(tot[1], l.no);
          unit.basic = amt(RE.basic.exec(s)?.[1], l.no);
          unit.project = amt(RE.project.exec(s)?.[1], l.no);
          unit.basicParts = econParts(s, l.no);
        }
        const f = RE.unitFunction.exec(s);
        const famount = f ? amt(f[2], l.no) : undefined;
        if (f && famount) {
          const neg = f[5] === '减少';
          unit.functions.push({
            name: f[1] as string,
            amount: famount,
            share: Number(f[3]),
            prevYear: Number(f[4]),
            change: amt(f[6], l.no, neg),
            pct: Number(f[7]) * (neg ? -1 : 1),
            line: l.no,
          });
        }
      }
      if (/无政府性基金预算支出/.test(s)) n.noFundSpending = l.no;
      if (/无国有资本经营预算支出/.test(s)) n.noStateCapital = l.no;
    }
    if (section === '四') {
      const m = RE.procurement.exec(s);
      const parts = m ? [1, 2, 3, 4].map((k) => amt(m[k], l.no)) : [];
      const [total, goods, works, services] = parts;
      if (total && goods && works && services) n.procurement = { total, goods, works, services };
    }
    if (section === '五') {
      const m = RE.sangong.exec(s);
      if (m) n.sangong = change(m, { amount: 1, year: 2, dir: 3, delta: 4 }, l.no);
      for (const it of s.matchAll(RE.sangongItem)) {
        const cat = /出国/.test(it[1] as string)
          ? 'overseas_travel'
          : /接待/.test(it[1] as string)
            ? 'reception'
            : /购置/.test(it[1] as string)
              ? 'vehicle_purchase'
              : 'vehicle_operation';
        const c = change(it as unknown as RegExpExecArray, { amount: 3, year: 4, dir: 5, delta: 6 }, l.no);
        if (c) n.sangongItems.set(cat, c);
      }
    }
    if (section === '六') {
      const m = RE.projectCount.exec(s);
      const pamount = m ? amt(m[1], l.no) : undefined;
      if (m && pamount && Number.isSafeInteger(Number(m[2])))
        n.projectCount = { count: Number(m[2]), amount: pamount, line: l.no };
    }
    if (section === '七') {
      const m = RE.operatingCost.exec(s);
      if (m) {
        const c = change(m, { amount: 2, year: 3, dir: 4, delta: 5 }, l.no);
        const u = ctx.unitNamed(m[1] as string) ?? ctx.department;
        if (c) n.operatingCost = { ...c, unit: u };
      }
      assets(ctx, s, l.no);
    }
  }
  return n;
}

function econParts(s: string, line: number): Record<string, Amount> {
  const out: Record<string, Amount> = {};
  for (const [re, key] of ECON_PARTS) {
    const m = re.exec(s);
    const a = amt(m?.[1], line);
    if (a) out[key] = a;
  }
  return out;
}

const STAFF: [RegExp, string, string][] = [
  [/总编制数(\d{1,9})人/, 'staff_authorized', '人'],
  [/实有人数(\d{1,9})人/, 'staff_actual', '人'],
  [/行政编制数(\d{1,9})人，实有在编人数(\d{1,9})人/, 'admin', '人'],
  [/事业编制数(\d{1,9})人，实有在编人数(\d{1,9})人/, 'institution', '人'],
  [/离休(\d{1,9})人/, 'retired_cadres', '人'],
  [/退休(\d{1,9})人/, 'retired', '人'],
  [/雇员(?:（含老工勤）)?(\d{1,9})人/, 'employees', '人'],
  [/临聘员额(\d{1,9})人/, 'temporary_staff', '人'],
  [/(?:共有车辆|实有车辆)(\d{1,9})辆/, 'vehicles', '辆'],
];

function staffing(
  ctx: DocumentContext,
  s: string,
  line: number,
  setUnit: (u: string) => void,
  _prev: string | undefined,
): void {
  let unit: string | undefined;
  const numbered = /^\d+[.、．](区.+?)(?:行政编制数|事业编制数)/.exec(s);
  if (numbered) unit = ctx.unitNamed(numbered[1] as string);
  else if (/系统总编制数|编制范围的二级预算单位/.test(s)) unit = ctx.department;
  if (!unit) return;
  setUnit(unit);
  const p = ctx.prov(unit, 'text', line);
  for (const [re, fact, mu] of STAFF) {
    const m = re.exec(s);
    if (!m) continue;
    if (fact === 'admin' || fact === 'institution') {
      ctx.add('unit_facts', p, {
        fact: `${fact}_authorized`,
        value: BigInt(m[1] as string) * 1_000_000n,
        measure_unit: mu,
      });
      ctx.add('unit_facts', p, {
        fact: `${fact}_actual`,
        value: BigInt(m[2] as string) * 1_000_000n,
        measure_unit: mu,
      });
    } else ctx.add('unit_facts', p, { fact, value: BigInt(m[1] as string) * 1_000_000n, measure_unit: mu });
  }
}

function assets(ctx: DocumentContext, s: string, line: number): void {
  const held = /截至(\d{4})年\d+月\d+日，本部门所属预算单位共有车辆(\d{1,9})辆/.exec(s);
  if (held) {
    const p = ctx.prov(ctx.department, 'text', line, { fiscal_year: Number(held[1]), stage: 'actual' });
    ctx.add('unit_facts', p, {
      fact: 'vehicles_held',
      value: BigInt(held[2] as string) * 1_000_000n,
      measure_unit: '辆',
    });
    const g = /单位价值50万以上通用设备(\d{1,9})台（套）/.exec(s);
    const sp = /单位价值100万以上专用设备(\d{1,9})台（套）/.exec(s);
    if (g)
      ctx.add('unit_facts', p, {
        fact: 'general_equipment_over_50w',
        value: BigInt(g[1] as string) * 1_000_000n,
        measure_unit: '台（套）',
      });
    if (sp)
      ctx.add('unit_facts', p, {
        fact: 'special_equipment_over_100w',
        value: BigInt(sp[1] as string) * 1_000_000n,
        measure_unit: '台（套）',
      });
  }
  const plan = /(\d{4})年部门预算安排购置一般公务用车(\d{1,9})辆/.exec(s);
  if (plan) {
    const p = ctx.prov(ctx.department, 'text', line, { fiscal_year: Number(plan[1]) });
    ctx.add('unit_facts', p, {
      fact: 'vehicles_to_purchase',
      value: BigInt(plan[2] as string) * 1_000_000n,
      measure_unit: '辆',
    });
    const g = /安排购置价值50万以上通用设备(\d{1,9})台（套）/.exec(s);
    if (g)
      ctx.add('unit_facts', p, {
        fact: 'general_equipment_to_purchase',
        value: BigInt(g[1] as string) * 1_000_000n,
        measure_unit: '台（套）',
      });
  }
}

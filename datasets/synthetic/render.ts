/**
 * One synthetic document in the seed's text layout (datasets/2021-longgang-zwfw-sjglj-budget.txt): the
 * narrative (第一部分 … 第八部分) with the sentences the parser reads, then 表 1 … 表 15 with the seed's
 * markers, titles, headers and TAB-separated cells — and the seed's kinds of mess: HTML fragments, cells
 * split over two lines, page-break debris lines in 表15, blank lines inside tables, a 款 numbered like a 类,
 * a repeated target, a shifted 小计 column, thousands separators in some tables and not others.
 */
import { Rng } from './rng.ts';
import {
  addSangong,
  byClass,
  econClassSum,
  funcName,
  procurementCents,
  projectActualCents,
  projectCents,
  sangongCents,
  spending,
  unitsOf,
  type Department,
  type EconItem,
  type Sangong,
  type UnitYear,
} from './model.ts';

export interface RenderOptions {
  /** Inject one deliberate contradiction (表12's department row disagrees with its units and the narrative). */
  contradiction?: boolean;
}

const CN = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二', '十三', '十四', '十五'];
const DEBRIS_A = '此部分佐证材料以附件 A 编号，例如：附件 A1、附件 A2、附件 A3 等。';
const DEBRIS_C = '此部分佐证材料以附件 C 编号，例如：附件 C1、附件 C2、附件 C3 等';
const ZEROS = (n: number) => Array.from({ length: n }, () => '0');

/** Whole 万元 as the tables print them: "7,920" (or "7920"). */
export function fmtInt(n: number, sep = true): string {
  const s = String(Math.abs(n));
  return (n < 0 ? '-' : '') + (sep ? s.replace(/\B(?=(\d{3})+(?!\d))/g, ',') : s);
}

/** Cents of 万元 as two decimals ("2129.08", "1,740.12"); trimmed ("386.8", "0") where the source trims. */
export function fmtCents(c: number, o: { sep?: boolean; trim?: boolean } = {}): string {
  const neg = c < 0;
  const a = Math.abs(c);
  const whole = fmtInt(Math.floor(a / 100), o.sep ?? false);
  let frac = String(a % 100).padStart(2, '0');
  if (o.trim) frac = frac.replace(/0+$/, '');
  return (neg ? '-' : '') + whole + (frac ? '.' + frac : '');
}

/** Growth as the narrative prints it: a whole percent, rounded from the same two-decimal figure the parser computes. */
function pct(change: number, prev: number): number {
  if (prev === 0) return 0;
  const computed = Math.trunc((change * 10000) / prev) / 100;
  return Math.round(Math.abs(computed));
}

function share(part: number, whole: number): number {
  if (whole === 0) return 0;
  return Math.round(Math.trunc((part * 10000) / whole) / 100);
}

function moreLess(change: number): string {
  return change < 0 ? '减少' : '增加';
}
function growDrop(change: number): string {
  return change < 0 ? '下降' : '增长';
}
/** The 三公 narrative's "增加（减少）" for an unchanged figure. */
function sangongDir(change: number): string {
  return change === 0 ? '增加（减少）' : change < 0 ? '减少' : '增加';
}

interface Ctx {
  d: Department;
  y: number;
  r: Rng;
  units: UnitYear[];
  prev: UnitYear[];
  sep: boolean;
  o: RenderOptions;
}

export function renderDocument(d: Department, y: number, o: RenderOptions = {}): string {
  const c: Ctx = {
    d,
    y,
    r: new Rng(`${d.seed}|d${d.index}|y${y}|doc`),
    units: unitsOf(d, y),
    prev: unitsOf(d, y - 1),
    sep: true,
    o,
  };
  c.sep = c.r.chance(0.8);
  const out: string[] = ['', '', `${y} 年${d.name}部门预算`, ''];
  narrative(c, out);
  tables(c, out);
  return out.join('\n') + '\n';
}

// ------------------------------------------------------------------------------------------------ narrative

function narrative(c: Ctx, out: string[]): void {
  const { d, y, r, units, prev } = c;
  const total = units.reduce((a, u) => a + spending(u), 0);
  const prevTotal = prev.reduce((a, u) => a + spending(u), 0);
  const basic = units.reduce((a, u) => a + u.basicTotal, 0);
  const project = units.reduce((a, u) => a + u.projectTotal, 0);
  const allBasic = units.flatMap((u) => u.basic);
  const p = (s: string) => out.push(s, '');

  p('第一部分 部门概况');
  p('一、部门主要职能');
  p(
    `贯彻落实党中央及省、市、区关于本领域工作的方针政策和决策部署，负责${d.short}职责范围内的各项管理和服务工作（本文件为合成数据，仅用于测试，不代表任何真实部门）。`,
  );
  p('二、部门预算单位构成及人员编制、交通工具情况');
  const staff = units.map((u) => u.staff);
  const sum = (f: (s: UnitYear['staff']) => number) => staff.reduce((a, s) => a + f(s), 0);
  const aa = sum((s) => s.adminAuth);
  const ab = sum((s) => s.adminActual);
  const ia = sum((s) => s.instAuth);
  const ib = sum((s) => s.instActual);
  const veh = sum((s) => s.vehicles);
  p(
    `纳入${d.short} ${y} 年部门预算编制范围的二级预算单位包括${d.units.map((u) => u.short).join('、')}共 ${d.units.length} 个基层单位。` +
      `${d.short}系统总编制数 ${aa + ia} 人，实有人数 ${ab + ib} 人，其中行政编制数 ${aa} 人，实有在编人数 ${ab} 人，事业编制数 ${ia} 人，实有在编人数 ${ib} 人；` +
      `离休 ${sum((s) => s.retiredCadres)} 人，退休 ${sum((s) => s.retired)} 人；从基本支出工资福利列支的雇员（含老工勤）${sum((s) => s.employees)} 人，从基本支出工资福利列支的临聘员额 ${sum((s) => s.temporary)} 人。` +
      `${d.short}所属各预算单位共有车辆 ${veh} 辆，均为一般公务用车。无一般执法执勤用车辆、特种专业技术用车辆、其他用途车辆。`,
  );
  p('具体如下：');
  d.units.forEach((u, i) => {
    const s = staff[i] as UnitYear['staff'];
    p(
      `${i + 1}. ${u.short}行政编制数 ${s.adminAuth} 人，实有在编人数 ${s.adminActual} 人，事业编制数 ${s.instAuth} 人，实有在编人数 ${s.instActual} 人；` +
        `离休 ${s.retiredCadres} 人，退休 ${s.retired} 人；从基本支出工资福利列支的雇员（含老工勤）${s.employees} 人，从基本支出工资福利列支的临聘员额 ${s.temporary} 人。` +
        `已实行公务用车改革，实有车辆 ${s.vehicles} 辆，包括：一般公务用车 ${s.vehicles} 辆，无一般执法执勤用车辆、特种专业技术用车辆、其他用车辆。`,
    );
  });
  p(`三、${y} 年主要工作目标`);
  p(
    `${d.short} ${y} 年主要工作目标包括：1. 持续优化公共服务，提升办事效率；2. 加强信息化建设，保障系统安全稳定运行；3. 严格预算管理，提高财政资金使用效益。`,
  );

  p('第二部分 部门预算收支总体情况');
  p(`一、${y} 年收入预算情况`);
  const ch = total - prevTotal;
  p(
    `${y} 年${d.short}部门预算收入 ${total} 万元（详见表一），比 ${y - 1} 年${moreLess(ch)} ${Math.abs(ch)} 万元，${growDrop(ch)} ${pct(ch, prevTotal)}%，其中：财政拨款收入（财政补助收入）${total} 万元（包括：一般公共预算 ${total} 万元）。`,
  );
  p(`二、${y} 年支出预算情况`);
  p(
    `${y}年${d.short}部门预算支出${total}万元（详见表三），比${y - 1}年${moreLess(ch)}${Math.abs(ch)}万元，${growDrop(ch)}${pct(ch, prevTotal)}%。` +
      `包括：基本支出${basic}万元（详见表四），其中：工资福利支出${econClassSum(allBasic, '301')}万元、商品和服务支出${econClassSum(allBasic, '302')}万元、对个人和家庭的补助支出${econClassSum(allBasic, '303')}万元；项目支出${project}万元。`,
  );
  p(`三、预算收支${ch < 0 ? '减少' : '增加'}的主要原因说明`);
  p(`1. 根据年度重点工作安排，相应调整项目支出预算。${r.chance(0.5) ? '部分跨年度项目在本年度支付尾款。' : ''}`);
  p('2. 人员编制及工资福利标准调整，基本支出相应变化。');

  p('第三部分 部门预算支出具体情况');
  p('一、一般公共预算支出情况');
  d.units.forEach((u, i) => {
    const uy = units[i] as UnitYear;
    const up = prev[i] as UnitYear;
    p(`（${CN[i + 1]}）${u.short}`);
    const statement =
      `${u.short}${y}年一般公共预算安排支出${spending(uy)}万元（详见表七），包括：基本支出${uy.basicTotal}万元（详见表四中一般公共预算拨款小计数），` +
      `其中：工资福利支出${econClassSum(uy.basic, '301')}万元、商品和服务支出${econClassSum(uy.basic, '302')}万元、对个人和家庭的补助支出${econClassSum(uy.basic, '303')}万元；项目支出${uy.projectTotal}万元。`;
    const intro = '按支出预算的功能分类（根据部门具体使用类级科目列示），一般公共预算安排用于以下方面：';
    if (r.chance(0.5)) {
      p(statement);
      p(intro);
    } else p(statement + intro);
    const now = byClass(uy);
    const before = byClass(up);
    [...now.keys()].sort().forEach((cls, k) => {
      const a = now.get(cls) as number;
      const b = before.get(cls) ?? 0;
      const dc = a - b;
      p(
        `${k + 1}. ${funcName(cls)} ${a} 万元，占 ${share(a, spending(uy))}%，比 ${y - 1} 年${moreLess(dc)} ${Math.abs(dc)} 万元，${growDrop(dc)} ${pct(dc, b)}%；`,
      );
    });
  });
  p('二、政府性基金支出预算情况');
  p(`${y} 年本部门无政府性基金预算支出。`);
  p('三、国有资本经营支出预算情况');
  p(`${y} 年本部门无国有资本经营预算支出。`);

  p('第四部分 政府采购预算情况');
  const proc = (type: string) =>
    units
      .flatMap((u) => u.procurement)
      .filter((x) => x.code.startsWith(type))
      .reduce((a, x) => a + x.cents, 0);
  const procTotal = units.reduce((a, u) => a + procurementCents(u), 0);
  p(
    `${y} 年${d.short}政府采购预算总额 ${fmtCents(procTotal, { trim: true })} 万元，其中：货物采购预算 ${fmtCents(proc('A'), { trim: true })} 万元、工程采购预算 ${fmtCents(proc('B'), { trim: true })} 万元、服务采购预算 ${fmtCents(proc('C'), { trim: true })} 万元（详见表十一）。`,
  );

  p('第五部分 一般公共预算“三公”经费预算情况');
  p('一、“三公”经费的单位范围');
  p(
    `${d.short}因公出国（境）费用、公务接待费、公务用车购置和运行维护费开支单位包括局本级和${d.units.length - 1}个下属事业单位。`,
  );
  p('二、“三公”经费预算情况说明');
  const sg = addSangong(units.map((u) => u.sangong));
  const sgPrev = addSangong(prev.map((u) => u.sangong));
  const sgCh = sangongCents(sg) - sangongCents(sgPrev);
  const t = (x: number) => fmtCents(x, { trim: true });
  p(
    `${y}年“三公”经费预算${t(sangongCents(sg))}万元，比${y - 1}年预算${moreLess(sgCh)}${t(Math.abs(sgCh))}万元（详见表十二）。`,
  );
  p('其中：');
  const item = (k: keyof Sangong) => ({ now: sg[k], ch: sg[k] - sgPrev[k] });
  const ov = item('overseas');
  const re = item('reception');
  const vb = item('vehiclePurchase');
  const vo = item('vehicleOperation');
  p(
    `1. 因公出国（境）费用。${y}年预算数${t(ov.now)}万元。比${y - 1}年${sangongDir(ov.ch)}${t(Math.abs(ov.ch))}万元。因公出国（境）经费按零基预算的原则由区财政统一预留和调配。`,
  );
  p(
    `2. 公务接待费。${y}年预算数${t(re.now)}万元，比${y - 1}年${sangongDir(re.ch)}${t(Math.abs(re.ch))}万元。主要用于相关部门来访交流、检查指导工作接待支出。`,
  );
  const vehicleText =
    `3. 公务用车购置和运行维护费。${y}年预算数${t(vb.now + vo.now)}万元，其中：公务用车购置费${y}年预算数${t(vb.now)}万元，比${y - 1}年预算数${sangongDir(vb.ch)}${t(Math.abs(vb.ch))}万元；` +
    `公务用车运行维护费${y}年预算数${t(vo.now)}万元，比${y - 1}年预算数${sangongDir(vo.ch)}${t(Math.abs(vo.ch))}万元。主要用于执行公务和开展基层工作调研业务`;
  // A sentence broken by a page break, as in the seed.
  out.push(vehicleText, '', '活动所开支的公务用车运行支出。', '');

  p('第六部分 部门预算绩效管理情况');
  p('一、实施部门预算绩效管理的单位范围');
  p(
    `${d.short}实施部门预算绩效管理的单位范围包括：${d.units.map((u) => u.short).join('、')}共 ${d.units.length} 家基层单位，均要编制整体支出绩效目标。`,
  );
  p('二、实施部门预算绩效管理的项目情况及工作要求');
  const nProjects = units.reduce((a, u) => a + u.projects.length, 0);
  p(
    `${y} 年${d.short}所有项目支出预算纳入部门预算绩效管理，涉及预算资金 ${project} 万元设置并编报 ${nProjects} 个项目绩效目标。相关项目在执行时需在年中按要求开展绩效运行监控。`,
  );

  p('第七部分 其他需要说明情况');
  p('一、机关运行经费财政拨款预算情况');
  const benji = d.units.findIndex((u) => u.benji);
  const oc = (units[benji] as UnitYear).operatingCost;
  const ocPrev = (prev[benji] as UnitYear).operatingCost;
  p(
    `${y} 年${(d.units[benji] as { short: string }).short}机关运行经费财政拨款预算 ${oc} 万元，比 ${y - 1} 年预算${moreLess(oc - ocPrev)} ${Math.abs(oc - ocPrev)} 万元。本预算主要用于办公及印刷费、邮电费、差旅费、会议费、福利费、日常维修费、公务用车运行维护费以及其他费用支出。`,
  );
  p('二、上级专项转移支付支出预算情况');
  p(`${y}年本部门无上级转移支付预算支出。`);
  p('三、国有资产占有使用情况');
  const vehPrev = prev.reduce((a, u) => a + u.staff.vehicles, 0);
  p(
    `截至 ${y - 1} 年 12 月 31 日，本部门所属预算单位共有车辆 ${vehPrev} 辆，其中：一般公务用车 ${vehPrev} 辆、一般执法执勤用车 0 辆、特种专业技术用车 0 辆、其他用车 0 辆。单位价值 50 万以上通用设备 ${d.equipment.general} 台（套），单位价值 100 万以上专用设备 ${d.equipment.special} 台（套）。`,
  );
  p(
    `${y} 年部门预算安排购置一般公务用车 0 辆、一般执法执勤用车 0 辆、特种专业技术用车 0 辆、其他用车 0 辆。安排购置价值 50 万以上通用设备 ${r.int(0, 2)} 台（套），单位价值 100 万以上专用设备 0 台（套）。`,
  );
  p('四、其他情况说明');
  p(
    '本部门预算项目金额由元转换为万元时，因四舍五入可能存在尾差。本文件为合成数据（synthetic），由生成器按固定种子生成。',
  );

  p('第八部分 名词解释');
  p(
    '一、基本支出：指为保障机构正常运转、完成日常工作任务而发生的支出，包括人员经费（基本工资、津贴补贴等）和公用经费（包括办公费、邮电费、差旅费及印刷费等）。',
  );
  p('二、项目支出：指在基本支出之外为完成特定工作任务和事业发展目标所发生的支出。');
  p('三、“三公”经费：一般公共预算安排的因公出国（境）费、公务用车购置及运行费和公务接待费。');
  p('四、机关运行经费：为保障行政单位（包括参照公务员法管理的事业单位）运行用于购买货物和服务的各项资金。');
  p('附表：');
  const titles = [
    '收支总表',
    '收入总表',
    '支出总表',
    '基本支出总表',
    '项目支出总表',
    '政府预算拨款收支总表',
    '一般公共预算支出表（按功能科目）',
    '政府性基金预算支出表',
    '国有资本经营预算支出表',
    '上级专项转移支付支出预算表',
    '政府采购项目支出表',
    '一般公共预算“三公”经费支出表',
    '部门预算绩效管理项目情况表',
    '部门整体支出绩效目标表',
    `${y}年部门预算项目绩效目标表`,
  ];
  titles.forEach((tt, i) => p(`表${CN[i + 1]}：${tt}`));
}

// ------------------------------------------------------------------------------------------------ tables

function head(out: string[], no: number, title: string, name: string, colon = false): void {
  out.push(`表 ${no}${colon ? ':' : ''}`, '', title, '', `单位名称：${name}`, '', '单位：万元', '');
}

/** Department aggregates of 表7: code (类 / 款 / 项) → total, with the 项 in code order. */
function deptFunctions(units: UnitYear[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const u of units)
    for (const [code, f] of u.funcs)
      for (const k of [code.slice(0, 3), code.slice(0, 5), code]) m.set(k, (m.get(k) ?? 0) + f.basic + f.project);
  return new Map([...m.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

/** The spending side of 表1 / 表6: 类 (numbered), 款, 项 in hierarchy order. */
function spendingRows(c: Ctx, numberKuan: boolean): [string, number][] {
  const agg = deptFunctions(c.units);
  const codes = [...agg.keys()].sort();
  const rows: [string, number][] = [];
  let n = 0;
  // The seed's 表6 numbers a 款 as if it were a 类 ("二、统计信息事务"): the parser follows the code.
  const odd = numberKuan
    ? codes.filter((x) => x.length === 5 && !x.startsWith('208') && !x.startsWith('21')).pop()
    : undefined;
  for (const cls of codes.filter((x) => x.length === 3)) {
    rows.push([`${CN[++n]}、${funcName(cls)}`, agg.get(cls) as number]);
    for (const kuan of codes.filter((x) => x.length === 5 && x.startsWith(cls))) {
      rows.push([kuan === odd ? `${CN[++n]}、${funcName(kuan)}` : funcName(kuan), agg.get(kuan) as number]);
      for (const item of codes.filter((x) => x.length === 7 && x.startsWith(kuan)))
        rows.push([funcName(item), agg.get(item) as number]);
    }
  }
  return rows;
}

function tables(c: Ctx, out: string[]): void {
  const { d, y, r, units, sep } = c;
  const f = (n: number) => fmtInt(n, sep);
  const total = units.reduce((a, u) => a + spending(u), 0);
  const special = units.reduce((a, u) => a + u.special, 0);

  // 表1 收支总表
  head(out, 1, '收支总表', d.name);
  out.push('收 入\t\t支 出\t', `收入项目\t${y} 年预算\t支出项目\t${y} 年预算`);
  const revenue: [string, number][] = [
    ['一、一般公共预算财政拨款', total],
    ['（一）一般性经费拨款', total - special],
    ['（二）财政专项资金拨款', special],
    ['（三）政府投资项目', 0],
    ['二、政府性基金预算拨款', 0],
    ['（一）其他政府性基金', 0],
    ['（二）政府投资项目', 0],
    ['三、财政专户拨款（教育收费）', 0],
    ['四、事业收入', 0],
    ['五、经营收入', 0],
    ['六、其他收入', 0],
    ['七、上级补助收入', 0],
    ['八、附属单位上缴收入', 0],
  ];
  twoSided(out, revenue, spendingRows(c, false), f, r);
  out.push(
    `本年收入合计\t${f(total)}\t本年支出合计\t${f(total)}`,
    '用事业基金弥补收支差额\t0\t结转下年\t0',
    '上年结转\t0\t\t0',
    `收入总计\t${f(total)}\t支出总计\t${f(total)}`,
    '',
  );

  // 表2 收入总表
  head(out, 2, '收入总表', d.name);
  out.push(
    '预算单位\t收入 总计\t本年收入\t\t\t\t\t\t\t\t\t\t\t\t上级 补助 收入\t附属 单位 上缴 收入\t用事 业基 金弥 补收 支差 额\t上年 结转\t',
    '\t\t合计\t财政拨款\t\t\t\t\t\t\t\t\t事业 收入\t经营 收入\t\t\t\t\t其他 收入',
    '\t\t\t小计\t一般公共预算拨款\t\t\t\t政府性基金预算拨 款\t\t\t财政专 户拨款 (教育 收费)\t\t\t\t\t\t\t',
    '\t\t\t\t小计\t一般 性经 费拨 款\t财政 专项 资金 拨款\t政府 投资 项目\t小计\t其他 政府 性基 金\t政府 投资 项目\t\t\t\t\t\t\t\t',
  );
  const row2 = (name: string, t: number, s: number) =>
    [name, f(t), f(t), f(t), f(t), f(t - s), f(s), ...ZEROS(12)].join('\t');
  out.push(row2(d.name, total, special));
  d.units.forEach((u, i) => out.push(row2(u.name, spending(units[i] as UnitYear), (units[i] as UnitYear).special)));
  out.push('');

  // 表3 支出总表
  head(out, 3, '支出总表', d.name);
  out.push('预算单位\t支出总计\t基本支出\t项目支出\t其中：政府采购');
  const procAll = units.reduce((a, u) => a + procurementCents(u), 0);
  const basicAll = units.reduce((a, u) => a + u.basicTotal, 0);
  const projectAll = units.reduce((a, u) => a + u.projectTotal, 0);
  out.push([d.name, f(total), f(basicAll), f(projectAll), f(Math.round(procAll / 100))].join('\t'));
  d.units.forEach((u, i) => {
    const uy = units[i] as UnitYear;
    out.push(
      [u.name, f(spending(uy)), f(uy.basicTotal), f(uy.projectTotal), f(Math.round(procurementCents(uy) / 100))].join(
        '\t',
      ),
    );
  });
  out.push('');

  // 表4 基本支出总表, 表5 项目支出总表
  const econHeader = [
    '支出项目类别（按支出经济科目编列至“款”级）\t总计\t本年收入\t\t\t\t\t\t\t\t\t\t\t\t\t上级补助收入\t附属单位上缴收入\t上年结转\t用事业基金弥补收支差额',
    '\t\t合计\t小计\t财政拨款\t\t\t\t\t\t\t\t经营收入\t其他收入\t事业收入\t\t\t\t',
    '\t\t\t\t一般公共预算拨款\t\t\t政府性基金预算拨款\t\t\t财政专户拨款（教育收费）\t\t\t\t\t\t\t\t',
    '\t\t\t\t小计\t一般性经费拨款\t财政专项资金拨款\t政府投资项目\t小计\t其他政府性基金\t\t政府投资项目\t\t\t\t\t\t\t',
  ];
  const row18 = (name: string, a: number) => [name, f(a), f(a), f(a), f(a), f(a), ...ZEROS(13)].join('\t');
  const classNames: Record<string, string> = {
    '301': '工资福利支出',
    '302': '商品和服务支出',
    '303': '对个人和家庭的补助支出',
    '310': '资本性支出',
  };
  for (const [no, title, pick, totalOf] of [
    [4, '基本支出总表', (u: UnitYear) => u.basic, (u: UnitYear) => u.basicTotal],
    [5, '项目支出总表', (u: UnitYear) => u.projectEcon, (u: UnitYear) => u.projectTotal],
  ] as const) {
    head(out, no, title, d.name);
    out.push(...econHeader);
    out.push(
      row18(
        d.name,
        units.reduce((a, u) => a + totalOf(u), 0),
      ),
    );
    d.units.forEach((u, i) => {
      const uy = units[i] as UnitYear;
      out.push(row18(u.name, totalOf(uy)));
      const items: EconItem[] = pick(uy);
      for (const cls of ['301', '302', '303', '310']) {
        const its = items.filter((x) => x.cls === cls);
        if (its.length === 0) continue;
        if (r.chance(0.15)) out.push(''); // a page break inside the table
        out.push(row18(classNames[cls] as string, econClassSum(items, cls)));
        for (const it of its) out.push(row18(it.name, it.amount));
      }
    });
    out.push('');
  }

  // 表6 政府预算拨款收支总表
  head(out, 6, '政府预算拨款收支总表', d.name);
  out.push('收 入\t\t支 出\t', `收入项目\t${y} 年预算\t支出项目\t${y} 年预算`);
  twoSided(
    out,
    [
      ['一、一般公共预算拨款', total],
      ['（一）一般性经费拨款', total - special],
      ['（二）财政专项资金拨款', special],
      ['（三）政府投资项目', 0],
      ['二、政府性基金预算拨款', 0],
      ['（一）其他政府性基金', 0],
      ['（二）政府投资项目', 0],
      ['三、财政专户拨款（教育收费）', 0],
    ],
    spendingRows(c, r.chance(0.3)),
    f,
    r,
  );
  out.push(
    `本年收入合计\t${f(total)}\t结转下年\t0`,
    '上年结转\t0\t\t0',
    `收入总计\t${f(total)}\t支出总计\t${f(total)}`,
    '',
  );

  // 表7 一般公共预算支出表
  head(out, 7, '一般公共预算支出表', d.name);
  out.push('预算单位\t科目编码\t科目名称\t支出总计\t基本支出\t项目支出');
  out.push([d.name, '', '', f(total), f(basicAll), f(projectAll)].join('\t'));
  d.units.forEach((u, i) => {
    const uy = units[i] as UnitYear;
    out.push([u.name, '', '', f(spending(uy)), f(uy.basicTotal), f(uy.projectTotal)].join('\t'));
    // The seed lists a unit's 项 in no particular order.
    for (const [code, v] of r.shuffle([...uy.funcs.entries()]))
      out.push(['', code, funcName(code), f(v.basic + v.project), f(v.basic), f(v.project)].join('\t'));
  });
  out.push('');

  // 表8 – 表10: nothing to spend, zeros for every unit.
  for (const [no, title] of [
    [8, '政府性基金预算支出表'],
    [9, '国有资本经营预算支出表'],
    [10, '上级专项转移支付支出表'],
  ] as const) {
    head(out, no, title, d.name);
    out.push('预算单位\t科目编码\t科目名称\t支出总计\t基本支出\t项目支出');
    for (const name of [d.name, ...d.units.map((u) => u.name)]) out.push(`${name}\t\t\t0\t0\t0`);
    out.push('');
  }

  // 表11 政府采购项目支出表
  head(out, 11, '政府采购项目支出表', d.name);
  out.push('预算单位\t品目编码\t品目名称\t金额');
  const cents = (x: number) => fmtCents(x, { sep: r.chance(0.3), trim: r.chance(0.2) });
  out.push(`${d.name}\t\t\t${cents(procAll)}`);
  d.units.forEach((u, i) => {
    const uy = units[i] as UnitYear;
    out.push(`${u.name}\t\t\t${cents(procurementCents(uy))}`);
    for (const [type, name] of [
      ['A', '货物类'],
      ['B', '工程类'],
      ['C', '服务类'],
    ] as const) {
      const its = uy.procurement.filter((x) => x.code.startsWith(type));
      if (its.length === 0) continue;
      out.push(`\t${type}\t${name}\t${cents(its.reduce((a, x) => a + x.cents, 0))}`);
      for (const it of its) out.push(`\t${it.code}\t${it.name}\t${cents(it.cents)}`);
    }
  });
  out.push('');

  // 表12 三公
  head(out, 12, '一般公共预算“三公”经费支出表', d.name);
  out.push(
    '预算单位\t年度\t总计\t因公出国(境)费\t公务接待费\t公务用车购置及运行维护费\t\t',
    '\t\t\t\t\t小计\t公务用车运行维护费\t公务用车购置费',
  );
  const shifted = r.chance(0.2);
  const c2 = (x: number) => fmtCents(x);
  const row12 = (name: string, year: number, s: Sangong, bump = 0) => {
    const sub = shifted ? 0 : s.vehicleOperation + s.vehiclePurchase;
    return [
      name,
      String(year),
      c2(sangongCents(s)),
      c2(s.overseas),
      c2(s.reception + bump),
      c2(sub),
      c2(s.vehicleOperation),
      c2(s.vehiclePurchase),
    ].join('\t');
  };
  const years12 = [y - 1, y];
  const deptSg = (yr: number) => addSangong(unitsOf(d, yr).map((u) => u.sangong));
  years12.forEach((yr, k) => {
    const line = row12(d.name, yr, deptSg(yr), c.o.contradiction && yr === y ? 20 : 0);
    out.push(k === 0 ? line : line.replace(d.name, ''));
  });
  d.units.forEach((u, i) => {
    years12.forEach((yr, k) => {
      const line = row12(u.name, yr, (unitsOf(d, yr)[i] as UnitYear).sangong);
      out.push(k === 0 ? line : line.replace(u.name, ''));
    });
  });
  out.push('');

  // 表13 项目情况
  out.push('表 13:', '', '部门预算绩效管理项目情况表', '', `单位名称：${d.name}`, '', '单位：万元', '');
  out.push('预算单位\t项目名称\t预算金额\t\t\t预算执行时间', '\t\t合计\t一般公共预算\t其他资金\t');
  d.units.forEach((u, i) => {
    out.push(`${u.name}\t\t\t\t\t`);
    for (const p of (units[i] as UnitYear).projects)
      out.push(`\t${p.def.name}\t${f(p.whole)}\t${f(p.whole)}\t0\t${y}-01-01 至 ${y}-12-31`);
  });
  out.push('');

  // 表14 整体支出绩效目标
  out.push('表 14:', '', '部门（单位）整体支出绩效目标表\t\t\t\t\t\t');
  out.push(`部门（单位）名称：${d.name}\t\t\t\t\t\t单位：万元`);
  out.push(
    '年度预算金额\t合计\t一般公共预算\t\t政府性基金\t\t其他资金',
    '\t\t本级\t上级转移支付\t本级\t上级转移支付\t',
  );
  out.push(`\t${total}\t${total}\t0\t0\t0\t0`);
  out.push(
    `年度绩效目标\t1、持续优化公共服务，提升办事效率。2、加强信息化建设，保障系统安全稳定运行。3、严格预算管理，提高财政资金使用效益。\t\t\t\t\t`,
  );
  out.push('年度绩效目标分解\t\t\t\t\t\t', '一级指标\t二级指标\t三级指标\t\t指标目标值\t\t');
  const t14 = [
    '投入和管理目标\t投入管理\t预算资金到位情况\t\t足额到位\t\t',
    '\t\t预算执行率\t\t100%\t\t',
    '\t财务管理\t财务管理制度健全性\t\t健全\t\t',
    '\t\t财务管理制度执行有效性\t\t有效\t\t',
    '\t项目管理\t项目管理制度健全\t\t健全\t\t',
    '\t资产管理\t资金使用规范性\t\t规范\t\t',
    `产出目标\t数量\t申报项目数\t\t${units.reduce((a, u) => a + u.projects.length, 0)} 个以上\t\t`,
    '\t质量\t项目质量可控性\t\t可控\t\t',
    '\t时效\t项目进度计划完成率\t\t100%\t\t',
    '效益目标\t社会效益\t公共服务水平\t\t有效提升\t\t',
    '\t\t社会治理水平\t\t有效提升\t\t',
    '\t服务对象满意度\t服务对象满意度\t\t95%\t\t',
    '其他\t不适用\t\t不适用\t\t',
  ];
  out.push(...t14);
  // The seed prints a block of targets twice.
  if (r.chance(0.3)) out.push(t14[0] as string, t14[1] as string);
  out.push('');

  // 表15 项目绩效目标表: one form per project.
  out.push('表 15:', '');
  d.units.forEach((u, i) => {
    for (const p of (units[i] as UnitYear).projects) projectForm(c, out, u, p);
  });
}

function twoSided(
  out: string[],
  revenue: [string, number][],
  spend: [string, number][],
  f: (n: number) => string,
  r: Rng,
): void {
  const n = Math.max(revenue.length, spend.length) + r.int(1, 3);
  const blankAt = r.chance(0.5) ? r.int(revenue.length, n - 1) : -1;
  for (let i = 0; i < n; i++) {
    if (i === blankAt) out.push('');
    const [rn, ra] = revenue[i] ?? ['', 0];
    const [sn, sa] = spend[i] ?? ['', 0];
    out.push(`${rn}\t${f(ra)}\t${sn}\t${f(sa)}`);
  }
}

function projectForm(c: Ctx, out: string[], u: Department['units'][number], p: UnitYear['projects'][number]): void {
  const { d, y, r } = c;
  const def = p.def;
  const paren = r.chance(0.5) ? '（单位名称）' : '(单位名称) ';
  const pad = (cells: string[], n = 8) =>
    [...cells, ...Array.from({ length: Math.max(0, n - cells.length) }, () => '')].join('\t');
  if (r.chance(0.3)) out.push(`${paren}${y} 年部门预算项目绩效目标表`, '');
  else out.push(pad([`${paren}${y} 年部门预算项目绩效目标表`]));
  // The department fills in its own (本级) forms under its own name.
  const filler = u.benji && r.chance(0.7) ? d.name : u.name;
  out.push(pad([`填报单位：${filler}`]));
  out.push(pad(['一、项目基本情况', '', '', '', '', '', '', '佐证资料附件编号']));
  out.push(pad(['项目名称', def.name, '', '', '项目主管部门', d.short.replace(/^区/, '合成区')]));
  out.push(
    pad([
      '项目负责人',
      def.leader,
      '项目负责人联系方式',
      def.phone,
      '财务负责人及联系方式',
      u.financeLead,
      '财务负责人联系方式',
      u.financePhone,
    ]),
  );
  out.push(pad(['项目分级', def.grade, '', '', '是否新增政策/项目', def.from === y ? '是' : '否']));
  out.push(pad(['是否政府投资项目', '否', '', '', '是否包含政府采购项目', def.purchases ? '是' : '否']));
  out.push(pad(['项目周期', `${y}-01-01`, '', '', '至', `${y}-12-31`]));
  const overview = r.chance(0.4) ? `<p>1. ${def.overview}</p> <p>2. 本项目为合成数据。</p>` : def.overview;
  out.push(pad(['项目概况', overview, '', '', '', '', '', DEBRIS_A]));
  out.push(pad(['项目申报依据及现实必要性', def.basis]));
  out.push(pad(['项目实施条件（人员、资金、制度保障等）', def.conditions]));
  out.push(pad(['二、项目预算情况']));
  out.push(pad(['时间', '金额（万元）', '', '', `${y} 年较以前年度金额增减变动原因`]));
  const actual = projectActualCents(def, y - 2);
  const before = projectCents(def, y - 1);
  const amt = (x: number | undefined) => (x === undefined ? '' : fmtCents(x, { sep: r.chance(0.3) }));
  out.push(pad([`${y - 2} 年实际执行数`, amt(actual), '', '', def.reason]));
  out.push(pad([`${y - 1} 年预算数`, amt(before)]));
  out.push(pad([`${y} 年预算数`, amt(p.cents)]));
  out.push(pad(['三、项目绩效及评估情况']));
  if (r.chance(0.25)) out.push('', DEBRIS_A, '');
  out.push(pad(['年度绩效目标', r.chance(0.3) ? `<p>1、${def.goal}</p> <p>2、按时完成。</p>` : def.goal]));
  const split = r.chance(0.3);
  if (split) {
    // The header's last cell split over a page break, as in the seed.
    out.push(['一级指标', '二级指标', '三级指标', '', '年度拟完成指标值', '', '', '此部分佐证材'].join('\t'), '');
    out.push(['', '', '(根据本项目实际填报)', '', '料以附件 C 编号, 例如: 附件 C1、附件 C2、附件 C3 等'].join('\t'));
  } else
    out.push(
      ['一级指标', '二级指标', '三级指标 （根据本项目实际填报）', '', '年度拟完成指标值', '', '', DEBRIS_C].join('\t'),
    );
  const wide = r.chance(0.5);
  def.targets.forEach((t, k) => {
    if (k === 3 && r.chance(0.3)) out.push('');
    if (k === 2 && r.chance(0.2)) out.push(DEBRIS_C);
    const indicator =
      k === 1 && r.chance(0.2) && t.indicator.length > 4
        ? `${t.indicator.slice(0, 3)} ${t.indicator.slice(3)}`
        : t.indicator;
    out.push(
      wide
        ? [t.level1, t.level2, indicator, '', t.value, '', '', ''].join('\t')
        : [t.level1, t.level2, indicator, t.value].join('\t'),
    );
  });
  out.push('');
}

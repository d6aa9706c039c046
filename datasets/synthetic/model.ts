/**
 * The numbers behind a synthetic department: its units, staff, basic spending by economic item, projects,
 * procurement and 三公, year by year. Every figure is a pure function of (seed, department, year), so the
 * 2022 document's "2021 budget" figures are the 2021 document's own figures, and a department's documents
 * line up into continuous series.
 *
 * Money is in whole 万元 where the published tables print whole 万元 (表1–表7, 表13), and in cents of 万元
 * (0.01 万元) where they print two decimals (表11, 表12, 表15).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { apportion, Rng } from './rng.ts';

const CLASSIFICATION = join(dirname(fileURLToPath(import.meta.url)), '..', 'classification');

export interface FunctionCode {
  code: string;
  name: string;
}

interface Kuan {
  code: string;
  run: string;
  general: string;
  institution: string;
  special: string[];
}

let functionNames: Map<string, string> | undefined;
let kuans: Kuan[] | undefined;

/** 支出功能分类 names, read from datasets/classification/function.csv (the names the parser knows). */
export function funcName(code: string): string {
  functionNames ??= loadFunctionNames();
  const n = functionNames.get(code);
  if (n === undefined) throw new Error(`function code ${code} is not in function.csv`);
  return n;
}

function loadFunctionNames(): Map<string, string> {
  const rows = parse(readFileSync(join(CLASSIFICATION, 'function.csv')), { columns: true, bom: true }) as Record<
    string,
    string
  >[];
  return new Map(rows.map((r) => [String(r['code']), String(r['name'])]));
}

/** 款 with 行政运行 (01), 一般行政管理事务 (02), 事业运行 (50) and at least one specific 项: the main 款 a department can run on. */
function mainKuans(): Kuan[] {
  if (kuans) return kuans;
  functionNames ??= loadFunctionNames();
  const children = new Map<string, string[]>();
  for (const code of functionNames.keys())
    if (code.length === 7) children.set(code.slice(0, 5), [...(children.get(code.slice(0, 5)) ?? []), code]);
  kuans = [];
  for (const [kuan, kids] of [...children.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const has = (s: string) => kids.includes(kuan + s);
    // 208 / 210 / 221 carry every unit's social-security, medical and housing lines: keep the main 类 apart.
    if (['208', '210', '221'].includes(kuan.slice(0, 3))) continue;
    const special = kids.filter((c) => !['01', '02', '03', '50'].includes(c.slice(5)));
    if (has('01') && has('02') && has('50') && special.length > 0)
      kuans.push({ code: kuan, run: kuan + '01', general: kuan + '02', institution: kuan + '50', special });
  }
  return kuans;
}

// ------------------------------------------------------------------------------------------------ definitions

export interface Staff {
  adminAuth: number;
  adminActual: number;
  instAuth: number;
  instActual: number;
  employees: number;
  retiredCadres: number;
  retired: number;
  temporary: number;
  vehicles: number;
}

export interface EconItem {
  /** 301 / 302 / 303 / 310 */
  cls: string;
  name: string;
  amount: number;
}

export interface ProcItem {
  code: string;
  name: string;
  cents: number;
}

export interface Sangong {
  overseas: number;
  reception: number;
  vehicleOperation: number;
  vehiclePurchase: number;
}

export interface Target {
  level1: string;
  level2: string;
  indicator: string;
  value: string;
}

export interface ProjectDef {
  unit: number;
  name: string;
  code: string;
  from: number;
  to: number;
  baseCents: number;
  trend: number;
  key: string;
  grade: string;
  leader: string;
  phone: string;
  purchases: boolean;
  overview: string;
  basis: string;
  conditions: string;
  goal: string;
  reason: string;
  targets: Target[];
}

export interface UnitDef {
  name: string;
  /** As the narrative prints it: "区…". */
  short: string;
  benji: boolean;
  kind: 'admin' | 'institution';
  kuan: string;
  runCode: string;
  medicalCode: string;
  housingFrom: number;
  financeLead: string;
  financePhone: string;
}

export interface ProjectYear {
  def: ProjectDef;
  /** This year's budget, cents of 万元 (表15) … */
  cents: number;
  /** … and as 表13 prints it, whole 万元. */
  whole: number;
}

export interface UnitYear {
  staff: Staff;
  basic: EconItem[];
  basicTotal: number;
  /** Function 项 → basic / project whole 万元, in print order. */
  funcs: Map<string, { basic: number; project: number }>;
  projects: ProjectYear[];
  projectTotal: number;
  projectEcon: EconItem[];
  procurement: ProcItem[];
  sangong: Sangong;
  /** 机关运行经费 (本级 only). */
  operatingCost: number;
  /** 财政专项资金拨款 within 一般公共预算. */
  special: number;
}

export interface Department {
  index: number;
  seed: number;
  name: string;
  short: string;
  units: UnitDef[];
  projects: ProjectDef[];
  firstYear: number;
  lastYear: number;
  years: Map<number, UnitYear[]>;
  equipment: { general: number; special: number };
}

// ------------------------------------------------------------------------------------------------ pools

const SUB_UNITS = [
  '信息中心',
  '服务中心',
  '事务中心',
  '发展研究中心',
  '监测站',
  '保障中心',
  '档案馆',
  '培训中心',
  '技术中心',
  '综合执法队',
];

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严欧莫孔向常汤康易乔赖文';
const GIVEN =
  '敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华芳玲宇浩辉健鹏飞斌波宁琳倩婷雪颖晨阳凯晓文博欣怡帆航蕾彤瑶睿晗';

const PROJECTS = [
  '信息系统维护与开发',
  '政务服务管理',
  '办公楼修缮',
  '耗材及资料印刷',
  '网络设备运维管理',
  '信息安全服务',
  '基础技术平台运营',
  '业务培训',
  '宣传推广',
  '档案数字化加工',
  '专项调查统计',
  '课题研究',
  '应急保障',
  '数据治理',
  '法律顾问服务',
  '后勤保障服务',
  '监督检查',
  '视频会议保障',
  '机房运行维护',
  '电子证照服务',
  '智慧平台运营管理',
  '标准化建设',
  '12345 热线事务',
  '第三方评估',
  '绩效评价服务',
  '公共服务窗口运行',
  '政务公开',
  '专家评审',
  '志愿服务保障',
  '安全生产检查',
];

const ALWAYS = ['其他一般管理事务', '办公设备购置'];

const BASIC_301: { name: string; min: number; max: number; institution?: boolean }[] = [
  { name: '基本工资', min: 1.4, max: 2.4 },
  { name: '津贴补贴', min: 6.5, max: 11 },
  { name: '奖金', min: 2.5, max: 5 },
  { name: '绩效工资', min: 2, max: 4, institution: true },
];

const BASIC_302: { name: string; min: number; max: number }[] = [
  { name: '办公费', min: 0.3, max: 0.9 },
  { name: '印刷费', min: 0.05, max: 0.3 },
  { name: '咨询费', min: 0.02, max: 0.15 },
  { name: '邮电费', min: 0.04, max: 0.15 },
  { name: '物业管理费', min: 0.05, max: 0.4 },
  { name: '差旅费', min: 0.1, max: 0.4 },
  { name: '培训费', min: 0.05, max: 0.2 },
  { name: '公务接待费', min: 0.05, max: 0.3 },
  { name: '委托业务费', min: 0.1, max: 0.4 },
  { name: '工会经费', min: 0.35, max: 0.6 },
  { name: '福利费', min: 0.2, max: 0.4 },
  { name: '其他交通费用', min: 0.2, max: 0.9 },
  { name: '其他商品和服务支出', min: 0.02, max: 0.3 },
];

const PROJECT_302 = [
  '办公费',
  '印刷费',
  '咨询费',
  '差旅费',
  '维修（护）费',
  '租赁费',
  '培训费',
  '劳务费',
  '委托业务费',
  '其他商品和服务支出',
];
const PROJECT_310 = ['办公设备购置', '信息网络及软件购置更新', '专用设备购置'];

const GOODS: ProcItem[] = [
  { code: 'A030201', name: '台式计算机(含一体机)', cents: 0 },
  { code: 'A03020201', name: '普通激光式打印机', cents: 0 },
  { code: 'A030204', name: '传真机', cents: 0 },
  { code: 'A030205', name: '碎纸机', cents: 0 },
  { code: 'A0304', name: '手提电脑(含平板电脑)', cents: 0 },
  { code: 'A0306', name: '摄影器材', cents: 0 },
  { code: 'A0307', name: '摄像器材', cents: 0 },
];
const SERVICES: ProcItem[] = [
  { code: 'C0300', name: '信息技术、信息管理软件开发设计', cents: 0 },
  { code: 'C9900', name: '其他服务', cents: 0 },
];

const OVERVIEW = [
  '反映本单位开展的各项业务管理工作及相关服务采购支出。',
  '用于保障本单位日常业务的顺利开展，提升服务水平和工作效率。',
  '项目主要反映除公用经费外维持本部门正常运转的其他杂项支出。',
  '按照本单位的职能范围，为全区相关单位提供技术支撑和运行维护服务，确保业务正常开展。',
  '通过购买服务的形式完成相关工作，提高专业化水平。',
];
const BASIS = [
  '根据部门职能和年度工作计划，保障各项工作正常运行。',
  '按照上级部门考核要求，需持续开展相关工作，确保完成年度目标任务。',
  '属机构运行保障类项目，用于保障单位工作的顺利开展。',
  '根据有关文件精神和本单位“三定”方案，需安排专项经费。',
];
const CONDITIONS = [
  '人力：按照我单位科室划分，负责该项工作 2 人。',
  '为保证工作质量，需聘请相关专业外包服务公司提供服务。',
  '制度保障：《项目管理办法》《政府采购管理制度》等。',
];
const GOALS = [
  '保障本部门工作正常运转，提高办公效率。',
  '按期完成年度工作任务，提升服务质量和群众满意度。',
  '确保系统安全稳定运行，故障及时处理。',
];
const REASONS = ['根据工作实际需要安排。', '无变化。', '因业务量增加相应增加经费。', '按照厉行节约要求压减经费。', ''];

const TARGETS: Target[] = [
  { level1: '产出指标', level2: '数量指标', indicator: '完成工作任务数量', value: '12 项' },
  { level1: '产出指标', level2: '数量指标', indicator: '购置设备数量', value: '20 台' },
  { level1: '产出指标', level2: '数量指标', indicator: '培训人次', value: '300 人次' },
  { level1: '产出指标', level2: '质量指标', indicator: '验收合格率', value: '100%' },
  { level1: '产出指标', level2: '质量指标', indicator: '服务质量', value: '有效提升' },
  { level1: '产出指标', level2: '时效指标', indicator: '故障响应时间', value: '2 小时内' },
  { level1: '产出指标', level2: '时效指标', indicator: '完成及时性', value: '及时' },
  { level1: '产出指标', level2: '成本指标', indicator: '控制在预算范围内', value: '100%' },
  { level1: '效益指标', level2: '经济效益指标', indicator: '不适用', value: '' },
  { level1: '效益指标', level2: '社会效益指标', indicator: '公共服务水平', value: '有效提升' },
  { level1: '效益指标', level2: '生态效益指标', indicator: '不适用', value: '' },
  { level1: '效益指标', level2: '可持续影响指标', indicator: '长效机制建设', value: '效果明显' },
  { level1: '满意度指标', level2: '服务对象满意度指标', indicator: '服务对象满意度', value: '≥90%' },
  { level1: '满意度指标', level2: '服务对象满意度指标', indicator: '群众满意度', value: '>95%' },
];

// ------------------------------------------------------------------------------------------------ building

/** The department's model over [firstYear, lastYear] (the first document also states its two previous years). */
export function buildDepartment(seed: number, index: number, startYear: number, years: number): Department {
  const r = new Rng(`${seed}|d${index}`);
  const name = `示例市合成区第${index}局（合成数据）`;
  const short = `区第${index}局（合成数据）`;
  const firstYear = startYear - 2;
  const lastYear = startYear + years - 1;
  const all = mainKuans();
  const main = r.pick(all);
  const second = r.chance(0.4)
    ? all.filter((k) => k.code !== main.code && k.code.slice(0, 3) === main.code.slice(0, 3))
    : [];
  const kuanList = [main, ...(second.length ? [r.pick(second)] : [])];

  const nSub = r.int(1, 3);
  const subNames = r.sample(SUB_UNITS, nSub);
  const person = (): string => r.pick([...SURNAMES]) + r.pick([...GIVEN]) + (r.chance(0.5) ? r.pick([...GIVEN]) : '');
  const phone = (): string => `2${r.int(1000000, 9999999)}`;
  const units: UnitDef[] = [
    {
      name: `${name.replace(/（合成数据）$/, '')}（合成数据）本级`,
      short: `${short}本级`,
      benji: true,
      kind: 'admin',
      kuan: main.code,
      runCode: main.run,
      medicalCode: '2101101',
      housingFrom: r.int(firstYear - 3, lastYear + 2),
      financeLead: person(),
      financePhone: phone(),
    },
    ...subNames.map((s): UnitDef => {
      const k = r.pick(kuanList);
      return {
        name: `示例市合成区第${index}局${s}（合成数据）`,
        short: `区第${index}局${s}（合成数据）`,
        benji: false,
        kind: 'institution',
        kuan: k.code,
        runCode: k.institution,
        medicalCode: '2101102',
        housingFrom: r.int(firstYear - 3, lastYear + 2),
        financeLead: person(),
        financePhone: phone(),
      };
    }),
  ];

  // Projects: one or two that run every year per unit, the rest come and go (and with them their 项 codes).
  const projects: ProjectDef[] = [];
  units.forEach((u, ui) => {
    const k = kuanList.find((x) => x.code === u.kuan) as Kuan;
    const n = u.benji ? r.int(4, 8) : r.int(2, 5);
    const names = [...ALWAYS.slice(0, u.benji ? 2 : 1), ...r.sample(PROJECTS, n)];
    names.forEach((pn, pi) => {
      const always = pi < (u.benji ? 2 : 1);
      const from = always ? firstYear - 5 : r.chance(0.5) ? firstYear - 5 : r.int(firstYear - 2, lastYear);
      const to = always ? lastYear + 5 : r.chance(0.5) ? lastYear + 5 : r.int(Math.max(from, firstYear), lastYear + 2);
      const code = always || r.chance(0.45) ? k.general : r.pick(k.special);
      const big = r.chance(0.25);
      projects.push({
        unit: ui,
        name: pn,
        code,
        from,
        to,
        baseCents: Math.round((big ? r.range(200, 1800) : r.range(5, 200)) * 100),
        trend: r.range(0.95, 1.09),
        key: `${seed}|d${index}|p${ui}.${pi}`,
        grade: r.pick(['二级', '三级', '四级', '四级']),
        leader: person(),
        phone: phone(),
        purchases: pn === '办公设备购置' || r.chance(0.4),
        overview: r.pick(OVERVIEW),
        basis: r.pick(BASIS),
        conditions: r.pick(CONDITIONS),
        goal: r.pick(GOALS),
        reason: r.pick(REASONS),
        targets: pickTargets(r),
      });
    });
  });

  const dept: Department = {
    index,
    seed,
    name,
    short,
    units,
    projects,
    firstYear,
    lastYear,
    years: new Map(),
    equipment: { general: r.int(0, 25), special: r.int(0, 3) },
  };

  // Staff evolves year by year from a base; everything else is a pure function of the year.
  const bases = units.map((u) => ({
    adminAuth: u.benji ? r.int(8, 40) : r.chance(0.2) ? r.int(1, 4) : 0,
    instAuth: u.benji ? (r.chance(0.3) ? r.int(2, 10) : 0) : r.int(10, 60),
    employees: r.int(0, 10),
    vehicles: r.int(0, 4),
    retired: r.chance(0.3) ? r.int(1, 5) : 0,
    wage: BASIC_301.map((b) => r.range(b.min, b.max)),
    wageGrowth: r.range(0.01, 0.06),
    goods: r.sample(GOODS, r.int(2, 5)),
    services: r.sample(SERVICES, r.int(1, 2)),
    basic302: r.sample(BASIC_302, r.int(8, 13)).map((b) => ({ name: b.name, rate: r.range(b.min, b.max) })),
    vehicleRate: r.range(1.5, 3.5),
    reception: r.range(0.5, 6),
    specialShare: r.chance(0.4) ? r.range(0.05, 0.4) : 0,
  }));
  const staffNow = bases.map((b) => ({ adminAuth: b.adminAuth, instAuth: b.instAuth }));
  for (let y = firstYear; y <= lastYear; y++) {
    const unitYears = units.map((u, ui) => {
      const b = bases[ui] as (typeof bases)[number];
      const ry = new Rng(`${seed}|d${index}|u${ui}|y${y}`);
      const s = staffNow[ui] as { adminAuth: number; instAuth: number };
      if (y > firstYear && ry.chance(0.2)) {
        if (u.kind === 'admin') s.adminAuth = Math.max(5, s.adminAuth + ry.int(-2, 3));
        else s.instAuth = Math.max(5, s.instAuth + ry.int(-3, 4));
      }
      const staff: Staff = {
        adminAuth: s.adminAuth,
        adminActual: Math.max(0, s.adminAuth - ry.int(0, Math.min(3, s.adminAuth))),
        instAuth: s.instAuth,
        instActual: Math.max(0, s.instAuth - ry.int(0, Math.min(3, s.instAuth))),
        employees: Math.max(0, b.employees + ry.int(-1, 1)),
        retiredCadres: 0,
        retired: b.retired,
        temporary: 0,
        vehicles: b.vehicles,
      };
      return unitYear(dept, ui, y, staff, b, ry);
    });
    dept.years.set(y, unitYears);
  }
  return dept;
}

function pickTargets(r: Rng): Target[] {
  const out: Target[] = [];
  for (const level1 of ['产出指标', '效益指标', '满意度指标']) {
    const pool = TARGETS.filter((t) => t.level1 === level1);
    out.push(...r.sample(pool, r.int(1, Math.min(pool.length, level1 === '产出指标' ? 5 : 3))));
  }
  return out;
}

function unitYear(
  dept: Department,
  ui: number,
  y: number,
  staff: Staff,
  b: {
    wage: number[];
    wageGrowth: number;
    goods: ProcItem[];
    services: ProcItem[];
    basic302: { name: string; rate: number }[];
    vehicleRate: number;
    reception: number;
    specialShare: number;
  },
  ry: Rng,
): UnitYear {
  const u = dept.units[ui] as UnitDef;
  const s = staff.adminActual + staff.instActual;
  const w = Math.pow(1 + b.wageGrowth, y - dept.firstYear) * ry.range(0.98, 1.02);
  // 301 工资福利支出
  const pay: EconItem[] = [];
  BASIC_301.forEach((item, i) => {
    if (item.institution && u.kind !== 'institution') return;
    pay.push({ cls: '301', name: item.name, amount: Math.round(s * (b.wage[i] as number) * w) });
  });
  const payroll = pay.reduce((a, p) => a + p.amount, 0);
  const pension = Math.round(payroll * 0.16);
  const annuity = Math.round(payroll * 0.08);
  const medical = Math.round(payroll * 0.06);
  const fund = Math.round(payroll * 0.12);
  pay.push(
    { cls: '301', name: '机关事业单位基本养老保险缴费', amount: pension },
    { cls: '301', name: '职业年金缴费', amount: annuity },
    { cls: '301', name: '城镇职工基本医疗保险缴费', amount: medical },
    { cls: '301', name: '住房公积金', amount: fund },
    { cls: '301', name: '其他工资福利支出', amount: Math.round(s * 0.8 * w + staff.employees * 8 * w) },
  );
  // 302 商品和服务支出, 303 对个人和家庭的补助支出
  const goodsServices: EconItem[] = b.basic302.map((x) => ({
    cls: '302',
    name: x.name,
    amount: Math.round(s * x.rate * w * ry.range(0.9, 1.1)),
  }));
  if (staff.vehicles > 0)
    goodsServices.splice(goodsServices.length - 1, 0, {
      cls: '302',
      name: '公务用车运行维护费',
      amount: Math.round(staff.vehicles * b.vehicleRate * ry.range(0.9, 1.1)),
    });
  const transfers: EconItem[] = [{ cls: '303', name: '奖励金', amount: Math.round(s * 0.4 * w) }];
  if (staff.retired > 0) transfers.push({ cls: '303', name: '生活补助', amount: staff.retired * 2 });
  const basic = [...pay, ...goodsServices, ...transfers];
  const basicTotal = basic.reduce((a, x) => a + x.amount, 0);

  // Basic spending by function: the social-security, medical and housing lines follow the payroll items.
  const allowance = pay.find((p) => p.name === '津贴补贴')?.amount ?? 0;
  const housing = y >= u.housingFrom ? Math.round(allowance * 0.2) : undefined;
  const funcs = new Map<string, { basic: number; project: number }>();
  const fixed: [string, number | undefined][] = [
    ['2080505', pension],
    ['2080506', annuity],
    [u.medicalCode, medical],
    ['2210201', fund],
    ['2210203', housing],
  ];
  const fixedSum = fixed.reduce((a, [, v]) => a + (v ?? 0), 0);
  funcs.set(u.runCode, { basic: basicTotal - fixedSum, project: 0 });
  for (const [code, v] of fixed) if (v !== undefined) funcs.set(code, { basic: v, project: 0 });

  // Projects active this year.
  const projects: ProjectYear[] = [];
  for (const p of dept.projects) {
    if (p.unit !== ui) continue;
    const cents = projectCents(p, y);
    if (cents === undefined) continue;
    const whole = Math.round(cents / 100);
    projects.push({ def: p, cents, whole });
    const f = funcs.get(p.code) ?? { basic: 0, project: 0 };
    f.project += whole;
    funcs.set(p.code, f);
  }
  const projectTotal = projects.reduce((a, p) => a + p.whole, 0);

  // 表5: project spending by economic item.
  const equipment = projects.some((p) => p.def.purchases) ? Math.round(projectTotal * ry.range(0.01, 0.08)) : 0;
  const items302 = ry.sample(PROJECT_302, ry.int(3, 8));
  const parts302 = apportion(
    projectTotal - equipment,
    items302.map(() => ry.range(0.2, 3)),
  );
  const projectEcon: EconItem[] = items302.map((name, i) => ({ cls: '302', name, amount: parts302[i] as number }));
  if (equipment > 0) {
    const items310 = ry.sample(PROJECT_310, ry.int(1, 2));
    const parts310 = apportion(
      equipment,
      items310.map(() => ry.range(0.5, 2)),
    );
    projectEcon.push(...items310.map((name, i) => ({ cls: '310', name, amount: parts310[i] as number })));
  }

  // 表11: procurement — goods for the equipment, services for a share of the projects, now and then works.
  const procurement: ProcItem[] = [];
  if (equipment > 0)
    procurement.push(
      ...b.goods.map((g) => ({ ...g, cents: Math.max(1, Math.round(equipment * 100 * ry.range(0.05, 0.3))) })),
    );
  if (ry.chance(0.1)) procurement.push({ code: 'B08', name: '修缮工程', cents: Math.round(ry.range(5, 60) * 100) });
  if (projectTotal > 0)
    procurement.push(...b.services.map((c) => ({ ...c, cents: Math.round(projectTotal * 100 * ry.range(0.05, 0.3)) })));

  // 表12: 三公, cents.
  const sangong: Sangong = {
    overseas: ry.chance(0.1) ? Math.round(ry.range(2, 8) * 100) : 0,
    reception: Math.round(b.reception * ry.range(0.8, 1.1) * 100),
    vehicleOperation: staff.vehicles > 0 ? Math.round(staff.vehicles * b.vehicleRate * ry.range(0.9, 1.1) * 100) : 0,
    vehiclePurchase: staff.vehicles > 0 && ry.chance(0.08) ? Math.round(ry.range(15, 30) * 100) : 0,
  };

  const operatingCost = u.benji ? goodsServices.reduce((a, x) => a + x.amount, 0) : 0;
  const special = Math.min(projectTotal, Math.round(projectTotal * b.specialShare));
  return {
    staff,
    basic,
    basicTotal,
    funcs,
    projects,
    projectTotal,
    projectEcon,
    procurement,
    sangong,
    operatingCost,
    special,
  };
}

/** A project's budget for a year, in cents of 万元; undefined when it does not run that year. */
export function projectCents(p: ProjectDef, y: number): number | undefined {
  if (y < p.from || y > p.to) return undefined;
  const noise = new Rng(`${p.key}|y${y}`).range(0.85, 1.15);
  return Math.max(100, Math.round(p.baseCents * Math.pow(p.trend, y - p.from) * noise));
}

/** What a project actually spent in a year (实际执行数), cents. */
export function projectActualCents(p: ProjectDef, y: number): number | undefined {
  const b = projectCents(p, y);
  if (b === undefined) return undefined;
  return Math.round(b * new Rng(`${p.key}|a${y}`).range(0.72, 1.03));
}

// ------------------------------------------------------------------------------------------------ sums

export function unitsOf(d: Department, y: number): UnitYear[] {
  const u = d.years.get(y);
  if (!u) throw new Error(`department ${d.index} has no model for ${y} (modelled ${d.firstYear}–${d.lastYear})`);
  return u;
}

export function spending(u: UnitYear): number {
  return u.basicTotal + u.projectTotal;
}

export function procurementCents(u: UnitYear): number {
  return u.procurement.reduce((a, p) => a + p.cents, 0);
}

export function sangongCents(s: Sangong): number {
  return s.overseas + s.reception + s.vehicleOperation + s.vehiclePurchase;
}

export function addSangong(list: Sangong[]): Sangong {
  return list.reduce(
    (a, s) => ({
      overseas: a.overseas + s.overseas,
      reception: a.reception + s.reception,
      vehicleOperation: a.vehicleOperation + s.vehicleOperation,
      vehiclePurchase: a.vehiclePurchase + s.vehiclePurchase,
    }),
    { overseas: 0, reception: 0, vehicleOperation: 0, vehiclePurchase: 0 },
  );
}

/** Function amounts of a unit by 类 (first 3 digits), whole 万元. */
export function byClass(u: UnitYear): Map<string, number> {
  const out = new Map<string, number>();
  for (const [code, f] of u.funcs) out.set(code.slice(0, 3), (out.get(code.slice(0, 3)) ?? 0) + f.basic + f.project);
  return out;
}

export function econClassSum(items: EconItem[], cls: string): number {
  return items.filter((i) => i.cls === cls).reduce((a, i) => a + i.amount, 0);
}

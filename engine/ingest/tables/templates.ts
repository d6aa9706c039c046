/**
 * The tables of published 部门预算 / 单位预算 disclosures, described as data: what each kind of table is called
 * in the families seen so far, and what its columns mean. The reader (read.ts) knows no template: a table's
 * kind comes from its title, its columns from their headers. Adding a template's variant is adding a title
 * pattern or a column pattern here.
 *
 * Families this describes (each matched by title, whatever the table's number):
 * - Shenzhen city 11 tables: 收支总表, 收入总表, 支出总表, 基本支出总表, 项目支出总表, 财政拨款收支总表,
 *   一般公共预算支出表（按功能分类）, 一般公共预算支出表（按经济分类）, 财政拨款“三公”经费支出表, 政府性基金预算支出表,
 *   国有资本经营预算支出表;
 * - Guangdong 12 tables (Guangzhou, Zhuhai): 收支总体情况表, 收入总体情况表, 本年支出总体情况表, 财政拨款收支总体情况表,
 *   一般公共预算支出情况表（按功能分类科目）, 一般公共预算基本支出情况表（按经济分类科目）, …项目支出情况表（按经济分类科目）,
 *   财政拨款安排的行政经费及“三公”经费预算表, 政府性基金 / 国有资本经营预算支出情况表, 部门预算基本支出预算表,
 *   部门预算项目支出及其他支出预算表;
 * - Shanghai 9 tables (in 元): 部门财务收支预算总表, 部门收入预算总表, 部门支出预算总表, 部门财政拨款收支预算总表,
 *   部门一般公共预算支出功能分类预算表, 部门政府性基金 / 国有资本经营预算支出功能分类预算表,
 *   部门一般公共预算基本支出部门预算经济分类预算表, 部门“三公”经费和机关运行经费预算表.
 */

export type TableKind =
  | 'summary'
  | 'income'
  | 'spending'
  | 'fiscal'
  | 'general'
  | 'general_economic'
  | 'general_project_economic'
  | 'basic'
  | 'project'
  | 'sangong'
  | 'fund'
  | 'capital'
  | 'procurement'
  | 'performance'
  | 'transfer';

/** Which classification a table's codes belong to, if any. */
export type Codes = 'function' | 'economic' | 'none';

/** What a column means; 'part' columns add up to the row's 'total'. */
export interface ColumnRole {
  role: string;
  header: RegExp;
  part?: boolean;
}

export interface KindSpec {
  kind: TableKind;
  /** The name used in findings, coverage and `source_table` when the document prints no number. */
  name: string;
  /** Title patterns, tested against the title key (see titleKey: no numbering, no year, no spaces). */
  titles: RegExp[];
  /** Titles that look like this kind but are another (tested first). */
  not?: RegExp[];
  codes: Codes;
  /** The money this table covers: every source, or 财政拨款 / 一般公共预算 / a fund only (checks compare like with like). */
  scope: 'all' | 'fiscal' | 'general' | 'fund' | 'capital';
  /** Column meanings, most specific first; a header takes the first role it matches that is still free. */
  columns: ColumnRole[];
}

/**
 * Columns of the year before, of what was spent, or of the change: never this year's budget. First, so that a
 * header "上年预算数 合计" is not taken for this year's total.
 */
const PRIOR: ColumnRole = { role: 'prior', header: /上年|执行数|决算数|增减|变化|比上年|同比/ };

/** Money columns by source, shared by the tables that split amounts by where the money comes from. */
const BY_SOURCE: ColumnRole[] = [
  { role: 'carryover', header: /上年结转|上年结余|结转结余|结余结转/, part: true },
  PRIOR,
  // 财政拨款收入 in one column (Shanghai), not split into its funds: a part of the total.
  { role: 'fiscal_income', header: /^(?:.*\s)?财政拨款(?:收入)?$/, part: true },
  { role: 'fiscal', header: /财政拨款.*(?:小计|合计)$/ },
  { role: 'total', header: /^(?:.*\s)?(?:合计|总计|收入总计|支出总计|小计)$|^合计|^总计|(?:本年|\d{4}\s*年)预算数?$/ },
  { role: 'general', header: /一般公共预算/, part: true },
  { role: 'fund', header: /政府性基金/, part: true },
  { role: 'capital', header: /国有资本经营/, part: true },
  { role: 'special', header: /财政专户/, part: true },
  { role: 'operating', header: /经营收入/, part: true },
  { role: 'business', header: /事业收入/, part: true },
  { role: 'upper', header: /上级补助/, part: true },
  { role: 'affiliate', header: /附属单位上缴/, part: true },
  { role: 'other', header: /其他收入|其他资金/, part: true },
];

/** Money columns of a spending table by function or economic class. */
const BY_TYPE: ColumnRole[] = [
  PRIOR,
  { role: 'procurement', header: /政府采购/ },
  { role: 'total', header: /合计|总计|小计|^预算数?$|^金额$|\s预算数?$|(?:本年|\d{4}\s*年)预算数?$/ },
  { role: 'basic', header: /基本支出/, part: true },
  { role: 'project', header: /项目支出/, part: true },
  { role: 'operating', header: /经营支出/, part: true },
  { role: 'affiliate', header: /对附属单位补助/, part: true },
  { role: 'remit', header: /上缴上级/, part: true },
  // 基本支出 split into 人员经费 and 公用经费 (Shanghai's 经济分类 table).
  { role: 'personnel', header: /人员经费/, part: true },
  { role: 'public', header: /公用经费/, part: true },
];

/** Columns of a 三公 table: the categories (amounts may be split again by fund). */
const SANGONG: ColumnRole[] = [
  { role: 'admin', header: /行政经费|机关运行经费/ },
  { role: 'overseas_travel', header: /因公出国/, part: true },
  { role: 'reception', header: /公务接待/, part: true },
  { role: 'vehicle_purchase', header: /公务用车购置费|车辆购置费|^.*\s购置费$/, part: false },
  { role: 'vehicle_operation', header: /公务用车运行(?:维护)?费|^.*\s运行(?:维护)?费$/, part: false },
  { role: 'vehicle', header: /公务用车购置及运行|公务用车/, part: true },
  { role: 'total', header: /合计|总计|“?三公”?经费/ },
];

/** Title patterns start after the year and a leading 部门 / 单位 (see titleKey). */
export const KINDS: KindSpec[] = [
  {
    kind: 'fiscal',
    name: '财政拨款收支总表',
    titles: [/财政拨款收支(?:预算)?总(?:体情况)?表$/, /(?:政府预算|财政)拨款收支总表$/],
    codes: 'none',
    scope: 'fiscal',
    columns: [],
  },
  {
    kind: 'summary',
    name: '收支总表',
    titles: [/^(?:部门|单位|预算单位)?(?:财务)?收支(?:预算)?总(?:体情况)?表$/],
    codes: 'none',
    scope: 'all',
    columns: [],
  },
  {
    kind: 'income',
    name: '收入总表',
    titles: [/^(?:部门|单位|预算单位)?收入(?:预算)?总?(?:体情况)?表$/],
    codes: 'function',
    scope: 'all',
    columns: BY_SOURCE,
  },
  {
    kind: 'general_project_economic',
    name: '一般公共预算项目支出表（按经济分类）',
    titles: [/一般公共预算(?:财政拨款)?项目支出.*表(?:[(（].*经济分类.*[)）])?$/],
    codes: 'economic',
    scope: 'general',
    columns: BY_TYPE,
  },
  {
    kind: 'general_economic',
    name: '一般公共预算基本支出表（按经济分类）',
    titles: [
      /一般公共预算(?:财政拨款)?基本支出.*表(?:[(（].*[)）])?$/,
      /一般公共预算支出(?:情况)?表[(（]按?经济分类(?:科目)?[)）]$/,
      /一般公共预算.*经济分类.*表$/,
    ],
    codes: 'economic',
    scope: 'general',
    columns: BY_TYPE,
  },
  {
    kind: 'general',
    name: '一般公共预算支出表（按功能分类）',
    titles: [
      /一般公共预算(?:财政拨款)?支出(?:预算)?(?:情况)?表(?:[(（]按?功能分类(?:科目)?[)）])?$/,
      /一般公共预算支出功能分类(?:预算)?表$/,
    ],
    codes: 'function',
    scope: 'general',
    columns: BY_TYPE,
  },
  {
    kind: 'sangong',
    name: '“三公”经费支出表',
    titles: [/三公.*经费.*表$/],
    codes: 'none',
    scope: 'fiscal',
    columns: SANGONG,
  },
  {
    kind: 'fund',
    name: '政府性基金预算支出表',
    titles: [/政府性基金(?:预算)?(?:财政拨款)?(?:收入)?支出.*表$/],
    codes: 'function',
    scope: 'fund',
    columns: BY_TYPE,
  },
  {
    kind: 'capital',
    name: '国有资本经营预算支出表',
    titles: [/国有资本经营(?:预算)?(?:财政拨款)?(?:收入)?支出.*表$/],
    codes: 'function',
    scope: 'capital',
    columns: BY_TYPE,
  },
  {
    kind: 'basic',
    name: '基本支出表',
    titles: [/^(?:部门预算)?基本支出(?:预算)?总?表$/],
    codes: 'economic',
    scope: 'all',
    columns: BY_SOURCE,
  },
  {
    kind: 'project',
    name: '项目支出表',
    titles: [/^(?:部门预算)?项目支出.*表$/],
    not: [/绩效/],
    codes: 'none',
    scope: 'all',
    columns: BY_SOURCE,
  },
  {
    kind: 'spending',
    name: '支出总表',
    titles: [/^(?:部门|单位|预算单位)?(?:本年)?支出(?:预算)?总?(?:体情况)?表$/],
    codes: 'function',
    scope: 'all',
    columns: BY_TYPE,
  },
  {
    kind: 'procurement',
    name: '政府采购预算表',
    titles: [/政府采购.*表$/],
    codes: 'none',
    scope: 'all',
    columns: [],
  },
  {
    kind: 'performance',
    name: '绩效目标表',
    titles: [/绩效.*表$/],
    codes: 'none',
    scope: 'all',
    columns: [],
  },
  {
    kind: 'transfer',
    name: '上级专项转移支付支出表',
    titles: [/转移支付.*表$/],
    codes: 'function',
    scope: 'all',
    columns: BY_TYPE,
  },
];

export const SPEC = new Map(KINDS.map((k) => [k.kind, k]));

/** Tables whose rows this reader turns into facts or checks; the others are recognized and listed. */
export const READ: Set<TableKind> = new Set([
  'summary',
  'income',
  'spending',
  'fiscal',
  'general',
  'general_economic',
  'sangong',
  'fund',
  'capital',
  'project',
]);

/**
 * 收入 items of a 收支总表 and the revenue_by_source name each is loaded as (the names the other readers use).
 * Tested against the item's name without its numbering.
 */
export const SOURCES: [RegExp, string, string | null][] = [
  [/^(?:财政拨款(?:收入)?|预算拨款|财政拨款收入)$/, '财政拨款收入', null],
  [/^一般公共预算(?:财政)?(?:拨款|资金)?(?:收入)?$/, '一般公共预算财政拨款', '财政拨款收入'],
  [/^政府性基金(?:预算)?(?:财政)?(?:拨款|资金)?(?:收入)?$/, '政府性基金预算拨款', '财政拨款收入'],
  [/^国有资本经营预算(?:财政)?(?:拨款|资金)?(?:收入)?$/, '国有资本经营预算拨款', '财政拨款收入'],
  [/^财政专户(?:管理资金|拨款)(?:收入)?$/, '财政专户管理资金', null],
  [/^单位资金$/, '单位资金', null],
  [/^事业收入$/, '事业收入', null],
  [/^事业单位经营收入$|^经营收入$/, '事业单位经营收入', null],
  [/^上级补助收入$/, '上级补助收入', null],
  [/^附属单位上缴收入$/, '附属单位上缴收入', null],
  [/^其他收入$/, '其他收入', null],
  [/^用事业基金弥补收支差额$/, '用事业基金弥补收支差额', null],
];

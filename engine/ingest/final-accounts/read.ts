import { readEconomic, type EconTable } from './economic.ts';
import { readFunctionTable, type FuncTable } from './functions.ts';
import { readSangong, type SangongCell } from './sangong.ts';
import { readTwoSided, type TwoSided } from './summary.ts';
import type { FaTable, TableKind } from './tables.ts';

export type IncomeRole = 'total' | 'fiscal' | 'upper' | 'business' | 'operating' | 'affiliate' | 'other';
export type SpendRole = 'total' | 'basic' | 'project' | 'remit' | 'operating' | 'affiliate';
export type GeneralRole = 'total' | 'basic' | 'project';
export type FundRole = 'begin' | 'revenue' | 'total' | 'basic' | 'project' | 'end';
export type FiscalRole = 'total' | 'general' | 'fund' | 'capital';

/** Column roles by header, the most specific first ("本年支出 基本支出" is basic, not the total). */
const INCOME: [IncomeRole, RegExp][] = [
  ['fiscal', /财政拨款/],
  ['upper', /上级补助/],
  ['business', /事业收入/],
  ['operating', /经营收入/],
  ['affiliate', /附属单位/],
  ['other', /其他收入/],
  ['total', /合计|总计/],
];
const SPENDING: [SpendRole, RegExp][] = [
  ['basic', /基本支出/],
  ['project', /项目支出/],
  ['remit', /上缴上级/],
  ['operating', /经营支出/],
  ['affiliate', /对附属单位/],
  ['total', /合计|总计|本年支出/],
];
const GENERAL: [GeneralRole, RegExp][] = [
  ['basic', /基本支出/],
  ['project', /项目支出/],
  ['total', /合计|小计|总计/],
];
const FUND: [FundRole, RegExp][] = [
  ['begin', /年初/],
  ['end', /年末/],
  ['basic', /基本支出/],
  ['project', /项目支出/],
  ['revenue', /本年收入/],
  ['total', /本年支出|小计|合计/],
];
const ONE_AMOUNT: ['amount', RegExp][] = [['amount', /决算数|金额|数/]];
const FISCAL: [FiscalRole, RegExp][] = [
  ['general', /一般公共预算/],
  ['fund', /政府性基金/],
  ['capital', /国有资本/],
  ['total', /合计|小计|决算数/],
];

/** Every template table read, each with the table it came from; `unreadable`: titles known, columns not. */
export interface Tables {
  summary?: { t: FaTable; r: TwoSided<'amount', 'amount'> };
  income?: { t: FaTable; r: FuncTable<IncomeRole> };
  spending?: { t: FaTable; r: FuncTable<SpendRole> };
  fiscal?: { t: FaTable; r: TwoSided<'amount', FiscalRole> };
  general?: { t: FaTable; r: FuncTable<GeneralRole> };
  basic?: { t: FaTable; r: EconTable };
  sangong?: { t: FaTable; r: { cells: SangongCell[]; line?: number } };
  fund?: { t: FaTable; r: FuncTable<FundRole> };
  capital?: { t: FaTable; r: FuncTable<FundRole> };
  unreadable: FaTable[];
}

/** Read each table with the reader of its kind (the first table of a kind; a repeat is not read twice). */
export function readTables(tables: FaTable[], file: string): Tables {
  const out: Tables = { unreadable: [] };
  const read: Record<TableKind, (t: FaTable) => boolean> = {
    summary: (t) => set('summary', t, readTwoSided(t, ONE_AMOUNT, ONE_AMOUNT, file)),
    income: (t) => set('income', t, readFunctionTable(t, INCOME, 'total', file)),
    spending: (t) => set('spending', t, readFunctionTable(t, SPENDING, 'total', file)),
    fiscal: (t) => set('fiscal', t, readTwoSided(t, ONE_AMOUNT, FISCAL, file)),
    general: (t) => set('general', t, readFunctionTable(t, GENERAL, 'total', file)),
    basic: (t) => set('basic', t, readEconomic(t, file)),
    sangong: (t) => set('sangong', t, readSangong(t, file)),
    fund: (t) => set('fund', t, readFunctionTable(t, FUND, 'total', file)),
    capital: (t) => set('capital', t, readFunctionTable(t, FUND, 'total', file)),
  };
  function set<K extends Exclude<keyof Tables, 'unreadable'>>(
    key: K,
    t: FaTable,
    r: NonNullable<Tables[K]>['r'] | undefined,
  ): boolean {
    if (r === undefined) return false;
    out[key] = { t, r } as Tables[K];
    return true;
  }
  for (const t of tables) {
    if (out[t.kind]) continue;
    if (!read[t.kind](t)) out.unreadable.push(t);
  }
  return out;
}

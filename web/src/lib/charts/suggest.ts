import type { Schema } from 'apache-arrow';
import { describeColumns, type ColumnInfo } from './columns.ts';
import { label } from './labels.ts';
import { dumbbellSpec, lineSpec, sortedBarSpec, stackedShareSpec, type Fields } from './shapes.ts';
import { maxAbs, type Spec } from './spec.ts';
import { waterfallSpec } from './waterfall.ts';

export type SuggestionKind = 'line' | 'slope' | 'bar' | 'stacked' | 'dumbbell' | 'waterfall';

export interface Suggestion {
  kind: SuggestionKind;
  /** What the chart shows, in a few words (Chinese), for the button that adds it. */
  label: string;
  spec: Spec;
}

const KIND_NAMES: Record<SuggestionKind, string> = {
  line: '折线图',
  slope: '斜率图',
  bar: '排序条形图',
  stacked: '百分比堆积图',
  dumbbell: '哑铃图',
  waterfall: '瀑布图',
};

/**
 * Charts that fit a result's shape, best first: year × amount → line (a slope chart for two years);
 * category × amount → sorted bars; shares of a whole → bars stacked to 100%; two years per category →
 * dumbbell; a change per item → waterfall. `rows` is a sample (plain values); `data` the cell's name.
 */
export function suggestCharts(schema: Schema, rows: Record<string, unknown>[], data: string): Suggestion[] {
  const cols = describeColumns(schema, rows);
  const money = pickMoney(cols);
  const [category, group] = pickCategories(cols);
  const yearCol = cols.find((c) => c.kind === 'year' && c.distinct >= 2);
  const year = yearCol?.name;
  const years = year ? distinctNumbers(rows, year) : [];
  const change = cols.find((c) => c.kind === 'change')?.name;
  const share = cols.find((c) => c.kind === 'share')?.name;
  const f: Fields = { data, year, money, category, group, max: money ? maxAbs(rows, money) : 0 };
  const out: Suggestion[] = [];
  const add = (kind: SuggestionKind, what: string, spec: Spec) =>
    out.push({ kind, label: `${KIND_NAMES[kind]}：${what}`, spec });

  if (year && money) {
    const kind = years.length === 2 ? 'slope' : 'line';
    const by = category ? `，按${label(category)}` : '';
    add(
      kind,
      `${label(year)} × ${label(money)}${by}`,
      lineSpec({ ...f, year, money }, `${label(money)}：按${label(year)}${category ? `和${label(category)}` : ''}`),
    );
  }
  if (category && money) {
    const last = years[years.length - 1];
    const title = `${label(money)}，按${label(category)}排序${last !== undefined ? `（${last} 年）` : ''}`;
    add('bar', `${label(category)} × ${label(money)}`, sortedBarSpec({ ...f, category, money }, title, last));
  }
  // Shares of a whole: per year or group when there is one; a single 100% bar when the result has a share column.
  const stackBy = year ?? group;
  if (category && (money || share) && (stackBy || share)) {
    const measure = (money ?? share) as string;
    add(
      'stacked',
      `${label(category)}占比${stackBy ? `，按${label(stackBy)}` : ''}`,
      stackedShareSpec({ ...f, category, money: measure }, stackBy, `${label(category)}构成（100%）`),
    );
  }
  if (year && years.length === 2 && category && money && !group && unique(rows, [category, year])) {
    add(
      'dumbbell',
      `${label(category)}：${years[0]} 与 ${years[1]} 年`,
      dumbbellSpec({ ...f, category, money, year }, `${label(money)}：两年对比，按${label(category)}`),
    );
  }
  if (change && category && money) {
    const changed = rows.filter((r) => r[change] !== null && r[change] !== undefined);
    if (changed.length > 0 && unique(changed, [category])) {
      add(
        'waterfall',
        `${label(change)}，按${label(category)}分解`,
        waterfallSpec({
          data,
          item: category,
          change,
          amount: money,
          max: f.max,
          title: `${label(money)}${label(change)}分解，按${label(category)}`,
          year,
        }),
      );
    }
  }
  return out;
}

/** The amount to draw: `amount` or `total` if present, else the first money column that is not a previous year's. */
function pickMoney(cols: ColumnInfo[]): string | undefined {
  const money = cols.filter((c) => c.kind === 'money');
  return (
    money.find((c) => c.name === 'amount' || c.name === 'total') ??
    money.find((c) => !/^prev_/.test(c.name)) ??
    money[0]
  )?.name;
}

/** The category (names before codes) and a second grouping column; a column with one value is no grouping. */
function pickCategories(cols: ColumnInfo[]): [string | undefined, string | undefined] {
  // What is measured comes first (names, then types and items); who spends it (unit, department) groups.
  const rank = (c: ColumnInfo) =>
    /(^|_)name$/.test(c.name)
      ? 3
      : /^(category|item|project|source|measure|dimension)$|_type$/.test(c.name)
        ? 2
        : /^(unit|department|stage)$/.test(c.name)
          ? 0
          : 1;
  const candidates = cols
    .filter((c) => c.kind === 'category' && c.distinct >= 2 && c.distinct <= 40)
    .sort((a, b) => rank(b) - rank(a));
  const first = candidates[0];
  // A code and its name say the same thing: `category` beside `category_name` is no second grouping.
  const second = candidates.find((c) => c !== first && !first?.name.startsWith(c.name) && c.distinct <= 12);
  return [first?.name, second?.name];
}

function distinctNumbers(rows: Record<string, unknown>[], field: string): number[] {
  const s = new Set<number>();
  for (const r of rows) if (r[field] !== null && r[field] !== undefined) s.add(Number(r[field]));
  return [...s].sort((a, b) => a - b);
}

/** Whether each combination of the key columns occurs at most once. */
function unique(rows: Record<string, unknown>[], keys: string[]): boolean {
  const seen = new Set<string>();
  for (const r of rows) {
    const k = JSON.stringify(keys.map((c) => r[c]));
    if (seen.has(k)) return false;
    seen.add(k);
  }
  return true;
}

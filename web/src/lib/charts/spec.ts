/**
 * A Vega-Lite spec as the notebook stores it: plain JSON, its data `{name: <cell>}` (the named cell's result).
 * The app builds specs as plain objects; test/vega-schema.test.ts checks every kind against the schema.
 */
export type Spec = { [key: string]: unknown };

export const SCHEMA_URL = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Fonts that render Chinese: Noto Sans CJK (fonts-noto-cjk) first, then what macOS and Windows carry. */
export const FONT = "'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif";

/** d3-format locale for zh-CN: groups of three with commas, a full stop for decimals, yuan sign in front. */
export const ZH_CN_NUMBER = { decimal: '.', thousands: ',', grouping: [3], currency: ['¥', ''] };

/** The name of the cell a spec draws (`data: {name}`), if any. */
export function dataName(spec: Spec): string | undefined {
  const data = spec['data'];
  if (typeof data === 'object' && data !== null && typeof (data as Spec)['name'] === 'string')
    return (data as Spec)['name'] as string;
  return undefined;
}

/** The text of a new, empty chart cell over a query cell's result (the form fills in the rest). */
export function chartTemplate(data: string): Spec {
  return { data: { name: data }, mark: 'bar', encoding: {} };
}

/** The largest absolute value of a field among rows, for choosing 万元 or 亿元. */
export function maxAbs(rows: Record<string, unknown>[], field: string): number {
  let m = 0;
  for (const r of rows) {
    const v = Number(r[field]);
    if (Number.isFinite(v)) m = Math.max(m, Math.abs(v));
  }
  return m;
}

/**
 * Title and axis for an amount in 万元 (spread into a channel): labels with zh-CN grouping, in 亿元 (÷ 10,000)
 * when the amounts reach 1 亿. `title` names the measure, e.g. 金额 → "金额（万元）".
 */
export function moneyScale(title: string, max: number): Spec {
  if (max >= 10000) return { title: `${title}（亿元）`, axis: { labelExpr: "format(datum.value / 10000, ',.2~f')" } };
  return { title: `${title}（万元）`, axis: { format: ',.2~f' } };
}

/** Title and axis for a fraction shown as a percentage (spread into a channel). */
export function percentScale(title: string): Spec {
  return { title, axis: { format: '.0%' } };
}

/** Deep copy of a JSON value. */
export function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

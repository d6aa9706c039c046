import { DataType, type Schema } from 'apache-arrow';

/**
 * What a result column is, for choosing a chart: a year, money (万元), a share (0–1), a change, another number,
 * a category to group by, or an identifier (codes, document ids) that charts leave alone.
 */
export type ColumnKind = 'year' | 'money' | 'change' | 'share' | 'rate' | 'number' | 'category' | 'id' | 'other';

export interface ColumnInfo {
  name: string;
  kind: ColumnKind;
  /** Distinct non-null values among the sampled rows. */
  distinct: number;
}

const YEAR = /(^|_)year$|^vintage$|年度|^年$/i;
const CHANGE = /(^|_)(change|diff|delta)$|增减|变动/i;
const SHARE = /(^|_)share($|_)|ratio|占比|比重/i;
const RATE = /pct|percent|growth|rate|增长率/i;
const MONEY = /amount|total|basic|project|cost|金额|合计/i;
const ID = /(^|_)(id|code|sha256|file|line|page|level)$|^source_table$|^loaded_at$/i;

/** Classify a result's columns from their Arrow types, their names and the sampled rows. */
export function describeColumns(schema: Schema, rows: Record<string, unknown>[]): ColumnInfo[] {
  return schema.fields.map((f) => {
    const values = rows.map((r) => r[f.name]).filter((v) => v !== null && v !== undefined);
    const distinct = new Set(values.map((v) => String(v))).size;
    return { name: f.name, kind: kindOf(f.name, f.type, values), distinct };
  });
}

function kindOf(name: string, type: DataType, values: unknown[]): ColumnKind {
  const numeric = DataType.isInt(type) || DataType.isFloat(type) || DataType.isDecimal(type);
  if (numeric) {
    if (ID.test(name)) return 'id';
    if (DataType.isInt(type) && YEAR.test(name) && values.every((v) => Number(v) >= 1900 && Number(v) <= 2100))
      return 'year';
    if (RATE.test(name)) return 'rate';
    if (SHARE.test(name)) return 'share';
    if (CHANGE.test(name)) return 'change';
    if (DataType.isDecimal(type) || MONEY.test(name)) return 'money';
    return 'number';
  }
  if (DataType.isUtf8(type) || DataType.isDictionary(type)) return ID.test(name) ? 'id' : 'category';
  return 'other';
}

/** The vega-lite measurement type a column is encoded with. */
export function fieldType(c: ColumnInfo | undefined): 'quantitative' | 'ordinal' | 'nominal' {
  if (!c) return 'nominal';
  if (c.kind === 'year') return 'ordinal';
  if (['money', 'change', 'share', 'rate', 'number'].includes(c.kind)) return 'quantitative';
  return 'nominal';
}

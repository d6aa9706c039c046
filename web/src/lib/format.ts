import { DataType, type Field, type Table } from 'apache-arrow';

export type MoneyUnit = '万元' | '亿元';

/** Unscaled 128-bit decimal words (little-endian two's complement) → bigint. */
export function decimalWords(words: Uint32Array): bigint {
  let v = 0n;
  for (let i = words.length - 1; i >= 0; i--) v = (v << 32n) | BigInt(words[i] as number);
  const bits = BigInt(words.length * 32);
  if (words.length && ((words[words.length - 1] as number) & 0x80000000) !== 0) v -= 1n << bits;
  return v;
}

/** Exact decimal text of an unscaled value: (1702890000n, 6) → "1702.89". */
export function decimalText(unscaled: bigint, scale: number): string {
  const neg = unscaled < 0n;
  const a = neg ? -unscaled : unscaled;
  const one = 10n ** BigInt(scale);
  const frac = scale ? (a % one).toString().padStart(scale, '0').replace(/0+$/, '') : '';
  return `${neg ? '-' : ''}${a / one}${frac ? '.' + frac : ''}`;
}

const group = new Intl.NumberFormat('zh-CN', { useGrouping: true, maximumFractionDigits: 0 });

/** Money with grouping and a fixed number of decimals, rounded half away from zero, exactly. */
export function moneyText(unscaled: bigint, scale: number, unit: MoneyUnit = '万元'): string {
  const shift = unit === '亿元' ? 4 : 0;
  const decimals = unit === '亿元' ? 4 : 2;
  const s = scale + shift;
  const neg = unscaled < 0n;
  let a = neg ? -unscaled : unscaled;
  if (s > decimals) {
    const d = 10n ** BigInt(s - decimals);
    a = (a + d / 2n) / d;
  } else a *= 10n ** BigInt(decimals - s);
  const one = 10n ** BigInt(decimals);
  const int = group.format(a / one);
  const frac = (a % one).toString().padStart(decimals, '0');
  return `${neg && a !== 0n ? '-' : ''}${int}.${frac}`;
}

/**
 * A column of shares or rates (fractions: 0.3077 = 30.77%), by its name as the views name them: share,
 * share_of_total, project_share, pct_change, *_rate, 占比, 增长率. Shown as percentages in the grid and report.
 */
const PERCENT = /(^|_)(share|pct|pct_change|rate|ratio)($|_)|share_of_total|占比|比重|增长率/i;

export function isPercent(field: Field): boolean {
  return DataType.isFloat(field.type) && PERCENT.test(field.name);
}

/** A fraction as a percentage with two decimals and grouping: 0.3077 → "30.77%", 12.5 → "1,250.00%". */
export function percentText(fraction: number): string {
  return `${new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(fraction * 100)}%`;
}

export function isMoney(field: Field): boolean {
  return DataType.isDecimal(field.type);
}

export function isNumeric(field: Field): boolean {
  return DataType.isInt(field.type) || DataType.isFloat(field.type) || DataType.isDecimal(field.type);
}

/** The text of one cell for display; `null` for SQL NULL (the grid shows it distinctly). */
export function cellText(field: Field, value: unknown, unit: MoneyUnit = '万元'): string | null {
  if (value === null || value === undefined) return null;
  const t = field.type;
  if (DataType.isDecimal(t))
    return moneyText(decimalWords(value as Uint32Array), (t as unknown as { scale: number }).scale, unit);
  if (DataType.isInt(t)) {
    const n = typeof value === 'bigint' ? value : BigInt(value as number);
    return n >= 10000n || n <= -10000n ? group.format(n) : n.toString();
  }
  if (DataType.isFloat(t)) {
    const n = value as number;
    if (!Number.isFinite(n)) return String(n);
    if (isPercent(field)) return percentText(n);
    return Math.abs(n) < 1 && n !== 0
      ? n.toFixed(4)
      : new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 4 }).format(n);
  }
  if (DataType.isDate(t)) return isoDate(value);
  if (DataType.isTimestamp(t)) return isoDate(value, true);
  if (DataType.isBool(t)) return value ? 'true' : 'false';
  return String(value);
}

function isoDate(v: unknown, time = false): string {
  const d = v instanceof Date ? v : new Date(Number(v));
  const s = d.toISOString();
  return time
    ? s
        .replace('T', ' ')
        .replace(/\.000Z$/, '')
        .replace('Z', '')
    : s.slice(0, 10);
}

/** A sort key for a cell: bigint for decimals and integers, number, or string; null sorts last. */
export function sortKey(field: Field, value: unknown): bigint | number | string | null {
  if (value === null || value === undefined) return null;
  const t = field.type;
  if (DataType.isDecimal(t)) return decimalWords(value as Uint32Array);
  if (typeof value === 'bigint' || typeof value === 'number' || typeof value === 'string') return value;
  if (value instanceof Date) return value.getTime();
  return String(value);
}

export function compareKeys(a: bigint | number | string | null, b: bigint | number | string | null): number {
  if (a === null) return b === null ? 0 : 1;
  if (b === null) return -1;
  if (typeof a === 'string' || typeof b === 'string') return String(a).localeCompare(String(b), 'zh-CN');
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Plain JS rows (decimals as exact text) for charts and small uses. */
export function plainRows(table: Table): Record<string, unknown>[] {
  const fields = table.schema.fields;
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < table.numRows; i++) {
    const row: Record<string, unknown> = {};
    for (const f of fields) {
      const v = table.getChild(f.name)?.get(i);
      row[f.name] =
        v === null || v === undefined
          ? null
          : DataType.isDecimal(f.type)
            ? Number(decimalText(decimalWords(v as Uint32Array), (f.type as unknown as { scale: number }).scale))
            : typeof v === 'bigint'
              ? Number(v)
              : v;
    }
    out.push(row);
  }
  return out;
}

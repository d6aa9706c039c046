/**
 * Exact money: amounts are bigint counts of millionths of 万元 (DECIMAL(20,6) unscaled), never binary floats.
 */
export const SCALE = 6;
const ONE = 10n ** BigInt(SCALE);

/** Amount text as printed ("7,920", "1，702.89", "－1.5", "2129.08") → micro-units, or undefined if not a number. */
const PLAIN_INT = /^\d{1,14}$/;

export function parseAmount(text: string): bigint | undefined {
  if (PLAIN_INT.test(text)) return BigInt(text) * ONE;
  const t = normalizeDigits(text).replace(/[,\s]/g, '');
  const m = /^([+-]?)(\d+)(?:\.(\d*))?$/.exec(t) ?? /^([+-]?)()\.(\d+)$/.exec(t);
  if (!m) return undefined;
  const frac = m[3] ?? '';
  if (frac.length > SCALE) return undefined;
  const whole = m[2] === '' ? 0n : BigInt(m[2] as string);
  if (whole >= 10n ** 14n) return undefined; // beyond DECIMAL(20,6)
  const v = whole * ONE + BigInt((frac + '000000').slice(0, SCALE));
  return m[1] === '-' ? -v : v;
}

/** Full-width digits, signs and separators to ASCII. */
const ASCII = /^[\x20-\x7e]*$/;

export function normalizeDigits(text: string): string {
  if (ASCII.test(text)) return text.trim();
  return text
    .replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[，]/g, ',')
    .replace(/[．。]/g, '.')
    .replace(/[－—–−]/g, '-')
    .replace(/[＋]/g, '+')
    .trim();
}

/** Micro-units → shortest exact decimal text ("7920", "1702.89", "-0.2"). */
export function formatAmount(v: bigint): string {
  const neg = v < 0n;
  const a = neg ? -v : v;
  const whole = a / ONE;
  const frac = (a % ONE).toString().padStart(SCALE, '0').replace(/0+$/, '');
  return `${neg ? '-' : ''}${whole}${frac ? '.' + frac : ''}`;
}

/** Micro-units → text with exactly `decimals` decimals, rounded half away from zero, exactly ("6.00", "5.80"). */
export function formatFixed(v: bigint, decimals: number): string {
  const neg = v < 0n;
  let a = neg ? -v : v;
  const d = Math.max(0, Math.min(SCALE, decimals));
  const unit = 10n ** BigInt(SCALE - d);
  a = (a + unit / 2n) / unit;
  const one = 10n ** BigInt(d);
  const frac = d ? '.' + (a % one).toString().padStart(d, '0') : '';
  return `${neg && a !== 0n ? '-' : ''}${a / one}${frac}`;
}

/** Number of decimals printed in an amount's text ("2,129.08" → 2, "7,920" → 0). */
export function printedDecimals(text: string): number {
  const m = /\.(\d+)\s*$/.exec(normalizeDigits(text).replace(/,/g, ''));
  return m ? (m[1] as string).length : 0;
}

/** Half a unit of the last printed decimal: the rounding an addend printed with `decimals` may carry. */
export function halfUnit(decimals: number): bigint {
  return ONE / 10n ** BigInt(decimals) / 2n;
}

export function abs(v: bigint): bigint {
  return v < 0n ? -v : v;
}

export function sum(values: Iterable<bigint>): bigint {
  let s = 0n;
  for (const v of values) s += v;
  return s;
}

/** share = part / whole rounded to 4 decimals, as a JS number for display only. */
export function ratio(part: bigint, whole: bigint): number | undefined {
  if (whole === 0n) return undefined;
  return Number((part * 1_000_000n) / whole) / 1_000_000;
}

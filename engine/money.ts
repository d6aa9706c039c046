/**
 * Exact money: amounts are bigint counts of millionths of 万元 (DECIMAL(20,6) unscaled), never binary floats.
 */
export const SCALE = 6;
const ONE = 10n ** BigInt(SCALE);

/** Amount text as printed ("7,920", "1，702.89", "－1.5", "2129.08") → micro-units, or undefined if not a number. */
export function parseAmount(text: string): bigint | undefined {
  if (isSimpleAmount(text)) return parseSimple(text.includes(',') ? text.replaceAll(',', '') : text);
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

/**
 * The common case, read without regexes: only ASCII digits, ',' and '.', after an optional leading sign.
 * For such text normalizeDigits changes nothing and dropping the commas is all the clean-up there is.
 */
function isSimpleAmount(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    // 0x30–0x39 digits, 0x2c ',', 0x2e '.'; 0x2b '+' and 0x2d '-' only first
    if ((ch >= 0x30 && ch <= 0x39) || ch === 0x2c || ch === 0x2e) continue;
    if (i === 0 && (ch === 0x2b || ch === 0x2d)) continue;
    return false;
  }
  return true;
}

/** parseAmount's reading of t (simple text with the commas dropped): [+-]digits[.digits] or [+-].digits. */
function parseSimple(t: string): bigint | undefined {
  const n = t.length;
  let i = 0;
  const sign = t.charCodeAt(0);
  if (sign === 0x2b || sign === 0x2d) i = 1;
  const wholeStart = i;
  while (i < n && t.charCodeAt(i) !== 0x2e) i++;
  const whole = t.slice(wholeStart, i);
  // What follows the point (if any) holds no second point: isSimpleAmount let only digits and points through.
  const frac = i < n ? t.slice(i + 1) : '';
  if (frac.includes('.')) return undefined;
  if (whole === '' && frac === '') return undefined; // "", "+", "-", "."
  if (frac.length > SCALE) return undefined;
  let lead = 0;
  while (lead < whole.length && whole.charCodeAt(lead) === 0x30) lead++;
  if (whole.length - lead > 14) return undefined; // beyond DECIMAL(20,6)
  // whole and frac are digits only: one BigInt of the micro-units' digits ("" whole counts as 0).
  const v = BigInt(whole + (frac + '000000').slice(0, SCALE));
  return sign === 0x2d ? -v : v;
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
  // The digits of |v| split at SCALE from the right (string work: cheaper than bigint division).
  const digits = (neg ? -v : v).toString();
  const whole = digits.length > SCALE ? digits.slice(0, digits.length - SCALE) : '0';
  const fracDigits = digits.length > SCALE ? digits.slice(digits.length - SCALE) : digits.padStart(SCALE, '0');
  let end = SCALE;
  while (end > 0 && fracDigits.charCodeAt(end - 1) === 0x30) end--;
  const frac = fracDigits.slice(0, end);
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
  if (isSimpleAmount(text)) {
    // Only digits, commas and points: the digits after the last point (commas dropped) are the decimals.
    const dot = text.lastIndexOf('.');
    if (dot < 0) return 0;
    let k = 0;
    for (let i = dot + 1; i < text.length; i++) if (text.charCodeAt(i) !== 0x2c) k++;
    return k;
  }
  const m = /\.(\d+)\s*$/.exec(normalizeDigits(text).replace(/,/g, ''));
  return m ? (m[1] as string).length : 0;
}

const HALF_UNITS = Array.from({ length: SCALE + 1 }, (_, d) => ONE / 10n ** BigInt(d) / 2n);

/** Half a unit of the last printed decimal: the rounding an addend printed with `decimals` may carry. */
export function halfUnit(decimals: number): bigint {
  return HALF_UNITS[decimals] ?? ONE / 10n ** BigInt(decimals) / 2n;
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

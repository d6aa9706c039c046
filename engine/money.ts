/**
 * Exact money: amounts are bigint counts of millionths of 万元 (DECIMAL(20,6) unscaled), never binary floats.
 */
export const SCALE = 6;
const ONE = 10n ** BigInt(SCALE);

/** Amount text as printed ("7,920", "1，702.89", "－1.5", "2129.08") → micro-units, or undefined if not a number. */
export function parseAmount(text: string): bigint | undefined {
  const simple = parseSimple(text);
  if (simple !== null) return simple;
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

/** parseAmount(text) !== undefined, without making the bigint where the text is simple (see parseSimple). */
export function isAmount(text: string): boolean {
  const simple = parseSimple(text, false);
  return simple === null ? parseAmount(text) !== undefined : simple !== undefined;
}

/** ONE as a number; FRAC_SCALE[k] = 10 ** (SCALE - k), what a unit of the k-th decimal is in micro-units. */
const ONE_NUMBER = 10 ** SCALE;
const FRAC_SCALE = Array.from({ length: SCALE + 1 }, (_, k) => 10 ** (SCALE - k));

/**
 * The common case read in one scan, without regexes: text of ASCII digits, ',' and '.' after an optional
 * leading sign (what isSimpleAmount accepts). For such text normalizeDigits changes nothing and the commas are all there is
 * to drop, so parseAmount's answer is: [+-]digits[.digits] or [+-].digits, at most SCALE decimals, the whole
 * part below 10^14. Returns null for text that is not simple (parseAmount reads it the long way).
 */
function parseSimple(text: string, value = true): bigint | undefined | null {
  const n = text.length;
  let i = 0;
  const sign = text.charCodeAt(0);
  if (sign === 0x2b || sign === 0x2d) i = 1; // '+', '-'
  let whole = 0; // exact as a double: at most 14 significant digits get here
  let wholeDigits = 0; // significant (after leading zeros)
  let anyWhole = false;
  let dot = false;
  let frac = 0;
  let fracDigits = 0;
  let bad = false; // not an amount; the scan goes on, as text that is not simple is answered the long way
  for (; i < n; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x2c) continue; // ','
    if (ch === 0x2e) {
      // '.': a second one makes it no number
      if (dot) bad = true;
      dot = true;
      continue;
    }
    const d = ch - 0x30;
    if (d < 0 || d > 9) return null;
    if (bad) continue;
    if (dot) {
      if (++fracDigits > SCALE) bad = true;
      else frac = frac * 10 + d;
    } else {
      anyWhole = true;
      if ((wholeDigits > 0 || d !== 0) && ++wholeDigits > 14)
        bad = true; // beyond DECIMAL(20,6)
      else whole = whole * 10 + d;
    }
  }
  if (bad || (!anyWhole && fracDigits === 0)) return undefined; // also "", "+", "-", "."
  if (!value) return 0n; // only whether it is a number was asked
  const micro = frac * (FRAC_SCALE[fracDigits] as number);
  // Below 2^53 the micro-units are exact as a double; above, the whole part goes through bigint.
  const v = whole < 9e9 ? BigInt(whole * ONE_NUMBER + micro) : BigInt(whole) * ONE + BigInt(micro);
  return sign === 0x2d ? -v : v;
}

/** Only ASCII digits, ',' and '.', after an optional leading sign: see parseSimple. */
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

/** How a printed unit converts to 万元: amounts in it are divided by this (万元 1, 千元 10, 元 10,000). */
export function divisorOf(unit: string): bigint | undefined {
  return unit === '万元' ? 1n : unit === '千元' ? 10n : unit === '元' ? 10_000n : undefined;
}

/**
 * Printed amount text in a table's unit → 万元, exactly, with its printed precision in 万元 (元 carry four more
 * decimals). 'inexact' where the division leaves more decimals than DECIMAL(20,6) holds; undefined for no number.
 */
export function amountInWan(
  text: string,
  divisor: bigint,
): { value: bigint; decimals: number } | 'inexact' | undefined {
  const v = parseAmount(text);
  if (v === undefined) return undefined;
  if (v % divisor !== 0n) return 'inexact';
  const extra = divisor === 10_000n ? 4 : divisor === 10n ? 1 : 0;
  return { value: v / divisor, decimals: printedDecimals(text) + extra };
}

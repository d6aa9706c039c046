/**
 * The checks every reader runs (the 15-table text layout, the 决算 template, the table reader), written once:
 * how money reads in a message, how much rounding a comparison allows, how far off is an error, how lines are
 * cited, and the three shapes a check takes: a total against the sum of its parts, one figure stated in two
 * places, and two sides that balance. A reader says what it compares; these say how.
 */
import { abs, formatAmount, formatFixed, halfUnit, sum } from '../money.ts';
import type { Finding, Severity } from './types.ts';

/** A printed figure: its value (micro-units of 万元), its printed decimals, the line it was printed on. */
export interface Amount {
  value: bigint;
  decimals: number;
  line: number;
}

/** The figures printed among some that may not be. */
const printed = (xs: (Amount | undefined)[]): Amount[] => xs.filter((x): x is Amount => x !== undefined);
/** The most decimals printed among figures: the finest precision, at which rounding is allowed by default. */
const finest = (xs: Amount[]): number => Math.max(...xs.map((x) => x.decimals));

/*
 * Money in messages is written exactly, never through a float, one way: as a decimal with the decimals it was
 * printed with, where it was printed; else (a figure a check worked out) with the decimals it needs.
 */

/** A figure a check worked out (what it compares, a difference, a tolerance): "5.8", "-0.2", "7920". */
export function money(v: bigint): string {
  return formatAmount(v);
}

/**
 * Printed figures quoted in a message: one as printed ("6.00", "0.80"), several as their sum with the most
 * decimals printed among them ("5.00" + "0.80" → "5.80").
 */
export function printedMoney(...figures: Amount[]): string {
  return formatFixed(sum(figures.map((a) => a.value)), figures.length ? finest(figures) : 0);
}

/**
 * The rounding a comparison allows: half a unit of the last printed decimal for each printed figure that went
 * into it (at least one).
 */
export function tolerance(decimals: number, addends = 1): bigint {
  return halfUnit(decimals) * BigInt(Math.max(1, addends));
}

/** Whether a difference is within `tolerance(decimals, addends)`. */
export function withinRounding(difference: bigint, decimals: number, addends = 1): boolean {
  return abs(difference) <= tolerance(decimals, addends);
}

/**
 * How bad a difference is: 'info' within rounding; beyond it `beyond` where the check names one, else 'error'
 * when off by more than 1% of the expected figure (or anything off a zero), 'warning' below that.
 */
export function severityOf(expected: bigint, difference: bigint, allowed: bigint, beyond?: Severity): Severity {
  if (abs(difference) <= allowed) return 'info';
  return beyond ?? (expected === 0n || abs(difference) * 100n > abs(expected) ? 'error' : 'warning');
}

/** The distinct line numbers among `lines`, ascending, comma-separated (nulls and undefined dropped). */
export function sourceLines(lines: (number | null | undefined)[]): string {
  // Lines are mostly cited in print order already: when the numbers strictly increase they are their own
  // distinct ascending list, and a Set and a sort have nothing to do. (NaN never compares greater, so it
  // takes the general way.)
  let prev = -Infinity;
  let gaps = false;
  let ascending = true;
  for (const l of lines) {
    if (typeof l !== 'number') {
      gaps = true;
      continue;
    }
    if (!(l > prev)) {
      ascending = false;
      break;
    }
    prev = l;
  }
  if (ascending) return (gaps ? lines.filter((l) => typeof l === 'number') : lines).join(',');
  return [...new Set(lines.filter((l): l is number => typeof l === 'number'))].sort((a, b) => a - b).join(',');
}

/** A comparison: `expected` is the figure a statement makes, `actual` what the other side gives. */
export interface Comparison {
  id: string;
  scope: string;
  expected: bigint;
  actual: bigint;
  /** How many printed figures went into the comparison (each may carry rounding); 1 by default. */
  addends?: number;
  /** The printed precision the rounding is taken at. */
  decimals: number;
  lines: (number | null | undefined)[];
  /** What is compared, as the message begins. */
  what: string;
  /** Severity beyond rounding; by default see severityOf. */
  beyond?: Severity;
}

/** A comparison's finding, but for its check_id (the reader numbers those): difference, severity, message. */
export function compare(c: Comparison): Omit<Finding, 'check_id'> {
  const difference = c.actual - c.expected;
  const allowed = tolerance(c.decimals, c.addends);
  const verdict =
    difference === 0n
      ? 'agree'
      : abs(difference) <= allowed
        ? `differ by ${money(difference)}, within printed rounding (±${money(allowed)})`
        : `DO NOT AGREE: off by ${money(difference)}, beyond printed rounding (±${money(allowed)})`;
  return {
    scope: c.scope,
    expected: c.expected,
    actual: c.actual,
    difference,
    severity: severityOf(c.expected, difference, allowed, c.beyond),
    source_lines: sourceLines(c.lines),
    message: `${c.what}: ${money(c.expected)} vs ${money(c.actual)} — ${verdict}`,
  };
}

/** Where findings go: a reader's document context, which numbers them (`T2.total#3`) and keeps them. */
export interface Checker {
  check(c: Comparison): Finding;
}

/** What the shapes below share: the check's name and scope, its words, and the defaults they override. */
interface Shape {
  id: string;
  scope: string;
  what: string;
  /** Printed figures that carry rounding; by default each one the check adds up (see each shape). */
  addends?: number;
  /** The precision the rounding is taken at; by default the finest printed among the figures compared. */
  decimals?: number;
  /** Lines to cite; by default those of the figures compared. */
  lines?: (number | null | undefined)[];
  beyond?: Severity;
}

/**
 * A total against the sum of its parts (parts not printed are left out, as a blank cell is the template's
 * zero). Nothing is checked when neither the total nor any part is printed, nor, with `skipIfNoParts`, when
 * no part is; a total with no printed part is checked against zero, parts with no printed total against zero.
 * Rounding is allowed for each printed part by default.
 */
export function sumOfParts(
  ctx: Checker,
  o: Shape & { whole: Amount | undefined; parts: (Amount | undefined)[]; skipIfNoParts?: boolean },
): Finding | undefined {
  const parts = printed(o.parts);
  if (!o.whole && parts.length === 0) return undefined;
  if (o.skipIfNoParts && parts.length === 0) return undefined;
  const all = o.whole ? [o.whole, ...parts] : parts;
  return ctx.check({
    id: o.id,
    scope: o.scope,
    expected: o.whole?.value ?? 0n,
    actual: sum(parts.map((p) => p.value)),
    addends: o.addends ?? parts.length,
    decimals: o.decimals ?? finest(all),
    lines: o.lines ?? all.map((a) => a.line),
    what: o.what,
    beyond: o.beyond,
  });
}

/**
 * One figure stated in two places (`a` the statement, `b` the other table); one not printed counts as zero,
 * neither printed is no check. Rounding is allowed once by default.
 */
export function sameFigure(
  ctx: Checker,
  o: Shape & { a: Amount | undefined; b: Amount | undefined },
): Finding | undefined {
  if (!o.a && !o.b) return undefined;
  const both = printed([o.a, o.b]);
  return ctx.check({
    id: o.id,
    scope: o.scope,
    expected: o.a?.value ?? 0n,
    actual: o.b?.value ?? 0n,
    addends: o.addends ?? 1,
    decimals: o.decimals ?? finest(both),
    lines: o.lines ?? both.map((x) => x.line),
    what: o.what,
    beyond: o.beyond,
  });
}

/**
 * Two sides that balance: Σ `left` = Σ `right` (收入 + 年初结转 = 支出 + 年末结转), figures not printed left
 * out. Nothing is checked when a side prints nothing. Rounding is allowed for each printed figure by default.
 */
export function sidesBalance(
  ctx: Checker,
  o: Shape & { left: (Amount | undefined)[]; right: (Amount | undefined)[] },
): Finding | undefined {
  const left = printed(o.left);
  const right = printed(o.right);
  if (left.length === 0 || right.length === 0) return undefined;
  const all = [...left, ...right];
  return ctx.check({
    id: o.id,
    scope: o.scope,
    expected: sum(left.map((a) => a.value)),
    actual: sum(right.map((a) => a.value)),
    addends: o.addends ?? all.length,
    decimals: o.decimals ?? finest(all),
    lines: o.lines ?? all.map((a) => a.line),
    what: o.what,
    beyond: o.beyond,
  });
}

/**
 * A table's department row and its units' rows, from rows keyed by unit, for "department = Σ units": the
 * department's first row, and every other row in order.
 */
export function departmentAndUnits<V>(
  byUnit: Iterable<readonly [string, V]>,
  department: string,
): { department: V | undefined; units: V[] } {
  let dept: V | undefined;
  let found = false;
  const units: V[] = [];
  for (const [u, v] of byUnit) {
    if (u !== department) units.push(v);
    else if (!found) [dept, found] = [v, true];
  }
  return { department: dept, units };
}

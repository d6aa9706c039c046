import { describe, expect, it } from 'vitest';
import { DocumentContext } from '../engine/ingest/budget-text/context.ts';
import {
  departmentAndUnits,
  money,
  printedMoney,
  sameFigure,
  severityOf,
  sidesBalance,
  sourceLines,
  sumOfParts,
  tolerance,
  type Amount,
} from '../engine/ingest/checks.ts';
import { parseAmount, printedDecimals } from '../engine/money.ts';

/** A printed figure as the readers make it: "5.80" on line 3. */
const printed = (text: string, line: number): Amount => ({
  value: parseAmount(text) as bigint,
  decimals: printedDecimals(text),
  line,
});
const ctx = () => new DocumentContext('x.txt', '某局', 2021, 'budget');

describe('the checks every reader shares (engine/ingest/checks.ts)', () => {
  it('writes money one way: worked-out figures shortest, printed figures as printed, exactly', () => {
    expect(money(parseAmount('5.80') as bigint)).toBe('5.8');
    expect(money(-(parseAmount('0.2') as bigint))).toBe('-0.2');
    expect(printedMoney(printed('6.00', 1))).toBe('6.00');
    expect(printedMoney(printed('5.00', 1), printed('0.8', 2))).toBe('5.80');
    // Never rounded: a sum that needs three decimals keeps them.
    expect(printedMoney(printed('8.005', 1))).toBe('8.005');
  });

  it('allows half a unit of the last printed decimal per figure; error beyond 1%, else warning', () => {
    expect(tolerance(2, 3)).toBe(15_000n);
    expect(tolerance(0, 0)).toBe(500_000n);
    expect(severityOf(100_000_000n, 10_000n, 10_000n)).toBe('info');
    expect(severityOf(100_000_000n, 500_000n, 10_000n)).toBe('warning');
    expect(severityOf(100_000_000n, 2_000_000n, 10_000n)).toBe('error');
    expect(severityOf(0n, 20_000n, 10_000n)).toBe('error');
    expect(severityOf(0n, 20_000n, 10_000n, 'warning')).toBe('warning');
    expect(sourceLines([9, null, 3, 9, undefined, 5])).toBe('3,5,9');
  });

  it('a total against the sum of its parts: a finding or none', () => {
    const c = ctx();
    const f = sumOfParts(c, {
      id: 'X.sum',
      scope: 's',
      whole: printed('6.00', 10),
      parts: [printed('5.00', 11), undefined, printed('0.80', 12)],
      what: 'total = parts',
    });
    expect(f).toMatchObject({
      check_id: 'X.sum#1',
      expected: 6_000_000n,
      actual: 5_800_000n,
      difference: -200_000n,
      severity: 'error',
      source_lines: '10,11,12',
      message: 'total = parts: 6 vs 5.8 — DO NOT AGREE: off by -0.2, beyond printed rounding (±0.01)',
    });
    // Nothing printed: no check. No part printed: against zero, unless told to skip.
    expect(sumOfParts(c, { id: 'X.sum', scope: 's', whole: undefined, parts: [undefined], what: '' })).toBeUndefined();
    expect(sumOfParts(c, { id: 'X.sum', scope: 's', whole: printed('1', 4), parts: [], what: 'w' })?.actual).toBe(0n);
    expect(
      sumOfParts(c, { id: 'X.sum', scope: 's', whole: printed('1', 4), parts: [], what: 'w', skipIfNoParts: true }),
    ).toBeUndefined();
    expect(c.findings.map((x) => x.check_id)).toEqual(['X.sum#1', 'X.sum#2']);
  });

  it('one figure in two places, and two sides that balance', () => {
    const c = ctx();
    const same = sameFigure(c, {
      id: 'X.same',
      scope: 's',
      a: printed('3,673', 1),
      b: printed('3674', 2),
      what: 'a vs b',
    });
    expect(same).toMatchObject({ severity: 'warning', difference: 1_000_000n });
    expect(
      sameFigure(c, {
        id: 'X.same',
        scope: 's',
        a: printed('3,673', 1),
        b: printed('3674', 2),
        what: 'a vs b',
        addends: 2,
      })?.severity,
    ).toBe('info');
    expect(sameFigure(c, { id: 'X.same', scope: 's', a: undefined, b: undefined, what: '' })).toBeUndefined();
    const bal = sidesBalance(c, {
      id: 'X.balance',
      scope: 's',
      left: [printed('10.5', 1), undefined],
      right: [printed('7', 2), printed('3.5', 3)],
      what: 'in = out',
    });
    expect(bal).toMatchObject({ expected: 10_500_000n, actual: 10_500_000n, severity: 'info' });
    expect(
      sidesBalance(c, { id: 'X.balance', scope: 's', left: [], right: [printed('1', 1)], what: '' }),
    ).toBeUndefined();
  });

  it('splits a table into the department row and its units', () => {
    const rows = [
      ['本级', 1],
      ['某局', 2],
      ['中心', 3],
      ['某局', 4],
    ] as const;
    expect(departmentAndUnits(rows, '某局')).toEqual({ department: 2, units: [1, 3] });
    expect(departmentAndUnits(new Map([['中心', 3]]), '某局')).toEqual({ department: undefined, units: [3] });
  });
});

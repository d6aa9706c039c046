import { Field, Float64, Int32 } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { cellText, percentText } from '../web/src/lib/format.ts';

describe('shares and rates show as percentages in the grid and the report', () => {
  const float = (name: string) => new Field(name, new Float64(), true);
  it('a fraction column named as a share or a rate reads as a percentage', () => {
    expect(cellText(float('share'), 0.3077)).toBe('30.77%');
    expect(cellText(float('share_of_total'), 1)).toBe('100.00%');
    expect(cellText(float('pct_change'), -0.0512)).toBe('-5.12%');
    expect(cellText(float('project_share'), 0.25)).toBe('25.00%');
    expect(percentText(12.5)).toBe('1,250.00%');
  });
  it('other numbers keep their form: a ratio to the median is not a share, an integer is not a fraction', () => {
    expect(cellText(float('vs_median'), 0.3077)).toBe('0.3077');
    expect(cellText(new Field('share', new Int32(), true), 3)).toBe('3');
    expect(cellText(float('share'), null)).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { displayWidth } from '../engine/width.ts';

describe('displayWidth: one measure of columns for the CLI, the bench and the grid', () => {
  it('East Asian wide and full-width characters take two columns, others one', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('中国')).toBe(4);
    expect(displayWidth('万元（本级）')).toBe(12); // full-width parentheses
    expect(displayWidth('￥100')).toBe(5); // U+FFE5, a full-width sign
    expect(displayWidth('︰')).toBe(2); // U+FE30, a CJK compatibility form
    expect(displayWidth('ᄀ')).toBe(2); // U+1100, Hangul Jamo
    expect(displayWidth('豈')).toBe(2); // U+F900, a compatibility ideograph
    expect(displayWidth('𠀀')).toBe(2); // U+20000, CJK extension B: one code point, two UTF-16 units
    expect(displayWidth('é')).toBe(1);
  });
});

import { describe, expect, it } from 'vitest';
import { fuzz } from './fuzz/run.ts';

// Part 3 of 4 of the parser fuzz run (10,000 seeded mutations of the seed in all); split so that vitest
// runs the parts side by side.
describe('parser fuzz, mutations 5000–7499', () => {
  it('never crashes, never takes 2 s, refuses only with a clear InputError', () => {
    const r = fuzz(5000, 7500);
    process.stdout.write(
      `fuzz 5000–7499: ${r.runs} runs, ${r.parsed} parsed, ${r.refused} refused, slowest ${r.slowest.ms.toFixed(0)} ms (#${r.slowest.index}), ${r.failures.length} failures\n`,
    );
    expect(r.failures).toEqual([]);
    expect(r.runs).toBe(2500);
    expect(r.slowest.ms).toBeLessThan(2000);
  }, 600_000);
});

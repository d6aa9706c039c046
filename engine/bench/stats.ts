import { displayWidth } from '../width.ts';
/** Timing helpers and the printed table of the benchmark. */

export interface Timing {
  median: number;
  p95: number;
  min: number;
  runs: number;
}

export function summarize(samples: number[]): Timing {
  const s = samples.slice().sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] as number;
  const mid =
    s.length % 2
      ? (s[(s.length - 1) / 2] as number)
      : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
  return { median: round(mid), p95: round(at(0.95)), min: round(s[0] ?? NaN), runs: s.length };
}

export function round(x: number, digits = 2): number {
  const k = 10 ** digits;
  return Math.round(x * k) / k;
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

/**
 * Run `ours` and `base` alternately (after `warmup` unmeasured runs of each), so that drift on a shared
 * machine hits both sides alike. `repeats` is cut down (to no fewer than 3) where the warm-up shows that
 * it would take longer than `budgetMs`.
 */
export async function sideBySide(
  ours: () => Promise<unknown>,
  base: () => Promise<unknown>,
  repeats: number,
  warmup = 1,
  budgetMs = Infinity,
): Promise<{ ours: Timing; base: Timing }> {
  let round = 0;
  for (let i = 0; i < warmup; i++) round = (await timed(ours)).ms + (await timed(base)).ms;
  const n = round > 0 ? Math.max(3, Math.min(repeats, Math.floor(budgetMs / round))) : repeats;
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < n; i++) {
    const first = i % 2 === 0;
    if (first) a.push((await timed(ours)).ms);
    b.push((await timed(base)).ms);
    if (!first) a.push((await timed(ours)).ms);
  }
  return { ours: summarize(a), base: summarize(b) };
}

/** A plain-text table: the first row is the header; numbers (and ratios like "1.2×") right-aligned unless `left`. */
export function table(rows: (string | number)[][], left = false): string {
  const cells = rows.map((r) => r.map((c) => (typeof c === 'number' ? fmt(c) : c)));
  const widths: number[] = [];
  for (const r of cells) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, displayWidth(c))));
  const line = (r: string[]) =>
    r
      .map((c, i) => {
        const pad = ' '.repeat((widths[i] as number) - displayWidth(c));
        return i === 0 || left || !/^(?:[-+\d.,]+[×%]?|–)$/.test(c) ? c + pad : pad + c;
      })
      .join('  ')
      .trimEnd();
  const out = [line(cells[0] ?? []), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const r of cells.slice(1)) out.push(line(r));
  return out.join('\n');
}

function fmt(x: number): string {
  if (!Number.isFinite(x)) return '–';
  if (Number.isInteger(x) || Math.abs(x) >= 1000) return Math.round(x).toLocaleString('en-US');
  if (Math.abs(x) >= 100) return x.toFixed(0);
  if (Math.abs(x) >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

export function ratio(a: number, b: number): number {
  return b === 0 ? NaN : round(a / b, 2);
}

export function mb(bytes: number): number {
  return round(bytes / 1e6, 1);
}

/**
 * The process's CPU time at a past moment, from samples [time, cpu] taken every few ms: linear between the two
 * samples around it (the main thread is waiting on DuckDB when the refresh starts, so the timer runs then).
 */
export function cpuAt(samples: [number, number][], t: number): number {
  let before = samples[0] ?? [t, 0];
  for (const x of samples) {
    if (x[0] > t) {
      const span = x[0] - before[0];
      return span > 0 ? before[1] + ((x[1] - before[1]) * (t - before[0])) / span : before[1];
    }
    before = x;
  }
  return before[1];
}

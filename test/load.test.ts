import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableFromIPC } from 'apache-arrow';
import { Engine } from '../engine/engine.ts';
import { projectRoot } from '../engine/paths.ts';
import { SEED, tempDir } from './helpers.ts';

const BIN = join(projectRoot, 'bin', 'budget.mjs');
const CLIENTS = 50;
const PER_CLIENT = 20;
// An aggregate over a fact view: the test is about the server under concurrency, not about one view's speed.
const SQL = `select unit, fiscal_year, func_level, sum(total) as total from spending_by_function group by all order by all`;

function rssKb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : 0;
}

describe(`load: ${CLIENTS} concurrent clients × ${PER_CLIENT} queries against budget serve`, () => {
  const tmp = tempDir();
  let child: ChildProcess;
  let url = '';
  let stderr = '';
  beforeAll(async () => {
    const db = join(tmp.dir, 'load.duckdb');
    const engine = await Engine.open({ db });
    await engine.ingest([SEED]);
    engine.close();
    child = spawn(process.execPath, [BIN, 'serve', '--db', db, '--port', '0', '--max-concurrent', '8'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
    url = await new Promise<string>((ok, bad) => {
      let out = '';
      child.stdout?.on('data', (b: Buffer) => {
        out += b.toString();
        const m = /on (http:\/\/[^\s/]+)/.exec(out);
        if (m) ok(m[1] as string);
      });
      child.once('exit', (code) => bad(new Error(`budget serve exited with ${code}: ${stderr}`)));
    });
  });
  afterAll(() => {
    child?.kill('SIGTERM');
    tmp.cleanup();
  });

  async function one(): Promise<{ ms: number; refused: number }> {
    const t0 = performance.now();
    let refused = 0;
    for (;;) {
      const res = await fetch(`${url}/api/query`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ sql: SQL }),
      });
      if (res.status === 429) {
        // Clearly refused by the concurrency cap: a client backs off and tries again.
        expect(((await res.json()) as { error: { message: string } }).error.message).toContain('too many queries');
        refused++;
        await new Promise((r) => setTimeout(r, 5 + Math.random() * 20));
        continue;
      }
      expect(res.status).toBe(200);
      const t = tableFromIPC(new Uint8Array(await res.arrayBuffer()));
      expect(t.numRows).toBe(12);
      return { ms: performance.now() - t0, refused };
    }
  }

  it('answers every query (retrying the clear 429s), logs no error, and gives its memory back', async () => {
    for (let i = 0; i < 10; i++) await one(); // warm up
    const pid = child.pid as number;
    const before = rssKb(pid);
    const t0 = performance.now();
    const results = (
      await Promise.all(
        Array.from({ length: CLIENTS }, async () => {
          const mine: { ms: number; refused: number }[] = [];
          for (let q = 0; q < PER_CLIENT; q++) mine.push(await one());
          return mine;
        }),
      )
    ).flat();
    const wall = performance.now() - t0;
    const peak = rssKb(pid);
    await new Promise((r) => setTimeout(r, 1500));
    const after = rssKb(pid);
    const ms = results.map((r) => r.ms).sort((a, b) => a - b);
    const pct = (p: number) => ms[Math.min(ms.length - 1, Math.floor((p / 100) * ms.length))] as number;
    const refused = results.reduce((n, r) => n + r.refused, 0);
    process.stdout.write(
      `load: ${results.length} queries answered in ${(wall / 1000).toFixed(1)} s (${(results.length / (wall / 1000)).toFixed(0)}/s); ` +
        `p50 ${pct(50).toFixed(1)} ms, p95 ${pct(95).toFixed(1)} ms (incl. retries); ${refused} 429s retried; ` +
        `RSS ${(before / 1024).toFixed(0)} MB before, ${(peak / 1024).toFixed(0)} MB at the end, ${(after / 1024).toFixed(0)} MB after\n`,
    );
    expect(results.length).toBe(CLIENTS * PER_CLIENT);
    // Beyond the cap, queries wait for a slot (up to 30 s) instead of being refused: a class of 50 sees no 429.
    expect(refused).toBe(0);
    expect(stderr).toBe('');
    expect(after - before).toBeLessThan(150 * 1024);
  }, 300_000);
});

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../engine/engine.ts';
import { writeCorpus } from '../datasets/synthetic/generate.ts';
import { VIEWS, checksumSql } from '../engine/bench/baselines.ts';
import { sameRows } from '../engine/bench/views.ts';
import { benchRowsDb, sameArrowRows } from '../engine/bench/arrow.ts';
import { measureLoopback } from '../engine/bench/loopback.ts';
import { measureIngest, parserCoreSeconds } from '../engine/bench/ingest.ts';
import { measureUpdate } from '../engine/bench/update.ts';
import { cpuAt, summarize, table } from '../engine/bench/stats.ts';
import { tempDir } from './helpers.ts';

// The bench's correctness, on a tiny corpus: each measurement's two sides compute the same rows.
// Timing is not asserted anywhere.
describe('npm run bench: the two sides of each measurement compute the same rows', () => {
  const tmp = tempDir();
  const db = join(tmp.dir, 'bench.duckdb');
  let files: string[] = [];
  beforeAll(async () => {
    // Two departments, so that the one-department queries have rows to leave out.
    files = writeCorpus(join(tmp.dir, 'corpus'), { seed: 21, departments: 2, years: 3 }).files;
    const e = await Engine.open({ db });
    await e.ingest(files);
    await e.checkpoint();
    e.close();
  });
  afterAll(() => tmp.cleanup());

  it('every analysis view equals its hand-written baseline over the base tables, in whole and for one department', async () => {
    const e = await Engine.open({ db, readOnly: true });
    try {
      expect(VIEWS).toEqual([
        'spending_growth',
        'department_totals',
        'composition',
        'sangong_trend',
        'procurement_mix',
        'project_trend',
      ]);
      const [d] = await e.rows('SELECT min(department) AS d FROM documents');
      for (const view of VIEWS) {
        for (const department of [undefined, String(d?.['d'])]) {
          const r = await sameRows(e, view, department);
          expect(r.rows, view).toBeGreaterThan(0);
          expect(r, view).toMatchObject({ baselineRows: r.rows, baselineChecksum: r.checksum, same: true });
        }
      }
    } finally {
      e.close();
    }
  });

  it('the row checksum tells different rows apart', async () => {
    const e = await Engine.open({ db, readOnly: true });
    try {
      const [a] = await e.rows(checksumSql('SELECT * FROM procurement_mix'));
      const [b] = await e.rows(checksumSql(`SELECT * FROM procurement_mix WHERE procurement_type <> 'goods'`));
      const [c] = await e.rows(checksumSql('SELECT * REPLACE (amount + 0.01 AS amount) FROM procurement_mix'));
      expect(a?.['n']).not.toBe(b?.['n']);
      expect(a?.['n']).toBe(c?.['n']);
      expect(a?.['h']).not.toBe(c?.['h']);
    } finally {
      e.close();
    }
  });

  it('Arrow IPC bytes decode to the same rows as the row objects given to JSON.stringify', async () => {
    const d = await benchRowsDb(5000);
    try {
      expect(await sameArrowRows(d)).toEqual({ same: true, rows: 5000 });
    } finally {
      d.close();
    }
    // Edge values: NULLs, negative and fractional decimals, empty strings.
    const m = await Engine.open({ db: ':memory:' });
    try {
      const sql = `SELECT * FROM (VALUES ('a', -1.5::DECIMAL(20, 6), 1::INTEGER, true), (NULL, NULL, NULL, NULL), ('', 0.000001::DECIMAL(20, 6), -7::INTEGER, false)) v(s, d, i, b)`;
      expect(await sameArrowRows(m, sql)).toEqual({ same: true, rows: 3 });
    } finally {
      m.close();
    }
  });

  it('POST /api/query on loopback returns the rows the query gives in-process', async () => {
    const r = await measureLoopback(db, 3, () => {});
    expect(r).toHaveLength(2);
    for (const q of r) {
      expect(q.rows, q.name).toBeGreaterThan(0);
      expect(q.same, q.name).toBe(true);
    }
  });

  it('ingest, the parser alone and DuckDB bulk load handle the same rows', async () => {
    const r = await measureIngest(join(tmp.dir, 'work'), files, { parseDocs: files.length }, () => {});
    expect(r.documents).toBe(6);
    expect(r.errorFindings).toBe(0);
    expect(r.factRows).toBeGreaterThan(1000);
    expect(r.parse.factRows).toBe(r.factRows);
    expect(r.bulk.factRows).toBe(r.factRows);
    expect(r.bulk.rows).toBe(r.factRows + r.findingRows);
    expect(r.peakRssMiB).toBeGreaterThan(0);
    // The CPU ledger: three phases in order that add up to the whole ingest, in time and in CPU.
    expect(r.cpu.phases.map((p) => p.phase)).toEqual(['load', 'refresh', 'close']);
    const sum = (k: 'seconds' | 'coreSeconds') => r.cpu.phases.reduce((a, p) => a + p[k], 0);
    expect(sum('seconds')).toBeCloseTo(r.seconds, 0);
    expect(sum('coreSeconds')).toBeCloseTo(r.cpu.coreSeconds, 0);
    for (const p of r.cpu.phases) expect(p.coreSeconds, p.phase).toBeGreaterThanOrEqual(0);
    expect(r.cpu.phases[0]!.coreSeconds).toBeGreaterThan(0);
    expect(r.cpu.phases[1]!.coreSeconds).toBeGreaterThan(0);
    expect(r.cpu.partsAlone.parser).toBeGreaterThan(0);
    expect(r.cpu.partsAlone.bulkLoad).toBeGreaterThan(0);
    expect(r.cpu.partsAlone.refresh).toBe(r.cpu.phases[1]!.coreSeconds);
    expect(r.cpu.partsAlone.total).toBeCloseTo(
      r.cpu.partsAlone.parser + r.cpu.partsAlone.bulkLoad + r.cpu.partsAlone.refresh,
      0,
    );
  }, 120_000);

  it('adding documents: the patched tables hold the rows a rebuild of every table gives', async () => {
    // Five departments, so that one new document is of few enough of them to be patched.
    const dir = join(tmp.dir, 'update');
    const five = writeCorpus(join(dir, 'corpus'), { seed: 22, departments: 5, years: 2 }).files;
    const big = join(dir, 'five.duckdb');
    const e = await Engine.open({ db: big });
    await e.ingest(five);
    e.close();
    const r = await measureUpdate(big, dir, { seed: 22, departments: 5, years: 2, documents: 1 }, () => {});
    expect(r.documents).toBe(1);
    expect(r.databaseDocuments).toBe(10);
    expect(r.refresh).toBe('patched');
    expect(r.tables).toBe(13);
    expect(r.differing).toEqual([]);
    expect(r.same).toBe(true);
  }, 120_000);

  it('summaries and the printed table', () => {
    expect(summarize([5, 1, 3, 2, 4])).toEqual({ median: 3, p95: 5, min: 1, runs: 5 });
    expect(summarize([1, 2, 3, 4])).toMatchObject({ median: 2.5, p95: 4 });
    const t = table([
      ['view', 'ms', 'ratio'],
      ['spending_growth', 12.345, '1.2×'],
      ['构成', 1234, '0.9×'],
    ]);
    expect(t.split('\n')).toHaveLength(4);
    expect(t).toContain('1,234');
  });

  it("the process's CPU time at a moment between two samples", () => {
    const samples: [number, number][] = [
      [0, 100],
      [20, 130],
      [40, 170],
    ];
    expect(cpuAt(samples, 10)).toBe(115);
    expect(cpuAt(samples, 30)).toBe(150);
    expect(cpuAt(samples, 20)).toBe(130);
    expect(cpuAt(samples, 50)).toBe(170); // after the last sample: the last
    expect(cpuAt(samples, -5)).toBe(100); // before the first: the first
  });

  it("the parser's CPU for every document: past the measured ones at the marginal rate", () => {
    const measured = { documents: 2000, coreSeconds: 18.4 };
    // The 1,000 documents between the two runs took 7.9 core-s: 8,000 more take 63.2.
    expect(parserCoreSeconds(10_000, measured, { documents: 1000, coreSeconds: 10.5 })).toBeCloseTo(81.6, 6);
    // One run only: linear.
    expect(parserCoreSeconds(10_000, measured)).toBeCloseTo(92, 6);
    // A prefix that is not shorter is no help.
    expect(parserCoreSeconds(10_000, measured, { documents: 2000, coreSeconds: 18.4 })).toBeCloseTo(92, 6);
    // Fewer documents than measured: in proportion.
    expect(parserCoreSeconds(1000, measured, { documents: 1000, coreSeconds: 10.5 })).toBeCloseTo(9.2, 6);
  });
});

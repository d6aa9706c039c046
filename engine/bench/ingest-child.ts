/**
 * Runs in its own process, so that its peak RSS is the ingest's own:
 *
 *   node --import tsx engine/bench/ingest-child.ts --mode ingest --list FILES.txt --db PATH
 *   node --import tsx engine/bench/ingest-child.ts --mode parse  --list FILES.txt
 *   node --import tsx engine/bench/ingest-child.ts --mode bulk   --from DIR --db PATH
 *
 * ingest: Engine.ingest of every listed document (one transaction each) into a fresh database.
 * parse:  the text parser alone on the same documents (no database): how much of the ingest is parsing.
 * bulk:   DuckDB's own bulk load of the same rows (INSERT … SELECT FROM read_parquet, one statement per
 *         table) into a fresh database: the floor for the load part.
 * Prints one JSON line with the figures on stdout.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Engine, quote } from '../engine.ts';
import { cpuAt } from './stats.ts';

export interface ChildResult {
  mode: string;
  documents: number;
  bytes: number;
  factRows: number;
  findingRows: number;
  /** Wall time of the measured work (ingest / parse / bulk load), ms. */
  ms: number;
  /** Opening the database and creating the schema, ms (not in `ms`). */
  openMs: number;
  /** process.resourceUsage().maxRSS, bytes: the process's peak resident set. */
  peakRss: number;
  errors: number;
  /** CPU time of the process (user + system, every thread) during `ms`, ms. */
  cpuMs: number;
  /**
   * ingest only: where `ms` and `cpuMs` went. `load`: parsing and loading the documents (until the refresh of the
   * materialized tables starts); `refresh`: that refresh; `close`: what follows (the ingest's closing CHECKPOINT).
   */
  phases?: Phase[];
}

export interface Phase {
  phase: 'load' | 'refresh' | 'close';
  ms: number;
  cpuMs: number;
}

/** CPU time this process has used so far (user + system, every thread), ms. */
function cpuNow(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { mode: { type: 'string' }, list: { type: 'string' }, db: { type: 'string' }, from: { type: 'string' } },
  });
  const mode = values.mode ?? 'ingest';
  const files = values.list
    ? readFileSync(values.list, 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
    : [];
  const bytes = files.reduce((a, f) => a + statSync(f).size, 0);
  const out: ChildResult = {
    mode,
    documents: files.length,
    bytes,
    factRows: 0,
    findingRows: 0,
    ms: 0,
    openMs: 0,
    peakRss: 0,
    errors: 0,
    cpuMs: 0,
  };
  if (mode === 'parse') {
    const c0 = cpuNow();
    const t0 = performance.now();
    for (const f of files) {
      const p = Engine.parseText(readFileSync(f), f);
      for (const rows of p.facts.values()) out.factRows += rows.length;
      out.findingRows += p.findings.length;
      out.errors += p.findings.filter((x) => x.severity === 'error').length;
    }
    out.ms = performance.now() - t0;
    out.cpuMs = cpuNow() - c0;
  } else if (mode === 'ingest') {
    if (!values.db) throw new Error('--db is required');
    const t0 = performance.now();
    const engine = await Engine.open({ db: values.db });
    out.openMs = performance.now() - t0;
    const samples: [number, number][] = [];
    const timer = setInterval(() => samples.push([performance.now(), cpuNow()]), 20);
    const c1 = cpuNow();
    const t1 = performance.now();
    samples.push([t1, c1]);
    let refreshed: { ms: number; at: number; cpu: number } | undefined;
    const results = await engine.ingest(files, {
      onRefresh: (r) => (refreshed = { ms: r.ms, at: performance.now(), cpu: cpuNow() }),
    });
    await engine.checkpoint();
    const t2 = performance.now();
    const c2 = cpuNow();
    clearInterval(timer);
    out.ms = t2 - t1;
    out.cpuMs = c2 - c1;
    if (refreshed) {
      const start = refreshed.at - refreshed.ms;
      const cpuStart = cpuAt(samples, start);
      out.phases = [
        { phase: 'load', ms: start - t1, cpuMs: cpuStart - c1 },
        { phase: 'refresh', ms: refreshed.ms, cpuMs: refreshed.cpu - cpuStart },
        { phase: 'close', ms: t2 - refreshed.at, cpuMs: c2 - refreshed.cpu },
      ];
    }
    for (const r of results) {
      out.factRows += Object.values(r.rows).reduce((a, b) => a + b, 0);
      out.errors += r.findings.error;
      out.findingRows += r.findings.error + r.findings.warning + r.findings.info;
    }
    engine.close();
  } else if (mode === 'bulk') {
    if (!values.db || !values.from) throw new Error('--db and --from are required');
    const t0 = performance.now();
    const engine = await Engine.open({ db: values.db });
    out.openMs = performance.now() - t0;
    const parquet = new Set(readdirSync(values.from));
    const c1 = cpuNow();
    const t1 = performance.now();
    await engine.exec('BEGIN TRANSACTION');
    for (const t of Engine.tables) {
      if (!parquet.has(`${t.table}.parquet`)) continue;
      const n = await engine.run(
        `INSERT INTO ${t.table} SELECT * FROM read_parquet(${quote(join(values.from, `${t.table}.parquet`))})`,
      );
      // Coverage rows are loaded on both sides but counted on neither (Engine.ingest reports facts per view).
      if (t.view === 'reconciliation') out.findingRows += n;
      else if (t.view === 'coverage') continue;
      else if (t.view !== 'documents') out.factRows += n;
      else out.documents = n;
    }
    await engine.exec('COMMIT');
    await engine.checkpoint();
    out.ms = performance.now() - t1;
    out.cpuMs = cpuNow() - c1;
    engine.close();
  } else throw new Error(`unknown mode ${mode}`);
  out.peakRss = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`ingest-child: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});

/**
 * Measurement 1: ingest throughput. Each run is a child process (ingest-child.ts) so that its peak RSS is
 * the ingest's own. Beside it, in the same bench run: the parser alone on the same documents (how much of
 * the time is parsing), and DuckDB's own bulk load of the same rows from Parquet (the floor for the load).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Engine, quote } from '../engine.ts';
import { projectRoot } from '../paths.ts';
import type { ChildResult, Phase } from './ingest-child.ts';
import { mb, ratio, round } from './stats.ts';

export interface IngestResult {
  documents: number;
  megabytes: number;
  seconds: number;
  mbPerSecond: number;
  docsPerSecond: number;
  factRows: number;
  findingRows: number;
  factRowsPerSecond: number;
  peakRssMiB: number;
  errorFindings: number;
  dbMegabytes: number;
  /**
   * CPU time of the ingest's process (every thread: the parse worker, DuckDB's threads, the garbage collector),
   * in core-seconds, and how many of the machine's cores that kept busy on average; then the same by phase.
   */
  cpu: {
    coreSeconds: number;
    cores: number;
    phases: { phase: Phase['phase']; seconds: number; coreSeconds: number }[];
    /**
     * What three parts of the work cost each on its own, core-seconds: the parser alone (its CPU for every
     * document: see `parserCoreSeconds`), DuckDB's bulk load of the same rows, and the ingest's refresh of the
     * materialized tables. Their sum against what the machine's cores give in the goal's time says whether the goal
     * is reachable here.
     */
    partsAlone: { parser: number; bulkLoad: number; refresh: number; total: number };
  };
  parse: {
    documents: number;
    factRows: number;
    findingRows: number;
    seconds: number;
    docsPerSecond: number;
    peakRssMiB: number;
    /** CPU time of the parse-only process, core-seconds (the JIT compiler and GC run beside the parser). */
    coreSeconds: number;
  };
  /** The parser's share of the ingest time (parse-only time scaled to all documents / ingest time). */
  parseShare: number;
  bulk: {
    factRows: number;
    rows: number;
    seconds: number;
    rowsPerSecond: number;
    peakRssMiB: number;
    coreSeconds: number;
  };
  /** Fact + finding rows per second: ours / DuckDB bulk load. */
  rowsPerSecondVsBulk: number;
  db: string;
}

const CHILD = join(projectRoot, 'engine', 'bench', 'ingest-child.ts');

/** Run the child with node's tsx loader; extra node flags (e.g. --cpu-prof) go first. */
export function runChild(args: string[], nodeFlags: string[] = []): Promise<ChildResult> {
  return new Promise((ok, bad) => {
    execFile(
      process.execPath,
      [...nodeFlags, '--import', 'tsx', CHILD, ...args],
      { cwd: projectRoot, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) return bad(new Error(`ingest child failed: ${stderr || err.message}`));
        const line = stdout.trim().split('\n').pop() ?? '';
        try {
          ok(JSON.parse(line) as ChildResult);
        } catch {
          bad(new Error(`ingest child printed no result: ${stdout}\n${stderr}`));
        }
      },
    );
  });
}

export async function measureIngest(
  work: string,
  files: string[],
  o: { parseDocs: number; prefixParse?: { documents: number; coreSeconds: number } },
  log: (s: string) => void,
): Promise<IngestResult> {
  mkdirSync(work, { recursive: true });
  const n = files.length;
  const list = join(work, `list-${n}.txt`);
  writeFileSync(list, files.join('\n') + '\n');
  const db = join(work, `ingest-${n}.duckdb`);
  rmSync(db, { force: true });
  rmSync(db + '.wal', { force: true });
  log(`  ingesting ${n} documents (child process) …`);
  const ours = await runChild(['--mode', 'ingest', '--list', list, '--db', db]);
  const dbBytes = statSync(db).size;

  // The parser alone, on the first parseDocs documents.
  const parseFiles = files.slice(0, Math.min(n, o.parseDocs));
  const parseList = join(work, `list-parse-${parseFiles.length}.txt`);
  writeFileSync(parseList, parseFiles.join('\n') + '\n');
  log(`  parsing ${parseFiles.length} documents without a database …`);
  const parse = await runChild(['--mode', 'parse', '--list', parseList]);

  // DuckDB's bulk load of the same rows: export the loaded tables to Parquet, load them into a fresh database.
  const parquet = join(work, `parquet-${n}`);
  rmSync(parquet, { recursive: true, force: true });
  mkdirSync(parquet, { recursive: true });
  const src = await Engine.open({ db, readOnly: true });
  try {
    for (const t of Engine.tables)
      await src.exec(`COPY ${t.table} TO ${quote(join(parquet, `${t.table}.parquet`))} (FORMAT parquet)`);
  } finally {
    src.close();
  }
  const bulkDb = join(work, `bulk-${n}.duckdb`);
  rmSync(bulkDb, { force: true });
  log(`  DuckDB bulk load of the same rows …`);
  const bulk = await runChild(['--mode', 'bulk', '--from', parquet, '--db', bulkDb]);
  rmSync(bulkDb, { force: true });
  rmSync(bulkDb + '.wal', { force: true });
  rmSync(parquet, { recursive: true, force: true });
  rmSync(list, { force: true });
  rmSync(parseList, { force: true });

  const secs = ours.ms / 1000;
  const parseSecs = parse.ms / 1000;
  const bulkSecs = bulk.ms / 1000;
  const oursRows = ours.factRows + ours.findingRows;
  const bulkRows = bulk.factRows + bulk.findingRows;
  const r: IngestResult = {
    documents: ours.documents,
    megabytes: mb(ours.bytes),
    seconds: round(secs, 1),
    mbPerSecond: round(ours.bytes / 1e6 / secs),
    docsPerSecond: round(ours.documents / secs, 1),
    factRows: ours.factRows,
    findingRows: ours.findingRows,
    factRowsPerSecond: Math.round(ours.factRows / secs),
    peakRssMiB: Math.round(ours.peakRss / 2 ** 20),
    errorFindings: ours.errors,
    dbMegabytes: mb(dbBytes),
    cpu: {
      coreSeconds: round(ours.cpuMs / 1000, 1),
      cores: round(ours.cpuMs / ours.ms),
      phases: (ours.phases ?? []).map((p) => ({
        phase: p.phase,
        seconds: round(p.ms / 1000, 1),
        coreSeconds: round(p.cpuMs / 1000, 1),
      })),
      partsAlone: partsAlone(ours, parse, bulk, o.prefixParse),
    },
    parse: {
      documents: parse.documents,
      factRows: parse.factRows,
      findingRows: parse.findingRows,
      seconds: round(parseSecs, 1),
      docsPerSecond: round(parse.documents / parseSecs, 1),
      peakRssMiB: Math.round(parse.peakRss / 2 ** 20),
      coreSeconds: round(parse.cpuMs / 1000, 1),
    },
    parseShare: round(((parseSecs / Math.max(1, parse.documents)) * ours.documents) / secs),
    bulk: {
      factRows: bulk.factRows,
      rows: bulkRows,
      seconds: round(bulkSecs, 2),
      rowsPerSecond: Math.round(bulkRows / bulkSecs),
      peakRssMiB: Math.round(bulk.peakRss / 2 ** 20),
      coreSeconds: round(bulk.cpuMs / 1000, 1),
    },
    rowsPerSecondVsBulk: ratio(oursRows / secs, bulkRows / bulkSecs),
    db,
  };
  log(
    `  ${r.documents} documents: ${r.seconds} s, ${r.docsPerSecond} docs/s, ${r.factRowsPerSecond} fact rows/s, peak RSS ${r.peakRssMiB} MiB; CPU ${r.cpu.coreSeconds} core-s (${r.cpu.phases.map((p) => `${p.phase} ${p.coreSeconds}`).join(', ')})`,
  );
  return r;
}

function partsAlone(
  ours: ChildResult,
  parse: ChildResult,
  bulk: ChildResult,
  prefix?: { documents: number; coreSeconds: number },
): { parser: number; bulkLoad: number; refresh: number; total: number } {
  const parser = parserCoreSeconds(
    ours.documents,
    { documents: parse.documents, coreSeconds: parse.cpuMs / 1000 },
    prefix,
  );
  const bulkLoad = bulk.cpuMs / 1000;
  const refresh = (ours.phases?.find((p) => p.phase === 'refresh')?.cpuMs ?? 0) / 1000;
  return {
    parser: round(parser, 1),
    bulkLoad: round(bulkLoad, 1),
    refresh: round(refresh, 1),
    total: round(parser + bulkLoad + refresh, 1),
  };
}

/**
 * The parser's CPU for `documents` documents, from a parse-only run over the first of them. Scaled linearly from
 * one run, the JIT compiler's warm-up (a fixed cost, in the first few hundred documents) would be counted again for
 * every further document; with the run over a shorter prefix of the same files beside it, the documents past
 * the measured ones cost what the documents between the two runs cost (the marginal rate).
 */
export function parserCoreSeconds(
  documents: number,
  measured: { documents: number; coreSeconds: number },
  prefix?: { documents: number; coreSeconds: number },
): number {
  if (measured.documents <= 0) return 0;
  if (documents <= measured.documents) return (measured.coreSeconds / measured.documents) * documents;
  const rate =
    prefix && prefix.documents > 0 && prefix.documents < measured.documents
      ? (measured.coreSeconds - prefix.coreSeconds) / (measured.documents - prefix.documents)
      : measured.coreSeconds / measured.documents;
  return measured.coreSeconds + rate * (documents - measured.documents);
}

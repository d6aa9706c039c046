/**
 * npm run bench [-- --quick] — the engine's performance, each figure beside its baseline, on a synthetic
 * corpus (datasets/synthetic). Prints a table and writes data/bench/bench-<timestamp>.json.
 *
 *   1. ingest of two corpus sizes (10,000 and 1,000 documents; --quick: 200 and 40), in a child process:
 *      MB/s, documents/s, fact rows/s, peak RSS — beside the parser alone and DuckDB's own bulk load;
 *   2. every analysis view on the larger database, over every row and for one department: median and p95 ms
 *      beside a hand-written query over the base tables that returns the same rows (checked first);
 *   3. a 1,000,000-row × 6-column result (--quick: 200,000): Arrow IPC encoding beside JSON.stringify of row
 *      objects and beside DuckDB's own materialization;
 *   4. POST /api/query on loopback for two aggregated queries beside the same queries in-process;
 *   5. adding documents to the larger database, beside rebuilding its materialized tables;
 *   6. the real budget PDFs of ../shared/fixtures/budgets read by Engine.ingest: pages/s and documents/s beside
 *      pdf.js's own text extraction of the same pages (the floor).
 *
 * Options: --quick, --seed N (1), --out DIR (data/bench), --keep (keep the databases), --skip-ingest
 * (reuse the databases of an earlier --keep run), --repeats N, --pdf-only (measurement 6 alone).
 */
import { cpus, freemem, loadavg, platform, release, totalmem } from 'node:os';
import { mkdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Engine } from '../engine.ts';
import { dataDir, projectRoot } from '../paths.ts';
import { measureArrow, type ArrowResult } from './arrow.ts';
import { ensureCorpus } from './corpus.ts';
import { measureIngest, type IngestResult } from './ingest.ts';
import { measureLoopback, type LoopbackResult } from './loopback.ts';
import { round, table } from './stats.ts';
import { measureUpdate, type UpdateResult } from './update.ts';
import { measureViews, type ViewResult } from './views.ts';
import { measurePdf, PDF_DIR, type PdfResult } from './pdf.ts';

/** Measurement 6 as text. */
export function pdfReport(p: PdfResult | undefined): string {
  if (!p) return `\n6. Real PDFs: not measured (no ${relative(projectRoot, PDF_DIR)})\n`;
  return [
    `\n6. Real PDFs (${p.documents} documents, ${p.pages} pages, ${p.workers} parse workers; best of the runs)`,
    table([
      ['', 's', 'pages/s', 'docs/s'],
      ['Engine.ingest (read, lay out, parse, check, load)', p.ingestSeconds, p.pagesPerSecond, p.documentsPerSecond],
      [
        "pdf.js's text extraction alone (the floor)",
        p.floorSeconds,
        p.floorPagesPerSecond,
        round(p.documents / p.floorSeconds),
      ],
      [
        'pdf.js text + operator lists alone (what the ingest asks of it)',
        p.extractSeconds,
        p.extractPagesPerSecond,
        round(p.documents / p.extractSeconds),
      ],
    ]),
    `ingest ÷ floor: ${p.overFloor}× (${p.rows.toLocaleString('en-US')} rows loaded)`,
    '',
  ].join('\n');
}

export interface BenchConfig {
  quick: boolean;
  seed: number;
  years: number;
  smallDepartments: number;
  largeDepartments: number;
  parseDocs: number;
  viewRepeats: number;
  arrowRows: number;
  arrowRepeats: number;
  loopbackRepeats: number;
  /** Documents (each of another department, a year beyond the corpus) added to the larger database. */
  updateDocuments: number[];
  /** Time allowed per view (both sides) and for the Arrow rounds, ms: repeats are cut to fit (never below 3 / 2). */
  viewBudgetMs: number;
  arrowBudgetMs: number;
}

export const GOALS = {
  ingest10kSeconds: 60,
  ingestPeakRssMiB: 2048,
  viewMedianMs: 100,
  /** A view read through the engine against DuckDB materializing the same rows alone. */
  viewOverDuckdb: 2,
  arrowVsJson: 5,
  arrowVsDuckdb: 2,
  loopbackMedianMs: 50,
};

export function config(quick: boolean, seed: number, repeats?: number): BenchConfig {
  return quick
    ? {
        quick,
        seed,
        years: 10,
        smallDepartments: 4,
        largeDepartments: 20,
        parseDocs: 100,
        viewRepeats: repeats ?? 5,
        arrowRows: 200_000,
        arrowRepeats: repeats ?? 3,
        loopbackRepeats: repeats ?? 10,
        updateDocuments: [2],
        viewBudgetMs: 3_000,
        arrowBudgetMs: 12_000,
      }
    : {
        quick,
        seed,
        years: 10,
        smallDepartments: 100,
        largeDepartments: 1000,
        parseDocs: 2000,
        viewRepeats: repeats ?? 15,
        arrowRows: 1_000_000,
        arrowRepeats: repeats ?? 5,
        loopbackRepeats: repeats ?? 30,
        updateDocuments: [10, 100],
        viewBudgetMs: 90_000,
        arrowBudgetMs: 240_000,
      };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean' },
      seed: { type: 'string', default: '1' },
      out: { type: 'string' },
      keep: { type: 'boolean' },
      'skip-ingest': { type: 'boolean' },
      repeats: { type: 'string' },
      'pdf-only': { type: 'boolean' },
    },
  });
  const cfg = config(Boolean(values.quick), Number(values.seed), values.repeats ? Number(values.repeats) : undefined);
  const out = resolve(values.out ?? join(dataDir, 'bench'));
  const work = join(out, 'work');
  mkdirSync(work, { recursive: true });
  const started = new Date();
  const t0 = performance.now();
  const log = (s: string) => process.stderr.write(s + '\n');
  // The machine is shared: the 1-minute load average when each measurement starts goes into the results.
  const load: Record<string, number> = {};
  const section = (name: string, title: string) => {
    load[name] = Math.round((loadavg()[0] ?? 0) * 100) / 100;
    log(`${title} (load ${load[name]})`);
  };
  const machine = {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    freeMemoryGiB: Math.round(freemem() / 2 ** 30),
    platform: `${platform()} ${release()}`,
    node: process.version,
    loadAverageAtStart: loadavg().map((x) => Math.round(x * 100) / 100),
    /** Parse worker threads an ingest starts here (Engine.parseWorkers; BUDGET_PARSE_WORKERS overrides). */
    parseWorkers: Engine.parseWorkers(),
  };
  log(
    `budget bench ${cfg.quick ? '--quick ' : ''}on ${machine.cores} × ${machine.cpu}, load ${machine.loadAverageAtStart.join(' ')}`,
  );

  if (values['pdf-only']) {
    section('pdf', '6. real PDFs');
    const pdf = await measurePdf(cfg.quick ? 1 : 3, log);
    process.stdout.write(pdfReport(pdf) + '\n');
    return 0;
  }

  // The corpus: the larger size; the smaller is its first departments.
  log('corpus');
  const corpus = ensureCorpus(out, { seed: cfg.seed, departments: cfg.largeDepartments, years: cfg.years }, log);
  const smallFiles = corpus.files.slice(0, cfg.smallDepartments * cfg.years);
  const largeFiles = corpus.files;

  // 1. ingest
  const ingest: IngestResult[] = [];
  const largeDb = join(work, `ingest-${largeFiles.length}.duckdb`);
  if (values['skip-ingest'] && existsSync(largeDb)) log('ingest: skipped (--skip-ingest), reusing ' + largeDb);
  else {
    section('ingest', '1. ingest');
    // The large run's parser CPU is extrapolated from the small run's parse (a prefix of the same files) and its own.
    const small = await measureIngest(work, smallFiles, cfg, log);
    ingest.push(small);
    const prefixParse = { documents: small.parse.documents, coreSeconds: small.parse.coreSeconds };
    ingest.push(await measureIngest(work, largeFiles, { ...cfg, prefixParse }, log));
  }

  // 2. views, on the larger database
  section('views', `2. analysis views on ${largeFiles.length} documents`);
  const opened = performance.now();
  const engine = await Engine.open({ db: largeDb, readOnly: true });
  const openMs = Math.round(performance.now() - opened);
  let views: ViewResult[];
  let dbDocs: number;
  try {
    dbDocs = Number((await engine.rows('SELECT count(*) AS n FROM documents'))[0]?.['n']);
    views = await measureViews(engine, cfg.viewRepeats, log, cfg.viewBudgetMs);
  } finally {
    engine.close();
  }

  // 3. Arrow encoding
  section('arrow', `3. Arrow IPC encoding of ${cfg.arrowRows.toLocaleString('en-US')} rows × 6 columns`);
  const arrow = await measureArrow(cfg.arrowRows, cfg.arrowRepeats, log, cfg.arrowBudgetMs);

  // 4. loopback
  section('loopback', '4. POST /api/query on loopback');
  const loopback = await measureLoopback(largeDb, cfg.loopbackRepeats, log);

  // 5. adding documents to the larger database
  section('update', `5. adding documents to the ${largeFiles.length}-document database`);
  const update: UpdateResult[] = [];
  for (const documents of cfg.updateDocuments)
    update.push(
      await measureUpdate(
        largeDb,
        work,
        { seed: cfg.seed, departments: cfg.largeDepartments, years: cfg.years, documents },
        log,
      ),
    );

  // 6. real PDFs
  section('pdf', '6. real PDFs');
  const pdf = await measurePdf(cfg.quick ? 1 : 3, log);

  const result = {
    benchmark: 'budget-notebook',
    started: started.toISOString(),
    seconds: Math.round((performance.now() - t0) / 100) / 10,
    quick: cfg.quick,
    config: cfg,
    machine: {
      ...machine,
      loadAverageAtEnd: loadavg().map((x) => Math.round(x * 100) / 100),
      loadAverageBySection: load,
    },
    corpus: {
      dir: relative(projectRoot, corpus.dir),
      seed: cfg.seed,
      departments: cfg.largeDepartments,
      years: cfg.years,
      documents: corpus.files.length,
      megabytes: Math.round(corpus.bytes / 1e5) / 10,
      reused: corpus.reused,
    },
    goals: GOALS,
    ingest,
    views: { documents: dbDocs, openReadOnlyMs: openMs, results: views },
    arrow,
    loopback,
    update,
    pdf,
    verdicts: verdicts(ingest, views, arrow, loopback),
  };
  const file = join(out, `bench-${started.toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
  process.stdout.write(
    report(result) + pdfReport(pdf) + `\nwrote ${relative(projectRoot, file)} (${result.seconds} s)\n`,
  );

  if (!values.keep) for (const r of ingest) for (const f of [r.db, r.db + '.wal']) rmSync(f, { force: true });
  return result.verdicts.every((v) => v.same) && update.every((u) => u.same) ? 0 : 1;
}

interface Verdict {
  goal: string;
  value: string;
  met: boolean;
  /** The measurement's two sides computed the same rows (where that applies). */
  same: boolean;
}

const PHASE_NAMES: Record<IngestResult['cpu']['phases'][number]['phase'], string> = {
  load: 'parse + load the documents',
  refresh: 'refresh the materialized tables',
  close: 'closing checkpoint',
};

export function verdicts(
  ingest: IngestResult[],
  views: ViewResult[],
  arrow: ArrowResult,
  loopback: LoopbackResult[],
): Verdict[] {
  const out: Verdict[] = [];
  const big = ingest[ingest.length - 1];
  if (big) {
    const per10k = (big.seconds / big.documents) * 10_000;
    out.push({
      goal: `10,000 documents ingested in < ${GOALS.ingest10kSeconds} s`,
      value:
        (big.documents >= 10_000
          ? `${big.seconds} s`
          : `${Math.round(per10k)} s extrapolated from ${big.documents} documents`) +
        `; CPU ${big.cpu.coreSeconds} core-s (${big.cpu.cores} of ${cpus().length} cores busy); the parser, DuckDB's bulk load and the refresh alone need ` +
        (big.documents >= 10_000
          ? `${big.cpu.partsAlone.total} core-s`
          : `${Math.round((big.cpu.partsAlone.total / big.documents) * 10_000)} core-s per 10,000 documents`) +
        `, of the ${GOALS.ingest10kSeconds * cpus().length} core-s that ${cpus().length} cores give in ${GOALS.ingest10kSeconds} s`,
      met: per10k < GOALS.ingest10kSeconds,
      same: big.errorFindings === 0,
    });
    out.push({
      goal: `peak RSS of the ingest < ${GOALS.ingestPeakRssMiB} MiB`,
      value: `${big.peakRssMiB} MiB at ${big.documents} documents`,
      met: big.peakRssMiB < GOALS.ingestPeakRssMiB,
      same: true,
    });
  }
  for (const v of views)
    out.push({
      goal: `${v.view}: median < ${GOALS.viewMedianMs} ms and ≤ ${GOALS.viewOverDuckdb}× DuckDB alone over the same rows`,
      value: `${v.ours.median} ms, ${v.overDuckdb}× DuckDB (${v.materialized.median} ms); one department: ${v.oneDepartment.ours.median} ms, ${v.oneDepartment.overDuckdb}×; hand-written from the facts: ${v.overhead}×, one department ${v.oneDepartment.overhead}×`,
      met: v.ours.median < GOALS.viewMedianMs && v.overDuckdb <= GOALS.viewOverDuckdb,
      same: v.same && v.oneDepartment.same,
    });
  out.push({
    goal: `Arrow ≥ ${GOALS.arrowVsJson}× faster than JSON as the server streams it`,
    value: `${arrow.jsonOverOurs}× (against row objects + JSON.stringify: ${arrow.objectsOverOurs}×)`,
    met: arrow.jsonOverOurs >= GOALS.arrowVsJson,
    same: arrow.same,
  });
  out.push({
    goal: `Arrow ≤ ${GOALS.arrowVsDuckdb}× DuckDB's materialization`,
    value: `${arrow.oursOverDuckdb}×`,
    met: arrow.oursOverDuckdb <= GOALS.arrowVsDuckdb,
    same: arrow.same,
  });
  const [l, ...more] = loopback;
  if (l)
    out.push({
      goal: `loopback query median < ${GOALS.loopbackMedianMs} ms`,
      value: `${l.ours.median} ms (${l.rows} rows)${more.map((m) => `; ${m.ours.median} ms for ${m.rows} rows`).join('')}`,
      met: l.ours.median < GOALS.loopbackMedianMs,
      same: loopback.every((x) => x.same),
    });
  return out;
}

export function report(r: {
  quick: boolean;
  machine: { cpu: string; cores: number; memoryGiB: number; node: string; loadAverageAtStart: number[] };
  ingest: IngestResult[];
  views: { documents: number; results: ViewResult[] };
  arrow: ArrowResult;
  loopback: LoopbackResult[];
  update?: UpdateResult[];
  verdicts: Verdict[];
}): string {
  const parts: string[] = [];
  parts.push(
    `\nbudget bench${r.quick ? ' --quick' : ''} — ${r.machine.cores} × ${r.machine.cpu}, ${r.machine.memoryGiB} GiB, Node ${r.machine.node}, load ${r.machine.loadAverageAtStart.join(' ')}\n`,
  );
  if (r.ingest.length) {
    parts.push(
      '1. Ingest (Engine.ingest: documents parsed in worker threads, loaded in batches of whole documents; own process)',
    );
    parts.push(
      table([
        [
          'documents',
          'MB',
          's',
          'MB/s',
          'docs/s',
          'fact rows',
          'fact rows/s',
          'peak RSS MiB',
          'parse-only docs/s',
          'parse share',
          'DuckDB bulk rows/s',
          'ours ÷ bulk',
        ],
        ...r.ingest.map((i) => [
          i.documents,
          i.megabytes,
          i.seconds,
          i.mbPerSecond,
          i.docsPerSecond,
          i.factRows,
          i.factRowsPerSecond,
          i.peakRssMiB,
          i.parse.docsPerSecond,
          `${Math.round(i.parseShare * 100)}%`,
          i.bulk.rowsPerSecond,
          `${i.rowsPerSecondVsBulk}×`,
        ]),
      ]),
      '',
    );
    parts.push(
      "   Where the ingest's CPU time goes (core-seconds: every thread of the process; cores = core-s ÷ s), and what the parts cost alone",
    );
    parts.push(
      table([
        ['documents', 'phase', 's', 'core-s', 'cores'],
        ...r.ingest.flatMap((i) => [
          ...i.cpu.phases.map((p) => [
            i.documents,
            PHASE_NAMES[p.phase],
            p.seconds,
            p.coreSeconds,
            p.seconds > 0 ? round(p.coreSeconds / p.seconds) : '',
          ]),
          [i.documents, 'whole ingest', i.seconds, i.cpu.coreSeconds, i.cpu.cores],
          [i.documents, '  parser alone, for every document (see README)', '', i.cpu.partsAlone.parser, ''],
          [i.documents, "  DuckDB's bulk load of the same rows", i.bulk.seconds, i.cpu.partsAlone.bulkLoad, ''],
          [i.documents, '  the three parts alone, with the refresh', '', i.cpu.partsAlone.total, ''],
        ]),
      ]),
      '',
    );
  }
  parts.push(`2. Analysis views on ${r.views.documents.toLocaleString('en-US')} documents (read to the end)`);
  parts.push(
    table([
      [
        'view',
        'rows',
        'same rows',
        'median ms',
        'p95 ms',
        'DuckDB alone, same rows, median',
        'ours ÷ DuckDB',
        'hand-written from the facts, median',
        'p95',
        'ours ÷ hand-written',
      ],
      ...r.views.results.flatMap((v) =>
        [v, v.oneDepartment].map((x) => [
          x === v ? v.view : '  one department',
          x.rows,
          x.same ? 'yes' : 'NO',
          x.ours.median,
          x.ours.p95,
          x.materialized.median,
          `${x.overDuckdb}×`,
          x.baseline.median,
          x.baseline.p95,
          `${x.overhead}×`,
        ]),
      ),
    ]),
    '',
  );
  const a = r.arrow;
  parts.push(
    `3. A ${a.rows.toLocaleString('en-US')}-row × ${a.columns}-column result (same rows: ${a.same ? 'yes' : 'NO'})`,
  );
  parts.push(
    table([
      ['path', 'median ms', 'p95 ms', 'bytes', 'ratio'],
      ['Arrow IPC (ours)', a.ours.median, a.ours.p95, a.arrowBytes, '1×'],
      ['JSON, streamed as the server sends it', a.json.median, a.json.p95, a.jsonBytes, `${a.jsonOverOurs}× ours`],
      ['row objects + JSON.stringify', a.objects.median, a.objects.p95, '', `${a.objectsOverOurs}× ours`],
      ['  of which JSON.stringify', a.stringifyOnly.median, a.stringifyOnly.p95, '', ''],
      ["DuckDB's materialization", a.duckdb.median, a.duckdb.p95, '', `ours = ${a.oursOverDuckdb}×`],
    ]),
    '',
  );
  parts.push('4. POST /api/query on loopback (server + transfer + Arrow decode) beside the same query in-process');
  parts.push(
    table([
      ['query', 'rows', 'bytes', 'same rows', 'median ms', 'p95 ms', 'in-process median', 'p95', 'ratio'],
      ...r.loopback.map((l) => [
        l.name,
        l.rows,
        l.responseBytes,
        l.same ? 'yes' : 'NO',
        l.ours.median,
        l.ours.p95,
        l.baseline.median,
        l.baseline.p95,
        `${l.overhead}×`,
      ]),
    ]),
    '',
  );
  const [first] = r.update ?? [];
  if (first) {
    parts.push(
      `5. Adding a new year's documents of some departments to the ${first.databaseDocuments.toLocaleString('en-US')}-document database: the refresh of the materialized tables`,
    );
    parts.push(
      table([
        ['documents', 'refresh', 'ms', 'every table rebuilt (baseline) ms', 'ratio', 'same rows', 'whole ingest ms'],
        ...(r.update ?? []).map((u) => [
          u.documents,
          u.refresh,
          u.refreshMs,
          u.rebuildMs,
          `${u.ratio}×`,
          u.same ? 'yes' : `NO: ${u.differing.join(', ')}`,
          u.ingestMs,
        ]),
      ]),
      '',
    );
  }
  parts.push('Goals');
  parts.push(
    table(
      [
        ['goal', 'measured', 'met', 'two sides agree'],
        ...r.verdicts.map((v) => [v.goal, v.value, v.met ? 'yes' : 'NO', v.same ? 'yes' : 'NO']),
      ],
      true,
    ),
  );
  return parts.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href)
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`budget bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    },
  );

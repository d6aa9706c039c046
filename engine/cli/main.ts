import { createWriteStream, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { Engine, InputError, QueryError, SchemaError } from '../engine.ts';
import { arrowIpcStream } from '../arrow/from-duckdb.ts';
import { csvChunks, jsonChunks, textTable } from '../output/text.ts';
import { defaultDbPath, projectRoot } from '../paths.ts';

const HELP: Record<string, string> = {
  '': `budget — multi-year departmental budget analytics (DuckDB + Arrow)

Usage: budget <command> [options]

Commands:
  ingest FILE…     load documents (budget text) or canonical CSV/XLSX/Parquet files
  query SQL        run SQL against the database
  check            print the reconciliation findings; exit 1 on any 'error'
  export --out DIR every fact view as Parquet, Hive-partitioned by fiscal_year
  serve            serve the notebook on 127.0.0.1
  publish NOTEBOOK --out DIR   the notebook as a static site (DuckDB-wasm + Parquet, no server needed)
  build-default    build the default database from datasets/ when it is absent

Every command takes --db PATH (default: ${defaultDbPath}) and --help.`,
  ingest: `Usage: budget ingest FILE|DIR… [--db PATH] [--view NAME]

Loads each file in one transaction, all or nothing. Loading the same file twice changes nothing.
  .txt                      a 部门预算 document in the published text layout
  .csv .xlsx .parquet       rows of one fact view; the view is --view, or the file's base name
                            (sangong.csv), or the folder above Hive partitions (sangong/fiscal_year=2021/x.parquet)
Prints what was loaded and the reconciliation summary.`,
  query: `Usage: budget query SQL [--db PATH] [--format table|csv|json|arrow|parquet] [--out FILE]

  --format table    aligned text (default)
  --format csv      with a header row
  --format json     an array of row objects; DECIMAL as exact numbers
  --format arrow    an Arrow IPC stream (DECIMAL → Decimal128, BIGINT → Int64)
  --format parquet  DuckDB's Parquet writer (types kept); needs --out
  --out FILE        write there instead of standard output`,
  check: `Usage: budget check [--db PATH] [--all]

Prints the reconciliation findings that are not 'info' (all of them with --all) and a count by severity.
Exits 1 when any finding is an 'error'.`,
  export: `Usage: budget export --out DIR [--db PATH]

Writes every fact view as Parquet under DIR/<view>/fiscal_year=YYYY/…, and documents.parquet and
reconciliation.parquet beside them. 'budget ingest DIR' loads them back.`,
  serve: `Usage: budget serve [--db PATH] [--port N] [--host H] [--token T] [--timeout S] [--max-concurrent N]
                    [--memory-limit 4GB] [--threads N]

Serves the notebook and its HTTP API; 127.0.0.1:5317 by default. The database is opened read-only and closed
to the machine (no files outside the data folder, no extensions, no settings changed).
  --host H            another address than loopback needs a token: given with --token (or BUDGET_TOKEN),
                      else one is generated and printed; every request must carry it
  --timeout S         interrupt a query after S seconds (default 30; BUDGET_TIMEOUT_S)
  --max-concurrent N  queries at once; more wait up to 30 s for a slot, then get 429 (default 8; BUDGET_MAX_CONCURRENT)
  --memory-limit M    DuckDB memory_limit (BUDGET_MEMORY_LIMIT)
  --threads N         DuckDB threads (BUDGET_THREADS)`,
  publish: `Usage: budget publish NOTEBOOK.md --out DIR [--db PATH]

Writes a static site to DIR: the notebook's page (prose, inputs, charts), DuckDB-wasm and the data its SQL
reaches as Parquet. Any static file server can serve DIR (python3 -m http.server --directory DIR); the queries
run in the reader's browser. Every query is run first by DuckDB-wasm over the written data and compared with
this engine's answer: a query the browser could not run, or would answer differently, stops the publish.
A published site is read-only and cannot export XLSX.`,
  'build-default': `Usage: budget build-default [--db PATH]

Builds the default database from the bundled datasets/ when it does not exist yet.`,
};

const OPTIONS: ParseArgsConfig['options'] = {
  db: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  view: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  token: { type: 'string' },
  timeout: { type: 'string' },
  'max-concurrent': { type: 'string' },
  'memory-limit': { type: 'string' },
  threads: { type: 'string' },
  all: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  'build-default': { type: 'boolean' },
};

/** Run the command line; returns the exit code. Errors are one clear line on stderr. */
export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    process.stderr.write(`budget: ${(e as Error).message}\n`);
    return 2;
  }
  const [command = '', ...rest] = parsed.positionals;
  const o = parsed.values as Record<string, string | boolean | undefined>;
  if (o['help'] || command === 'help' || command === '') {
    process.stdout.write((HELP[command === 'help' ? (rest[0] ?? '') : command] ?? HELP[''] ?? '') + '\n');
    return command === '' && !o['help'] ? 2 : 0;
  }
  if (!(command in HELP)) {
    process.stderr.write(`budget: unknown command '${command}' (try budget --help)\n`);
    return 2;
  }
  const db = typeof o['db'] === 'string' ? o['db'] : defaultDbPath;
  try {
    switch (command) {
      case 'ingest':
        return await ingest(db, rest, o['view'] as string | undefined);
      case 'query':
        return await query(
          db,
          rest.join(' '),
          (o['format'] as string | undefined) ?? 'table',
          o['out'] as string | undefined,
        );
      case 'check':
        return await check(db, Boolean(o['all']));
      case 'export':
        return await exportAll(db, o['out'] as string | undefined);
      case 'build-default':
        return await buildDefault(db);
      case 'publish':
        return await publishSite(db, rest[0], o['out'] as string | undefined);
      case 'serve': {
        if (o['build-default']) await buildDefault(db);
        const { serve } = await import('../server/serve.ts');
        const num = (k: string, env: string) => {
          const v = (o[k] as string | undefined) ?? process.env[env];
          if (v === undefined) return undefined;
          if (!/^\d+(\.\d+)?$/.test(v)) throw new Error(`--${k} must be a number, got '${v}'`);
          return Number(v);
        };
        const timeout = num('timeout', 'BUDGET_TIMEOUT_S');
        return await serve({
          db,
          port: num('port', 'PORT') ?? 5317,
          host: (o['host'] as string | undefined) ?? '127.0.0.1',
          token: o['token'] as string | undefined,
          timeoutMs: timeout === undefined ? undefined : timeout * 1000,
          maxConcurrent: num('max-concurrent', 'BUDGET_MAX_CONCURRENT'),
          memoryLimit: (o['memory-limit'] as string | undefined) ?? process.env['BUDGET_MEMORY_LIMIT'],
          threads: num('threads', 'BUDGET_THREADS'),
        });
      }
    }
  } catch (e) {
    process.stderr.write(`budget ${command}: ${describe(e)}\n`);
    return 1;
  }
  return 0;
}

/** An error as one line: DuckDB's further lines ("Candidate bindings: …", "Did you mean …?") joined on. */
function describe(e: unknown): string {
  const oneLine = (s: string) => s.replace(/\s*\n+\s*/g, '; ');
  if (e instanceof QueryError)
    return oneLine(e.position === undefined ? e.message : `${e.message} (at character ${e.position + 1})`);
  if (e instanceof InputError || e instanceof SchemaError) return oneLine(e.message);
  if (e instanceof Error) return e.message.split('\n')[0] ?? String(e);
  return String(e);
}

async function ingest(db: string, files: string[], view?: string): Promise<number> {
  if (files.length === 0) throw new Error('name at least one file to ingest (budget ingest --help)');
  const engine = await Engine.open({ db });
  try {
    const loaded: string[] = [];
    // Each file is reported as soon as it is committed.
    await engine.ingest(files, {
      view,
      onResult: (r) => {
        if (r.status === 'loaded') loaded.push(r.doc_id);
        const rows = Object.entries(r.rows)
          .map(([v, n]) => `${v} ${n}`)
          .join(', ');
        const f = r.findings;
        process.stdout.write(
          r.status === 'unchanged'
            ? `${r.file}: already loaded, nothing changed\n`
            : `${r.file}: loaded as ${r.doc_id} (${rows || 'no rows'})${f.error + f.warning + f.info ? `; reconciliation: ${f.error} error, ${f.warning} warning, ${f.info} info` : ''}\n`,
        );
      },
      onRefresh: (r) =>
        process.stdout.write(
          r.kind === 'patched'
            ? `materialized tables: the rows of ${r.departments} department${r.departments === 1 ? '' : 's'} recomputed in ${(r.ms / 1000).toFixed(1)} s\n`
            : `materialized tables: rebuilt in ${(r.ms / 1000).toFixed(1)} s (${r.why ?? 'every table'})\n`,
        ),
    });
    if (loaded.length) process.stdout.write(coverageText(await engine.coverage(loaded), true));
  } finally {
    engine.close();
  }
  return 0;
}

/**
 * The coverage record as text: a line per document (tables read, amounts used of those printed), then, with
 * `tables`, a line per table; without it only the tables that were not read whole.
 */
function coverageText(rows: Record<string, unknown>[], tables: boolean): string {
  const byDoc = new Map<string, Record<string, unknown>[]>();
  for (const r of rows) byDoc.set(String(r['doc_id']), [...(byDoc.get(String(r['doc_id'])) ?? []), r]);
  let out = '';
  for (const list of byDoc.values()) {
    const first = list[0] as Record<string, unknown>;
    const n = (k: string) => list.reduce((a, r) => a + Number(r[k] ?? 0), 0);
    const read = list.filter((r) => r['status'] === 'read' || r['status'] === 'partial').length;
    const unrecognized = list.filter((r) => r['status'] === 'unrecognized').length;
    out += `coverage ${first['department']} ${first['doc_year']} (${first['source_file']}): ${list.length - unrecognized} tables recognized, ${read} read, ${unrecognized} not recognized; ${n('amounts_used')} of ${n('amounts_printed')} printed amounts used\n`;
    for (const r of list) {
      if (!tables && r['status'] === 'read') continue;
      const label = [r['table_no'], r['title']].filter(Boolean).join(' ');
      const what =
        r['status'] === 'unrecognized'
          ? 'not recognized, not loaded'
          : r['rows_read'] === null
            ? `${r['table_kind']}: listed, not read`
            : `${r['table_kind']}, ${r['unit']}: ${r['rows_read']} rows, ${r['amounts_used']} of ${r['amounts_printed']} amounts used${r['status'] === 'read' ? '' : ` (${r['status']})`}`;
      const at = r['pages'] !== null ? `p${r['pages']}` : `line ${r['source_line']}`;
      out += `  ${label} (${at}): ${what}\n`;
    }
  }
  return out;
}

async function query(db: string, sql: string, format: string, out?: string): Promise<number> {
  if (!sql.trim()) throw new Error('no SQL given (budget query "select …")');
  if (!['table', 'csv', 'json', 'arrow', 'parquet'].includes(format))
    throw new Error(`unknown format '${format}': table, csv, json, arrow or parquet`);
  // A path that does not exist is a typo or a database not built yet: never an empty database that answers nothing.
  if (db !== ':memory:' && !existsSync(db))
    throw new Error(
      `no database at ${db}: run 'budget ingest' or 'budget build-default' first (--db :memory: queries no data)`,
    );
  const engine = await Engine.open({ db });
  try {
    if (format === 'parquet') {
      if (!out) throw new Error('--format parquet needs --out FILE');
      await engine.exportQuery(sql, out);
      return 0;
    }
    const result = await engine.query(sql);
    const sink: NodeJS.WritableStream = out ? createWriteStream(out) : process.stdout;
    if (format === 'arrow') await pipeline(arrowIpcStream(result), sink, { end: Boolean(out) });
    else if (format === 'table') {
      const text = await textTable(result);
      if (out) writeFileSync(out, text);
      else process.stdout.write(text);
    } else {
      const chunks = format === 'csv' ? csvChunks(result) : jsonChunks(result);
      for await (const c of chunks) if (!sink.write(c)) await new Promise<void>((r) => sink.once('drain', () => r()));
      if (out) await new Promise<void>((r) => sink.end(() => r()));
    }
  } finally {
    engine.close();
  }
  return 0;
}

async function check(db: string, all: boolean): Promise<number> {
  if (!existsSync(db)) throw new Error(`no database at ${db}: run budget ingest first`);
  const engine = await Engine.open({ db, readOnly: true });
  try {
    const rows = await engine.findings();
    const count = { error: 0, warning: 0, info: 0 } as Record<string, number>;
    for (const r of rows) {
      const sev = String(r['severity']);
      count[sev] = (count[sev] ?? 0) + 1;
      if (all || sev !== 'info')
        process.stdout.write(
          `${sev.toUpperCase().padEnd(7)} ${r['department']} ${r['doc_year']} [${r['check_id']}] lines ${r['source_lines'] || '-'}: ${r['message']}\n`,
        );
    }
    process.stdout.write(coverageText(await engine.coverage(), all));
    process.stdout.write(
      `${rows.length} checks: ${count['error'] ?? 0} error, ${count['warning'] ?? 0} warning, ${count['info'] ?? 0} info\n`,
    );
    return (count['error'] ?? 0) > 0 ? 1 : 0;
  } finally {
    engine.close();
  }
}

async function publishSite(db: string, notebook: string | undefined, out: string | undefined): Promise<number> {
  if (!notebook || !out) throw new Error('name the notebook and --out DIR (budget publish --help)');
  if (!existsSync(notebook)) throw new Error(`no notebook at ${notebook}`);
  if (!existsSync(db)) throw new Error(`no database at ${db}: run 'budget build-default' or 'budget ingest' first`);
  const engine = await Engine.open({ db, readOnly: true });
  try {
    const t0 = performance.now();
    const r = await engine.publish(notebook, out);
    const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
    process.stdout.write(
      `published ${r.notebook} to ${r.dir}: ${r.files} files, ${mb(r.bytes)} (data ${mb(r.dataBytes)}: ${r.relations.join(', ')})
` +
        `${r.queries.length} queries answered the same by DuckDB-wasm (${r.queries.map((q) => `${q.cell} ${q.rows} rows`).join(', ')}) in ${((performance.now() - t0) / 1000).toFixed(1)} s
` +
        `serve it with any static file server, e.g. python3 -m http.server --directory ${r.dir}
`,
    );
  } finally {
    engine.close();
  }
  return 0;
}

async function exportAll(db: string, out?: string): Promise<number> {
  if (!out) throw new Error('--out DIR is required');
  if (!existsSync(db)) throw new Error(`no database at ${db}: run budget ingest first`);
  const engine = await Engine.open({ db, readOnly: true });
  try {
    const written = await engine.exportParquet(out);
    process.stdout.write(`wrote ${written.length} views under ${out}\n`);
  } finally {
    engine.close();
  }
  return 0;
}

/** Build the default database from datasets/*.txt into a temporary file, then move it into place. */
export async function buildDefault(db: string): Promise<number> {
  if (existsSync(db)) {
    // Opened read-write once before it is served read-only: a database of an older schema is migrated, and
    // materialized tables out of date with its facts or the SQL are rebuilt. Another process may hold it (a running
    // server): it is then served as it is.
    try {
      (await Engine.open({ db })).close();
    } catch (e) {
      process.stderr.write(`budget: ${db} not brought up to date (${describe(e)}); served as it is\n`);
    }
    process.stdout.write(`database ${db} exists; not rebuilt (delete it to rebuild)\n`);
    return 0;
  }
  // The bundled documents: the text document(s) in datasets/, the PDFs in datasets/documents/ (see its README).
  const dir = join(projectRoot, 'datasets');
  const pdfs = join(dir, 'documents');
  const files = [
    ...readdirSync(dir)
      .filter((f) => f.endsWith('.txt'))
      .map((f) => join(dir, f)),
    ...(existsSync(pdfs)
      ? readdirSync(pdfs)
          .filter((f) => f.toLowerCase().endsWith('.pdf'))
          .sort()
          .map((f) => join(pdfs, f))
      : []),
  ];
  const started = performance.now();
  const tmp = await mkdtemp(join(tmpdir(), 'budget-build-'));
  const tmpDb = join(tmp, 'budget.duckdb');
  const engine = await Engine.open({ db: tmpDb });
  try {
    if (files.length === 0) process.stdout.write('no documents yet in datasets/\n');
    for (const r of await engine.ingest(files))
      process.stdout.write(`${r.file}: ${Object.values(r.rows).reduce((a, b) => a + b, 0)} facts\n`);
    await engine.checkpoint();
  } finally {
    engine.close();
  }
  const { mkdirSync, renameSync, copyFileSync } = await import('node:fs');
  mkdirSync(join(db, '..'), { recursive: true });
  try {
    renameSync(tmpDb, db);
  } catch {
    copyFileSync(tmpDb, db);
  }
  await rm(tmp, { recursive: true, force: true });
  process.stdout.write(
    `built ${db} from ${files.length} documents in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  );
  return 0;
}

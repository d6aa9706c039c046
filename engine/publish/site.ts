/**
 * `budget publish NOTEBOOK --out DIR`: a notebook as a static site that any static file server can serve, with no
 * `budget serve` behind it. The site is the notebook app's build (web/build) in its static mode, the notebook's
 * file, DuckDB-wasm (the npm package's eh build, bundled into the app's build by Vite, never a CDN), and the data the notebook's SQL reaches, as
 * Parquet: each view or table it names, whole (a cut to what its SQL reaches is not attempted), plus `documents`
 * (source paths cut to file names) and the `deflator` the macros read. DuckDB-wasm fetches its Parquet reader
 * from the network, so the page reads the files with parquet-wasm (bundled too) and hands DuckDB-wasm Arrow.
 *
 * Before writing, every query the notebook runs at its inputs' starting values is run twice: by this engine, and
 * by DuckDB-wasm (Node build, the same engine the reader's browser runs) over the Parquet files just written. A
 * query DuckDB-wasm refuses, or whose rows differ (compared as exact text), stops the publish with the cell's
 * name: nothing fails silently in the reader's browser.
 */
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { homedir, tmpdir } from 'node:os';
import { basename, dirname, join, resolve, sep } from 'node:path';
import type { Engine, SchemaInfo } from '../engine.ts';
import { projectRoot } from '../paths.ts';
import { composeQuery } from '../../web/src/lib/compose.ts';
import { parseNotebook, type Cell } from '../../web/src/lib/notebook-format.ts';
import type { BoundInput } from '../../web/src/lib/inputs/binding.ts';
import { initialValue, parseInputDecl, type Scalar } from '../../web/src/lib/inputs/input-decl.ts';
import { notebookSelections, selectionInput } from '../../web/src/lib/inputs/selection.ts';
import { namesIn, wasmQuery } from '../../web/src/lib/sql-text.ts';
import type { SiteConfig } from '../../web/src/lib/site-config.ts';

export interface PublishReport {
  dir: string;
  notebook: string;
  relations: string[];
  queries: { cell: string; rows: number }[];
  bytes: number;
  dataBytes: number;
  files: number;
}

/** DuckDB-wasm may not fetch extensions: the site loads nothing from the network but its own files. */
export const NO_EXTENSIONS = 'SET autoinstall_known_extensions = false; SET autoload_known_extensions = false';

export class PublishError extends Error {
  override name = 'PublishError';
}

/** The file that marks a folder as a site `budget publish` wrote: only such a folder (or an empty one) is replaced. */
const SITE_MARK = '.budget-site';

/** Refuse a target that is not an earlier site or an empty folder, or that holds the project, the data or home. */
function checkTarget(out: string, db: string): void {
  const target = resolve(out);
  const within = (outer: string, inner: string) => inner === outer || inner.startsWith(outer + sep);
  for (const [what, dir] of [
    ['the project', projectRoot],
    ['the working folder', process.cwd()],
    ['the home folder', homedir()],
    ['the database', dirname(resolve(db))],
  ] as const)
    if (within(target, dir)) throw new PublishError(`--out ${out} holds ${what}: name a folder of its own`);
  for (const [what, dir] of [
    ['the notebooks', join(projectRoot, 'notebooks')],
    ['the app', join(projectRoot, 'web')],
    ['the datasets', join(projectRoot, 'datasets')],
  ] as const)
    if (within(dir, target)) throw new PublishError(`--out ${out} is inside ${what}: name a folder of its own`);
  if (!existsSync(target)) return;
  if (!statSync(target).isDirectory()) throw new PublishError(`--out ${out} is a file, not a folder`);
  if (readdirSync(target).length > 0 && !existsSync(join(target, SITE_MARK)))
    throw new PublishError(
      `--out ${out} is a folder with files in it that budget publish did not write: name an empty or new folder`,
    );
}

export async function publish(engine: Engine, notebookPath: string, out: string): Promise<PublishReport> {
  checkTarget(out, engine.file);
  const name = basename(notebookPath).replace(/\.md$/, '');
  const web = join(projectRoot, 'web', 'build');
  if (!existsSync(join(web, 'index.html')))
    throw new PublishError(`no notebook app build at ${web}: run 'npm run build:web' first`);
  const text = readFileSync(notebookPath, 'utf8');
  const cells = parseNotebook(text);
  const info = await engine.schemaInfo();
  const relations = await relationNames(engine);
  const inputs = await startingInputs(engine, cells);

  // Every query the page runs at start: query cells and inputs' options. (A pivot's query is written in the page
  // from its data cell's result: the data cell is checked, the pivot's own SQL is not.)
  const queries: { cell: string; sql: string; params: Record<string, Scalar | null> }[] = [];
  const problems: string[] = [];
  for (const c of cells) {
    const source = c.kind === 'sql' ? c.source : c.kind === 'input' ? optionsQuery(c) : undefined;
    if (source === undefined) continue;
    const label = c.kind === 'sql' ? c.name : `${c.name} (options)`;
    const target = { kind: 'sql' as const, name: c.kind === 'sql' ? c.name : `${c.name}__options`, source };
    const q = composeQuery(cells, target, inputs);
    if ('error' in q) problems.push(`${label}: ${q.error}`);
    else queries.push({ cell: label, sql: q.sql, params: q.params });
  }
  const used = new Set<string>(['documents', 'deflator']);
  for (const q of queries) for (const r of namesIn(q.sql, [...relations])) used.add(r);
  for (const c of cells) {
    const text = c.kind === 'input' ? c.source : c.kind === 'pivot' ? c.source : '';
    for (const r of namesIn(text, [...relations])) used.add(r);
  }
  if (problems.length) throw new PublishError(`${notebookPath}: ${problems.join('; ')}`);

  // The data is written and checked aside: a refused publish leaves DIR as it was.
  const stage = mkdtempSync(join(tmpdir(), 'budget-publish-'));
  try {
    return await build(engine, { name, text, info, used, queries, web }, stage, out);
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

async function build(
  engine: Engine,
  nb: {
    name: string;
    text: string;
    info: SchemaInfo;
    used: Set<string>;
    queries: { cell: string; sql: string; params: Record<string, Scalar | null> }[];
    web: string;
  },
  stage: string,
  out: string,
): Promise<PublishReport> {
  const { name, text, info, used, queries, web } = nb;
  mkdirSync(join(stage, 'data'), { recursive: true });
  const data: SiteConfig['data'] = [];
  for (const r of [...used].sort((a, b) => order(a) - order(b) || a.localeCompare(b))) {
    const file = `data/${r}.parquet`;
    const select =
      r === 'documents'
        ? `SELECT * REPLACE (regexp_extract(source_file, '[^/\\\\]+$') AS source_file) FROM documents`
        : `SELECT * FROM ${r}`;
    await engine.exportQuery(select, join(stage, file));
    data.push({ name: r, file });
  }
  const macros = readFileSync(join(projectRoot, 'sql', '00_macros.sql'), 'utf8');

  // The same queries in DuckDB-wasm over the files just written: refused or different rows stop the publish.
  const checked = await checkInWasm(engine, stage, data, macros, queries);

  // The site is put together beside DIR, then takes its place: DIR is never left half written. The app's build
  // holds DuckDB-wasm, its worker and parquet-wasm as assets (web/src/lib/static-site.ts).
  const next = `${out}.publishing-${process.pid}`;
  rmSync(next, { recursive: true, force: true });
  cpSync(web, next, { recursive: true });
  cpSync(join(stage, 'data'), join(next, 'data'), { recursive: true });
  mkdirSync(join(next, 'notebooks'), { recursive: true });
  writeFileSync(join(next, 'notebooks', `${name}.md`), text);
  writeFileSync(join(next, SITE_MARK), `budget publish ${name} ${new Date().toISOString()}\n`);
  const config: SiteConfig = {
    notebook: name,
    data,
    macros,
    views: info.views.filter((v) => used.has(v.name)),
    published: new Date().toISOString(),
    limits: [
      'read-only: notebooks are not saved',
      'exports CSV and Parquet (JSON and XLSX need `budget serve`)',
      'figures do not open their source document (the documents are not published)',
      `data: ${[...used].join(', ')}`,
    ],
  };
  const index = join(next, 'index.html');
  const page = readFileSync(index, 'utf8').replace(
    '<head>',
    `<head>\n<script>window.__BUDGET_SITE__ = ${JSON.stringify(config).replace(/</g, '\\u003c')};</script>`,
  );
  writeFileSync(index, page);
  const old = `${out}.replaced-${process.pid}`;
  if (existsSync(out)) renameSync(out, old);
  renameSync(next, out);
  rmSync(old, { recursive: true, force: true });
  const sizes = walk(out).map((f) => statSync(f).size);
  return {
    dir: out,
    notebook: name,
    relations: [...used],
    queries: checked,
    bytes: sizes.reduce((a, b) => a + b, 0),
    dataBytes: walk(join(out, 'data'))
      .map((f) => statSync(f).size)
      .reduce((a, b) => a + b, 0),
    files: sizes.length,
  };
}

/** An input cell's options query, if it has one. */
function optionsQuery(c: Cell): string | undefined {
  const d = parseInputDecl(c.source, c.name);
  return 'error' in d || d.decl.options ? undefined : d.decl.options_from;
}

/** Tables before views (the macros read `deflator`), then by name. */
function order(name: string): number {
  return name === 'deflator' ? 0 : 1;
}

/** The views and tables a notebook may name: every view of the schema, and the reference tables. */
async function relationNames(engine: Engine): Promise<Set<string>> {
  const rows = await engine.rows(
    `SELECT view_name AS n FROM duckdb_views() WHERE NOT internal AND view_name NOT LIKE '\\_%' ESCAPE '\\'
     UNION SELECT table_name FROM duckdb_tables() WHERE table_name IN ('deflator', 'department_name', 'code_crosswalk')`,
  );
  return new Set(rows.map((r) => String(r['n'])));
}

/**
 * The inputs' starting values, as the page sets them: an input cell's default when it is a choice, else its first
 * option; a chart's selection as its spec starts it.
 */
async function startingInputs(engine: Engine, cells: Cell[]): Promise<Map<string, BoundInput>> {
  const out = new Map<string, BoundInput>();
  for (const c of cells) {
    if (c.kind !== 'input') continue;
    const d = parseInputDecl(c.source, c.name);
    if ('error' in d) throw new PublishError(d.error);
    let options: Scalar[] = d.decl.options ?? [];
    if (!d.decl.options && d.decl.options_from) {
      const q = composeQuery(cells, { kind: 'sql', name: `${c.name}__options`, source: d.decl.options_from }, out);
      if ('error' in q) throw new PublishError(`${c.name}: ${q.error}`);
      const rows = await engine.rows(q.sql, q.params);
      options = rows
        .map((r) => Object.values(r)[0])
        .filter((v) => v !== null && v !== undefined)
        .map((v) => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : String(v)));
    }
    out.set(c.name, { decl: d.decl, value: initialValue(d.decl, options) });
  }
  // The charts' selections: where each starts (its spec's own value, else nothing selected: NULL).
  for (const [name, { decl }] of notebookSelections(cells))
    if (!out.has(name)) out.set(name, { decl: selectionInput(decl), value: decl.initial });
  return out;
}

interface WasmConnection {
  insertArrowFromIPCStream(ipc: Uint8Array, options: { name: string }): void;
  query(sql: string): { toArray(): { toJSON(): Record<string, unknown> }[] };
  prepare(sql: string): { query(...params: unknown[]): { toArray(): { toJSON(): Record<string, unknown> }[] } };
  close(): void;
}

/** The rows of each query, as exact text, compared between this engine and DuckDB-wasm over the site's data. */
async function checkInWasm(
  engine: Engine,
  out: string,
  data: SiteConfig['data'],
  macros: string,
  queries: { cell: string; sql: string; params: Record<string, Scalar | null> }[],
): Promise<{ cell: string; rows: number }[]> {
  const require = createRequire(import.meta.url);
  const duckdb = require('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs') as {
    createDuckDB(
      b: object,
      l: object,
      r: object,
    ): Promise<{ instantiate(progress: () => void): Promise<void>; connect(): WasmConnection }>;
    VoidLogger: new () => object;
    NODE_RUNTIME: object;
  };
  const dist = join(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-eh.wasm'), '..');
  const db = await duckdb.createDuckDB(
    {
      mvp: { mainModule: join(dist, 'duckdb-mvp.wasm'), mainWorker: join(dist, 'duckdb-node-mvp.worker.cjs') },
      eh: { mainModule: join(dist, 'duckdb-eh.wasm'), mainWorker: join(dist, 'duckdb-node-eh.worker.cjs') },
    },
    new duckdb.VoidLogger(),
    duckdb.NODE_RUNTIME,
  );
  await db.instantiate(() => undefined);
  const conn = db.connect();
  const parquet = (await import('parquet-wasm/node')) as {
    readParquet(b: Uint8Array): { intoIPCStream(): Uint8Array };
  };
  try {
    // As in the reader's browser: no extension is fetched (DuckDB-wasm would ask extensions.duckdb.org).
    conn.query(NO_EXTENSIONS);
    for (const d of data)
      conn.insertArrowFromIPCStream(
        parquet.readParquet(new Uint8Array(readFileSync(join(out, d.file)))).intoIPCStream(),
        {
          name: d.name,
        },
      );
    try {
      conn.query(macros);
    } catch (e) {
      throw new PublishError(`sql/00_macros.sql in DuckDB-wasm: ${(e as Error).message}`);
    }
    const checked: { cell: string; rows: number }[] = [];
    for (const q of queries) {
      // Every row as text, in the order the query gives them (its ORDER BY included), hashed.
      const wrapped = (sql: string) =>
        `SELECT count(*)::INTEGER AS n,
                md5(coalesce(string_agg(__budget_row::VARCHAR, chr(10) ORDER BY __budget_n), '')) AS h
         FROM (SELECT row_number() OVER () AS __budget_n, __budget_q AS __budget_row FROM (${sql}\n) AS __budget_q)`;
      let ours: Record<string, unknown> | undefined;
      try {
        [ours] = await engine.rows(wrapped(q.sql), q.params);
      } catch (e) {
        throw new PublishError(`cell ${q.cell}: ${(e as Error).message.split('\n')[0]}`);
      }
      const p = wasmQuery(wrapped(q.sql), q.params);
      let theirs: Record<string, unknown> | undefined;
      try {
        theirs = (p.values.length ? conn.prepare(p.sql).query(...p.values) : conn.query(p.sql)).toArray()[0]?.toJSON();
      } catch (e) {
        throw new PublishError(
          `cell ${q.cell}: DuckDB-wasm (the reader's browser) cannot run it: ${(e as Error).message.split('\n')[0]}`,
        );
      }
      if (String(ours?.['n']) !== String(theirs?.['n']) || String(ours?.['h']) !== String(theirs?.['h']))
        throw new PublishError(
          `cell ${q.cell}: DuckDB-wasm gives other rows than this engine (${String(theirs?.['n'])} against ${String(ours?.['n'])})`,
        );
      checked.push({ cell: q.cell, rows: Number(ours?.['n']) });
    }
    return checked;
  } finally {
    conn.close();
  }
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .map((f) => join(dir, String(f)))
    .filter((f) => statSync(f).isFile());
}

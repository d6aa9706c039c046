import * as duckdb from '@duckdb/duckdb-wasm';
import duckdbWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import duckdbWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';
import initParquet, { readParquet, Table as WasmTable, writeParquet } from 'parquet-wasm/esm';
import parquetWasm from 'parquet-wasm/esm/parquet_wasm_bg.wasm?url';
import { tableFromIPC, type Table } from 'apache-arrow';
import type { Params } from './api.ts';
import { wasmQuery } from './sql-text.ts';
import { siteConfig, type SiteConfig } from './site-config.ts';

/**
 * A published notebook's queries, run in the reader's browser (`budget publish`): DuckDB-wasm over the site's
 * Parquet files, which parquet-wasm reads (DuckDB-wasm would fetch its Parquet reader from the network). Both
 * come from their npm packages, bundled by Vite: nothing is loaded from a CDN. Results are Arrow, as the
 * server's are (DECIMAL as Decimal128, exact).
 */
interface Site {
  db: duckdb.AsyncDuckDB;
  conn: number;
  config: SiteConfig;
}

let opened: Promise<Site> | undefined;

function site(): Promise<Site> {
  opened ??= open();
  return opened;
}

async function open(): Promise<Site> {
  const config = siteConfig();
  if (!config) throw new Error('not a published site');
  const worker = new Worker(duckdbWorker);
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  await db.instantiate(duckdbWasm);
  const conn = (await db.connect()).useUnsafe((_b, c) => c);
  // No extension is fetched (DuckDB-wasm would ask extensions.duckdb.org): the site loads only its own files.
  await db.runQuery(conn, 'SET autoinstall_known_extensions = false; SET autoload_known_extensions = false');
  await initParquet({ module_or_path: parquetWasm });
  for (const d of config.data) {
    const res = await fetch(new URL(d.file, document.baseURI));
    if (!res.ok) throw new Error(`${d.file}: ${res.status} ${res.statusText}`);
    const ipc = readParquet(new Uint8Array(await res.arrayBuffer())).intoIPCStream();
    await db.insertArrowFromIPCStream(conn, ipc, { name: d.name });
  }
  await db.runQuery(conn, config.macros);
  return { db, conn, config };
}

/** Run SQL and return DuckDB-wasm's Arrow IPC bytes as they are. */
async function runIpc(sql: string, params?: Params): Promise<Uint8Array> {
  const { db, conn } = await site();
  const p = wasmQuery(sql, params);
  const values = p.values;
  if (values.length === 0) return db.runQuery(conn, p.sql);
  const statement = await db.createPrepared(conn, p.sql);
  try {
    return await db.runPrepared(conn, statement, values);
  } finally {
    await db.closePrepared(conn, statement);
  }
}

/** Run SQL with the notebook's `$name` parameters (bound by position: DuckDB-wasm binds no names). */
export async function run(sql: string, params?: Params): Promise<Table> {
  return tableFromIPC(await runIpc(sql, params));
}

/**
 * A result as a file, made in the browser: CSV (DuckDB-wasm's writer) or Parquet (parquet-wasm's, from the
 * Arrow result: DECIMAL stays exact). JSON and XLSX need \`budget serve\`: DuckDB-wasm would fetch its JSON
 * writer from the network.
 */
export async function exportFile(sql: string, format: string, params?: Params): Promise<Blob> {
  if (format === 'parquet') {
    const bytes = writeParquet(WasmTable.fromIPCStream(await runIpc(sql, params)));
    return new Blob([bytes.slice()], { type: 'application/vnd.apache.parquet' });
  }
  if (format !== 'csv')
    throw new Error(`${format.toUpperCase()} export needs budget serve; a published site exports CSV and Parquet`);
  const { db } = await site();
  const name = `export-${Date.now()}.csv`;
  await runIpc(`COPY (${sql.trim().replace(/;\s*$/, '')}\n) TO '${name}' (FORMAT csv, HEADER true)`, params);
  const bytes = await db.copyFileToBuffer(name);
  await db.dropFile(name);
  return new Blob([bytes.slice()], { type: 'text/csv; charset=utf-8' });
}

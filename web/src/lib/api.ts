import { RecordBatchReader, Table, type RecordBatch } from 'apache-arrow';
import { siteConfig } from './site-config.ts';

/**
 * The engine's HTTP API (docs/contract.md §3): the only way the notebook reaches data. In a published site
 * (\`budget publish\`, no server) the same calls are answered in the browser by DuckDB-wasm (static-site.ts,
 * loaded only there).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly position?: number,
  ) {
    super(message);
  }
}

async function errorOf(res: Response): Promise<ApiError> {
  try {
    const body = (await res.json()) as { error?: { message?: string; position?: number } };
    return new ApiError(res.status, body.error?.message ?? res.statusText, body.error?.position);
  } catch {
    return new ApiError(res.status, res.statusText);
  }
}

export type Params = (string | number | boolean | null)[] | Record<string, string | number | boolean | null>;

/** Run SQL; Arrow batches arrive as the server streams them (onBatch), the whole table at the end. */
export async function query(
  sql: string,
  opts: { params?: Params; signal?: AbortSignal; onBatch?: (batches: RecordBatch[]) => void } = {},
): Promise<Table> {
  return (await queryRows(sql, opts)).table;
}

/**
 * A query's rows, at most `maxRows` of them: past that the transfer is stopped (the server interrupts the query)
 * and `truncated` says that the result has more. Exports ask the server for the whole result instead.
 */
export async function queryRows(
  sql: string,
  opts: {
    params?: Params;
    signal?: AbortSignal;
    onBatch?: (batches: RecordBatch[]) => void;
    maxRows?: number;
  } = {},
): Promise<{ table: Table; truncated: boolean }> {
  if (siteConfig()) {
    const table = await (await import('./static-site.ts')).run(sql, opts.params);
    const max = opts.maxRows ?? Infinity;
    const out = table.numRows > max ? table.slice(0, max) : table;
    opts.onBatch?.(out.batches);
    return { table: out, truncated: table.numRows > max };
  }
  // Aborted by the caller (cancel), or here once maxRows are in.
  const stop = new AbortController();
  const res = await fetch('/api/query', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ sql, params: opts.params }),
    signal: opts.signal ? AbortSignal.any([opts.signal, stop.signal]) : stop.signal,
  });
  if (!res.ok) throw await errorOf(res);
  const reader = await RecordBatchReader.from(res);
  await reader.open();
  const batches: RecordBatch[] = [];
  const max = opts.maxRows ?? Infinity;
  let rows = 0;
  let truncated = false;
  for await (const batch of reader) {
    if (rows + batch.numRows > max) {
      if (max > rows) batches.push(batch.slice(0, max - rows));
      truncated = true;
      break;
    }
    rows += batch.numRows;
    batches.push(batch);
    opts.onBatch?.(batches);
  }
  if (truncated) {
    stop.abort(); // the rest is not read: the server sees the connection close and interrupts the query
    opts.onBatch?.(batches);
  }
  return { table: batches.length ? new Table(batches) : new Table(reader.schema), truncated };
}

/** Download a result in another format (csv, parquet, xlsx, json) as a Blob. */
export async function exportResult(sql: string, format: string, params?: Params): Promise<Blob> {
  if (siteConfig()) return (await import('./static-site.ts')).exportFile(sql, format, params);
  const res = await fetch('/api/query', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ sql, params, format }),
  });
  if (!res.ok) throw await errorOf(res);
  return res.blob();
}

export interface SchemaView {
  name: string;
  kind: 'fact' | 'analysis' | 'classification';
  description: string;
  columns: { name: string; type: string }[];
}

export async function schema(): Promise<{ views: SchemaView[]; functions: string[] }> {
  const site = siteConfig();
  if (site) {
    const t = await (
      await import('./static-site.ts')
    ).run(
      `SELECT DISTINCT function_name AS f FROM duckdb_functions() WHERE function_name ~ '^[a-z_][a-z0-9_]*$' ORDER BY 1`,
    );
    return { views: site.views, functions: t.getChild('f')?.toArray().map(String) ?? [] };
  }
  const res = await fetch('/api/schema');
  if (!res.ok) throw await errorOf(res);
  return res.json();
}

export async function listNotebooks(): Promise<{ name: string; modified: string }[]> {
  const site = siteConfig();
  if (site) return [{ name: site.notebook, modified: site.published }];
  const res = await fetch('/api/notebooks');
  if (!res.ok) throw await errorOf(res);
  return ((await res.json()) as { notebooks: { name: string; modified: string }[] }).notebooks;
}

export async function loadNotebook(name: string): Promise<string> {
  const site = siteConfig();
  const res = await fetch(
    site
      ? new URL(`notebooks/${encodeURIComponent(name)}.md`, document.baseURI)
      : `/api/notebooks/${encodeURIComponent(name)}`,
  );
  if (!res.ok) throw await errorOf(res);
  return res.text();
}

export async function saveNotebook(name: string, text: string): Promise<void> {
  if (siteConfig()) throw new ApiError(405, 'a published site is read-only: run budget serve to save notebooks');
  const res = await fetch(`/api/notebooks/${encodeURIComponent(name)}`, {
    method: 'PUT',
    headers: { 'Content-Type': 'text/markdown; charset=utf-8' },
    body: text,
  });
  if (!res.ok) throw await errorOf(res);
}

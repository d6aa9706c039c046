import { Readable } from 'node:stream';
import { mkdtempSync, rmSync, createReadStream } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBValue } from '@duckdb/node-api';
import { QueryError, quote, type Engine, type Params, type Session } from '../engine.ts';
import { ipcMessages, recordBatches } from '../arrow/from-duckdb.ts';
import { csvChunks, jsonChunks } from '../output/text.ts';
import { xlsxWorkbook } from '../output/xlsx.ts';
import { HttpError } from './http-error.ts';

export type Format = 'arrow' | 'json' | 'csv' | 'parquet' | 'xlsx';
export const FORMATS: Format[] = ['arrow', 'json', 'csv', 'parquet', 'xlsx'];

export interface QueryRequest {
  sql: string;
  params?: Params;
  format?: Format;
}

export interface QueryAnswer {
  contentType: string;
  filename?: string;
  body: Readable;
}

export interface QueryLimits {
  /** Queries running at once; more wait for a slot (see queueWaitMs). */
  maxConcurrent: number;
  /** How long a query waits for a slot before it gets 429 (default 30 s). */
  queueWaitMs?: number;
  /** How many queries may wait at once; one more gets 429 at once (default 256). */
  maxQueued?: number;
  /** A query still running after this many ms is interrupted. */
  timeoutMs: number;
  /** A folder the database may write exports into (Parquet). */
  scratchDir: string;
}

/**
 * Runs notebook queries: one DuckDB connection per query (so that one can be interrupted alone), a cap on how
 * many run at once, a timeout, and cancellation when the client goes away.
 */
export class QueryService {
  private running = 0;
  /** Queries waiting for a slot, first come first served. */
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly engine: Engine,
    readonly limits: QueryLimits,
  ) {}

  get active(): number {
    return this.running;
  }

  /** Validate a request body: {sql: string, params?: array|object of scalars, format?}. */
  static parse(body: unknown): QueryRequest {
    if (typeof body !== 'object' || body === null)
      throw new HttpError(400, 'expected a JSON object {sql, params?, format?}');
    const b = body as Record<string, unknown>;
    if (typeof b['sql'] !== 'string' || b['sql'].trim() === '')
      throw new HttpError(400, "'sql' must be a non-empty string");
    const format = (b['format'] ?? 'arrow') as Format;
    if (!FORMATS.includes(format)) throw new HttpError(400, `'format' must be one of ${FORMATS.join(', ')}`);
    const params = b['params'];
    if (params !== undefined && params !== null) {
      const values = Array.isArray(params) ? params : typeof params === 'object' ? Object.values(params) : undefined;
      if (!values) throw new HttpError(400, "'params' must be an array or an object");
      for (const v of values)
        if (v !== null && !['string', 'number', 'boolean'].includes(typeof v))
          throw new HttpError(400, "'params' values must be strings, numbers, booleans or null");
    }
    return { sql: b['sql'], params: (params ?? undefined) as Params | undefined, format };
  }

  /** Run a query; the answer streams. `signal` aborts (client gone or cancel): the query is interrupted. */
  async run(req: QueryRequest, signal?: AbortSignal): Promise<QueryAnswer> {
    await this.acquire(signal);
    let session: Session | undefined;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.releaseSlot();
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      try {
        session?.close();
      } catch {
        // already closed
      }
    };
    let timedOut = false;
    const onAbort = () => session?.interrupt();
    const timer = setTimeout(() => {
      timedOut = true;
      session?.interrupt();
    }, this.limits.timeoutMs);
    signal?.addEventListener('abort', onAbort);
    try {
      session = await this.engine.session();
      if (signal?.aborted) throw new HttpError(499, 'query cancelled');
      const answer = await this.answer(session, req);
      answer.body.once('close', release);
      answer.body.once('error', release);
      answer.body.once('end', release);
      return answer;
    } catch (e) {
      release();
      if (timedOut) throw new HttpError(408, `query interrupted after the ${this.limits.timeoutMs / 1000} s limit`);
      if (signal?.aborted) throw new HttpError(499, 'query cancelled');
      if (e instanceof QueryError)
        throw new HttpError(e.kind === 'Permission Error' ? 403 : 400, e.message, e.position);
      throw e;
    }
  }

  /**
   * A slot to run in: at once while fewer than maxConcurrent run, else in turn behind the queries already waiting,
   * for at most queueWaitMs. A full queue or a wait that runs out is a 429; a client that goes away stops waiting.
   */
  private acquire(signal?: AbortSignal): Promise<void> {
    const max = this.limits.maxConcurrent;
    if (this.running < max && this.waiting.length === 0) {
      this.running++;
      return Promise.resolve();
    }
    const waitMs = this.limits.queueWaitMs ?? 30_000;
    if (this.waiting.length >= (this.limits.maxQueued ?? 256))
      return Promise.reject(
        new HttpError(
          429,
          `too many queries running (${this.running} of ${max}) and waiting (${this.waiting.length}); try again shortly`,
        ),
      );
    return new Promise<void>((resolve, reject) => {
      const leave = () => {
        const i = this.waiting.indexOf(turn);
        if (i >= 0) this.waiting.splice(i, 1);
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      // releaseSlot hands its slot over: `running` stays counted for this query.
      const turn = () => {
        leave();
        resolve();
      };
      const timer = setTimeout(() => {
        leave();
        reject(
          new HttpError(
            429,
            `too many queries running (${this.running} of ${max}): waited ${waitMs / 1000} s for a slot; try again shortly`,
          ),
        );
      }, waitMs);
      const onAbort = () => {
        leave();
        reject(new HttpError(499, 'query cancelled'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(turn);
    });
  }

  /** A query is done: its slot goes to the first query waiting, or is freed. */
  private releaseSlot(): void {
    const next = this.waiting[0];
    if (next) next();
    else this.running--;
  }

  private async answer(s: Session, req: QueryRequest): Promise<QueryAnswer> {
    const format = req.format ?? 'arrow';
    if (format === 'parquet') return this.parquet(s, req);
    // Anything else asked of this connection must come before the stream: a second query would end it.
    const about = format === 'xlsx' ? { sql: req.sql, sources: await sources(s) } : undefined;
    const result = await s.stream(req.sql, toValues(req.params));
    if (format === 'arrow') {
      // Pull the first batch before answering, so that errors DuckDB raises on execution become a 400, not a cut stream.
      const batches = recordBatches(result);
      const first = await batches.next();
      async function* all() {
        if (!first.done) yield first.value;
        yield* batches;
      }
      return {
        contentType: 'application/vnd.apache.arrow.stream',
        body: Readable.from(ipcMessages(all()), { objectMode: false }),
      };
    }
    if (format === 'xlsx') {
      const bytes = await xlsxWorkbook(result, about ?? { sql: req.sql, sources: [] });
      return {
        contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        filename: 'result.xlsx',
        body: Readable.from([bytes]),
      };
    }
    const chunks = format === 'csv' ? csvChunks(result, true) : jsonChunks(result);
    const it = chunks[Symbol.asyncIterator]();
    const first = await it.next();
    async function* text() {
      if (!first.done) yield first.value;
      for (;;) {
        const n = await it.next();
        if (n.done) return;
        yield n.value;
      }
    }
    return {
      contentType: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
      filename: format === 'csv' ? 'result.csv' : undefined,
      body: Readable.from(text()),
    };
  }

  /** Parquet through DuckDB's own writer, into the scratch folder (the only place the database may write). */
  private async parquet(s: Session, req: QueryRequest): Promise<QueryAnswer> {
    const dir = mkdtempSync(join(this.limits.scratchDir, 'export-'));
    const file = join(dir, 'result.parquet');
    const sql = req.sql.trim().replace(/;\s*$/, '');
    // The statement is wrapped, not spliced: a second statement inside it fails to parse.
    await s.run(`COPY (${sql}) TO ${quote(file)} (FORMAT parquet)`, toValues(req.params));
    const body = createReadStream(file);
    body.once('close', () => rmSync(dir, { recursive: true, force: true }));
    return { contentType: 'application/vnd.apache.parquet', filename: 'result.parquet', body };
  }
}

function toValues(p: Params | undefined): DuckDBValue[] | Record<string, DuckDBValue> | undefined {
  if (p === undefined || p === null) return undefined;
  return p as DuckDBValue[] | Record<string, DuckDBValue>;
}

async function sources(s: Session): Promise<string[]> {
  try {
    const rows = await s.all(
      `SELECT department || ' ' || doc_year || ' (' || source_file || ', sha256 ' || left(sha256, 12) || ')' AS d FROM documents ORDER BY ALL`,
    );
    return rows.map((r) => String(r['d']));
  } catch {
    return [];
  }
}

import {
  DuckDBConnection,
  DuckDBInstance,
  DuckDBTypeId,
  type DuckDBDataChunk,
  type DuckDBResult,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import { QueryError } from './errors.ts';

export type Params = DuckDBValue[] | Record<string, DuckDBValue>;
/** A cell as the engine hands it to TypeScript: DECIMAL as an exact string, BIGINT as bigint. */
export type Cell = string | number | bigint | boolean | null;
export type Row = Record<string, Cell>;

export interface OpenOptions {
  readOnly?: boolean;
  /** DuckDB settings applied at open, e.g. { threads: '2', memory_limit: '4GB' }. */
  config?: Record<string, string>;
}

export interface Column {
  name: string;
  type: DuckDBType;
}

/** A streaming result: column names and types, then chunks as DuckDB produces them. */
export interface ChunkStream {
  columns: Column[];
  chunks: AsyncGenerator<DuckDBDataChunk>;
}

/** One DuckDB connection: statements, prepared parameters, streaming, interruption. */
export class Session {
  constructor(readonly connection: DuckDBConnection) {}

  /** Run one or more statements without parameters. */
  async exec(sql: string): Promise<void> {
    try {
      await this.connection.run(sql);
    } catch (e) {
      throw QueryError.from(e, sql);
    }
  }

  /** Run one statement with prepared-statement parameters; returns the number of rows changed where known. */
  async run(sql: string, params?: Params): Promise<number> {
    try {
      const r = await this.connection.run(sql, params);
      return r.rowsChanged;
    } catch (e) {
      throw QueryError.from(e, sql);
    }
  }

  /** Run a query and read all rows as objects (DECIMAL exact as string). */
  async all(sql: string, params?: Params): Promise<Row[]> {
    try {
      const reader = await this.connection.runAndReadAll(sql, params);
      const types = reader.columnTypes();
      const names = reader.columnNames();
      const rows = reader.getRows();
      return rows.map((values) => {
        const row: Row = {};
        values.forEach((v, i) => {
          row[names[i] ?? `c${i}`] = toCell(v, types[i]);
        });
        return row;
      });
    } catch (e) {
      throw QueryError.from(e, sql);
    }
  }

  /** Stream a query's result chunk by chunk; nothing is materialized beyond the current chunk. */
  async stream(sql: string, params?: Params): Promise<ChunkStream> {
    let result: DuckDBResult;
    try {
      result = await this.connection.stream(sql, params);
    } catch (e) {
      throw QueryError.from(e, sql);
    }
    const names = result.columnNames();
    const types = result.columnTypes();
    const columns = names.map((name, i) => ({ name, type: types[i] as DuckDBType }));
    // One chunk is fetched ahead: DuckDB produces the next chunk on its own thread while the consumer works on
    // the current one (the Arrow encoder, a JSON writer). The generator ends only once that fetch has settled,
    // so the connection is never closed under a running fetch.
    async function* chunks(): AsyncGenerator<DuckDBDataChunk> {
      let pending: Promise<DuckDBDataChunk | null> | undefined = result.fetchChunk();
      try {
        for (;;) {
          let chunk: DuckDBDataChunk | null;
          try {
            chunk = await pending;
          } catch (e) {
            pending = undefined;
            throw QueryError.from(e, sql);
          }
          if (!chunk || chunk.rowCount === 0) {
            pending = undefined;
            return;
          }
          pending = result.fetchChunk();
          yield chunk;
        }
      } finally {
        if (pending) await pending.catch(() => null);
      }
    }
    return { columns, chunks: chunks() };
  }

  /** Run fn inside one transaction: committed when it returns, rolled back when it throws. */
  async transaction<T>(fn: (s: Session) => Promise<T>): Promise<T> {
    await this.exec('BEGIN TRANSACTION');
    try {
      const out = await fn(this);
      await this.exec('COMMIT');
      return out;
    } catch (e) {
      try {
        await this.exec('ROLLBACK');
      } catch {
        // the transaction may already be aborted; the original error matters
      }
      throw e;
    }
  }

  /** Ask DuckDB to stop the running query on this connection. */
  interrupt(): void {
    this.connection.interrupt();
  }

  close(): void {
    this.connection.closeSync();
  }
}

/** A string as a SQL string literal: 'it''s'. */
export function quote(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** A DuckDB database (file or memory) with one default session. */
export class Database {
  private constructor(
    readonly path: string,
    readonly instance: DuckDBInstance,
    readonly session: Session,
  ) {}

  static async open(path = ':memory:', options: OpenOptions = {}): Promise<Database> {
    const config: Record<string, string> = { ...(options.config ?? {}) };
    if (options.readOnly) config['access_mode'] = 'READ_ONLY';
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(path, config);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      // Another process has the file open (a server, an ingest): say what to do, not only DuckDB's words.
      const hint = /Could not set lock on file/.test(msg)
        ? ' — another process has this database open (a running `budget serve` or `budget ingest`?): stop it or let it finish, then try again'
        : '';
      throw new QueryError(`cannot open database ${path}: ${msg}${hint}`, '');
    }
    const connection = await instance.connect();
    return new Database(path, instance, new Session(connection));
  }

  /** A further connection, for work that runs beside the default session. */
  async connect(): Promise<Session> {
    return new Session(await this.instance.connect());
  }

  exec(sql: string): Promise<void> {
    return this.session.exec(sql);
  }
  run(sql: string, params?: Params): Promise<number> {
    return this.session.run(sql, params);
  }
  all(sql: string, params?: Params): Promise<Row[]> {
    return this.session.all(sql, params);
  }
  stream(sql: string, params?: Params): Promise<ChunkStream> {
    return this.session.stream(sql, params);
  }
  transaction<T>(fn: (s: Session) => Promise<T>): Promise<T> {
    return this.session.transaction(fn);
  }

  close(): void {
    this.session.close();
    this.instance.closeSync();
  }
}

/** Convert a DuckDB value to a Cell: exact decimals as plain strings, bigints kept. */
export function toCell(v: DuckDBValue, type: DuckDBType | undefined): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return v;
  if (type?.typeId === DuckDBTypeId.DECIMAL) return trimDecimal(String(v));
  return String(v);
}

/** "1702.890000" → "1702.89", "7920.000000" → "7920": same value, no invented digits. */
export function trimDecimal(s: string): string {
  if (!s.includes('.')) return s;
  const t = s.replace(/0+$/, '').replace(/\.$/, '');
  return t === '-0' ? '0' : t;
}

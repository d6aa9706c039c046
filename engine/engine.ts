import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import {
  Database,
  quote,
  type ChunkStream,
  type OpenOptions,
  type Params,
  type Row,
  type Session,
} from './db/database.ts';
import { InputError, QueryError } from './db/errors.ts';
import { checkSchema, ensureSchema, SchemaError } from './schema/version.ts';
import {
  analysisViews,
  createAnalysisViews,
  materializedTables,
  refreshAfterLoad,
  refreshMaterialized,
  upToDateState,
} from './schema/materialize.ts';
import { schemaInfo, type SchemaInfo } from './schema/info.ts';
import { ALL_TABLES, FACT_TABLES, type FactTable } from './schema/tables.ts';
import { parseBudgetText } from './ingest/budget-text/index.ts';
import { CANONICAL_EXTENSIONS, loadCanonical } from './ingest/canonical.ts';
import { loadTextDocument, parseTextFile } from './ingest/budget-text/index.ts';
import { loadDocuments, type LoadItem, type LoadResult } from './ingest/load.ts';
import { ParsePool } from './ingest/parse-pool.ts';
import {
  documentFile,
  documentLines,
  documentPage,
  listDocuments,
  SourceError,
  type SourceDocument,
  type SourceLine,
  type SourcePage,
} from './sources.ts';

export { QueryError, InputError, SchemaError, SourceError };
export type { Params, Session, SchemaInfo, FactTable, SourceDocument, SourceLine, SourcePage };
import type { PublishReport } from './publish/site.ts';
export type { PublishReport };

const TEXT_EXTENSIONS = new Set(['.txt', '.text', '']);
/** A batch commits after this many documents, or once it has been filling this long. */
const BATCH_DOCS = 64;
const BATCH_MS = 250;
/** DuckDB's memory limit and checkpoint threshold while an ingest runs (see bulkSettings). */
const INGEST_MEMORY_LIMIT = '1GiB';
const INGEST_CHECKPOINT_THRESHOLD = '1GiB';
/** Parse workers start when an ingest has at least this many text documents; they run this far ahead. */
const POOL_MIN_DOCS = 16;
const PARSE_AHEAD = 128;
export type { Row, ChunkStream, LoadResult };
export { quote };

/**
 * How an ingest brought the materialized tables up to date: only the loaded documents' departments'
 * rows computed again ('patched'), or every table rebuilt ('rebuilt').
 */
export interface RefreshResult {
  kind: 'patched' | 'rebuilt';
  /** How many departments were patched. */
  departments?: number;
  /** Why every table was rebuilt instead of patched. */
  why?: string;
  ms: number;
}

export interface EngineOptions {
  /** Database file, or ':memory:'. */
  db: string;
  readOnly?: boolean;
  config?: OpenOptions['config'];
}

/**
 * The one entry point to the engine: the CLI, the server and the bench reach DuckDB, the schema and the parsers
 * only through this (ESLint refuses their imports of engine/db, engine/schema and engine/ingest, and their use
 * of \`.db\`). The web app reaches it through the server's HTTP API.
 */
export class Engine {
  private constructor(
    /** The database underneath: for the engine's own modules and for tests, never for the CLI, server or bench. */
    readonly db: Database,
    /** The database file, or ':memory:'. */
    readonly file = ':memory:',
  ) {}

  /** The contract's tables (fact views, registries), as data. */
  static readonly tables: readonly FactTable[] = ALL_TABLES;

  /** The analysis views of sql/ that are materialized, in file order. */
  static analysisViews(): string[] {
    return analysisViews();
  }

  /** Parse a text document without a database: its facts and findings (the bench's parse-only figure). */
  static parseText(bytes: Buffer, name: string): ReturnType<typeof parseBudgetText> {
    return parseBudgetText(bytes, name);
  }

  /** How many pages pdf.js reads from a PDF: all of its text and drawing (\`textOnly\`: the text alone). */
  static async pdfPages(bytes: Buffer, options: { textOnly?: boolean } = {}): Promise<number> {
    const { readRawPdf } = await import('./ingest/pdf/pdfjs.ts');
    return (await readRawPdf(bytes, options)).pages.length;
  }

  /** How many parse workers an ingest starts here (BUDGET_PARSE_WORKERS overrides). */
  static parseWorkers(pdfs = false): number {
    return ParsePool.defaultSize(pdfs);
  }

  static async open(options: EngineOptions): Promise<Engine> {
    if (options.db !== ':memory:' && !options.readOnly) mkdirSync(dirname(options.db), { recursive: true });
    if (options.readOnly && options.db !== ':memory:' && !existsSync(options.db))
      throw new InputError(options.db, undefined, 'no such database: run budget ingest first');
    const db = await Database.open(options.db, { readOnly: options.readOnly, config: options.config });
    try {
      if (options.readOnly) {
        await checkSchema(db);
        await createAnalysisViews(db, true);
      } else await ensureSchema(db);
    } catch (e) {
      db.close();
      throw e;
    }
    return new Engine(db, options.db);
  }

  /** Stream a query's result. */
  query(sql: string, params?: Params): Promise<ChunkStream> {
    return this.db.stream(sql, params);
  }

  /** A query's rows as objects (DECIMAL exact as string). */
  rows(sql: string, params?: Params): Promise<Row[]> {
    return this.db.all(sql, params);
  }

  /**
   * Load files (documents or canonical files; folders are walked). Each file is all or nothing: text documents
   * are parsed and checked first, then committed in small batches (a batch commits whole or not at all, so a
   * document is never half there); a batch that fails is retried file by file. Stops at the first refusal,
   * after committing what came before it.
   */
  async ingest(
    paths: string[],
    options: { view?: string; onResult?: (r: LoadResult) => void; onRefresh?: (r: RefreshResult) => void } = {},
  ): Promise<LoadResult[]> {
    const files = expand(paths);
    // Registries first, so that facts re-ingested from an export find their documents.
    files.sort((a, b) => rank(a) - rank(b));
    const out: LoadResult[] = [];
    const report = (r: LoadResult) => {
      options.onResult?.(r);
      out.push(r);
    };
    let batch: LoadItem[] = [];
    let since = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      const items = batch;
      batch = [];
      let results: LoadResult[];
      try {
        results = await loadDocuments(this.db, items);
      } catch (e) {
        if (items.length === 1) throw e;
        results = [];
        for (const it of items) results.push(...(await loadDocuments(this.db, [it])));
      }
      results.forEach(report);
    };
    // Documents (text, PDF) are parsed ahead in worker threads when there are enough of them to be worth starting
    // the workers (about 0.3 s); the main thread loads in file order meanwhile.
    // PDFs go to the workers from two on: each takes about a second of CPU to read, loading it a few ms.
    const isPdf = files.map((f) => extname(f).toLowerCase() === '.pdf' && existsSync(f));
    const isText = files.map((f, i) => (TEXT_EXTENSIONS.has(extname(f).toLowerCase()) && existsSync(f)) || isPdf[i]);
    const textCount = isText.filter(Boolean).length;
    const pdfCount = isPdf.filter(Boolean).length;
    const pool =
      textCount >= POOL_MIN_DOCS || pdfCount >= 2 ? new ParsePool(ParsePool.defaultSize(pdfCount > 0)) : undefined;
    const ahead = new Map<number, Promise<LoadItem>>();
    let next = 0;
    const parseAhead = (i: number) => {
      if (!pool) return;
      next = Math.max(next, i);
      while (next < files.length && next - i < PARSE_AHEAD && isText[next]) {
        const p = pool.parse(files[next] as string);
        p.catch(() => undefined); // awaited in order below; a later failure must not go unhandled meanwhile
        ahead.set(next++, p);
      }
    };
    // Whether the materialized tables are up to date before the load: then a load of a few departments'
    // documents only has those departments' rows computed again (refreshAfterLoad).
    const before = await upToDateState(this.db);
    let onlyDocuments = true;
    const restoreSettings = await this.bulkSettings();
    try {
      for (let i = 0; i < files.length; i++) {
        const f = files[i] as string;
        if (isText[i]) {
          if (batch.length === 0) since = performance.now();
          parseAhead(i);
          const item = ahead.get(i);
          ahead.delete(i);
          batch.push(item ? await item : isPdf[i] ? await parsePdfItem(f) : parseTextFile(f));
          if (batch.length >= BATCH_DOCS || performance.now() - since > BATCH_MS) await flush();
          continue;
        }
        await flush();
        // Canonical files may hold rows of any department: the tables are then rebuilt whole.
        if (CANONICAL_EXTENSIONS.has(extname(f).toLowerCase())) onlyDocuments = false;
        report(await this.ingestFile(f, options.view));
      }
    } finally {
      await pool?.close();
      // What was parsed before a refusal still loads; the materialized tables then catch up with the facts.
      await flush();
      try {
        const loaded = out.filter((r) => r.status === 'loaded').map((r) => r.doc_id);
        if (loaded.length > 0) {
          const t0 = performance.now();
          // Their departments matter only for a patch: tables up to date before, documents only.
          const departments = onlyDocuments && before !== undefined ? await this.departmentsOf(loaded) : undefined;
          const { kind, why } = await refreshAfterLoad(this.db, before, departments);
          options.onRefresh?.({
            kind,
            ...(kind === 'patched' ? { departments: departments?.length ?? 0 } : { why }),
            ms: performance.now() - t0,
          });
        }
      } finally {
        await restoreSettings();
      }
    }
    return out;
  }

  /** The departments of some loaded documents (a text or PDF document's facts are all its department's). */
  private async departmentsOf(docIds: string[]): Promise<string[]> {
    const list = docIds.map(quote).join(', ');
    const rows = await this.db.all(`SELECT DISTINCT department AS d FROM documents WHERE doc_id IN (${list})`);
    return rows.map((r) => String(r['d']));
  }

  /**
   * Settings for the time of an ingest of a database file, put back afterwards:
   * - DuckDB's memory limit is lowered (never raised) to 1 GiB: rebuilding the materialized tables over millions of
   *   rows then spills to the file's temp folder instead of growing the process (2.25 GiB at 10,000 documents
   *   without a cap);
   * - the WAL may grow to 1 GiB before DuckDB checkpoints on its own: with the default 16 MB it checkpointed
   *   every other batch, which took half the load time at 1,000 documents. One CHECKPOINT closes the ingest
   *   instead, so the next open does not replay a long WAL. Commits stay durable either way (the WAL).
   * In-memory databases have nowhere to spill and no WAL: they keep their settings.
   */
  private async bulkSettings(): Promise<() => Promise<void>> {
    if (this.file === ':memory:') return async () => undefined;
    const row = (
      await this.db.all(`SELECT current_setting('memory_limit') AS m, current_setting('checkpoint_threshold') AS c`)
    )[0];
    const memory = String(row?.['m'] ?? '');
    const checkpoint = String(row?.['c'] ?? '');
    const changed: string[] = [];
    try {
      if (bytesOf(memory) > bytesOf(INGEST_MEMORY_LIMIT)) {
        await this.db.exec(`SET memory_limit = '${INGEST_MEMORY_LIMIT}'`);
        changed.push(`SET memory_limit = '${memory.replace(/'/g, '')}'`);
      }
      if (bytesOf(checkpoint) < bytesOf(INGEST_CHECKPOINT_THRESHOLD)) {
        await this.db.exec(`SET checkpoint_threshold = '${INGEST_CHECKPOINT_THRESHOLD}'`);
        changed.push(`SET checkpoint_threshold = '${checkpoint.replace(/'/g, '')}'`);
      }
    } catch {
      // a locked configuration (a read-only server's) keeps its settings
    }
    return async () => {
      for (const sql of changed)
        try {
          await this.db.exec(sql);
        } catch {
          // as above
        }
      if (changed.length > 0) await this.db.exec('CHECKPOINT');
    };
  }

  private async ingestFile(path: string, view?: string): Promise<LoadResult> {
    if (!existsSync(path)) throw new InputError(path, undefined, 'no such file');
    const ext = extname(path).toLowerCase();
    if (CANONICAL_EXTENSIONS.has(ext)) return loadCanonical(this.db, path, view);
    if (TEXT_EXTENSIONS.has(ext)) return loadTextDocument(this.db, path);
    if (ext === '.pdf') return (await import('./ingest/pdf/index.ts')).loadPdfDocument(this.db, path);
    throw new InputError(
      path,
      undefined,
      `unsupported file type '${ext}': expected .txt, .pdf, .csv, .xlsx or .parquet`,
    );
  }

  /**
   * What was read of each document (contract v2, coverage): a row per table it printed, recognized or not,
   * in print order; for some documents only when `docIds` is given.
   */
  coverage(docIds?: string[]): Promise<Row[]> {
    const where = docIds ? `WHERE c.doc_id IN (${docIds.map(quote).join(', ') || "''"})` : '';
    return this.db.all(
      `SELECT c.doc_id, d.department, d.doc_year, d.source_file, c.table_no, c.table_kind, c.title, c.source_line,
              c.pages, c.unit, c.rows_read, c.amounts_printed, c.amounts_used, c.status
       FROM coverage c LEFT JOIN documents d USING (doc_id) ${where}
       ORDER BY d.department, d.doc_year, c.doc_id, try_cast(split_part(c.pages, '-', 1) AS INTEGER) NULLS LAST,
                c.source_line`,
    );
  }

  /** Reconciliation findings of every loaded document, worst first. */
  findings(): Promise<Row[]> {
    return this.db.all(
      `SELECT r.doc_id, d.department, d.doc_year, r.check_id, r.scope, r.expected, r.actual, r.difference, r.severity, r.source_lines, r.message
       FROM reconciliation r LEFT JOIN documents d USING (doc_id)
       ORDER BY CASE r.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, r.doc_id, r.check_id`,
    );
  }

  /** Run statements that return no rows (DDL, COPY, a transaction's BEGIN / COMMIT). */
  exec(sql: string): Promise<void> {
    return this.db.exec(sql);
  }

  /** Run one statement; how many rows it changed. */
  run(sql: string, params?: Params): Promise<number> {
    return this.db.run(sql, params);
  }

  /** A query's result written as a Parquet file by DuckDB (types kept). */
  async exportQuery(sql: string, out: string): Promise<void> {
    await this.db.exec(`COPY (${sql.trim().replace(/;\s*$/, '')}) TO ${quote(out)} (FORMAT parquet)`);
  }

  /** Write the WAL into the database file. */
  async checkpoint(): Promise<void> {
    await this.db.exec('CHECKPOINT');
  }

  /** The materialized tables (\`_best_*\`, then the analysis views' \`_view_*\`), in the order they are built. */
  materializedTables(): Promise<string[]> {
    return materializedTables(this.db);
  }

  /** Rebuild every materialized table from its definition (after the crosswalk or the facts changed by hand). */
  refresh(): Promise<void> {
    return refreshMaterialized(this.db);
  }

  /** A further connection to the same database, for work beside the default one (the server's query slots). */
  session(): Promise<Session> {
    return this.db.connect();
  }

  /** The views a researcher queries, with columns, types and descriptions, and the function names. */
  schemaInfo(): Promise<SchemaInfo> {
    return schemaInfo(this.db);
  }

  /** Every loaded document: id, department, year, stage, title, file name and format (the sources of figures). */
  documents(): Promise<SourceDocument[]> {
    return listDocuments(this.db);
  }

  /**
   * The source of a figure: a loaded document's file by its doc_id (never by a path), read-only. Its file is the
   * one recorded when it was loaded, served only while its bytes are those loaded (sha256). Throws SourceError:
   * 'unknown' (no such document), 'gone' (the file moved or changed since).
   */
  documentFile(docId: string): Promise<{ doc: SourceDocument; bytes: Buffer }> {
    return documentFile(this.db, this.file, docId);
  }

  /** Lines `from` … `to` (1-based, as source_line counts them) of a text document, checked as documentFile is. */
  documentLines(
    docId: string,
    from: number,
    to: number,
  ): Promise<{ doc: SourceDocument; from: number; to: number; total: number; lines: SourceLine[] }> {
    return documentLines(this.db, this.file, docId, from, to);
  }

  /**
   * A page of a PDF document laid out into lines as loading reads it (a fact's source_page / source_line name one
   * of them), each with its cells and where it was printed on the page.
   */
  documentPage(docId: string, page: number): Promise<{ doc: SourceDocument } & SourcePage> {
    return documentPage(this.db, this.file, docId, page);
  }

  /**
   * DuckDB's own sandbox, for a server: no files outside \`allowed\`, no extensions, and no setting changed after
   * this (lock_configuration). Open the engine read-only first.
   */
  async lockDown(allowed: string[]): Promise<void> {
    await this.db.exec(`SET allowed_directories = [${allowed.map(quote).join(', ')}]`);
    await this.db.exec('SET enable_external_access = false');
    await this.db.exec('SET autoinstall_known_extensions = false; SET autoload_known_extensions = false');
    await this.db.exec('SET lock_configuration = true');
  }

  /** A notebook as a static site in \`out\` (engine/publish/site.ts): refused where the browser would differ. */
  async publish(notebook: string, out: string): Promise<PublishReport> {
    const { publish } = await import('./publish/site.ts');
    return publish(this, notebook, out);
  }

  /** Every fact view as Parquet, Hive-partitioned by fiscal_year; the registries beside them. Re-ingestable. */
  async exportParquet(dir: string): Promise<string[]> {
    mkdirSync(dir, { recursive: true });
    const written: string[] = [];
    for (const t of ALL_TABLES) {
      const partitioned = FACT_TABLES.includes(t);
      const target = partitioned ? join(dir, t.view) : join(dir, `${t.view}.parquet`);
      const options = partitioned
        ? `FORMAT parquet, PARTITION_BY (fiscal_year), OVERWRITE_OR_IGNORE true`
        : 'FORMAT parquet';
      await this.db.exec(`COPY (SELECT * FROM ${t.view} ORDER BY ALL) TO ${quote(target)} (${options})`);
      written.push(target);
    }
    return written;
  }

  close(): void {
    this.db.close();
  }
}

/** A PDF parsed on this thread (one PDF alone is not worth a worker). */
async function parsePdfItem(path: string): Promise<LoadItem> {
  return (await import('./ingest/pdf/index.ts')).parsePdfFile(path);
}

function expand(paths: string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    if (existsSync(p) && statSync(p).isDirectory()) {
      for (const name of readdirSync(p, { recursive: true }) as string[]) {
        const full = join(p, name);
        if (statSync(full).isFile() && /\.(txt|pdf|csv|xlsx|parquet)$/i.test(name)) out.push(full);
      }
    } else out.push(p);
  }
  return out;
}

function rank(path: string): number {
  if (
    /(^|[\\/])documents(\.[a-z]+)?$/i.test(path.replace(/\.[a-z]+$/i, '')) ||
    /documents\.(csv|xlsx|parquet)$/i.test(path)
  )
    return 0;
  if (/reconciliation/.test(path)) return 2;
  return 1;
}

/** "1.5 GiB", "800.0 MiB", "1GB" → bytes (DuckDB's own notations for memory_limit). */
function bytesOf(text: string): number {
  const m = /^\s*([\d.]+)\s*([KMGT]?)(i?)B?\s*$/i.exec(text);
  if (!m) return Infinity;
  const power = ' KMGT'.indexOf((m[2] || ' ').toUpperCase());
  return Number(m[1]) * (m[3] ? 1024 : 1000) ** power;
}

import { DuckDBDecimalValue, DuckDBTimestampValue, type DuckDBAppender } from '@duckdb/node-api';
import type { Database, Session } from '../db/database.ts';
import { DOCUMENTS, RECONCILIATION, TABLE_BY_VIEW, type FactTable } from '../schema/tables.ts';
import type { FactRow, FactValue, ParsedDocument } from './types.ts';

export interface LoadResult {
  file: string;
  doc_id: string;
  status: 'loaded' | 'unchanged';
  rows: Record<string, number>;
  findings: { error: number; warning: number; info: number };
}

/**
 * The one load path: a document's facts and findings go in as one transaction, or not at all.
 * A file already loaded (same sha256) or a document already registered changes nothing.
 */
export async function loadDocument(
  db: Database,
  parsed: ParsedDocument,
  file: string,
  fileSha: string,
): Promise<LoadResult> {
  const counts = { error: 0, warning: 0, info: 0 };
  for (const f of parsed.findings) counts[f.severity]++;
  const result: LoadResult = { file, doc_id: parsed.doc.doc_id, status: 'unchanged', rows: {}, findings: counts };
  await db.transaction(async (s) => {
    if (await alreadyLoaded(s, fileSha, parsed.doc.doc_id)) return;
    const stamp = BigInt(Date.now()) * 1000n;
    await appendRows(s, DOCUMENTS, [{ ...parsed.doc, loaded_at: stamp }]);
    for (const [view, rows] of parsed.facts) {
      const table = TABLE_BY_VIEW.get(view);
      if (!table) throw new Error(`no fact view named ${view}`);
      await appendRows(
        s,
        table,
        rows.map((r) => ({ doc_id: parsed.doc.doc_id, ...r })),
      );
      result.rows[view] = rows.length;
    }
    await appendRows(
      s,
      RECONCILIATION,
      parsed.findings.map((f) => ({ doc_id: parsed.doc.doc_id, ...f })),
    );
    await recordFile(
      s,
      fileSha,
      file,
      'document',
      Object.values(result.rows).reduce((a, b) => a + b, 0),
    );
    result.status = 'loaded';
  });
  return result;
}

export async function alreadyLoaded(s: Session, fileSha: string, docId: string | null): Promise<boolean> {
  const f = await s.all('SELECT 1 FROM ingested_files WHERE sha256 = ?', [fileSha]);
  if (f.length > 0) return true;
  if (docId === null) return false;
  const d = await s.all('SELECT 1 FROM doc_registry WHERE doc_id = ?', [docId]);
  return d.length > 0;
}

export async function recordFile(s: Session, sha: string, path: string, view: string, rows: number): Promise<void> {
  await s.run('INSERT INTO ingested_files VALUES (?, ?, ?, ?, now()::TIMESTAMP)', [sha, path, view, rows]);
}

/** Append rows through DuckDB's appender, each value typed by the table's column definition. */
export async function appendRows(s: Session, table: FactTable, rows: FactRow[]): Promise<void> {
  if (rows.length === 0) return;
  const appender = await s.connection.createAppender(table.table);
  try {
    for (const row of rows) {
      for (const col of table.columns) appendValue(appender, col.type, row[col.name] ?? null, table, col.name);
      appender.endRow();
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}

function appendValue(a: DuckDBAppender, type: string, v: FactValue, table: FactTable, name: string): void {
  if (v === null || v === undefined) return a.appendNull();
  switch (type) {
    case 'varchar':
      return a.appendVarchar(String(v));
    case 'integer':
      return a.appendInteger(Number(v));
    case 'decimal':
      if (typeof v !== 'bigint')
        throw new Error(`${table.view}.${name}: money must be exact (bigint), got ${typeof v}`);
      return a.appendDecimal(new DuckDBDecimalValue(v, 20, 6));
    case 'boolean':
      return a.appendBoolean(Boolean(v));
    case 'double':
      return a.appendDouble(Number(v));
    case 'timestamp':
      return a.appendTimestamp(new DuckDBTimestampValue(BigInt(v)));
    default:
      throw new Error(`unknown column type ${type}`);
  }
}

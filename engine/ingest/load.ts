import { DuckDBTimestampValue, type DuckDBAppender } from '@duckdb/node-api';
import { formatAmount } from '../money.ts';
import type { Database, Session } from '../db/database.ts';
import { DOCUMENTS, RECONCILIATION, TABLE_BY_VIEW, type FactTable } from '../schema/tables.ts';
import type { FactRow, FactValue, ParsedDocument } from './types.ts';
import { bumpFactsVersion } from '../schema/migrate.ts';

export interface LoadResult {
  file: string;
  doc_id: string;
  status: 'loaded' | 'unchanged';
  rows: Record<string, number>;
  findings: { error: number; warning: number; info: number };
}

/** A parsed document and the file it came from, ready to load. */
export interface LoadItem {
  parsed: ParsedDocument;
  file: string;
  fileSha: string;
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
  const [result] = await loadDocuments(db, [{ parsed, file, fileSha }]);
  return result as LoadResult;
}

/**
 * Several parsed documents in one transaction: each document is whole (it was parsed and checked before),
 * so all of them commit or none does, and a document is never half there. Batching spares a commit and a set
 * of appenders per document when a folder of documents is loaded.
 */
export async function loadDocuments(db: Database, items: LoadItem[]): Promise<LoadResult[]> {
  const results = items.map(({ parsed, file }) => {
    const counts = { error: 0, warning: 0, info: 0 };
    for (const f of parsed.findings) counts[f.severity]++;
    return { file, doc_id: parsed.doc.doc_id, status: 'unchanged', rows: {}, findings: counts } as LoadResult;
  });
  await db.transaction(async (s) => {
    const seenSha = new Set<string>();
    const seenDoc = new Set<string>();
    const marks = items.map(() => '?').join(', ');
    for (const r of await s.all(
      `SELECT sha256 FROM ingested_files WHERE sha256 IN (${marks})`,
      items.map((i) => i.fileSha),
    ))
      seenSha.add(String(r['sha256']));
    for (const r of await s.all(
      `SELECT doc_id FROM doc_registry WHERE doc_id IN (${marks})`,
      items.map((i) => i.parsed.doc.doc_id),
    ))
      seenDoc.add(String(r['doc_id']));
    const fresh: number[] = [];
    items.forEach((it, k) => {
      if (seenSha.has(it.fileSha) || seenDoc.has(it.parsed.doc.doc_id)) return;
      seenSha.add(it.fileSha);
      seenDoc.add(it.parsed.doc.doc_id);
      fresh.push(k);
    });
    if (fresh.length === 0) return;
    const stamp = BigInt(Date.now()) * 1000n;
    const byTable = new Map<FactTable, FactRow[]>();
    const push = (t: FactTable, rows: FactRow[]) => {
      const list = byTable.get(t) ?? [];
      for (const r of rows) list.push(r);
      byTable.set(t, list);
    };
    const files: FactRow[] = [];
    for (const k of fresh) {
      const { parsed, file, fileSha } = items[k] as LoadItem;
      const docId = parsed.doc.doc_id;
      const result = results[k] as LoadResult;
      push(DOCUMENTS, [{ ...parsed.doc, loaded_at: stamp }]);
      for (const [view, rows] of parsed.facts) {
        const table = TABLE_BY_VIEW.get(view);
        if (!table) throw new Error(`no fact view named ${view}`);
        push(
          table,
          rows.map((r) => ({ doc_id: docId, ...r })),
        );
        result.rows[view] = rows.length;
      }
      push(
        RECONCILIATION,
        parsed.findings.map((f) => ({ doc_id: docId, ...f })),
      );
      files.push({
        sha256: fileSha,
        path: file,
        view: 'document',
        row_count: Object.values(result.rows).reduce((a, b) => a + b, 0),
        loaded_at: stamp,
      });
      result.status = 'loaded';
    }
    for (const [table, rows] of byTable) await appendRows(s, table, rows);
    await appendRows(s, INGESTED_FILES, files);
    await bumpFactsVersion(s);
  });
  return results;
}

const INGESTED_FILES: FactTable = {
  view: 'ingested_files',
  table: 'ingested_files',
  columns: [
    { name: 'sha256', type: 'varchar' },
    { name: 'path', type: 'varchar' },
    { name: 'view', type: 'varchar' },
    { name: 'row_count', type: 'integer' },
    { name: 'loaded_at', type: 'timestamp' },
  ],
};

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
      // As exact decimal text, which DuckDB casts to the column's DECIMAL(20,6): no float on the way, and
      // cheaper than a DuckDBDecimalValue (and a DECIMAL type object) per value.
      return a.appendVarchar(formatAmount(v));
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

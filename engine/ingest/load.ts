import type { Database, Session } from '../db/database.ts';
import { COVERAGE, DOCUMENTS, RECONCILIATION, TABLE_BY_VIEW, type FactTable } from '../schema/tables.ts';
import type { DocumentMeta, FactRow, ParsedDocument } from './types.ts';
import { appendTableData, toColumns, type TableData } from './columnar.ts';
import { bumpFactsVersion } from '../schema/materialize.ts';

export interface LoadResult {
  file: string;
  doc_id: string;
  status: 'loaded' | 'unchanged';
  rows: Record<string, number>;
  findings: { error: number; warning: number; info: number };
}

/**
 * A parsed document ready to load: its registry entry, what it holds, and its facts and findings as columns
 * (doc_id filled). Built where the document is parsed (`loadItem`), possibly a worker thread.
 */
export interface LoadItem {
  doc: DocumentMeta;
  file: string;
  fileSha: string;
  rows: Record<string, number>;
  findings: { error: number; warning: number; info: number };
  tables: TableData[];
}

/** A parsed document as a LoadItem: facts and findings turned into columns. */
export function loadItem(parsed: ParsedDocument, file: string, fileSha: string): LoadItem {
  const docId = parsed.doc.doc_id;
  const findings = { error: 0, warning: 0, info: 0 };
  for (const f of parsed.findings) findings[f.severity]++;
  const rows: Record<string, number> = {};
  const tables: TableData[] = [];
  for (const [view, list] of parsed.facts) {
    const table = TABLE_BY_VIEW.get(view);
    if (!table) throw new Error(`no fact view named ${view}`);
    tables.push(toColumns(table, list, { doc_id: docId }));
    rows[view] = list.length;
  }
  tables.push(toColumns(RECONCILIATION, parsed.findings as unknown as FactRow[], { doc_id: docId }));
  if (parsed.coverage?.length) tables.push(toColumns(COVERAGE, parsed.coverage, { doc_id: docId }));
  return { doc: parsed.doc, file, fileSha, rows, findings, tables };
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
  const [result] = await loadDocuments(db, [loadItem(parsed, file, fileSha)]);
  return result as LoadResult;
}

/**
 * Several parsed documents in one transaction: each document is whole (it was parsed and checked before),
 * so all of them commit or none does, and a document is never half there. Batching spares a commit and a set
 * of appenders per document when a folder of documents is loaded.
 */
export async function loadDocuments(db: Database, items: LoadItem[]): Promise<LoadResult[]> {
  const results = items.map(({ doc, file, findings }): LoadResult => ({
    file,
    doc_id: doc.doc_id,
    status: 'unchanged',
    rows: {},
    findings: { ...findings },
  }));
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
      items.map((i) => i.doc.doc_id),
    ))
      seenDoc.add(String(r['doc_id']));
    const fresh: number[] = [];
    items.forEach((it, k) => {
      if (seenSha.has(it.fileSha) || seenDoc.has(it.doc.doc_id)) return;
      seenSha.add(it.fileSha);
      seenDoc.add(it.doc.doc_id);
      fresh.push(k);
    });
    if (fresh.length === 0) return;
    const stamp = BigInt(Date.now()) * 1000n;
    const byTable = new Map<string, TableData[]>();
    const docs: FactRow[] = [];
    const files: FactRow[] = [];
    for (const k of fresh) {
      const it = items[k] as LoadItem;
      const result = results[k] as LoadResult;
      docs.push({ ...it.doc, loaded_at: stamp });
      for (const t of it.tables) {
        const list = byTable.get(t.view) ?? [];
        list.push(t);
        byTable.set(t.view, list);
      }
      result.rows = { ...it.rows };
      files.push({
        sha256: it.fileSha,
        path: it.file,
        view: 'document',
        row_count: Object.values(it.rows).reduce((a, b) => a + b, 0),
        loaded_at: stamp,
      });
      result.status = 'loaded';
    }
    await appendRows(s, DOCUMENTS, docs);
    for (const [view, parts] of byTable) {
      const table = TABLE_BY_VIEW.get(view);
      if (!table) throw new Error(`no fact view named ${view}`);
      await appendTableData(s, table, parts);
    }
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

/** Append rows (objects keyed by column name), typed by the table's column definitions. */
export async function appendRows(s: Session, table: FactTable, rows: FactRow[]): Promise<void> {
  if (rows.length === 0) return;
  await appendTableData(s, table, [toColumns(table, rows)]);
}

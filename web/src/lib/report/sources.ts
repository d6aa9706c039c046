import type { Table } from 'apache-arrow';
import { loadedDocuments, sourceColumns, type DocumentInfo } from '../source.ts';

/** A cited figure's source in the report: a footnote under its table. */
export interface SourceNote {
  n: number;
  doc_id: string;
  /** The document's title and file name (the doc_id when the server does not know it). */
  title: string;
  file: string;
  table: string | null;
  page: number | null;
  line: number | null;
  /** The document on the notebook's server (a PDF at its page), when the report has a link to the notebook. */
  href?: string;
}

/** Footnote numbers of a result table's rows (null: no source) and the notes themselves. */
export interface TableSources {
  sources: (number | null)[];
  notes: SourceNote[];
}

/**
 * The sources of the report's result tables: for a table whose rows carry doc_id and source_page / source_line, each
 * row's footnote (document, table, page, line; one note for rows of the same place). The documents' titles are
 * asked of the server once (GET /api/documents); without it the notes name the doc_id.
 */
export function citations(link?: string): (table: Table, rows: number) => Promise<Partial<TableSources>> {
  let docs: Promise<Map<string, DocumentInfo>> | undefined;
  const origin = (() => {
    try {
      return link ? new URL(link).origin : undefined;
    } catch {
      return undefined;
    }
  })();
  return async (table, rows) => {
    const cols = sourceColumns(table.schema.fields);
    if (!cols) return {};
    docs ??= loadedDocuments()
      .then((list) => new Map(list.map((d) => [d.doc_id, d])))
      .catch(() => new Map<string, DocumentInfo>());
    const known = await docs;
    const get = (c: number | undefined, i: number): unknown =>
      c === undefined ? null : (table.getChildAt(c)?.get(i) ?? null);
    const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
    const byKey = new Map<string, SourceNote>();
    const sources: (number | null)[] = [];
    for (let i = 0; i < rows; i++) {
      const doc = get(cols.doc, i);
      const page = num(get(cols.page, i));
      const line = num(get(cols.line, i));
      if (doc === null || doc === '' || (page === null && line === null)) {
        sources.push(null);
        continue;
      }
      const t = get(cols.table, i);
      const docId = String(doc);
      const key = JSON.stringify([docId, t, page, line]);
      let note = byKey.get(key);
      if (!note) {
        const d = known.get(docId);
        note = {
          n: byKey.size + 1,
          doc_id: docId,
          title: d?.title || d?.source_file || docId,
          file: d?.source_file ?? '',
          table: t === null ? null : String(t),
          page,
          line,
          ...(origin
            ? { href: `${origin}/api/documents/${encodeURIComponent(docId)}${page !== null ? `#page=${page}` : ''}` }
            : {}),
        };
        byKey.set(key, note);
      }
      sources.push(note.n);
    }
    return byKey.size ? { sources, notes: [...byKey.values()] } : {};
  };
}

/** A source document as the `documents` view lists it. */
export interface DocInfo {
  doc_id: string;
  title: string;
}

/**
 * The note under a chart: the documents the figures come from and the tables they are printed in.
 * A result with `doc_id` / `source_table` columns names its own; otherwise every loaded document, and the
 * views the SQL reads.
 */
export function sourceNote(o: { rows: Record<string, unknown>[]; documents: DocInfo[]; views: string[] }): string {
  const ids = distinct(o.rows, 'doc_id');
  const docs = ids.length ? o.documents.filter((d) => ids.includes(d.doc_id)) : o.documents;
  const titles = docs.map((d) => d.title);
  const unknown = ids.filter((id) => !o.documents.some((d) => d.doc_id === id));
  const all = [...titles, ...unknown];
  const named = all.length > 3 ? [...all.slice(0, 3), `等 ${all.length} 份文件`] : all;
  const tables = distinct(o.rows, 'source_table').sort((a, b) => a.localeCompare(b, 'zh-CN', { numeric: true }));
  const parts: string[] = [];
  if (named.length) parts.push(`来源：${named.join('；')}${tables.length ? `（${tables.join('、')}）` : ''}`);
  else if (tables.length) parts.push(`来源：${tables.join('、')}`);
  if (o.views.length) parts.push(`数据：${o.views.join('、')}`);
  return parts.join('。');
}

function distinct(rows: Record<string, unknown>[], field: string): string[] {
  const s = new Set<string>();
  for (const r of rows) {
    const v = r[field];
    if (v !== null && v !== undefined && v !== '') s.add(String(v));
  }
  return [...s];
}

/**
 * Measurement 4: POST /api/query end to end on loopback — the server (startServer on 127.0.0.1, port 0),
 * the transfer, and decoding the Arrow IPC answer in the client — for aggregated queries, against the same
 * query run in-process on the server's own database (no HTTP, no encoding). Before timing, the decoded
 * answer must hold the same rows as the in-process query (count and checksum).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC, type Table } from 'apache-arrow';
import { startServer } from '../server/serve.ts';
import { arrowRowTexts, objectRowTexts, textChecksum } from './arrow.ts';
import { ratio, sideBySide, type Timing } from './stats.ts';
import { drain } from './views.ts';

/** The aggregated queries: the first (a chart's worth of rows) is the one the goal is about. */
export const LOOPBACK_QUERIES: { name: string; sql: string }[] = [
  {
    name: 'spending by year and 类, all departments',
    sql: `SELECT fiscal_year, func_code, sum(total)::DECIMAL(20, 6) AS total, count(DISTINCT department)::INTEGER AS departments
FROM spending_by_function
WHERE func_level = 1 AND unit_level = 'department' AND stage = 'budget'
GROUP BY fiscal_year, func_code
ORDER BY fiscal_year, func_code`,
  },
  {
    name: 'spending by department, year and 类',
    sql: `SELECT department, fiscal_year, func_code, sum(total)::DECIMAL(20, 6) AS total, count(*)::INTEGER AS n
FROM spending_by_function
WHERE func_level = 1 AND unit_level = 'department' AND stage = 'budget'
GROUP BY department, fiscal_year, func_code
ORDER BY department, fiscal_year, func_code`,
  },
];

export interface LoopbackResult {
  name: string;
  sql: string;
  rows: number;
  responseBytes: number;
  same: boolean;
  ours: Timing;
  baseline: Timing;
  /** ours / baseline, medians. */
  overhead: number;
}

export async function postQuery(url: string, sql: string): Promise<{ bytes: number; table: Table }> {
  const res = await fetch(`${url}/api/query`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ sql }),
  });
  if (!res.ok) throw new Error(`POST /api/query: ${res.status} ${await res.text()}`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  return { bytes: bytes.byteLength, table: tableFromIPC(bytes) as Table };
}

export async function measureLoopback(
  dbPath: string,
  repeats: number,
  log: (s: string) => void,
  queries = LOOPBACK_QUERIES,
): Promise<LoopbackResult[]> {
  const notebooksDir = mkdtempSync(join(dbPath, '..', 'bench-notebooks-'));
  const s = await startServer({ db: dbPath, port: 0, host: '127.0.0.1', notebooksDir, quiet: true });
  const out: LoopbackResult[] = [];
  try {
    for (const { name, sql } of queries) {
      const answer = await postQuery(s.url, sql);
      const local = await s.queries.engine.rows(sql);
      const a = textChecksum(arrowRowTexts(answer.table));
      const b = textChecksum(objectRowTexts(local));
      const same = a.n === b.n && a.sum === b.sum;
      if (!same) log(`  loopback: the HTTP answer (${a.n} rows) is NOT the in-process result (${b.n} rows)`);
      const t = await sideBySide(
        async () => (await postQuery(s.url, sql)).table.numRows,
        () => drain(s.queries.engine, sql),
        repeats,
        2,
      );
      log(`  loopback, ${name}: ${a.n} rows, ${t.ours.median} ms over HTTP vs ${t.base.median} ms in-process`);
      out.push({
        name,
        sql,
        rows: a.n,
        responseBytes: answer.bytes,
        same,
        ours: t.ours,
        baseline: t.base,
        overhead: ratio(t.ours.median, t.base.median),
      });
    }
    return out;
  } finally {
    await s.close();
    rmSync(notebooksDir, { recursive: true, force: true });
  }
}

/**
 * Measurement 3: a rows × 6-column result (VARCHAR department and unit, INTEGER fiscal_year, VARCHAR
 * func_code, DECIMAL(20,6) amount, BOOLEAN derived — the shape of a fact view) four ways:
 *   ours     the engine's Arrow IPC encoding (stream → record batches → IPC messages, as the server writes them to
 *            the socket: the messages are kept, not joined into one buffer, which the server never does);
 *   json     JSON text streamed from the same result, chunk by chunk, exactly as the server sends format=json
 *            (output/text.ts jsonChunks): the fair baseline, and the headline ratio;
 *   objects  row objects of the whole result (Engine.rows) and JSON.stringify of them: what a naive server would
 *            do; kept for comparison with earlier runs, not the headline;
 *   duckdb   DuckDB's own materialization of the same result (Engine.run: the whole result in DuckDB).
 * Before timing, the Arrow bytes must decode to the same rows as the row objects (count and checksum), and the
 * streamed JSON must parse to as many rows.
 */
import { tableFromIPC, DataType, type Table, type Vector } from 'apache-arrow';
import { arrowIpcBytes, ipcMessages, recordBatches } from '../arrow/from-duckdb.ts';
import { Engine, type Row } from '../engine.ts';
import { jsonChunks } from '../output/text.ts';
import { ratio, summarize, timed, type Timing } from './stats.ts';

export const ARROW_SQL = 'SELECT * FROM bench_rows';

export interface ArrowResult {
  rows: number;
  columns: number;
  arrowBytes: number;
  jsonBytes: number;
  same: boolean;
  ours: Timing;
  /** JSON streamed as the server sends it. */
  json: Timing;
  /** Row objects of the whole result, then JSON.stringify (not what the server does). */
  objects: Timing;
  /** JSON.stringify alone (row objects already built). */
  stringifyOnly: Timing;
  duckdb: Timing;
  /** json / ours: how many times faster the Arrow encoding is than the JSON the server streams (goal ≥ 5). */
  jsonOverOurs: number;
  /** objects / ours: against row objects + JSON.stringify (the figure reported before; flatters Arrow). */
  objectsOverOurs: number;
  /** ours / duckdb: the encoding's cost over DuckDB's own materialization (goal ≤ 2). */
  oursOverDuckdb: number;
}

/** A database holding bench_rows: `rows` deterministic rows that look like fact rows. */
export async function benchRowsDb(rows: number): Promise<Engine> {
  const db = await Engine.open({ db: ':memory:' });
  await db.exec(`CREATE TABLE bench_rows AS
    SELECT
        '示例市合成区第' || (i % 1000 + 1) || '局（合成数据）' AS department,
        '示例市合成区第' || (i % 1000 + 1) || '局' || ['本级', '信息中心', '服务中心', '事务中心'][i % 4 + 1] || '（合成数据）' AS unit,
        (2015 + i % 10)::INTEGER AS fiscal_year,
        (2010301 + (i * 7) % 997)::VARCHAR AS func_code,
        ((i * 7919) % 100000000)::DECIMAL(20, 6) / 100 AS amount,
        i % 5 = 0 AS derived
    FROM range(${Math.floor(rows)}) AS r(i)`);
  return db;
}

/** Canonical text of every row of an Arrow table (DECIMAL exact, trailing zeros trimmed). */
export function arrowRowTexts(t: Table): string[] {
  const cols = t.schema.fields.map((f, i) => ({ f, v: t.getChildAt(i) as Vector }));
  const out: string[] = Array.from({ length: t.numRows }, () => '');
  cols.forEach(({ f, v }, ci) => {
    let at = 0;
    for (const d of v.data) {
      for (let i = 0; i < d.length; i++, at++) {
        let s: string;
        if (!d.getValid(i)) s = 'null';
        else if (DataType.isDecimal(f.type)) {
          const w = d.values as Uint32Array;
          let u = 0n;
          for (let k = 3; k >= 0; k--) u = (u << 32n) | BigInt(w[i * 4 + k] ?? 0);
          s = decimalText(BigInt.asIntN(128, u), f.type.scale);
        } else s = String(v.get(at));
        out[at] += (ci ? '|' : '') + s;
      }
    }
  });
  return out;
}

/** Canonical text of row objects as Engine.rows gives them (DECIMAL already exact text). */
export function objectRowTexts(rows: Row[]): string[] {
  return rows.map((r) =>
    Object.values(r)
      .map((v) => (v === null ? 'null' : String(v)))
      .join('|'),
  );
}

function decimalText(u: bigint, scale: number): string {
  const neg = u < 0n;
  const a = neg ? -u : u;
  const p = 10n ** BigInt(scale);
  const frac = (a % p).toString().padStart(scale, '0').replace(/0+$/, '');
  const s = `${neg ? '-' : ''}${a / p}${frac ? '.' + frac : ''}`;
  return s === '-0' ? '0' : s;
}

/** Count and an order-independent checksum of row texts. */
export function textChecksum(texts: string[]): { n: number; sum: number } {
  let sum = 0;
  for (const s of texts) {
    let h = 0x811c9dc5;
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    sum = (sum + (h >>> 0)) % 9007199254740881;
  }
  return { n: texts.length, sum };
}

export async function sameArrowRows(db: Engine, sql = ARROW_SQL): Promise<{ same: boolean; rows: number }> {
  return compare(await arrowIpcBytes(await db.query(sql)), await db.rows(sql));
}

function compare(ipc: Uint8Array, rows: Row[]): { same: boolean; rows: number } {
  const table = tableFromIPC(ipc);
  const a = textChecksum(arrowRowTexts(table));
  const b = textChecksum(objectRowTexts(rows));
  return { same: a.n === b.n && a.sum === b.sum && table.numCols === Object.keys(rows[0] ?? {}).length, rows: a.n };
}

export async function measureArrow(
  rows: number,
  repeats: number,
  log: (s: string) => void,
  budgetMs = Infinity,
): Promise<ArrowResult> {
  const db = await benchRowsDb(rows);
  try {
    const ours: number[] = [];
    const json: number[] = [];
    const objectsMs: number[] = [];
    const strOnly: number[] = [];
    const duck: number[] = [];
    let arrowBytes = 0;
    let jsonBytes = 0;
    let check = { same: false, rows: 0 };
    // One unmeasured round first (its outputs are compared: same rows); then the three sides in turn.
    let n = repeats;
    for (let i = 0; i <= n; i++) {
      const a = await timed(async () => {
        const messages: Uint8Array[] = [];
        for await (const m of ipcMessages(recordBatches(await db.query(ARROW_SQL)))) messages.push(m);
        return messages;
      });
      const j = await timed(async () => {
        const chunks: string[] = [];
        for await (const c of jsonChunks(await db.query(ARROW_SQL))) chunks.push(c);
        return chunks;
      });
      let objects: Row[] = [];
      const o = await timed(async () => {
        objects = await db.rows(ARROW_SQL);
        const t0 = performance.now();
        const text = JSON.stringify(objects);
        return { text, stringifyMs: performance.now() - t0 };
      });
      const d = await timed(() => db.run(ARROW_SQL));
      arrowBytes = a.value.reduce((sum, m) => sum + m.byteLength, 0);
      jsonBytes = j.value.reduce((sum, c) => sum + Buffer.byteLength(c), 0);
      if (i === 0) {
        check = compare(Buffer.concat(a.value), objects);
        if (!check.same) log('  arrow: the IPC bytes do NOT decode to the same rows as the row objects');
        const streamed = (JSON.parse(j.value.join('')) as unknown[]).length;
        if (streamed !== check.rows) {
          check.same = false;
          log(`  arrow: the streamed JSON has ${streamed} rows, the Arrow ${check.rows}`);
        }
        n = Math.max(2, Math.min(repeats, Math.floor(budgetMs / (a.ms + j.ms + o.ms + d.ms))));
        continue;
      }
      ours.push(a.ms);
      json.push(j.ms);
      objectsMs.push(o.ms);
      strOnly.push(o.value.stringifyMs);
      duck.push(d.ms);
    }
    const ou = summarize(ours);
    const js = summarize(json);
    const ob = summarize(objectsMs);
    const dd = summarize(duck);
    log(
      `  arrow: ${rows} rows, ours ${ou.median} ms, JSON streamed ${js.median} ms, row objects + stringify ${ob.median} ms, DuckDB ${dd.median} ms`,
    );
    return {
      rows: check.rows,
      columns: 6,
      arrowBytes,
      jsonBytes,
      same: check.same,
      ours: ou,
      json: js,
      objects: ob,
      stringifyOnly: summarize(strOnly),
      duckdb: dd,
      jsonOverOurs: ratio(js.median, ou.median),
      objectsOverOurs: ratio(ob.median, ou.median),
      oursOverDuckdb: ratio(ou.median, dd.median),
    };
  } finally {
    db.close();
  }
}

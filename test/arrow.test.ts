import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DataType,
  DateUnit,
  MessageHeader,
  MessageReader,
  Precision,
  TimeUnit,
  Type,
  tableFromIPC,
  type Decimal,
  type Table,
  type Vector,
} from 'apache-arrow';
import { Database } from '../engine/db/database.ts';
import bindings from '@duckdb/node-bindings';
import { arrowIpcBytes, stringBytes } from '../engine/arrow/from-duckdb.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const LONG = 'a string longer than twelve bytes, stored out of line by DuckDB';

let db: Database;
beforeAll(async () => {
  db = await Database.open(':memory:');
});
afterAll(() => {
  db.close();
});

/** Run SQL through the streaming path and the Arrow encoder, then decode the IPC bytes as a client would. */
async function arrow(sql: string): Promise<Table> {
  const bytes = await arrowIpcBytes(await db.stream(sql));
  return tableFromIPC(bytes);
}

function column(table: Table, name: string): Vector {
  const v = table.getChild(name);
  if (!v) throw new Error(`no column ${name}`);
  return v;
}

function typeOf(table: Table, name: string): DataType {
  const f = table.schema.fields.find((x) => x.name === name);
  if (!f) throw new Error(`no field ${name}`);
  return f.type;
}

function decimalType(table: Table, name: string): Decimal {
  const t = typeOf(table, name);
  if (!DataType.isDecimal(t)) throw new Error(`${name} is ${String(t)}, not Decimal`);
  return t;
}

/** One 128-bit little-endian two's-complement value from four Uint32 words. */
function unscaledAt(words: Uint32Array, i: number): bigint {
  let v = 0n;
  for (let k = 3; k >= 0; k--) v = (v << 32n) | BigInt(words[i * 4 + k] ?? 0);
  return BigInt.asIntN(128, v);
}

/** Every unscaled value of a Decimal column (null where the row is NULL), across all batches. */
function unscaled(v: Vector): (bigint | null)[] {
  const out: (bigint | null)[] = [];
  for (const d of v.data) {
    const words = d.values as Uint32Array;
    for (let i = 0; i < d.length; i++) out.push(d.getValid(i) ? unscaledAt(words, i) : null);
  }
  return out;
}

/** Raw fixed-width values of a single-batch column, with null where invalid. */
function raw<T>(v: Vector): (T | null)[] {
  expect(v.data).toHaveLength(1);
  const d = v.data[0];
  if (!d) throw new Error('no data');
  const values = d.values as ArrayLike<T>;
  return Array.from({ length: d.length }, (_, i) => (d.getValid(i) ? (values[i] as T) : null));
}

describe('integers', () => {
  it('INTEGER → Int32 with edge values and NULL', async () => {
    const t = await arrow(
      `SELECT x FROM (VALUES (1, (-2147483648)::INTEGER), (2, 2147483647::INTEGER), (3, NULL), (4, 0)) v(id, x) ORDER BY id`,
    );
    const ty = typeOf(t, 'x');
    expect(ty.typeId).toBe(Type.Int);
    expect(DataType.isInt(ty) && ty.bitWidth === 32 && ty.isSigned).toBe(true);
    expect(String(ty)).toBe('Int32');
    const x = column(t, 'x');
    expect(x.length).toBe(4);
    expect([x.get(0), x.get(1), x.get(2), x.get(3)]).toEqual([-2147483648, 2147483647, null, 0]);
    expect(x.nullCount).toBe(1);
  });

  it('BIGINT → Int64 as exact bigint', async () => {
    const t = await arrow(
      `SELECT x FROM (VALUES (1, 1152921504606846976::BIGINT), (2, (-9223372036854775808)::BIGINT),
                             (3, 9223372036854775807::BIGINT), (4, NULL), (5, 9007199254740993::BIGINT)) v(id, x) ORDER BY id`,
    );
    const ty = typeOf(t, 'x');
    expect(DataType.isInt(ty) && ty.bitWidth === 64 && ty.isSigned).toBe(true);
    expect(String(ty)).toBe('Int64');
    const x = column(t, 'x');
    expect([x.get(0), x.get(1), x.get(2), x.get(3), x.get(4)]).toEqual([
      1152921504606846976n,
      -9223372036854775808n,
      9223372036854775807n,
      null,
      9007199254740993n, // 2^53 + 1: not representable as a JS number
    ]);
    expect(raw<bigint>(x)).toEqual([
      1152921504606846976n,
      -9223372036854775808n,
      9223372036854775807n,
      null,
      9007199254740993n,
    ]);
  });
});

describe('DECIMAL → Decimal128, exact', () => {
  it('DECIMAL(20,6) (int128 in DuckDB): 1702.89 is unscaled 1702890000', async () => {
    const t = await arrow(
      `SELECT x FROM (VALUES (1, 1702.89::DECIMAL(20,6)), (2, (-3.5)::DECIMAL(20,6)), (3, 0::DECIMAL(20,6)), (4, NULL),
                             (5, 99999999999999.999999::DECIMAL(20,6)), (6, (-99999999999999.999999)::DECIMAL(20,6)),
                             (7, 0.000001::DECIMAL(20,6))) v(id, x) ORDER BY id`,
    );
    const ty = decimalType(t, 'x');
    expect(ty.scale).toBe(6);
    expect(ty.precision).toBe(20);
    expect(ty.bitWidth).toBe(128);
    expect(unscaled(column(t, 'x'))).toEqual([
      1702890000n,
      -3500000n,
      0n,
      null,
      99999999999999999999n,
      -99999999999999999999n,
      1n,
    ]);
    expect(column(t, 'x').nullCount).toBe(1);
  });

  it('DECIMAL(4,1) (int16 in DuckDB) is sign-extended to 128 bits', async () => {
    const t = await arrow(
      `SELECT x FROM (VALUES (1, 999.9::DECIMAL(4,1)), (2, (-999.9)::DECIMAL(4,1)), (3, NULL), (4, (-0.1)::DECIMAL(4,1))) v(id, x) ORDER BY id`,
    );
    const ty = decimalType(t, 'x');
    expect([ty.scale, ty.precision, ty.bitWidth]).toEqual([1, 4, 128]);
    expect(unscaled(column(t, 'x'))).toEqual([9999n, -9999n, null, -1n]);
  });

  it('DECIMAL(5,2) (int32 in DuckDB)', async () => {
    const t = await arrow(
      `SELECT x FROM (VALUES (1, 123.45::DECIMAL(5,2)), (2, (-999.99)::DECIMAL(5,2)), (3, 0::DECIMAL(5,2)), (4, NULL),
                             (5, 999.99::DECIMAL(5,2))) v(id, x) ORDER BY id`,
    );
    const ty = decimalType(t, 'x');
    expect([ty.scale, ty.precision, ty.bitWidth]).toEqual([2, 5, 128]);
    expect(unscaled(column(t, 'x'))).toEqual([12345n, -99999n, 0n, null, 99999n]);
  });

  it('DECIMAL(18,3) (int64 in DuckDB)', async () => {
    const t = await arrow(
      `SELECT x FROM (VALUES (1, 999999999999999.999::DECIMAL(18,3)), (2, (-999999999999999.999)::DECIMAL(18,3)),
                             (3, NULL), (4, (-123.4)::DECIMAL(18,3)), (5, 0::DECIMAL(18,3))) v(id, x) ORDER BY id`,
    );
    const ty = decimalType(t, 'x');
    expect([ty.scale, ty.precision, ty.bitWidth]).toEqual([3, 18, 128]);
    expect(unscaled(column(t, 'x'))).toEqual([999999999999999999n, -999999999999999999n, null, -123400n, 0n]);
  });

  it('DECIMAL(38,10) (int128 in DuckDB) at the limits of its width', async () => {
    const t = await arrow(
      `SELECT x FROM (VALUES (1, 9999999999999999999999999999.9999999999::DECIMAL(38,10)),
                             (2, (-9999999999999999999999999999.9999999999)::DECIMAL(38,10)),
                             (3, 123.45::DECIMAL(38,10)), (4, NULL), (5, (-0.0000000001)::DECIMAL(38,10))) v(id, x) ORDER BY id`,
    );
    const ty = decimalType(t, 'x');
    expect([ty.scale, ty.precision, ty.bitWidth]).toEqual([10, 38, 128]);
    expect(unscaled(column(t, 'x'))).toEqual([10n ** 38n - 1n, -(10n ** 38n - 1n), 1234500000000n, null, -1n]);
  });
});

describe('other scalar types', () => {
  it('DOUBLE → Float64 (signed zero, NULL, NaN and infinities kept)', async () => {
    const t = await arrow(
      `SELECT x FROM (VALUES (1, 1.5::DOUBLE), (2, '-0.0'::DOUBLE), (3, NULL), (4, 'nan'::DOUBLE), (5, 'inf'::DOUBLE),
                             (6, '-inf'::DOUBLE), (7, 0.1::DOUBLE + 0.2::DOUBLE)) v(id, x) ORDER BY id`,
    );
    const ty = typeOf(t, 'x');
    expect(ty.typeId).toBe(Type.Float);
    expect(DataType.isFloat(ty) && ty.precision === Precision.DOUBLE).toBe(true);
    const x = column(t, 'x');
    expect(x.get(0)).toBe(1.5);
    expect(Object.is(x.get(1), -0)).toBe(true);
    expect(x.get(2)).toBeNull();
    expect(Number.isNaN(x.get(3))).toBe(true);
    expect(x.get(4)).toBe(Infinity);
    expect(x.get(5)).toBe(-Infinity);
    expect(x.get(6)).toBe(0.30000000000000004);
    expect(x.nullCount).toBe(1);
  });

  it('VARCHAR → Utf8: CJK, empty, inline (≤ 12 bytes) and out-of-line strings', async () => {
    // NULL strings are tested in a child process below (see 'VARCHAR NULLs'), as they can crash the process.
    const t = await arrow(
      `SELECT x FROM (VALUES (1, '深圳市龙岗区'), (2, ''), (3, '${LONG}'), (4, 'twelve bytes'),
                             (5, 'thirteen byte'), (6, '龙岗'), (7, 'x')) v(id, x) ORDER BY id`,
    );
    expect(typeOf(t, 'x').typeId).toBe(Type.Utf8);
    const x = column(t, 'x');
    expect(x.toArray()).toEqual(['深圳市龙岗区', '', LONG, 'twelve bytes', 'thirteen byte', '龙岗', 'x']);
    expect(x.nullCount).toBe(0);
    // 深圳市龙岗区 is 18 UTF-8 bytes: out of line in DuckDB; 'twelve bytes' is exactly 12: inline.
    expect(new TextEncoder().encode('深圳市龙岗区').length).toBe(18);
  });

  it('BOOLEAN → Bool', async () => {
    const t = await arrow(`SELECT x FROM (VALUES (1, true), (2, false), (3, NULL), (4, true)) v(id, x) ORDER BY id`);
    expect(typeOf(t, 'x').typeId).toBe(Type.Bool);
    expect(column(t, 'x').toArray()).toEqual([true, false, null, true]);
    expect(column(t, 'x').nullCount).toBe(1);
  });

  it('DATE → DateDay (days since the epoch, before it too)', async () => {
    const t = await arrow(
      `SELECT x FROM (VALUES (1, DATE '2021-01-01'), (2, DATE '1970-01-01'), (3, DATE '1900-02-28'), (4, NULL)) v(id, x) ORDER BY id`,
    );
    const ty = typeOf(t, 'x');
    expect(DataType.isDate(ty) && ty.unit === DateUnit.DAY).toBe(true);
    const x = column(t, 'x');
    expect(raw<number>(x)).toEqual([18628, 0, -25509, null]);
    expect([x.get(0), x.get(1), x.get(2), x.get(3)]).toEqual([Date.UTC(2021, 0, 1), 0, Date.UTC(1900, 1, 28), null]);
  });

  it('TIMESTAMP → Timestamp(MICROSECOND), no time zone', async () => {
    const t = await arrow(
      `SELECT x FROM (VALUES (1, TIMESTAMP '2021-01-01 12:00:00'), (2, NULL), (3, TIMESTAMP '1969-12-31 23:59:59.000001')) v(id, x) ORDER BY id`,
    );
    const ty = typeOf(t, 'x');
    expect(DataType.isTimestamp(ty) && ty.unit === TimeUnit.MICROSECOND).toBe(true);
    expect(DataType.isTimestamp(ty) ? ty.timezone : 'x').toBeNull();
    const x = column(t, 'x');
    expect(raw<bigint>(x)).toEqual([1609502400000000n, null, -999999n]);
    expect(x.get(0)).toBe(Date.UTC(2021, 0, 1, 12));
  });
});

describe('VARCHAR as plain Utf8, read from DuckDB string records in runs', () => {
  it('5,000 rows of 7 repeated values (inline and out-of-line, CJK, empty) come back exactly', async () => {
    const names = [
      '一般公共服务支出',
      'reception',
      '',
      'vehicle_operation',
      '深圳市龙岗区大数据中心',
      'x',
      'overseas_travel',
    ];
    const list = names.map((n) => `'${n}'`).join(', ');
    const t = await arrow(`SELECT [${list}][(i % 7)::INTEGER + 1] AS s, i FROM range(5000) r(i) ORDER BY i`);
    expect(typeOf(t, 's').typeId).toBe(Type.Utf8);
    expect(t.numRows).toBe(5000);
    expect(column(t, 's').toArray()).toEqual(Array.from({ length: 5000 }, (_, i) => names[i % 7]));
  });

  it('batches grow 1, 2, 4, 8, 8 … chunks; every row and the IPC message sequence are right', async () => {
    const n = 100_000;
    const bytes = await arrowIpcBytes(
      await db.stream(`SELECT i, '第' || i || '行：一般公共服务支出（合成）' AS s FROM range(${n}) r(i) ORDER BY i`),
    );
    const t = tableFromIPC(bytes);
    expect(t.numRows).toBe(n);
    expect(t.batches.map((b) => b.numRows).slice(0, 5)).toEqual([2048, 4096, 8192, 16384, 16384]);
    const i = column(t, 'i').toArray() as BigInt64Array;
    const s = column(t, 's').toArray() as string[];
    let wrong = 0;
    for (let k = 0; k < n; k++) {
      if (i[k] !== BigInt(k)) wrong++;
      if (s[k] !== `第${k}行：一般公共服务支出（合成）`) wrong++;
    }
    expect(wrong).toBe(0);
    const kinds: string[] = [];
    const reader = new MessageReader(bytes);
    for (const m of reader) {
      kinds.push(MessageHeader[m.headerType] ?? '?');
      if (m.bodyLength > 0) reader.readMessageBody(m.bodyLength);
    }
    expect(kinds[0]).toBe('Schema');
    expect(kinds.filter((x) => x === 'Schema')).toHaveLength(1);
    expect(kinds.filter((x) => x === 'RecordBatch')).toHaveLength(t.batches.length);
  });

  it('strings whose heap addresses are out of row order are read right (sorted, then read in runs)', () => {
    // DuckDB's query results keep a chunk's strings in row order; a vector written in a shuffled order does not.
    const n = 2048;
    const chunk = bindings.create_data_chunk([bindings.create_logical_type(bindings.Type.VARCHAR)]);
    const vector = bindings.data_chunk_get_vector(chunk, 0);
    bindings.vector_ensure_validity_writable(vector);
    // vector_get_validity hands back a copy: set the bits there, then copy them into the vector.
    const validity = bindings.vector_get_validity(vector, (n / 64) * 8);
    const order = Array.from({ length: n }, (_, i) => (i * 769) % n); // a permutation: 769 is prime to 2048
    const value = (i: number) => (i % 7 === 0 ? `短${i}` : `第${i}行，一个存放在堆上的较长字符串`);
    for (const i of order) {
      if (i % 11 === 0) bindings.validity_set_row_invalid(validity, i);
      else bindings.vector_assign_string_element(vector, i, value(i));
    }
    bindings.copy_data_to_vector_validity(
      vector,
      0,
      validity.buffer as ArrayBuffer,
      validity.byteOffset,
      validity.length,
    );
    bindings.data_chunk_set_size(chunk, n);
    const { offsets, bytes } = stringBytes(vector, n);
    const decoder = new TextDecoder();
    let wrong = 0;
    for (let i = 0; i < n; i++) {
      const got = decoder.decode(bytes.subarray(offsets[i], offsets[i + 1]));
      if (got !== (i % 11 === 0 ? '' : value(i))) wrong++;
    }
    expect(wrong).toBe(0);
    expect(offsets[n]).toBe(bytes.length);
  });

  it('chunks of odd sizes (not multiples of 8) are joined with their NULLs and booleans in place', async () => {
    // UNION ALL of small ranges: DuckDB hands these over as chunks of 3, 5, 13 … rows.
    const sizes = [3, 5, 13, 1, 2100, 7, 11, 2049];
    const sql = sizes
      .map(
        (m, k) => `SELECT ${k} AS part, j,
          CASE WHEN (j + ${k}) % 3 = 0 THEN NULL ELSE 'part ${k} row ' || j || ' 一个较长的值' END AS s,
          CASE WHEN j % 4 = 0 THEN NULL ELSE (j + ${k}) % 2 = 0 END AS b,
          CASE WHEN j % 5 = 0 THEN NULL ELSE j::DECIMAL(20,6) / 100 END AS d
        FROM range(${m}) r(j)`,
      )
      .join(' UNION ALL ');
    const t = await arrow(`SELECT * FROM (${sql}) ORDER BY part, j`);
    const total = sizes.reduce((a, b) => a + b, 0);
    expect(t.numRows).toBe(total);
    const part = column(t, 'part').toArray() as Int32Array;
    const j = column(t, 'j').toArray() as BigInt64Array;
    const s = column(t, 's');
    const b = column(t, 'b');
    const d = column(t, 'd');
    let wrong = 0;
    let nulls = 0;
    for (let r = 0; r < total; r++) {
      const k = part[r]!;
      const jj = Number(j[r]);
      const es = (jj + k) % 3 === 0 ? null : `part ${k} row ${jj} 一个较长的值`;
      const eb = jj % 4 === 0 ? null : (jj + k) % 2 === 0;
      if (s.get(r) !== es) wrong++;
      if (b.get(r) !== eb) wrong++;
      if ((d.get(r) === null) !== (jj % 5 === 0)) wrong++;
      if (es === null) nulls++;
    }
    expect(wrong).toBe(0);
    expect(s.nullCount).toBe(nulls);
  });
});

describe('NULLs and empty results keep their types', () => {
  it('an all-NULL INTEGER column stays Int32 (not Utf8)', async () => {
    const t = await arrow(`SELECT NULL::INTEGER AS i, NULL::DECIMAL(20,6) AS d, NULL::DATE AS dt FROM range(5)`);
    expect(String(typeOf(t, 'i'))).toBe('Int32');
    expect(decimalType(t, 'd').scale).toBe(6);
    expect(typeOf(t, 'dt').typeId).toBe(Type.Date);
    expect(t.numRows).toBe(5);
    for (const name of ['i', 'd', 'dt']) {
      expect(column(t, name).nullCount).toBe(5);
      expect(column(t, name).length).toBe(5);
    }
    expect(column(t, 'i').get(4)).toBeNull();
  });

  it('an all-NULL INTEGER column over several chunks stays Int32', async () => {
    const t = await arrow(`SELECT NULL::INTEGER AS i FROM range(5000)`);
    expect(String(typeOf(t, 'i'))).toBe('Int32');
    expect(t.numRows).toBe(5000);
    expect(column(t, 'i').nullCount).toBe(5000);
  });

  it('an empty result still carries the schema', async () => {
    const t = await arrow(
      `SELECT 1::INTEGER AS a, 'x'::VARCHAR AS b, 1.5::DECIMAL(20,6) AS c, DATE '2021-01-01' AS d,
              2::BIGINT AS e, true AS f, 1.5::DOUBLE AS g, TIMESTAMP '2021-01-01' AS h WHERE false`,
    );
    expect(t.numRows).toBe(0);
    expect(t.schema.fields.map((f) => f.name)).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
    expect(String(typeOf(t, 'a'))).toBe('Int32');
    expect(typeOf(t, 'b').typeId).toBe(Type.Utf8);
    const c = decimalType(t, 'c');
    expect([c.scale, c.precision]).toEqual([6, 20]);
    expect(typeOf(t, 'd').typeId).toBe(Type.Date);
    expect(String(typeOf(t, 'e'))).toBe('Int64');
    expect(typeOf(t, 'f').typeId).toBe(Type.Bool);
    expect(typeOf(t, 'g').typeId).toBe(Type.Float);
    expect(typeOf(t, 'h').typeId).toBe(Type.Timestamp);
  });
});

describe('large results', () => {
  it('1,000,000 rows × 3 columns round-trip', async () => {
    const started = Date.now();
    const t = await arrow(
      `SELECT i::INTEGER AS a, (i * 0.01)::DECIMAL(20,6) AS amt, 'u' || (i % 100) AS s FROM range(1000000) r(i)`,
    );
    const ms = Date.now() - started;
    expect(t.numRows).toBe(1_000_000);
    expect(t.schema.fields.map((f) => String(f.type.typeId))).toEqual([
      String(Type.Int),
      String(Type.Decimal),
      String(Type.Utf8),
    ]);
    const a = column(t, 'a');
    const s = column(t, 's');
    for (const i of [0, 1, 2047, 2048, 123456, 500000, 999999]) {
      expect(a.get(i)).toBe(i);
      expect(s.get(i)).toBe(`u${i % 100}`);
    }
    const amt = unscaled(column(t, 'amt'));
    expect(amt).toHaveLength(1_000_000);
    expect(amt[0]).toBe(0n);
    expect(amt[123456]).toBe(1234560000n); // 1234.56
    expect(amt[999999]).toBe(9999990000n); // 9999.99
    let sum = 0n;
    for (const v of amt) sum += v ?? 0n;
    expect(sum).toBe(4999995000000000n); // 0.01 × Σ i = 4,999,995,000 × 10^6 unscaled
    expect(ms).toBeLessThan(15_000);
  });
});

interface ChildColumn {
  type: string;
  nulls: number;
  values: (string | number | boolean | null)[];
}
interface ChildRun {
  status: number | null;
  signal: string | null;
  stderr: string;
  rows?: number;
  columns?: Record<string, ChildColumn>;
}

/**
 * Run one query through the encoder and the IPC decoder in a fresh child process and hand back what was decoded.
 * VARCHAR NULLs are tested this way: the encoder reads NULL rows' string records (see the regression tests below), which
 * can crash the process with SIGSEGV, and a native crash must not take down the worker and this file's other tests.
 */
function decodeInChild(sql: string): ChildRun {
  const script = `
    import { Database } from './engine/db/database.ts';
    import { arrowIpcBytes } from './engine/arrow/from-duckdb.ts';
    import { tableFromIPC } from 'apache-arrow';
    const db = await Database.open(':memory:');
    const t = tableFromIPC(await arrowIpcBytes(await db.stream(${JSON.stringify(sql)})));
    const columns = {};
    for (const f of t.schema.fields) {
      const v = t.getChild(f.name);
      const values = [];
      for (let i = 0; i < v.length; i++) {
        const x = v.get(i);
        values.push(typeof x === 'bigint' ? String(x) : x);
      }
      columns[f.name] = { type: String(f.type), nulls: v.nullCount, values };
    }
    process.stdout.write(JSON.stringify({ rows: t.numRows, columns }));
  `;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const run: ChildRun = { status: r.status, signal: r.signal, stderr: r.stderr };
  if (r.status === 0) Object.assign(run, JSON.parse(r.stdout) as Pick<ChildRun, 'rows' | 'columns'>);
  return run;
}

function childColumn(run: ChildRun, name: string): ChildColumn {
  expect({ status: run.status, signal: run.signal, stderr: run.stderr }).toEqual({
    status: 0,
    signal: null,
    stderr: '',
  });
  const c = run.columns?.[name];
  if (!c) throw new Error(`no column ${name}`);
  return c;
}

describe('VARCHAR NULLs (each query in a fresh child process)', () => {
  it('Utf8 with NULLs among CJK, empty and out-of-line strings', () => {
    const run = decodeInChild(
      `SELECT x FROM (VALUES (1, '深圳市龙岗区'), (2, NULL), (3, ''), (4, '${LONG}'), (5, NULL), (6, 'x')) v(id, x) ORDER BY id`,
    );
    const x = childColumn(run, 'x');
    expect(x.type).toBe('Utf8');
    expect(x.nulls).toBe(2);
    expect(x.values).toEqual(['深圳市龙岗区', null, '', LONG, null, 'x']);
  });

  it('an all-NULL VARCHAR column stays Utf8', () => {
    const run = decodeInChild(`SELECT NULL::VARCHAR AS x, NULL::INTEGER AS i FROM range(5)`);
    const x = childColumn(run, 'x');
    expect(x.type).toBe('Utf8');
    expect(x.nulls).toBe(5);
    expect(x.values).toEqual([null, null, null, null, null]);
    expect(childColumn(run, 'i').type).toBe('Int32');
  });

  it('a repeated short-value column keeps its NULLs (full chunks)', () => {
    const run = decodeInChild(
      `SELECT CASE WHEN i % 5 = 0 THEN NULL ELSE 'val' || (i % 3) END AS s FROM range(4096) r(i) ORDER BY i`,
    );
    const s = childColumn(run, 's');
    expect(run.rows).toBe(4096);
    expect(s.type).toBe('Utf8');
    expect(s.nulls).toBe(820);
    expect(s.values).toEqual(Array.from({ length: 4096 }, (_, i) => (i % 5 === 0 ? null : `val${i % 3}`)));
  });

  // Regression (was a bug, fixed): the string reader (now stringBytes in engine/arrow/from-duckdb.ts) read every
  // row's 16-byte string record, NULL rows included, and followed its pointer whenever the length was > 12.
  // DuckDB leaves NULL rows' records uninitialised: in a chunk that is not full (here the 952-row second chunk of
  // 3,000 rows) they hold stale bytes, so a garbage length and pointer were dereferenced: SIGSEGV.
  it('plain Utf8: 3,000 rows, every fifth NULL, long unique strings', () => {
    const run = decodeInChild(
      `SELECT CASE WHEN i % 5 = 0 THEN NULL ELSE 'unique long string value number ' || i END AS s FROM range(3000) r(i)`,
    );
    const s = childColumn(run, 's');
    expect(run.rows).toBe(3000);
    expect(s.type).toBe('Utf8');
    expect(s.nulls).toBe(600);
    expect(s.values).toEqual(
      Array.from({ length: 3000 }, (_, i) => (i % 5 === 0 ? null : `unique long string value number ${i}`)),
    );
  });

  // Regression (was a bug, fixed): same cause, through the former dictionary path.
  it('repeated long values: 5,000 rows, every fifth NULL, three long values', () => {
    const run = decodeInChild(
      `SELECT CASE WHEN i % 5 = 0 THEN NULL ELSE 'a longer value than twelve ' || (i % 3) END AS s FROM range(5000) r(i)`,
    );
    const s = childColumn(run, 's');
    expect(run.rows).toBe(5000);
    expect(s.type).toBe('Utf8');
    expect(s.nulls).toBe(1000);
    expect(s.values).toEqual(
      Array.from({ length: 5000 }, (_, i) => (i % 5 === 0 ? null : `a longer value than twelve ${i % 3}`)),
    );
  });
});

import { Readable } from 'node:stream';
import bindings from '@duckdb/node-bindings';
import { DuckDBDecimalType, DuckDBTypeId, type DuckDBDataChunk, type DuckDBType } from '@duckdb/node-api';
import {
  Binary,
  Bool,
  DateDay,
  Decimal,
  Field,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  Int8,
  RecordBatch,
  RecordBatchStreamWriter,
  Schema,
  Struct,
  TimestampMicrosecond,
  TimestampMillisecond,
  TimestampNanosecond,
  TimestampSecond,
  Uint16,
  Uint32,
  Uint64,
  Uint8,
  Utf8,
  Type,
  makeData,
  type Data,
  type DataType,
} from 'apache-arrow';
import type { ChunkStream, Column } from '../db/database.ts';

/**
 * Encodes DuckDB result chunks as Arrow record batches straight from DuckDB's typed column vectors:
 * fixed-width values are copied as bytes, strings from DuckDB's string records, with no row objects between.
 *
 * VARCHAR travels as plain Utf8. Dictionary encoding was tried: it needs every value as a JS string (or a
 * hash of its bytes) to find repeats, which made the encoding 5× slower for 35% of the bytes on loopback.
 */
export class ArrowEncoder {
  readonly schema: Schema;

  constructor(readonly columns: Column[]) {
    this.schema = new Schema(columns.map((c) => new Field(c.name, arrowType(c.type), true)));
  }

  /** One Data per column for one DuckDB chunk. */
  encodeColumns(chunk: DuckDBDataChunk): Data[] {
    const n = chunk.rowCount;
    return this.columns.map((col, i) => {
      const vector = bindings.data_chunk_get_vector(chunk.chunk, i);
      return encodeVector(vector, n, col.type, () => chunk.getColumnVector(i));
    });
  }

  /** One record batch from several chunks' columns (in order). */
  batch(parts: Data[][]): RecordBatch {
    if (parts.length === 1) return batchOf(this.schema, parts[0]![0]?.length ?? 0, parts[0]!);
    const children = this.schema.fields.map((_f, c) => concatData(parts.map((p) => p[c]!)));
    return batchOf(this.schema, children[0]?.length ?? 0, children);
  }

  /** An empty batch carrying the schema, for results with no rows. */
  empty(): RecordBatch {
    return batchOf(
      this.schema,
      0,
      this.schema.fields.map((f) => emptyData(f.type)),
    );
  }
}

/** The Arrow type a DuckDB type maps to. Types without a direct mapping travel as their text form. */
export function arrowType(type: DuckDBType): DataType {
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return new Bool();
    case DuckDBTypeId.TINYINT:
      return new Int8();
    case DuckDBTypeId.SMALLINT:
      return new Int16();
    case DuckDBTypeId.INTEGER:
      return new Int32();
    case DuckDBTypeId.BIGINT:
      return new Int64();
    case DuckDBTypeId.UTINYINT:
      return new Uint8();
    case DuckDBTypeId.USMALLINT:
      return new Uint16();
    case DuckDBTypeId.UINTEGER:
      return new Uint32();
    case DuckDBTypeId.UBIGINT:
      return new Uint64();
    case DuckDBTypeId.FLOAT:
      return new Float32();
    case DuckDBTypeId.DOUBLE:
      return new Float64();
    case DuckDBTypeId.HUGEINT:
      return new Decimal(0, 38, 128);
    case DuckDBTypeId.DECIMAL: {
      const d = type as DuckDBDecimalType;
      return new Decimal(d.scale, d.width, 128);
    }
    case DuckDBTypeId.DATE:
      return new DateDay();
    case DuckDBTypeId.TIMESTAMP:
      return new TimestampMicrosecond();
    case DuckDBTypeId.TIMESTAMP_TZ:
      return new TimestampMicrosecond('UTC');
    case DuckDBTypeId.TIMESTAMP_S:
      return new TimestampSecond();
    case DuckDBTypeId.TIMESTAMP_MS:
      return new TimestampMillisecond();
    case DuckDBTypeId.TIMESTAMP_NS:
      return new TimestampNanosecond();
    case DuckDBTypeId.BLOB:
      return new Binary();
    default:
      return new Utf8();
  }
}

type RawVector = ReturnType<typeof bindings.data_chunk_get_vector>;
type FixedArray =
  | Int8ArrayConstructor
  | Int16ArrayConstructor
  | Int32ArrayConstructor
  | BigInt64ArrayConstructor
  | Uint8ArrayConstructor
  | Uint16ArrayConstructor
  | Uint32ArrayConstructor
  | BigUint64ArrayConstructor
  | Float32ArrayConstructor
  | Float64ArrayConstructor;

const fixedWidth: Partial<Record<DuckDBTypeId, FixedArray>> = {
  [DuckDBTypeId.TINYINT]: Int8Array,
  [DuckDBTypeId.SMALLINT]: Int16Array,
  [DuckDBTypeId.INTEGER]: Int32Array,
  [DuckDBTypeId.BIGINT]: BigInt64Array,
  [DuckDBTypeId.UTINYINT]: Uint8Array,
  [DuckDBTypeId.USMALLINT]: Uint16Array,
  [DuckDBTypeId.UINTEGER]: Uint32Array,
  [DuckDBTypeId.UBIGINT]: BigUint64Array,
  [DuckDBTypeId.FLOAT]: Float32Array,
  [DuckDBTypeId.DOUBLE]: Float64Array,
  [DuckDBTypeId.DATE]: Int32Array,
  [DuckDBTypeId.TIMESTAMP]: BigInt64Array,
  [DuckDBTypeId.TIMESTAMP_TZ]: BigInt64Array,
  [DuckDBTypeId.TIMESTAMP_S]: BigInt64Array,
  [DuckDBTypeId.TIMESTAMP_MS]: BigInt64Array,
  [DuckDBTypeId.TIMESTAMP_NS]: BigInt64Array,
};

function encodeVector(
  vector: RawVector,
  n: number,
  type: DuckDBType,
  fallback: () => { getItem(i: number): unknown },
): Data {
  const arrow = arrowType(type);
  const { nullBitmap, nullCount } = validityOf(vector, n);
  const Fixed = fixedWidth[type.typeId];
  if (Fixed) {
    const raw = bindings.vector_get_data(vector, n * Fixed.BYTES_PER_ELEMENT);
    const data = new Fixed(n);
    new Uint8Array(data.buffer).set(raw);
    return makeData({ type: arrow as never, length: n, nullCount, nullBitmap, data: data as never });
  }
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN: {
      const raw = bindings.vector_get_data(vector, n);
      const bits = new Uint8Array((n + 7) >> 3);
      for (let i = 0; i < n; i++) if (raw[i]) bits[i >> 3]! |= 1 << (i & 7);
      return makeData({ type: new Bool(), length: n, nullCount, nullBitmap, data: bits });
    }
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.DECIMAL: {
      const width = type.typeId === DuckDBTypeId.HUGEINT ? 38 : (type as DuckDBDecimalType).width;
      return makeData({
        type: arrow as Decimal,
        length: n,
        nullCount,
        nullBitmap,
        data: decimal128(vector, n, width),
      });
    }
    case DuckDBTypeId.VARCHAR:
    case DuckDBTypeId.BLOB: {
      const { offsets, bytes } = stringBytes(vector, n);
      return makeData({
        type: arrow as Utf8,
        length: n,
        nullCount,
        nullBitmap,
        valueOffsets: offsets,
        data: bytes,
      });
    }
    default: {
      // Nested and rarer types (LIST, STRUCT, INTERVAL, UUID, TIME …) travel as DuckDB's text form.
      const v = fallback();
      const enc = new TextEncoder();
      const parts: Uint8Array[] = [];
      const offsets = new Int32Array(n + 1);
      let total = 0;
      for (let i = 0; i < n; i++) {
        const item = v.getItem(i);
        const b = item === null || item === undefined ? new Uint8Array(0) : enc.encode(String(item));
        parts.push(b);
        total += b.length;
        offsets[i + 1] = total;
      }
      const bytes = Buffer.concat(parts, total);
      return makeData({ type: new Utf8(), length: n, nullCount, nullBitmap, valueOffsets: offsets, data: bytes });
    }
  }
}

/** DuckDB's validity mask (uint64 words, bit set = valid) has Arrow's bitmap layout: copy its bytes. */
function validityOf(vector: RawVector, n: number): { nullBitmap: Uint8Array | undefined; nullCount: number } {
  const words = Math.ceil(n / 64);
  const raw = bindings.vector_get_validity(vector, words * 8) as Uint8Array | null | undefined;
  if (!raw) return { nullBitmap: undefined, nullCount: 0 };
  const bitmap = new Uint8Array((n + 7) >> 3);
  bitmap.set(raw.subarray(0, bitmap.length));
  let valid = 0;
  for (let i = 0; i < n; i++) if (bitmap[i >> 3]! & (1 << (i & 7))) valid++;
  if (valid === n) return { nullBitmap: undefined, nullCount: 0 };
  return { nullBitmap: bitmap, nullCount: n - valid };
}

/** DECIMAL is stored as int16/32/64/128 by width; Arrow wants 128-bit little-endian two's complement. */
function decimal128(vector: RawVector, n: number, width: number): Uint32Array {
  const out = new Uint32Array(n * 4);
  if (width > 18) {
    const raw = bindings.vector_get_data(vector, n * 16);
    new Uint8Array(out.buffer).set(raw);
    return out;
  }
  const out64 = new BigInt64Array(out.buffer);
  const bytes = width <= 4 ? 2 : width <= 9 ? 4 : 8;
  const raw = bindings.vector_get_data(vector, n * bytes);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  for (let i = 0; i < n; i++) {
    const v =
      bytes === 2
        ? BigInt(view.getInt16(i * 2, true))
        : bytes === 4
          ? BigInt(view.getInt32(i * 4, true))
          : view.getBigInt64(i * 8, true);
    out64[i * 2] = v;
    out64[i * 2 + 1] = v < 0n ? -1n : 0n;
  }
  return out;
}

/**
 * The bytes of a VARCHAR/BLOB vector as Arrow wants them (offsets + one data buffer), straight from DuckDB's
 * string records (16 bytes each: uint32 length, then 12 inline bytes, or a 4-byte prefix and a pointer).
 *
 * Strings of up to 12 bytes are copied from the records. Longer ones live in DuckDB's string heaps; reading
 * them one native call (`get_data_from_pointer`) per value is what made this path slow, so the pointers are
 * sorted and grouped into runs whose gaps are under 4,096 bytes, and each run is read with one call. A gap that
 * short lies within the page of the byte before it or the page of the byte after it, both of which hold string
 * data, so a run never touches a page that is not mapped. No value is decoded to a JS string on the way.
 */
export function stringBytes(vector: RawVector, n: number): { offsets: Int32Array; bytes: Uint8Array } {
  const data = bindings.vector_get_data(vector, n * 16);
  const raw = data.byteOffset % 4 === 0 ? data : data.slice();
  const words = new Uint32Array(raw.buffer, raw.byteOffset, n * 4);
  // The string records of NULL rows are not initialised: never read (let alone follow) them.
  const validity = bindings.vector_get_validity(vector, Math.ceil(n / 64) * 8) as Uint8Array | null | undefined;
  const offsets = new Int32Array(n + 1);
  let total = 0;
  let longCount = 0;
  for (let i = 0; i < n; i++) {
    if (validity && !((validity[i >> 3] as number) & (1 << (i & 7)))) {
      offsets[i + 1] = total;
      continue;
    }
    const len = words[i * 4]!;
    if (len > 12) longCount++;
    total += len;
    offsets[i + 1] = total;
  }
  const bytes = new Uint8Array(total);
  if (longCount === 0) {
    for (let i = 0; i < n; i++) {
      const at = offsets[i]!;
      const len = offsets[i + 1]! - at;
      for (let k = 0; k < len; k++) bytes[at + k] = raw[i * 16 + 4 + k]!;
    }
    return { offsets, bytes };
  }
  // Long strings: their rows and addresses, in row order.
  const rows = new Int32Array(longCount);
  const addr = new Float64Array(longCount);
  let m = 0;
  for (let i = 0; i < n; i++) {
    const at = offsets[i]!;
    const len = offsets[i + 1]! - at;
    if (len <= 12) {
      for (let k = 0; k < len; k++) bytes[at + k] = raw[i * 16 + 4 + k]!;
      continue;
    }
    addr[m] = words[i * 4 + 3]! * 4294967296 + words[i * 4 + 2]!;
    rows[m++] = i;
  }
  // DuckDB writes a chunk's strings one after another into a few heap blocks, so runs in row order are the
  // rule; values scattered over many places (a join's output, say) are put in address order first.
  let order: Int32Array | undefined;
  if (countRuns(addr, m) > Math.max(8, m >> 3)) {
    order = new Int32Array(m);
    for (let q = 0; q < m; q++) order[q] = q;
    order.sort((x, y) => addr[x]! - addr[y]!);
  }
  const record = raw.buffer as ArrayBuffer;
  let r = 0;
  while (r < m) {
    const q0 = order ? order[r]! : r;
    const first = rows[q0]!;
    const start = addr[q0]!;
    let end = start + offsets[first + 1]! - offsets[first]!;
    let s = r + 1;
    for (; s < m; s++) {
      const q = order ? order[s]! : s;
      const a = addr[q]!;
      if (a < start || a - end >= 4096) break;
      const row = rows[q]!;
      const e = a + offsets[row + 1]! - offsets[row]!;
      if (e > end) end = e;
    }
    const run = bindings.get_data_from_pointer(record, raw.byteOffset + first * 16 + 8, end - start);
    // Copy maximal stretches that are contiguous both in the run and in the output with one set().
    let t = r;
    while (t < s) {
      const qt = order ? order[t]! : t;
      const from = addr[qt]! - start;
      const out = offsets[rows[qt]!]!;
      let to = from + offsets[rows[qt]! + 1]! - out;
      let u = t + 1;
      for (; u < s; u++) {
        const qu = order ? order[u]! : u;
        const row = rows[qu]!;
        if (addr[qu]! - start !== to || offsets[row]! !== out + (to - from)) break;
        to += offsets[row + 1]! - offsets[row]!;
      }
      bytes.set(run.subarray(from, to), out);
      t = u;
    }
    r = s;
  }
  return { offsets, bytes };
}

/** About how many runs (native calls) reading the long strings in row order would take. */
function countRuns(addr: Float64Array, m: number): number {
  if (m === 0) return 0;
  let runs = 1;
  let start = addr[0]!;
  let end = start;
  for (let q = 0; q < m; q++) {
    const a = addr[q]!;
    if (a < start || a - end >= 4096) {
      runs++;
      start = a;
      end = a;
    }
    end = Math.max(end, a + 13);
  }
  return runs;
}

/** Several Data of one column, in order, as one (values, offsets and bitmaps copied into new buffers). */
function concatData(parts: Data[]): Data {
  const type = parts[0]!.type;
  let length = 0;
  let nullCount = 0;
  for (const d of parts) {
    length += d.length;
    nullCount += d.nullCount;
  }
  const nullBitmap =
    nullCount > 0 ? concatBits(parts, length, (d) => d.nullBitmap as Uint8Array | undefined) : undefined;
  if (type.typeId === Type.Utf8 || type.typeId === Type.Binary) {
    const offsets = new Int32Array(length + 1);
    let size = 0;
    for (const d of parts) size += (d.values as Uint8Array).length;
    const bytes = new Uint8Array(size);
    let row = 0;
    let base = 0;
    for (const d of parts) {
      const o = d.valueOffsets as Int32Array;
      for (let i = 1; i <= d.length; i++) offsets[row + i] = base + o[i]!;
      bytes.set(d.values as Uint8Array, base);
      base += (d.values as Uint8Array).length;
      row += d.length;
    }
    return makeData({ type: type as Utf8, length, nullCount, nullBitmap, valueOffsets: offsets, data: bytes });
  }
  if (type.typeId === Type.Bool) {
    const bits = concatBits(parts, length, (d) => d.values as Uint8Array);
    return makeData({ type: type as Bool, length, nullCount, nullBitmap, data: bits });
  }
  const first = parts[0]!.values as Uint8Array;
  const Ctor = first.constructor as new (n: number) => Uint8Array;
  let size = 0;
  for (const d of parts) size += (d.values as Uint8Array).length;
  const values = new Ctor(size);
  let at = 0;
  for (const d of parts) {
    values.set(d.values as Uint8Array, at);
    at += (d.values as Uint8Array).length;
  }
  return makeData({ type: type as never, length, nullCount, nullBitmap, data: values as never });
}

/** Bit-packed buffers (validity or booleans) of consecutive Data as one; a part without a bitmap is all ones. */
function concatBits(parts: Data[], length: number, bitsOf: (d: Data) => Uint8Array | undefined): Uint8Array {
  const out = new Uint8Array((length + 7) >> 3);
  let at = 0;
  for (const d of parts) {
    const src = bitsOf(d);
    const n = d.length;
    if (!src) {
      for (let i = 0; i < n; i++) out[(at + i) >> 3]! |= 1 << ((at + i) & 7);
    } else if ((at & 7) === 0) {
      out.set(src.subarray(0, (n + 7) >> 3), at >> 3);
      const rest = n & 7;
      if (rest) out[(at + n) >> 3]! &= (1 << rest) - 1;
    } else {
      for (let i = 0; i < n; i++) {
        const k = at + i;
        if (src[i >> 3]! & (1 << (i & 7))) out[k >> 3]! |= 1 << (k & 7);
        else out[k >> 3]! &= ~(1 << (k & 7));
      }
    }
    at += n;
  }
  return out;
}

function emptyData(type: DataType): Data {
  return makeData({ type: type as never, length: 0, nullCount: 0 });
}

function batchOf(schema: Schema, n: number, children: Data[]): RecordBatch {
  return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: n, nullCount: 0, children }));
}

/**
 * Record batches for a streaming result. The first batch is one DuckDB chunk (the first rows show at once);
 * later batches take twice as many chunks each, up to 8 (16,384 rows): fewer, larger IPC messages.
 * An empty batch when there are no rows.
 */
export async function* recordBatches(result: ChunkStream, maxChunks = 8): AsyncGenerator<RecordBatch> {
  const encoder = new ArrowEncoder(result.columns);
  let parts: Data[][] = [];
  let want = 1;
  let any = false;
  for await (const chunk of result.chunks) {
    any = true;
    parts.push(encoder.encodeColumns(chunk));
    if (parts.length >= want) {
      yield encoder.batch(parts);
      parts = [];
      want = Math.min(maxChunks, want * 2);
    }
  }
  if (parts.length > 0) yield encoder.batch(parts);
  else if (!any) yield encoder.empty();
}

/**
 * An Arrow IPC stream writer that hands back each message's bytes at once, as one buffer, instead of queueing
 * them piece by piece (a few dozen pieces a batch) for a Node stream.
 */
class CollectingStreamWriter extends RecordBatchStreamWriter {
  private parts: Uint8Array[] = [];

  protected override _write(v: ArrayBufferView): this {
    if (this._started && v.byteLength > 0) {
      this.parts.push(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
      this._position += v.byteLength;
    }
    return this;
  }

  /**
   * The bytes written since the last call (schema and/or record batches): small pieces (message headers,
   * padding, short buffers) merged, large body buffers passed through as views without a copy.
   */
  take(): Uint8Array[] {
    const out: Uint8Array[] = [];
    let small: Uint8Array[] = [];
    for (const p of this.parts) {
      if (p.length < 65536) {
        small.push(p);
        continue;
      }
      if (small.length > 0) out.push(Buffer.concat(small));
      small = [];
      out.push(p);
    }
    if (small.length > 0) out.push(Buffer.concat(small));
    this.parts = [];
    return out;
  }
}

/** The end-of-stream marker: continuation token, then a zero length. */
const EOS = new Uint8Array(Int32Array.of(-1, 0).buffer);

/** The IPC stream of some record batches: a few buffers per batch (the first also carries the schema). */
export async function* ipcMessages(batches: AsyncIterable<RecordBatch>): AsyncGenerator<Uint8Array> {
  const writer = new CollectingStreamWriter();
  for await (const batch of batches) {
    writer.write(batch);
    yield* writer.take();
  }
  yield EOS.slice();
}

/** An Arrow IPC stream of the result as a Node Readable: batches are encoded as the reader pulls them. */
export function arrowIpcStream(result: ChunkStream): Readable {
  return Readable.from(ipcMessages(recordBatches(result)), { objectMode: false });
}

/** The whole IPC stream in memory (for small results and tests). */
export async function arrowIpcBytes(result: ChunkStream): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const b of ipcMessages(recordBatches(result))) parts.push(b);
  return Buffer.concat(parts);
}

import { Readable } from 'node:stream';
import bindings from '@duckdb/node-bindings';
import { DuckDBDecimalType, DuckDBTypeId, type DuckDBDataChunk, type DuckDBType } from '@duckdb/node-api';
import {
  Binary,
  Bool,
  DateDay,
  Decimal,
  Dictionary,
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
  Vector,
  makeData,
  type Data,
  type DataType,
} from 'apache-arrow';
import type { ChunkStream, Column } from '../db/database.ts';

/**
 * Encodes DuckDB result chunks as Arrow record batches straight from DuckDB's typed column vectors:
 * fixed-width values are copied as bytes, strings from DuckDB's string records, with no row objects between.
 */
export class ArrowEncoder {
  private schema: Schema | undefined;
  private readonly dict = new Map<number, DictionaryState>();
  private nextDictId = 0;

  constructor(readonly columns: Column[]) {}

  /** One record batch for one DuckDB chunk. */
  encode(chunk: DuckDBDataChunk): RecordBatch {
    const n = chunk.rowCount;
    if (!this.schema) this.schema = this.planSchema(chunk);
    const children = this.columns.map((col, i) => {
      const vector = bindings.data_chunk_get_vector(chunk.chunk, i);
      const state = this.dict.get(i);
      if (state) return encodeDictionary(vector, n, state);
      return encodeVector(vector, n, col.type, () => chunk.getColumnVector(i));
    });
    return batchOf(this.schema, n, children);
  }

  /** An empty batch carrying the schema, for results with no rows. */
  empty(): RecordBatch {
    this.schema ??= new Schema(this.columns.map((c) => new Field(c.name, arrowType(c.type), true)));
    return batchOf(
      this.schema,
      0,
      this.schema.fields.map((f) => emptyData(f.type)),
    );
  }

  private planSchema(first: DuckDBDataChunk): Schema {
    const fields = this.columns.map((col, i) => {
      if (col.type.typeId === DuckDBTypeId.VARCHAR && worthDictionary(first, i)) {
        const id = this.nextDictId++;
        const type = new Dictionary(new Utf8(), new Int32(), id);
        this.dict.set(i, { type, map: new Map(), chunks: [], vector: undefined });
        return new Field(col.name, type, true);
      }
      return new Field(col.name, arrowType(col.type), true);
    });
    return new Schema(fields);
  }
}

interface DictionaryState {
  type: Dictionary<Utf8, Int32>;
  map: Map<string, number>;
  chunks: Data<Utf8>[];
  vector: Vector<Utf8> | undefined;
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
      const bytes = new Uint8Array(total);
      let at = 0;
      for (const p of parts) {
        bytes.set(p, at);
        at += p.length;
      }
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

/** Read DuckDB string records (16 bytes: length, then 12 inline bytes or a 4-byte prefix and a pointer). */
function forEachString(vector: RawVector, n: number, fn: (i: number, bytes: Uint8Array) => void): void {
  const raw = bindings.vector_get_data(vector, n * 16);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  // The string records of NULL rows are not initialised: never read (let alone follow) them.
  const validity = bindings.vector_get_validity(vector, Math.ceil(n / 64) * 8) as Uint8Array | null | undefined;
  for (let i = 0; i < n; i++) {
    if (validity && !((validity[i >> 3] as number) & (1 << (i & 7)))) {
      fn(i, EMPTY);
      continue;
    }
    const off = i * 16;
    const len = view.getUint32(off, true);
    if (len === 0) fn(i, EMPTY);
    else if (len <= 12) fn(i, new Uint8Array(raw.buffer, raw.byteOffset + off + 4, len));
    else fn(i, bindings.get_data_from_pointer(raw.buffer as ArrayBuffer, raw.byteOffset + off + 8, len));
  }
}
const EMPTY = new Uint8Array(0);

function stringBytes(vector: RawVector, n: number): { offsets: Int32Array; bytes: Uint8Array } {
  const offsets = new Int32Array(n + 1);
  let cap = Math.max(64, n * 16);
  let bytes = new Uint8Array(cap);
  let total = 0;
  forEachString(vector, n, (i, b) => {
    if (total + b.length > cap) {
      while (total + b.length > cap) cap *= 2;
      const grown = new Uint8Array(cap);
      grown.set(bytes.subarray(0, total));
      bytes = grown;
    }
    bytes.set(b, total);
    total += b.length;
    offsets[i + 1] = total;
  });
  return { offsets, bytes: bytes.slice(0, total) };
}

const decoder = new TextDecoder();

/** Dictionary-encode when the first chunk repeats its values: at most half as many distinct values as rows. */
function worthDictionary(chunk: DuckDBDataChunk, col: number): boolean {
  const n = chunk.rowCount;
  if (n < 16) return false;
  const seen = new Set<string>();
  const vector = bindings.data_chunk_get_vector(chunk.chunk, col);
  forEachString(vector, n, (_i, b) => {
    seen.add(decoder.decode(b));
  });
  return seen.size <= n / 2;
}

function encodeDictionary(vector: RawVector, n: number, state: DictionaryState): Data {
  const { nullBitmap, nullCount } = validityOf(vector, n);
  const indices = new Int32Array(n);
  const fresh: string[] = [];
  forEachString(vector, n, (i, b) => {
    if (nullBitmap && !(nullBitmap[i >> 3]! & (1 << (i & 7)))) return;
    const s = decoder.decode(b);
    let k = state.map.get(s);
    if (k === undefined) {
      k = state.map.size;
      state.map.set(s, k);
      fresh.push(s);
    }
    indices[i] = k;
  });
  // New values go out as a dictionary delta: the earlier chunks stay the same objects.
  if (fresh.length > 0 || !state.vector) {
    state.chunks.push(utf8Data(fresh));
    state.vector = new Vector(state.chunks.slice());
  }
  return makeData({ type: state.type, length: n, nullCount, nullBitmap, data: indices, dictionary: state.vector });
}

function utf8Data(values: string[]): Data<Utf8> {
  const enc = new TextEncoder();
  const parts = values.map((v) => enc.encode(v));
  const offsets = new Int32Array(values.length + 1);
  let total = 0;
  parts.forEach((p, i) => {
    total += p.length;
    offsets[i + 1] = total;
  });
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.length;
  }
  return makeData({ type: new Utf8(), length: values.length, nullCount: 0, valueOffsets: offsets, data: bytes });
}

function emptyData(type: DataType): Data {
  return makeData({ type: type as never, length: 0, nullCount: 0 });
}

function batchOf(schema: Schema, n: number, children: Data[]): RecordBatch {
  return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: n, nullCount: 0, children }));
}

/** Record batches for a streaming result, one per DuckDB chunk (an empty batch when there are no rows). */
export async function* recordBatches(result: ChunkStream): AsyncGenerator<RecordBatch> {
  const encoder = new ArrowEncoder(result.columns);
  let any = false;
  for await (const chunk of result.chunks) {
    any = true;
    yield encoder.encode(chunk);
  }
  if (!any) yield encoder.empty();
}

/** An Arrow IPC stream of the result as a Node Readable: batches are encoded as the reader pulls them. */
export function arrowIpcStream(result: ChunkStream): Readable {
  return Readable.from(recordBatches(result)).pipe(RecordBatchStreamWriter.throughNode());
}

/** The whole IPC stream in memory (for small results and tests). */
export async function arrowIpcBytes(result: ChunkStream): Promise<Uint8Array> {
  const parts: Buffer[] = [];
  for await (const b of arrowIpcStream(result)) parts.push(Buffer.from(b as Uint8Array));
  return new Uint8Array(Buffer.concat(parts));
}

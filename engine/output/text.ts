import { stringify } from 'csv-stringify/sync';
import { DuckDBTypeId } from '@duckdb/node-api';
import type { Cell, ChunkStream } from '../db/database.ts';
import { toCell } from '../db/database.ts';
import { displayWidth } from '../width.ts';

export { displayWidth };

/** Rows of a streaming result as Cells, chunk by chunk. */
export async function* cellRows(result: ChunkStream): AsyncGenerator<Cell[]> {
  const types = result.columns.map((c) => c.type);
  for await (const chunk of result.chunks) {
    for (const values of chunk.getRows()) yield values.map((v, i) => toCell(v, types[i]));
  }
}

export function cellText(c: Cell): string {
  if (c === null) return '';
  return typeof c === 'string' ? c : String(c);
}

/** CSV with a header row; DECIMAL exact. A BOM in front when asked (so Excel reads UTF-8 Chinese). */
export async function* csvChunks(result: ChunkStream, bom = false): AsyncGenerator<string> {
  yield (bom ? '\ufeff' : '') + stringify([result.columns.map((c) => c.name)]);
  let batch: string[][] = [];
  for await (const row of cellRows(result)) {
    batch.push(row.map(cellText));
    if (batch.length >= 2048) {
      yield stringify(batch);
      batch = [];
    }
  }
  if (batch.length) yield stringify(batch);
}

/** A JSON array of row objects; DECIMAL and BIGINT written as exact JSON number literals. */
export async function* jsonChunks(result: ChunkStream): AsyncGenerator<string> {
  const names = result.columns.map((c) => JSON.stringify(c.name));
  const numericText = result.columns.map((c) =>
    [DuckDBTypeId.DECIMAL, DuckDBTypeId.HUGEINT, DuckDBTypeId.BIGINT, DuckDBTypeId.UBIGINT].includes(c.type.typeId),
  );
  yield '[';
  let first = true;
  for await (const row of cellRows(result)) {
    const fields = row.map((v, i) => `${names[i]}:${jsonValue(v, numericText[i] ?? false)}`);
    yield (first ? '\n' : ',\n') + '{' + fields.join(',') + '}';
    first = false;
  }
  yield first ? ']\n' : '\n]\n';
}

function jsonValue(v: Cell, numeric: boolean): string {
  if (v === null) return 'null';
  if (numeric) return String(v);
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number' && !Number.isFinite(v)) return 'null';
  return JSON.stringify(v);
}

/** An aligned text table (numbers right-aligned), for the terminal. */
export async function textTable(result: ChunkStream, maxRows = 10_000): Promise<string> {
  const rows: string[][] = [];
  let more = 0;
  for await (const row of cellRows(result)) {
    if (rows.length < maxRows) rows.push(row.map((c) => (c === null ? 'NULL' : cellText(c))));
    else more++;
  }
  const head = result.columns.map((c) => c.name);
  const numeric = result.columns.map((c) =>
    [
      DuckDBTypeId.DECIMAL,
      DuckDBTypeId.INTEGER,
      DuckDBTypeId.BIGINT,
      DuckDBTypeId.DOUBLE,
      DuckDBTypeId.HUGEINT,
      DuckDBTypeId.SMALLINT,
      DuckDBTypeId.TINYINT,
      DuckDBTypeId.FLOAT,
    ].includes(c.type.typeId),
  );
  const widths = head.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))));
  const pad = (s: string, i: number) => {
    const gap = ' '.repeat(Math.max(0, (widths[i] ?? 0) - displayWidth(s)));
    return numeric[i] ? gap + s : s + gap;
  };
  const line = (cells: string[]) => cells.map(pad).join('  ').trimEnd();
  const out = [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
  out.push(`(${rows.length + more} row${rows.length + more === 1 ? '' : 's'}${more ? `, ${more} not shown` : ''})`);
  return out.join('\n') + '\n';
}

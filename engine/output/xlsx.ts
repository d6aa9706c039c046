import { DuckDBTypeId } from '@duckdb/node-api';
import type { ChunkStream } from '../db/database.ts';
import { cellRows } from './text.ts';

const NUMERIC = new Set<DuckDBTypeId>([
  DuckDBTypeId.DECIMAL,
  DuckDBTypeId.INTEGER,
  DuckDBTypeId.BIGINT,
  DuckDBTypeId.SMALLINT,
  DuckDBTypeId.TINYINT,
  DuckDBTypeId.DOUBLE,
  DuckDBTypeId.FLOAT,
  DuckDBTypeId.HUGEINT,
  DuckDBTypeId.UINTEGER,
  DuckDBTypeId.UBIGINT,
]);

/** A workbook: the result with numbers as numeric cells, and a second sheet with the SQL, the sources and the time. */
export async function xlsxWorkbook(result: ChunkStream, about: { sql: string; sources: string[] }): Promise<Buffer> {
  // Loaded here, not at start-up: exceljs takes ~0.35 s to load, which every `budget` command would pay.
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.created = new Date();
  const ws = wb.addWorksheet('result');
  ws.addRow(result.columns.map((c) => c.name)).font = { bold: true };
  const numeric = result.columns.map((c) => NUMERIC.has(c.type.typeId));
  const decimals = result.columns.map((c) =>
    c.type.typeId === DuckDBTypeId.DECIMAL ? (c.type as unknown as { scale: number }).scale : 0,
  );
  for await (const row of cellRows(result)) {
    ws.addRow(
      row.map((v, i) => (v === null ? null : numeric[i] ? Number(v) : typeof v === 'bigint' ? v.toString() : v)),
    );
  }
  result.columns.forEach((c, i) => {
    const col = ws.getColumn(i + 1);
    col.width = Math.min(40, Math.max(10, c.name.length + 2));
    if (c.type.typeId === DuckDBTypeId.DECIMAL && (decimals[i] ?? 0) > 0) col.numFmt = '#,##0.00';
  });
  const meta = wb.addWorksheet('about');
  meta.addRow(['sql', about.sql]);
  meta.addRow(['exported at', new Date().toISOString()]);
  about.sources.forEach((s, i) => meta.addRow([i === 0 ? 'source documents' : '', s]));
  meta.getColumn(1).width = 18;
  meta.getColumn(2).width = 100;
  return Buffer.from(await wb.xlsx.writeBuffer());
}

import { load } from 'js-yaml';

/**
 * A pivot cell (```pivot NAME): a named cell's result turned to rows × columns, with a total for each row and
 * each column. Its body (YAML or JSON) names the data cell and three of its columns:
 *
 *     data: by_class        # the query cell whose result is pivoted
 *     rows: func_name       # one row per distinct value
 *     columns: fiscal_year  # one column per distinct value (at most MAX_COLUMNS)
 *     values: total         # summed into each cell (DECIMAL stays exact)
 *
 * The pivot runs on the server as SQL over the data cell (which becomes a CTE, as for any query cell), so its
 * result exports like any other; the column values are read first, then written into the SQL as literals.
 */
export interface PivotSpec {
  data: string;
  rows: string;
  columns: string;
  values: string;
}

export const MAX_COLUMNS = 60;
/** The label of the total row and of the total column. */
export const TOTAL = '合计';

export function parsePivot(source: string): { spec: PivotSpec } | { error: string } {
  let raw: unknown;
  try {
    raw = load(source);
  } catch (e) {
    return { error: `pivot: not YAML or JSON (${(e as Error).message.split('\n')[0]})` };
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    return { error: 'pivot: expected data, rows, columns and values' };
  const o = raw as Record<string, unknown>;
  const missing = ['data', 'rows', 'columns', 'values'].filter((k) => typeof o[k] !== 'string' || o[k] === '');
  if (missing.length)
    return { error: `pivot: missing ${missing.join(', ')} (each the name of a column, data a cell's name)` };
  const spec = { data: o['data'], rows: o['rows'], columns: o['columns'], values: o['values'] } as PivotSpec;
  if (new Set([spec.rows, spec.columns, spec.values]).size < 3)
    return { error: 'pivot: rows, columns and values must be three different columns' };
  return { spec };
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** The SQL that lists the column values, in order (read before the pivot itself is written). */
export function columnValuesSql(spec: PivotSpec): string {
  const c = quoteIdent(spec.columns);
  return `SELECT DISTINCT ${c}::VARCHAR AS c FROM ${quoteIdent(spec.data)} WHERE ${c} IS NOT NULL ORDER BY 1`;
}

/**
 * The pivot: a row per distinct `rows` value and a last row 合计; a column per value of `columns` (as read) and a
 * last column 合计; each cell the sum of `values`. Rows without any value are kept (their cells NULL).
 */
export function pivotSql(spec: PivotSpec, columnValues: string[]): { sql: string } | { error: string } {
  if (columnValues.length > MAX_COLUMNS)
    return {
      error: `pivot: ${columnValues.length} distinct values of ${spec.columns}, more than the ${MAX_COLUMNS} columns a pivot shows`,
    };
  const r = quoteIdent(spec.rows);
  const c = quoteIdent(spec.columns);
  const v = quoteIdent(spec.values);
  const cols = columnValues.map((x) => `sum(${v}) FILTER (WHERE ${c}::VARCHAR = ${literal(x)}) AS ${quoteIdent(x)}`);
  const label = `CASE WHEN grouping(${r}) = 1 THEN ${literal(TOTAL)} ELSE ${r}::VARCHAR END AS ${r}`;
  const sql = [
    `SELECT ${[label, ...cols, `sum(${v}) AS ${quoteIdent(TOTAL)}`].join(',\n       ')}`,
    `FROM ${quoteIdent(spec.data)}`,
    `GROUP BY GROUPING SETS ((${r}), ())`,
    `ORDER BY grouping(${r}), ${r}`,
  ].join('\n');
  return { sql };
}

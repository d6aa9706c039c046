/** The fact schema of the analyst contract (CONTRACT.md §1), as data: DDL, loading, validation and export use it. */
export type ColumnType = 'varchar' | 'integer' | 'decimal' | 'boolean' | 'double' | 'timestamp';

export interface ColumnDef {
  name: string;
  type: ColumnType;
  /** Required in a canonical file (provenance columns are optional there). */
  required?: boolean;
}

export interface FactTable {
  /** The contract's view name. */
  view: string;
  /** The table behind it. */
  table: string;
  columns: ColumnDef[];
}

const SQL_TYPE: Record<ColumnType, string> = {
  varchar: 'VARCHAR',
  integer: 'INTEGER',
  decimal: 'DECIMAL(20,6)',
  boolean: 'BOOLEAN',
  double: 'DOUBLE',
  timestamp: 'TIMESTAMP',
};
export const sqlType = (t: ColumnType): string => SQL_TYPE[t];

const v = (name: string, required = true): ColumnDef => ({ name, type: 'varchar', required });
const i = (name: string, required = true): ColumnDef => ({ name, type: 'integer', required });
const d = (name: string, required = true): ColumnDef => ({ name, type: 'decimal', required });

/** Provenance and identity columns shared by every fact view. */
export const COMMON: ColumnDef[] = [
  v('doc_id', false),
  v('department'),
  v('unit'),
  v('unit_level'),
  i('fiscal_year'),
  v('stage'),
  i('vintage', false),
  { name: 'derived', type: 'boolean', required: false },
  v('source_table', false),
  i('source_page', false),
  i('source_line', false),
];

function fact(view: string, own: ColumnDef[], withAmount = true): FactTable {
  return { view, table: `fact_${view}`, columns: [...COMMON, ...own, ...(withAmount ? [d('amount')] : [])] };
}

export const FACT_TABLES: FactTable[] = [
  fact(
    'spending_by_function',
    [
      v('func_code'),
      v('func_name'),
      i('func_level'),
      v('func_parent_code', false),
      d('total'),
      d('basic', false),
      d('project', false),
    ],
    false,
  ),
  fact('spending_by_economic', [v('spending_type'), v('econ_code', false), v('econ_name'), i('econ_level')]),
  fact('revenue_by_source', [v('source'), i('source_level', false), v('parent_source', false)]),
  fact('sangong', [v('category'), v('category_name', false)]),
  fact('procurement', [v('item_code', false), v('item_name'), i('item_level'), v('procurement_type')]),
  fact('projects', [v('project')]),
  fact(
    'performance_targets',
    [
      v('project', false),
      v('level1', false),
      v('level2', false),
      v('indicator'),
      v('target', false),
      { name: 'target_value', type: 'double', required: false },
      v('target_unit', false),
    ],
    false,
  ),
  fact('budget_totals', [v('measure')]),
  fact('unit_facts', [v('fact'), d('value'), v('measure_unit', false)], false),
];

export const DOCUMENTS: FactTable = {
  view: 'documents',
  table: 'doc_registry',
  columns: [
    v('doc_id'),
    v('department'),
    i('doc_year'),
    v('stage'),
    v('title'),
    v('source_file'),
    v('sha256'),
    v('format'),
    { name: 'loaded_at', type: 'timestamp' },
    i('line_count', false),
    { name: 'synthetic', type: 'boolean', required: false },
  ],
};

export const RECONCILIATION: FactTable = {
  view: 'reconciliation',
  table: 'recon_findings',
  columns: [
    v('doc_id'),
    v('check_id'),
    v('scope'),
    d('expected', false),
    d('actual', false),
    d('difference', false),
    v('severity'),
    v('source_lines', false),
    v('message'),
  ],
};

/**
 * What the reader made of each table of a document (contract v2, per-document coverage): recognized tables
 * with their kind, pages, unit, rows read, amounts printed and amounts that became facts or checks; tables
 * whose title names no known kind with status 'unrecognized'.
 */
export const COVERAGE: FactTable = {
  view: 'coverage',
  table: 'doc_coverage',
  columns: [
    v('doc_id'),
    v('table_no', false),
    v('table_kind', false),
    v('title'),
    i('source_line', false),
    v('pages', false),
    v('unit', false),
    i('rows_read', false),
    i('amounts_printed', false),
    i('amounts_used', false),
    v('status'),
  ],
};

/** Every table a document's load writes to, keyed by view name. */
export const ALL_TABLES: FactTable[] = [DOCUMENTS, ...FACT_TABLES, RECONCILIATION, COVERAGE];
export const TABLE_BY_VIEW = new Map(ALL_TABLES.map((t) => [t.view, t]));

export const MONEY_COLUMNS = new Set(['amount', 'total', 'basic', 'project', 'expected', 'actual', 'difference']);

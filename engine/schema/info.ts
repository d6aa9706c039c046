import type { Database } from '../db/database.ts';
import { VIEW_DESCRIPTIONS } from './descriptions.ts';
import { TABLE_BY_VIEW } from './tables.ts';

export interface SchemaInfo {
  views: {
    name: string;
    kind: 'fact' | 'analysis' | 'classification';
    description: string;
    columns: { name: string; type: string }[];
  }[];
  functions: string[];
}

/** The views a researcher queries, with columns and types, and the function names for autocomplete. */
export async function schemaInfo(db: Database): Promise<SchemaInfo> {
  const cols = await db.all(
    `SELECT c.table_name AS view, c.column_name AS name, c.data_type AS type
     FROM duckdb_columns() c JOIN duckdb_views() v ON v.view_name = c.table_name AND v.schema_name = c.schema_name AND v.database_name = c.database_name
     WHERE NOT v.internal AND v.schema_name = 'main'
     ORDER BY c.table_name, c.column_index`,
  );
  const byView = new Map<string, { name: string; type: string }[]>();
  for (const c of cols) {
    const list = byView.get(String(c['view'])) ?? [];
    list.push({ name: String(c['name']), type: String(c['type']) });
    byView.set(String(c['view']), list);
  }
  const views = [...byView.entries()]
    .filter(([name]) => !name.startsWith('_'))
    .map(([name, columns]) => ({
      name,
      kind: TABLE_BY_VIEW.has(name) // the contract's tables: fact views and registries
        ? ('fact' as const)
        : name.startsWith('classification_')
          ? ('classification' as const)
          : ('analysis' as const),
      description: VIEW_DESCRIPTIONS[name] ?? '',
      columns,
    }))
    .sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind.localeCompare(b.kind)));
  const fns = await db.all(
    `SELECT DISTINCT function_name AS f FROM duckdb_functions() WHERE function_type IN ('scalar', 'aggregate', 'macro', 'table', 'table_macro') AND function_name NOT LIKE '%$%' AND function_name ~ '^[a-z_][a-z0-9_]*$' ORDER BY 1`,
  );
  return { views, functions: fns.map((f) => String(f['f'])) };
}

import { PostgreSQL, SQLDialect } from '@codemirror/lang-sql';

/** DuckDB's dialect for the editor: PostgreSQL's grammar with DuckDB's own keywords and types. */
export const DuckDB = SQLDialect.define({
  ...PostgreSQL.spec,
  keywords:
    (PostgreSQL.spec.keywords ?? '') +
    ' qualify pivot unpivot pivot_wider pivot_longer describe summarize exclude replace columns union_by_name positional asof anti semi sample using macro install load attach detach pragma copy export import struct list map',
  types:
    (PostgreSQL.spec.types ?? '') +
    ' hugeint uhugeint ubigint uinteger usmallint utinyint tinyint varchar blob struct map list union enum decimal double',
});

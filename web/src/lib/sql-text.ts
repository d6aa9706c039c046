/** SQL text with comments removed and string literals emptied, for finding names and parameters in it. */
export function stripLiterals(sql: string): string {
  return sql
    .replace(/--[^\n]*/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/'(?:[^']|'')*'/g, "''");
}

/** The names among `names` that the SQL mentions as whole words (outside strings and comments). */
export function namesIn(sql: string, names: string[]): string[] {
  const words = new Set(stripLiterals(sql).match(/[\p{L}_][\p{L}\p{N}_]*/gu) ?? []);
  return names.filter((n) => words.has(n));
}

/**
 * The SQL with its `$name` parameters numbered (`$1`, `$2`, …: each name its number, in order of first use),
 * outside strings, comments and quoted identifiers; `order` gives the names by number. For a DuckDB that binds
 * parameters by position only (DuckDB-wasm's prepared statements). Names not in `names` are left as they are.
 */
export function positionalParams(sql: string, names: string[]): { sql: string; order: string[] } {
  const wanted = new Set(names);
  const order: string[] = [];
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i] as string;
    const next = sql[i + 1];
    let end = i + 1;
    if (ch === "'" || ch === '"') {
      end = sql.indexOf(ch, i + 1);
      while (end !== -1 && sql[end + 1] === ch) end = sql.indexOf(ch, end + 2);
      end = end === -1 ? sql.length : end + 1;
    } else if (ch === '-' && next === '-') {
      end = sql.indexOf('\n', i);
      if (end === -1) end = sql.length;
    } else if (ch === '/' && next === '*') {
      end = sql.indexOf('*/', i + 2);
      end = end === -1 ? sql.length : end + 2;
    } else if (ch === '$') {
      const m = /^\$([\p{L}_][\p{L}\p{N}_]*)/u.exec(sql.slice(i));
      if (m && wanted.has(m[1] as string)) {
        const name = m[1] as string;
        if (!order.includes(name)) order.push(name);
        out += `$${order.indexOf(name) + 1}`;
        i += m[0].length;
        continue;
      }
      if (m) end = i + m[0].length;
    }
    out += sql.slice(i, end);
    i = end;
  }
  return { sql: out, order };
}

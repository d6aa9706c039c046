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
 * outside strings (also `E'…'` and dollar-quoted), comments and quoted identifiers; `order` gives the names by
 * number. For a DuckDB that binds parameters by position only (DuckDB-wasm's prepared statements). Names not in
 * `names` are left as they are. `render` writes a numbered parameter (default `$n`).
 */
export function positionalParams(
  sql: string,
  names: string[],
  render: (n: number, name: string) => string = (n) => `$${n}`,
): { sql: string; order: string[] } {
  const wanted = new Set(names);
  const order: string[] = [];
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i] as string;
    const next = sql[i + 1];
    let end = i + 1;
    const dollarQuote = ch === '$' ? /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i)) : null;
    if (dollarQuote) {
      const close = sql.indexOf(dollarQuote[0], i + dollarQuote[0].length);
      end = close === -1 ? sql.length : close + dollarQuote[0].length;
    } else if ((ch === 'E' || ch === 'e') && next === "'" && !/[\p{L}\p{N}_]/u.test(sql[i - 1] ?? '')) {
      // An escape string: a backslash escapes the next character, a quote doubled is a quote.
      end = i + 2;
      while (end < sql.length && sql[end] !== "'") end += sql[end] === '\\' ? 2 : 1;
      while (sql[end + 1] === "'") {
        end += 2;
        while (end < sql.length && sql[end] !== "'") end += sql[end] === '\\' ? 2 : 1;
      }
      end = Math.min(sql.length, end + 1);
    } else if (ch === "'" || ch === '"') {
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
        out += render(order.indexOf(name) + 1, name);
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

/**
 * A query and its named parameters as DuckDB-wasm binds them: by position, and a JS number always as a DOUBLE.
 * A whole number the server would bind as an INTEGER (DuckDB's Node client does) is cast back to one, so that a
 * query answers the same in the browser as on the server.
 */
export function wasmQuery(
  sql: string,
  params: (string | number | boolean | null)[] | Record<string, string | number | boolean | null> | undefined,
): { sql: string; values: (string | number | boolean | null)[] } {
  if (Array.isArray(params)) return { sql, values: params };
  const named = params ?? {};
  const isInt = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && Math.abs(v) < 2 ** 31;
  const p = positionalParams(sql, Object.keys(named), (n, name) =>
    isInt(named[name]) ? `CAST($${n} AS INTEGER)` : `$${n}`,
  );
  return { sql: p.sql, values: p.order.map((n) => named[n] ?? null) };
}

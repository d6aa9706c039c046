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

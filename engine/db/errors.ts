/** An error from DuckDB, with the SQL that caused it and the 0-based character position DuckDB pointed at. */
export class QueryError extends Error {
  readonly sql: string;
  readonly position: number | undefined;
  /** DuckDB's error class, e.g. "Parser Error", "Binder Error", "Permission Error". */
  readonly kind: string | undefined;

  constructor(message: string, sql: string, position?: number, kind?: string) {
    super(message);
    this.name = 'QueryError';
    this.sql = sql;
    this.position = position;
    this.kind = kind;
  }

  /** Wrap whatever DuckDB threw. */
  static from(cause: unknown, sql: string): QueryError {
    if (cause instanceof QueryError) return cause;
    const raw = cause instanceof Error ? cause.message : String(cause);
    const clean = raw.replace(/^Failed to extract statements: /, '');
    const kind = /^([A-Z][A-Za-z ]*Error):/.exec(clean)?.[1];
    const position = positionOf(clean, sql);
    return new QueryError(firstParagraph(clean) + aliasHint(clean, sql, position), sql, position, kind);
  }

  toJSON(): { message: string; position?: number } {
    return this.position === undefined ? { message: this.message } : { message: this.message, position: this.position };
  }
}

/** A refusal of input (a document, a canonical file): where and why. */
export class InputError extends Error {
  readonly file: string;
  readonly line: number | undefined;

  constructor(file: string, line: number | undefined, reason: string) {
    super(`${file}${line === undefined ? '' : `:${line}`}: ${reason}`);
    this.name = 'InputError';
    this.file = file;
    this.line = line;
  }
}

function firstParagraph(message: string): string {
  const cut = message.indexOf('\n\nLINE ');
  return (cut >= 0 ? message.slice(0, cut) : message).trim();
}

/**
 * DuckDB marks the error position in its message as "LINE n: <text>" followed by a caret line.
 * Turn that into a character offset into the original SQL.
 */
export function positionOf(message: string, sql: string): number | undefined {
  const m = /\nLINE (\d+): (.*)\n( *)\^/.exec(message);
  if (!m) return undefined;
  const lineNo = Number(m[1]);
  const shown = m[2] ?? '';
  const caretCol = (m[3] ?? '').length - `LINE ${m[1]}: `.length;
  const lines = sql.split('\n');
  let offset = 0;
  for (let i = 0; i < lineNo - 1 && i < lines.length; i++) offset += (lines[i] ?? '').length + 1;
  const line = lines[lineNo - 1] ?? '';
  // Long lines are shown cut, with "..." in front: find where the shown text starts in the real line.
  const lead = shown.startsWith('...') ? 3 : 0;
  const probe = shown.slice(lead, lead + 20);
  const at = probe ? line.indexOf(probe) : 0;
  const start = at >= 0 ? at - lead : 0;
  return Math.max(0, Math.min(offset + start + caretCol, sql.length));
}

/**
 * DuckDB's parser takes some words (name, value, type …) as keywords, so `select 'x' name` fails where
 * `select 'x' AS name` works. Say so when a syntax error points at a word right after an expression.
 */
function aliasHint(message: string, sql: string, position: number | undefined): string {
  const m = /syntax error at or near "([A-Za-z_]+)"/.exec(message);
  if (!m || position === undefined) return '';
  const word = m[1] as string;
  const before = sql.slice(0, position);
  if (sql.slice(position, position + word.length).toLowerCase() !== word.toLowerCase()) return '';
  if (!/[\w'")\]]\s+$/.test(before) || /\b(as|select|from|where|by|and|or|on|join)\s+$/i.test(before)) return '';
  return ` (if "${word}" is meant as a column alias, write AS ${word}: DuckDB reads it as a keyword)`;
}

/** A database whose schema this engine cannot use (none, newer), or a reference file of datasets/ it refuses. */
export class SchemaError extends Error {
  override name = 'SchemaError';
}

import { bindParams, type BoundInput } from './inputs/binding.ts';
import type { Scalar } from './inputs/input-decl.ts';
import type { Cell } from './notebook-format.ts';

/**
 * A query cell can use another cell's result by its name: the named cells it refers to (and theirs, in
 * dependency order) become CTEs in front of its SQL. Returns the SQL to send, or an error for a cycle.
 */
export function composeSql(cells: Cell[], target: Cell): { sql: string } | { error: string } {
  const sqlCells = new Map(cells.filter((c) => c.kind === 'sql').map((c) => [c.name, c]));
  const order: Cell[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (c: Cell, path: string[]): string | undefined => {
    for (const ref of references(c.source, sqlCells, c.name)) {
      const s = state.get(ref);
      if (s === 'done') continue;
      if (s === 'visiting' || ref === target.name)
        return `cells refer to each other in a cycle: ${[...path, ref].join(' → ')}`;
      state.set(ref, 'visiting');
      const err = visit(sqlCells.get(ref) as Cell, [...path, ref]);
      if (err) return err;
      state.set(ref, 'done');
      order.push(sqlCells.get(ref) as Cell);
    }
    return undefined;
  };
  const err = visit(target, [target.name]);
  if (err) return { error: err };
  const body = stripSemicolon(target.source);
  if (order.length === 0) return { sql: body };
  const ctes = order.map((c) => `${quoteIdent(c.name)} AS (\n${stripSemicolon(c.source)}\n)`).join(',\n');
  const own = /^\s*with\s+(recursive\s+)?/i.exec(body);
  if (own) return { sql: `WITH ${own[1] ?? ''}${ctes},\n${body.slice(own[0].length)}` };
  return { sql: `WITH ${ctes}\n${body}` };
}

/** Names of other query cells that a SQL text mentions as whole words (outside quotes and comments). */
export function references(sql: string, cells: Map<string, Cell>, self: string): string[] {
  const text = sql
    .replace(/--[^\n]*/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/'(?:[^']|'')*'/g, "''");
  const found: string[] = [];
  for (const name of cells.keys()) {
    if (name === self) continue;
    const re = new RegExp(`(^|[^\\w."])"?${escapeRe(name)}"?(?![\\w"])`, 'u');
    if (re.test(text)) found.push(name);
  }
  return found;
}

/** How many characters the composed SQL puts in front of the cell's own text (to map error positions back). */
export function prefixLength(composed: string, own: string): number {
  const i = composed.lastIndexOf(stripSemicolon(own).slice(0, 40));
  return i < 0 ? 0 : i;
}

function stripSemicolon(sql: string): string {
  return sql.trim().replace(/;\s*$/, '');
}

function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The SQL to send for a cell and its prepared-statement parameters: the cells it uses become CTEs, and the
 * `$name` parameters anywhere in the composed text (its own or a used cell's) are bound from the input cells.
 * `uses` names the inputs the cell depends on, so changing one re-runs it.
 */
export function composeQuery(
  cells: Cell[],
  target: Cell,
  inputs: Map<string, BoundInput>,
): { sql: string; params: Record<string, Scalar | null>; uses: string[] } | { error: string } {
  const composed = composeSql(cells, target);
  if ('error' in composed) return composed;
  const bound = bindParams(composed.sql, inputs);
  if ('error' in bound) return bound;
  return { sql: composed.sql, params: bound.params, uses: bound.uses };
}

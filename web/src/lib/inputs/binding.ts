import { stripLiterals } from '../sql-text.ts';
import type { InputDecl, InputValue, Scalar } from './input-decl.ts';

export interface BoundInput {
  decl: InputDecl;
  /** null: no value — a chart's selection with nothing selected (inputs/selection.ts); its parameters are NULL. */
  value: InputValue | null;
}

/** The `$name` parameters a SQL text uses (outside strings and comments), each once, in order. */
export function paramRefs(sql: string): string[] {
  const text = stripLiterals(sql).replace(/"(?:[^"]|"")*"/g, '""');
  const found = new Set<string>();
  for (const m of text.matchAll(/\$([\p{L}_][\p{L}\p{N}_]*)/gu)) found.add(m[1] as string);
  return [...found];
}

/**
 * The prepared-statement parameters for a SQL text, from the notebook's inputs: `$name` for a select or a
 * number, `$name_from` / `$name_to` for a range, `$name` as a JSON array (text) for a multi-select. Values are
 * never spliced into the SQL; the server binds them. A chart's selection binds as the input it stands for
 * (selectionInput), and NULL in every parameter when nothing is selected. Also says which inputs the SQL depends on.
 */
export function bindParams(
  sql: string,
  inputs: Map<string, BoundInput>,
): { params: Record<string, Scalar | null>; uses: string[] } | { error: string } {
  const params: Record<string, Scalar | null> = {};
  const uses = new Set<string>();
  for (const ref of paramRefs(sql)) {
    const direct = inputs.get(ref);
    if (direct && direct.decl.type !== 'range') {
      params[ref] =
        direct.value === null
          ? null
          : direct.decl.type === 'multiselect'
            ? JSON.stringify(listOf(direct.value))
            : scalarOf(direct.value);
      uses.add(ref);
      continue;
    }
    if (direct) return { error: `$${ref} is a range: use $${ref}_from and $${ref}_to` };
    const m = /^(.+)_(from|to)$/u.exec(ref);
    const range = m ? inputs.get(m[1] as string) : undefined;
    if (m && range?.decl.type === 'range') {
      const [from, to] = range.value === null ? [] : listOf(range.value);
      params[ref] = (m[2] === 'from' ? from : to) ?? null;
      uses.add(m[1] as string);
      continue;
    }
    return { error: `$${ref}: no input cell named ${ref}` };
  }
  return { params, uses: [...uses] };
}

function listOf(v: InputValue): Scalar[] {
  return Array.isArray(v) ? v : [v];
}

function scalarOf(v: InputValue): Scalar | null {
  return Array.isArray(v) ? (v[0] ?? null) : v;
}

import { clone, type Spec } from '../charts/spec.ts';
import { parseSpec } from '../charts/spec-text.ts';
import type { Cell } from '../notebook-format.ts';
import type { InputDecl, InputValue, Scalar } from './input-decl.ts';

/**
 * A chart's Vega-Lite selection as a notebook input (contract v2, §5): the param's `name` is the input's name, and
 * SQL uses it as a prepared-statement parameter like any input's value.
 *
 * - A point selection on one field (`select: {type: point, fields: [F]}`, or `encodings: [x]` / `[color]`) binds
 *   `$name` to the selected value, NULL when nothing is selected: `WHERE $name IS NULL OR col = $name`. With
 *   `toggle` set (shift-click adds values) it holds several values and binds `$name` as a JSON array text, like a
 *   multi-select, still NULL when cleared: `$name IS NULL OR list_contains(from_json($name, '["VARCHAR"]'), col)`.
 * - An interval on x (`select: {type: interval, encodings: [x]}`) binds `$name_from` / `$name_to` like a range,
 *   both NULL when cleared: `$name_from IS NULL OR col BETWEEN $name_from AND $name_to`.
 *
 * Cleared is Vega-Lite's own: a click on empty space or a double-click. In the URL a selection is `in.name=…`
 * like other inputs (repeated for several values or an interval), `in.name=` (empty) when nothing is selected.
 */
export interface SelectionDecl {
  name: string;
  type: 'point' | 'interval';
  /** A point selection that sets `toggle`: it may hold several values. */
  multi: boolean;
  /** The key of the param's `value` in the spec: the field (`fields: [F]`) or the channel (`encodings: [x]`). */
  key: string;
  /** The data field it selects, where the spec names it (to give a value the type the data has). */
  field?: string;
  /** Where the selection starts when the URL does not say: the param's own `value` in the stored spec. */
  initial: SelectionValue;
}

/** A selection's value in the notebook: as an input's, or null when nothing is selected. */
export type SelectionValue = InputValue | null;

const NAME = /^[\p{L}_][\p{L}\p{N}_]*$/u;
const CHILDREN = ['layer', 'hconcat', 'vconcat', 'concat'] as const;

/** The selections a Vega-Lite spec declares in its `params` (at the top, or in its layers and concatenated views). */
export function readSelections(spec: Spec): { selections: SelectionDecl[] } | { error: string } {
  const out: SelectionDecl[] = [];
  let error: string | undefined;
  visitParams(spec, (param, view) => {
    if (error) return;
    const d = selectionOf(param, view);
    if (!d) return;
    if ('error' in d) error = d.error;
    else if (out.some((s) => s.name === d.name)) error = `selection ${d.name}: declared twice`;
    else out.push(d);
  });
  return error ? { error } : { selections: out };
}

const cache = new Map<string, { selections: SelectionDecl[] } | { error: string }>();

/** A chart cell's selections, parsed once per text of its spec (queries ask for them often); none if it does not parse. */
export function chartSelections(source: string): { selections: SelectionDecl[] } | { error: string } {
  let r = cache.get(source);
  if (!r) {
    const p = parseSpec(source);
    r = 'error' in p ? { selections: [] } : readSelections(p.spec);
    if (cache.size > 200) cache.clear();
    cache.set(source, r);
  }
  return r;
}

/**
 * The selections a notebook's chart cells declare, by name, with the chart that declares each: the inputs they
 * are besides the input cells. A name an input cell has, or an earlier chart's selection, is left out.
 */
export function notebookSelections(cells: Cell[]): Map<string, { decl: SelectionDecl; chart: string }> {
  const out = new Map<string, { decl: SelectionDecl; chart: string }>();
  const inputs = new Set(cells.filter((c) => c.kind === 'input').map((c) => c.name));
  for (const c of cells) {
    if (c.kind !== 'chart') continue;
    const r = chartSelections(c.source);
    if ('error' in r) continue;
    for (const decl of r.selections)
      if (!inputs.has(decl.name) && !out.has(decl.name)) out.set(decl.name, { decl, chart: c.name });
  }
  return out;
}

/** The input a selection stands for, for binding: a point is a select (a multi-select with toggle), an interval a range. */
export function selectionInput(s: SelectionDecl): InputDecl {
  return { type: s.type === 'interval' ? 'range' : s.multi ? 'multiselect' : 'select', label: s.name };
}

/** Whether a value is of the shape a selection holds (a value kept from before the spec changed may not be). */
export function selectionFits(s: SelectionDecl, v: SelectionValue): boolean {
  if (v === null) return true;
  if (s.type === 'interval') return Array.isArray(v) && v.length === 2;
  return s.multi ? Array.isArray(v) : !Array.isArray(v);
}

/** The notebook value of a selection's Vega signal (`{field: [values]}`, `{}` when cleared). */
export function selectionFromSignal(s: SelectionDecl, signal: unknown): SelectionValue {
  if (typeof signal !== 'object' || signal === null) return null;
  const key = Object.keys(signal).find((k) => k !== 'vlPoint');
  const raw: unknown = key === undefined ? undefined : (signal as Record<string, unknown>)[key];
  const list = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(scalar).filter((v) => v !== undefined);
  if (list.length === 0) return null;
  if (s.type === 'interval') {
    const nums = list.map(Number).filter(Number.isFinite);
    if (nums.length < 2) return null;
    return [Math.min(...nums), Math.max(...nums)];
  }
  return s.multi ? list : (list[0] as Scalar);
}

/**
 * The param's `value` that makes Vega-Lite draw a selection (undefined: nothing selected). A value is given the
 * type the chart's data has (a year read from the URL is text; the data's year is a number).
 */
export function selectionParamValue(
  s: SelectionDecl,
  v: SelectionValue,
  rows: Record<string, unknown>[] = [],
): unknown {
  if (v === null) return undefined;
  if (s.type === 'interval') {
    if (!Array.isArray(v) || v.length !== 2) return undefined;
    const [a, b] = v.map(Number);
    return Number.isFinite(a) && Number.isFinite(b) ? { x: [a, b] } : undefined;
  }
  const list = Array.isArray(v) ? v : [v];
  if (list.length === 0) return undefined;
  const typed = (x: Scalar): unknown => {
    if (!s.field) return x;
    for (const r of rows)
      if (r[s.field] !== null && r[s.field] !== undefined && String(r[s.field]) === String(x)) return r[s.field];
    return x;
  };
  return list.map((x) => ({ [s.key]: typed(x) }));
}

/**
 * The spec to draw with the selections showing the notebook's values: each selection param's `value` set (or
 * removed when nothing is selected); a single-valued point selection gets `toggle: false`, so shift-click does
 * not add values its `$name` would not hold.
 */
export function withSelections(spec: Spec, selections: SelectionDecl[], values: Record<string, SelectionValue>): Spec {
  if (selections.length === 0) return spec;
  const out = clone(spec);
  const rows = inlineRows(out);
  visitParams(out, (param) => {
    const s = selections.find((x) => x.name === param['name']);
    if (!s) return;
    const v = selectionParamValue(s, values[s.name] ?? null, rows);
    if (v === undefined) delete param['value'];
    else param['value'] = v;
    const select = param['select'];
    if (s.type === 'point' && !s.multi && typeof select === 'object' && select !== null)
      (select as Spec)['toggle'] = false;
  });
  return out;
}

/** A selection's value from the URL's `in.name` values: undefined when the URL has none or an unusable one. */
export function selectionFromUrl(s: SelectionDecl, raw: string[] | undefined): SelectionValue | undefined {
  if (!raw || raw.length === 0) return undefined;
  const list = raw.filter((x) => x !== '');
  if (list.length === 0) return null;
  if (s.type === 'interval') {
    const [a, b] = list.map(Number);
    return list.length === 2 && Number.isFinite(a) && Number.isFinite(b) ? [a as number, b as number] : undefined;
  }
  return s.multi ? list : (list[0] as string);
}

/** Two values are the same selection (a value from the URL is text, the chart's may be a number). */
export function sameSelection(a: SelectionValue | undefined, b: SelectionValue | undefined): boolean {
  const key = (v: SelectionValue | undefined) =>
    v === null || v === undefined ? 'null' : JSON.stringify(Array.isArray(v) ? v.map(String) : String(v));
  return key(a) === key(b);
}

function selectionOf(param: Spec, view: Spec): SelectionDecl | { error: string } | undefined {
  const select = param['select'];
  if (select === undefined) return undefined; // a variable param, not a selection
  const name = String(param['name'] ?? '');
  if (!NAME.test(name)) return { error: `selection ${name}: its name must be a word (letters, digits, _)` };
  const def = (typeof select === 'string' ? { type: select } : select) as Spec;
  const list = (k: string) => (Array.isArray(def[k]) ? (def[k] as unknown[]).map(String) : undefined);
  const fields = list('fields');
  const encodings = list('encodings');
  if (def['type'] === 'point') {
    const projected = fields ?? encodings;
    if (!projected || projected.length !== 1 || (fields && encodings))
      return {
        error: `selection ${name}: a point selection selects one field: select: {type: point, fields: [FIELD]}`,
      };
    const key = projected[0] as string;
    const field = fields ? key : fieldOf(view, key);
    const multi = def['toggle'] !== undefined && def['toggle'] !== false;
    const d: SelectionDecl = { name, type: 'point', multi, key, initial: null };
    if (field) d.field = field;
    d.initial = initialOf(d, param['value']);
    return d;
  }
  if (def['type'] === 'interval') {
    if (fields || encodings?.length !== 1 || encodings[0] !== 'x')
      return { error: `selection ${name}: an interval selects along x: select: {type: interval, encodings: [x]}` };
    const d: SelectionDecl = { name, type: 'interval', multi: false, key: 'x', initial: null };
    const field = fieldOf(view, 'x');
    if (field) d.field = field;
    d.initial = initialOf(d, param['value']);
    return d;
  }
  return { error: `selection ${name}: select must be point or interval (got ${String(def['type'])})` };
}

/** The notebook value of a param's `value` as written in the spec. */
function initialOf(s: SelectionDecl, v: unknown): SelectionValue {
  if (v === undefined || v === null) return null;
  if (s.type === 'interval') {
    const x = typeof v === 'object' && !Array.isArray(v) ? (v as Spec)['x'] : undefined;
    return selectionFromSignal(s, { x });
  }
  const entries = Array.isArray(v) ? v : [v];
  const values = entries.map((e) =>
    typeof e === 'object' && e !== null
      ? ((e as Spec)[s.key] ?? (s.field ? (e as Spec)[s.field] : undefined) ?? Object.values(e)[0])
      : e,
  );
  return selectionFromSignal(s, { [s.key]: values });
}

/** Call `fn` with each param object of a spec and the view it belongs to (views nest in layer, concat, facet, repeat). */
function visitParams(view: Spec, fn: (param: Spec, view: Spec) => void): void {
  const params = view['params'];
  if (Array.isArray(params))
    for (const p of params) if (typeof p === 'object' && p !== null && !Array.isArray(p)) fn(p as Spec, view);
  for (const k of CHILDREN) {
    const children = view[k];
    if (Array.isArray(children))
      for (const c of children) if (typeof c === 'object' && c !== null) visitParams(c as Spec, fn);
  }
  const inner = view['spec'];
  if (typeof inner === 'object' && inner !== null && !Array.isArray(inner)) visitParams(inner as Spec, fn);
}

/** The field a view (or the first of its layers that does) encodes on a channel. */
function fieldOf(view: Spec, channel: string): string | undefined {
  const enc = view['encoding'];
  const def = typeof enc === 'object' && enc !== null ? (enc as Spec)[channel] : undefined;
  if (typeof def === 'object' && def !== null && typeof (def as Spec)['field'] === 'string')
    return (def as Spec)['field'] as string;
  for (const k of CHILDREN) {
    const children = view[k];
    if (!Array.isArray(children)) continue;
    for (const c of children) {
      const f = typeof c === 'object' && c !== null ? fieldOf(c as Spec, channel) : undefined;
      if (f) return f;
    }
  }
  return undefined;
}

/** The rows a spec holds inline (`data: {values}`, at any level). */
function inlineRows(v: unknown, out: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (Array.isArray(v)) for (const x of v) inlineRows(x, out);
  else if (typeof v === 'object' && v !== null) {
    for (const [k, x] of Object.entries(v)) {
      if (k === 'data' && typeof x === 'object' && x !== null && Array.isArray((x as Spec)['values']))
        for (const r of (x as Spec)['values'] as unknown[]) {
          if (typeof r === 'object' && r !== null) out.push(r as Record<string, unknown>);
        }
      else if (k !== 'data') inlineRows(x, out);
    }
  }
  return out;
}

function scalar(v: unknown): Scalar | undefined {
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  return undefined;
}

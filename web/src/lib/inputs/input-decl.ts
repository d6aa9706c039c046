import { load } from 'js-yaml';

/**
 * An input cell's declaration (JSON or YAML), e.g.
 * `{type: select, label: 单位, options_from: "select distinct unit from budget_totals order by 1"}`.
 * A SQL cell uses the value as `$name`; a year range as `$name_from` and `$name_to`; a multi-select as
 * `$name`, a JSON array in text: `list_contains(from_json($name, '["VARCHAR"]'), unit)`.
 */
export type InputType = 'select' | 'multiselect' | 'range' | 'number';
export type Scalar = string | number;
/** select: a scalar; multiselect: a list; range: [from, to]; number: a number. */
export type InputValue = Scalar | Scalar[];

export interface InputDecl {
  type: InputType;
  label: string;
  /** Fixed choices, or a query whose first column lists them (distinct values, in its order). */
  options?: Scalar[];
  options_from?: string;
  default?: InputValue;
  min?: number;
  max?: number;
  step?: number;
  help?: string;
}

const ALIASES: Record<string, InputType> = {
  select: 'select',
  multiselect: 'multiselect',
  'multi-select': 'multiselect',
  multi_select: 'multiselect',
  range: 'range',
  'year-range': 'range',
  year_range: 'range',
  number: 'number',
};

export function parseInputDecl(text: string, name: string): { decl: InputDecl } | { error: string } {
  let v: unknown;
  try {
    v = load(text);
  } catch (e) {
    return { error: `input ${name}: ${(e as Error).message.split('\n')[0]}` };
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    return { error: `input ${name}: expected {type: select|multiselect|range|number, label, …}` };
  const o = v as Record<string, unknown>;
  const type = ALIASES[String(o['type'] ?? '').toLowerCase()];
  if (!type)
    return { error: `input ${name}: type must be select, multiselect, range or number (got ${String(o['type'])})` };
  const decl: InputDecl = { type, label: typeof o['label'] === 'string' ? o['label'] : name };
  if (Array.isArray(o['options'])) decl.options = o['options'].filter(isScalar);
  if (typeof o['options_from'] === 'string') decl.options_from = o['options_from'];
  for (const k of ['min', 'max', 'step'] as const) if (typeof o[k] === 'number') decl[k] = o[k];
  if (typeof o['help'] === 'string') decl.help = o['help'];
  const d = o['default'];
  if (isScalar(d)) decl.default = d;
  else if (Array.isArray(d)) decl.default = d.filter(isScalar);
  if ((type === 'select' || type === 'multiselect') && !decl.options && !decl.options_from)
    return { error: `input ${name}: a ${type} needs options: [...] or options_from: "select …"` };
  return { decl };
}

/** The value an input starts with: its default when it is one of the choices, else the first choice (all, for a multi-select). */
export function initialValue(decl: InputDecl, options: Scalar[]): InputValue {
  const has = (x: Scalar) => options.length === 0 || options.some((o) => String(o) === String(x));
  const d = decl.default;
  switch (decl.type) {
    case 'select':
      return d !== undefined && !Array.isArray(d) && has(d) ? d : ((options[0] ?? d ?? '') as Scalar);
    case 'multiselect':
      if (Array.isArray(d)) return d.filter(has);
      return d !== undefined ? [d].filter(has) : [...options];
    case 'range': {
      const nums = options.map(Number).filter(Number.isFinite);
      if (Array.isArray(d) && d.length === 2) return [Number(d[0]), Number(d[1])];
      const lo = nums.length ? Math.min(...nums) : (decl.min ?? 0);
      const hi = nums.length ? Math.max(...nums) : (decl.max ?? lo);
      return [lo, hi];
    }
    case 'number':
      return typeof d === 'number' ? d : Number(d ?? decl.min ?? 0);
  }
}

function isScalar(v: unknown): v is Scalar {
  return typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
}

import { fieldType, type ColumnInfo } from './columns.ts';
import { label } from './labels.ts';
import { clone, moneyScale, percentScale, type Spec } from './spec.ts';

/** The small form beside a chart: the mark and the fields on x, y, colour and facet ('' = none). */
export interface ChartForm {
  mark: string;
  x: string;
  y: string;
  color: string;
  facet: string;
}

export const MARKS = ['line', 'bar', 'area', 'point'] as const;
const CHANNELS = ['x', 'y', 'color', 'facet'] as const;

/** The form's view of a single-view spec; null for layered, concatenated or repeated specs (edit the text). */
export function formOf(spec: Spec): ChartForm | null {
  if (['layer', 'concat', 'hconcat', 'vconcat', 'repeat', 'spec'].some((k) => k in spec)) return null;
  const m = spec['mark'];
  const mark = typeof m === 'string' ? m : typeof m === 'object' && m !== null ? String((m as Spec)['type'] ?? '') : '';
  const enc = (spec['encoding'] ?? {}) as Record<string, Spec | undefined>;
  const field = (c: string) => (typeof enc[c]?.['field'] === 'string' ? (enc[c]?.['field'] as string) : '');
  return { mark, x: field('x'), y: field('y'), color: field('color'), facet: field('facet') };
}

/**
 * The spec with the form applied: the mark and each channel's field; a channel whose field changes gets the
 * column's type and title (money in 万元 or 亿元, shares as %). Other properties of the spec stay.
 */
export function applyForm(spec: Spec, form: ChartForm, columns: ColumnInfo[], maxOf: (field: string) => number): Spec {
  const out = clone(spec);
  const before = formOf(spec);
  const old = out['mark'];
  out['mark'] =
    typeof old === 'object' && old !== null && (old as Spec)['type'] === form.mark
      ? old
      : form.mark === 'line'
        ? { type: 'line', point: true }
        : form.mark;
  const enc = { ...((out['encoding'] ?? {}) as Record<string, Spec>) };
  for (const ch of CHANNELS) {
    const field = form[ch];
    if (!field) {
      delete enc[ch];
      continue;
    }
    if (before?.[ch] === field && enc[ch]) continue;
    const col = columns.find((c) => c.name === field);
    const type = fieldType(col);
    const def: Spec = { field, type, title: label(field) };
    if (ch === 'x' || ch === 'y') {
      if (col?.kind === 'money' || col?.kind === 'change') Object.assign(def, moneyScale(label(field), maxOf(field)));
      else if (col?.kind === 'share' || col?.kind === 'rate') Object.assign(def, percentScale(label(field)));
      else if (type === 'ordinal') def['axis'] = { labelAngle: 0 };
    }
    if (ch === 'facet') def['columns'] = 3;
    enc[ch] = def;
  }
  enc['tooltip'] = CHANNELS.filter((c) => form[c]).map((c) => {
    const col = columns.find((k) => k.name === form[c]);
    const type = fieldType(col);
    return { field: form[c], type, title: label(form[c]), ...(type === 'quantitative' ? { format: ',.2~f' } : {}) };
  }) as unknown as Spec;
  out['encoding'] = enc;
  return out;
}

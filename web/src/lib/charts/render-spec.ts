import { clone, FONT, ZH_CN_NUMBER, type Spec } from './spec.ts';

/** The look of every chart: CJK fonts, zh-CN number grouping, a white background (so PNGs are not transparent). */
export const CHART_CONFIG: Spec = {
  font: FONT,
  locale: { number: ZH_CN_NUMBER },
  background: '#ffffff',
  title: { anchor: 'start', fontSize: 15, fontWeight: 600, offset: 12 },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 500, labelLimit: 240 },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 240 },
  view: { continuousWidth: 480, continuousHeight: 280 },
};

/**
 * The spec to draw: the stored spec with its named data (`data: {name}`, at any level) replaced by the rows,
 * the title defaulting to the cell's name, and the app's config under the spec's own.
 */
export function renderSpec(stored: Spec, rows: Record<string, unknown>[], title: string): Spec {
  const out = inlineData(clone(stored), rows) as Spec;
  if (!('data' in out)) out['data'] = { values: rows };
  if (out['title'] === undefined || out['title'] === '') out['title'] = title;
  // A year axis with two or three steps would be a sliver: single views get a fixed width unless they set one.
  if (out['width'] === undefined && isSingleView(out)) out['width'] = DEFAULT_WIDTH;
  out['config'] = merge(CHART_CONFIG, (out['config'] ?? {}) as Spec);
  return out;
}

export const DEFAULT_WIDTH = 520;

/** A thumbnail of a suggestion: small, no title, no legend. */
export function previewSpec(stored: Spec, rows: Record<string, unknown>[]): Spec {
  const s = renderSpec(stored, rows, '');
  delete s['title'];
  if (typeof s['width'] === 'number') s['width'] = 170;
  const config = s['config'] as Spec;
  s['config'] = {
    ...config,
    legend: { disable: true },
    axis: { ...(config['axis'] as Spec), labelLimit: 90 },
    view: { continuousWidth: 200, continuousHeight: 110 },
  };
  return s;
}

function isSingleView(spec: Spec): boolean {
  if (['facet', 'concat', 'hconcat', 'vconcat', 'repeat'].some((k) => k in spec)) return false;
  const enc = (spec['encoding'] ?? {}) as Spec;
  if ('facet' in enc || 'row' in enc || 'column' in enc) return false;
  return !Array.isArray(spec['layer']) || (spec['layer'] as Spec[]).every(isSingleView);
}

function inlineData(v: unknown, rows: Record<string, unknown>[]): unknown {
  if (Array.isArray(v)) return v.map((x) => inlineData(x, rows));
  if (typeof v !== 'object' || v === null) return v;
  const o = v as Spec;
  for (const [k, x] of Object.entries(o)) {
    if (k === 'data' && typeof x === 'object' && x !== null && typeof (x as Spec)['name'] === 'string')
      o[k] = { values: rows };
    else if (k !== 'data') o[k] = inlineData(x, rows);
  }
  return o;
}

function merge(base: Spec, over: Spec): Spec {
  const out: Spec = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] =
      typeof v === 'object' && v !== null && !Array.isArray(v) && typeof b === 'object' && b !== null
        ? merge(b as Spec, v as Spec)
        : v;
  }
  return out;
}

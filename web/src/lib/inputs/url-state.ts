import type { InputDecl, InputValue, Scalar } from './input-decl.ts';

/**
 * Input values in the page's URL, so a link reproduces the view: `?nb=NAME&in.unit=…`; a multi-select or a
 * range repeats its key (`in.years=2020&in.years=2021`).
 */
const PREFIX = 'in.';

/** The raw `in.*` values of a URL's query, by input name. */
export function readInputState(search: URLSearchParams): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of search) if (k.startsWith(PREFIX)) (out[k.slice(PREFIX.length)] ??= []).push(v);
  return out;
}

/**
 * The URL with the inputs' values in place of the `in.*` it had (other parameters stay). A chart's selection with
 * nothing selected (null) is one empty value, like an empty multi-select.
 */
export function writeInputState(url: URL, values: Record<string, InputValue | null>): URL {
  const out = new URL(url);
  for (const k of [...out.searchParams.keys()]) if (k.startsWith(PREFIX)) out.searchParams.delete(k);
  for (const [name, v] of Object.entries(values)) {
    const list = v === null ? [] : Array.isArray(v) ? v : [v];
    // An empty multi-select is one empty value: no key at all would mean "the default".
    if (list.length === 0) out.searchParams.append(PREFIX + name, '');
    for (const x of list) out.searchParams.append(PREFIX + name, String(x));
  }
  return out;
}

/** A value from the URL's text, typed as the input wants it (options keep their own type); undefined if unusable. */
export function valueFromUrl(decl: InputDecl, raw: string[], options: Scalar[]): InputValue | undefined {
  const numeric = options.length > 0 && options.every((o) => typeof o === 'number');
  const pick = (s: string): Scalar =>
    options.find((o) => String(o) === s) ?? (numeric && s.trim() !== '' && Number.isFinite(Number(s)) ? Number(s) : s);
  switch (decl.type) {
    case 'select':
      return raw[0] === undefined ? undefined : pick(raw[0]);
    case 'multiselect':
      return raw.filter((s) => s !== '').map(pick);
    case 'range': {
      const [a, b] = raw.map(Number);
      return a !== undefined && b !== undefined && Number.isFinite(a) && Number.isFinite(b) ? [a, b] : undefined;
    }
    case 'number': {
      const n = Number(raw[0]);
      return raw[0] !== undefined && Number.isFinite(n) ? n : undefined;
    }
  }
}

import { dump, load } from 'js-yaml';
import type { Spec } from './spec.ts';

export type SpecFormat = 'json' | 'yaml';

/** A chart cell's text is JSON when it starts with `{`, YAML otherwise (CONTRACT.md §4). */
export function specFormat(text: string): SpecFormat {
  return text.trimStart().startsWith('{') ? 'json' : 'yaml';
}

/** Parse a chart cell's text into a spec object, or say what is wrong with it. */
export function parseSpec(text: string): { spec: Spec; format: SpecFormat } | { error: string } {
  const format = specFormat(text);
  if (!text.trim()) return { error: 'empty chart: write a Vega-Lite spec (JSON or YAML) or pick a suggestion' };
  let value: unknown;
  try {
    value = format === 'json' ? JSON.parse(text) : load(text);
  } catch (e) {
    return { error: `${format === 'json' ? 'JSON' : 'YAML'}: ${(e as Error).message.split('\n')[0]}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { error: 'a chart spec must be an object (a Vega-Lite spec)' };
  return { spec: value as Spec, format };
}

/** The text of a spec in the given format: JSON indented by two, or block-style YAML. */
export function specText(spec: Spec, format: SpecFormat): string {
  if (format === 'json') return JSON.stringify(spec, null, 2);
  return dump(spec, { lineWidth: -1, noRefs: true }).replace(/\n$/, '');
}

import type { InputValue } from './inputs/input-decl.ts';
import { readInputState, writeInputState } from './inputs/url-state.ts';

/**
 * The page's URL names the open notebook and holds its input values, so a link reproduces the view:
 * `?nb=NAME&in.unit=…` (the `in.*` values as inputs/url-state.ts writes them).
 */
export interface UrlState {
  /** The notebook to open (`nb`), if the URL names one. */
  notebook: string | null;
  /** The raw input values, by input name. */
  inputs: Record<string, string[]>;
}

export function readUrlState(href: string): UrlState {
  const url = new URL(href);
  return { notebook: url.searchParams.get('nb'), inputs: readInputState(url.searchParams) };
}

/** The URL naming `notebook` with these input values (other parameters stay). */
export function urlWithState(href: string, notebook: string, values: Record<string, InputValue | null>): URL {
  const url = writeInputState(new URL(href), values);
  url.searchParams.set('nb', notebook);
  return url;
}

/** Write the notebook's name and input values into the page's URL, in place (no new history entry). */
export function writeUrlState(notebook: string, values: Record<string, InputValue | null>): void {
  history.replaceState(null, '', urlWithState(location.href, notebook, values));
}

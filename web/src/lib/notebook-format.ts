/**
 * The notebook file (CONTRACT.md §4): Markdown prose, with fenced blocks ```sql name (a query cell),
 * ```chart name (a Vega-Lite spec over the named cell's result), ```input name (a parameter) and ```pivot name
 * (a named cell's result as rows × columns with totals; see pivot.ts).
 * parse(serialize(cells)) gives the same cells; serialize(parse(text)) gives the text back when it is in
 * this canonical form, so a saved notebook diffs cleanly in git.
 */
export type CellKind = 'markdown' | 'sql' | 'chart' | 'input' | 'pivot';

export interface Cell {
  kind: CellKind;
  /** The name of a sql / chart / input / pivot cell (other cells refer to it); '' for prose. */
  name: string;
  source: string;
}

const FENCE = /^(`{3,}|~{3,})\s*(sql|chart|input|pivot)(?:\s+([^\s`]+))?\s*$/;

export function parseNotebook(text: string): Cell[] {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const cells: Cell[] = [];
  let prose: string[] = [];
  const flushProse = () => {
    const src = prose.join('\n').trim();
    if (src) cells.push({ kind: 'markdown', name: '', source: src });
    prose = [];
  };
  let counter = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const m = FENCE.exec(line);
    if (!m) {
      prose.push(line);
      continue;
    }
    const fence = m[1] as string;
    const body: string[] = [];
    let j = i + 1;
    const closing = new RegExp(`^\\${fence[0]}{${fence.length},}\\s*$`);
    for (; j < lines.length; j++) {
      const l = lines[j] as string;
      if (closing.test(l)) break;
      body.push(l);
    }
    flushProse();
    const kind = m[2] as CellKind;
    cells.push({ kind, name: m[3] ?? `${kind}${++counter}`, source: body.join('\n') });
    i = j;
  }
  flushProse();
  return cells;
}

export function serializeNotebook(cells: Cell[]): string {
  const parts = cells.map((c) => {
    if (c.kind === 'markdown') return c.source.trim();
    const fence = c.source.includes('```') ? '~~~~' : '```';
    return `${fence}${c.kind} ${c.name}\n${c.source.replace(/\n+$/, '')}\n${fence}`;
  });
  return parts.filter((p) => p !== '').join('\n\n') + '\n';
}

/** A fresh name for a new cell of this kind, not used by any other cell. */
export function freshName(cells: Cell[], kind: CellKind): string {
  const used = new Set(cells.map((c) => c.name));
  for (let i = 1; ; i++) {
    const name = `${kind === 'sql' ? 'q' : kind}${i}`;
    if (!used.has(name)) return name;
  }
}

export function validName(name: string): boolean {
  return /^[A-Za-z_\p{L}][\w\p{L}]*$/u.test(name);
}

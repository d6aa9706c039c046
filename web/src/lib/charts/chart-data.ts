import { plainRows } from '../format.ts';
import type { SelectionDecl } from '../inputs/selection.ts';
import type { CellState, NotebookState } from '../notebook.svelte.ts';
import { namesIn } from '../sql-text.ts';
import { renderSpec } from './render-spec.ts';
import { sourceNote } from './source-note.ts';
import { dataName, type Spec } from './spec.ts';
import { parseSpec } from './spec-text.ts';

export interface ChartData {
  /** The spec as stored in the cell. */
  stored: Spec;
  /** The spec to draw: data inline, title, config. */
  spec: Spec;
  rows: Record<string, unknown>[];
  note: string;
  /** The query cell the chart draws. */
  source: CellState;
  /** The selections the spec declares: each a notebook input named by its param (inputs/selection.ts). */
  selections: SelectionDecl[];
}

/** What a chart cell draws, from its spec and the named cell's last result; or why it cannot draw yet. */
export function chartData(nb: NotebookState, cell: CellState): ChartData | { error: string } | { waiting: string } {
  const parsed = parseSpec(cell.source);
  if ('error' in parsed) return parsed;
  const own = nb.selectionsOf(cell);
  if ('error' in own) return own;
  const name = dataName(parsed.spec);
  if (!name) return { error: 'the spec needs data: {name: <query cell>} — the cell whose result it draws' };
  const source = nb.cells.find((c) => c.kind === 'sql' && c.name === name);
  if (!source) return { error: `data: no query cell named ${name}` };
  const q = nb.queryFor(source);
  // The chart keeps drawing every row, its selection highlighted: its own data filtered by it would lose the rest.
  const self = 'uses' in q ? own.selections.find((s) => q.uses.includes(s.name)) : undefined;
  if (self)
    return {
      error: `${name} uses $${self.name}, this chart's own selection: a chart is not filtered by its own selection — filter another query cell with it`,
    };
  const table = source.result?.table;
  if (!table) return { waiting: source.error ? `${name}: ${source.error.message}` : `run ${name} to draw this chart` };
  const rows = plainRows(table);
  const views = 'sql' in q ? namesIn(q.sql, nb.viewNames) : [];
  const note =
    sourceNote({ rows, documents: nb.documents, views }) +
    (source.result?.truncated ? `。仅前 ${rows.length.toLocaleString('zh-CN')} 行（结果更多）` : '');
  return {
    stored: parsed.spec,
    spec: renderSpec(parsed.spec, rows, cell.name),
    rows,
    note,
    source,
    selections: own.selections,
  };
}

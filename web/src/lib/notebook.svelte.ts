import type { Table } from 'apache-arrow';
import { ApiError, query, queryRows } from './api.ts';
import type { DocInfo } from './charts/source-note.ts';
import { composeQuery, prefixLength } from './compose.ts';
import type { BoundInput } from './inputs/binding.ts';
import { initialValue, parseInputDecl, type InputDecl, type InputValue, type Scalar } from './inputs/input-decl.ts';
import {
  chartSelections,
  notebookSelections,
  selectionFits,
  selectionFromUrl,
  selectionInput,
  type SelectionDecl,
  type SelectionValue,
} from './inputs/selection.ts';
import { valueFromUrl } from './inputs/url-state.ts';
import { freshName, parseNotebook, serializeNotebook, validName, type Cell, type CellKind } from './notebook-format.ts';
import { columnValuesSql, parsePivot, pivotSql } from './pivot.ts';

export interface CellResult {
  table: Table | null;
  rows: number;
  ms: number;
  streaming: boolean;
  /** The result has more than the NOTEBOOK_MAX_ROWS rows held here (exports still give every row). */
  truncated?: boolean;
}

/**
 * A query cell holds at most this many rows of its result: a whole large view (composition at 10,000 documents,
 * 2.2 million rows, 503 MB of Arrow) would otherwise be held by the browser. The grid, charts and the report say
 * so where they show a truncated result; exports ask the server for every row.
 */
export const NOTEBOOK_MAX_ROWS = 100_000;

/** A cell as the notebook holds it while it is open: its source and its last result. */
export class CellState {
  id = crypto.randomUUID();
  kind = $state<CellKind>('sql');
  name = $state('');
  source = $state('');
  result = $state<CellResult | null>(null);
  error = $state<{ message: string; position?: number } | null>(null);
  running = $state(false);
  editing = $state(false);
  /** An input cell's choices (from `options` or its `options_from` query). */
  options = $state<Scalar[]>([]);
  /** A pivot cell's SQL over its data cell, as last written (its column values read from the data). */
  pivotSql = $state<string | null>(null);
  controller: AbortController | null = null;

  constructor(c: Cell) {
    this.kind = c.kind;
    this.name = c.name;
    this.source = c.source;
  }

  toCell(): Cell {
    return { kind: this.kind, name: this.name, source: this.source };
  }
}

export type Query = { sql: string; params: Record<string, Scalar | null>; uses: string[] };

export class NotebookState {
  name = $state('untitled');
  cells = $state<CellState[]>([]);
  savedText = $state('');
  /**
   * The inputs' values, by input name (kept in the page's URL, not in the file): the input cells' and the charts'
   * selections' (null: nothing selected).
   */
  values = $state<Record<string, InputValue | null>>({});
  /** The loaded source documents, for the note under each chart. */
  documents = $state<DocInfo[]>([]);
  /** The database's view names (from /api/schema), for naming a chart's data in its note. */
  viewNames = $state<string[]>([]);

  load(name: string, text: string): void {
    for (const c of this.cells) c.controller?.abort();
    this.name = name;
    this.cells = parseNotebook(text).map((c) => new CellState(c));
    this.savedText = serializeNotebook(this.cells.map((c) => c.toCell()));
    this.values = {};
  }

  get text(): string {
    return serializeNotebook(this.cells.map((c) => c.toCell()));
  }

  get dirty(): boolean {
    return this.text !== this.savedText;
  }

  add(kind: CellKind, at = this.cells.length, source = ''): CellState {
    const cell = new CellState({
      kind,
      name:
        kind === 'markdown'
          ? ''
          : freshName(
              this.cells.map((c) => c.toCell()),
              kind,
            ),
      source,
    });
    if (kind !== 'sql') cell.editing = true;
    this.cells.splice(at, 0, cell);
    return cell;
  }

  /** A chart cell right after `after` (and the charts already following it). */
  addChart(after: CellState, source: string): CellState {
    let at = this.cells.indexOf(after) + 1;
    while (this.cells[at]?.kind === 'chart') at++;
    const cell = this.add('chart', at, source);
    cell.editing = true;
    return cell;
  }

  remove(cell: CellState): void {
    cell.controller?.abort();
    this.cells = this.cells.filter((c) => c !== cell);
  }

  move(cell: CellState, by: number): void {
    const i = this.cells.indexOf(cell);
    const j = i + by;
    if (i < 0 || j < 0 || j >= this.cells.length) return;
    const next = [...this.cells];
    next.splice(i, 1);
    next.splice(j, 0, cell);
    this.cells = next;
  }

  /**
   * Rename a cell to `name` (trimmed), if it is a valid name no other cell has. An input's value follows it to its
   * new name: `valueMoved` says the values changed (the page's URL holds them).
   */
  rename(cell: CellState, name: string): { renamed: boolean; valueMoved: boolean } {
    const to = name.trim();
    if (!validName(to) || this.cells.some((c) => c !== cell && c.name === to))
      return { renamed: false, valueMoved: false };
    const from = cell.name;
    cell.name = to;
    // Renamed to its own name (a trailing space typed): the value stays where it is.
    if (cell.kind !== 'input' || from === to || this.values[from] === undefined)
      return { renamed: true, valueMoved: false };
    this.values[to] = this.values[from];
    delete this.values[from];
    return { renamed: true, valueMoved: true };
  }

  /**
   * The inputs' declarations and values, for binding parameters: the input cells', then the charts' selections
   * (a selection stands for a select, a multi-select or a range; nothing selected binds NULL).
   */
  inputs(): Map<string, BoundInput> {
    const out = new Map<string, BoundInput>();
    for (const c of this.cells) {
      if (c.kind !== 'input') continue;
      const d = parseInputDecl(c.source, c.name);
      const value = this.values[c.name];
      if ('decl' in d && value !== undefined) out.set(c.name, { decl: d.decl, value });
    }
    for (const [name, { decl }] of this.selections())
      out.set(name, { decl: selectionInput(decl), value: this.values[name] ?? null });
    return out;
  }

  /**
   * The selections the chart cells declare, by name, with the chart that declares each. A name an input cell has,
   * or an earlier chart's selection has, is left out (the chart says so: selectionsOf).
   */
  selections(): Map<string, { decl: SelectionDecl; chart: string }> {
    return notebookSelections(this.cells);
  }

  /** A chart cell's selections, or what is wrong with them (a name another input has). */
  selectionsOf(cell: Cell | CellState): { selections: SelectionDecl[] } | { error: string } {
    const r = chartSelections(cell.source);
    if ('error' in r) return r;
    const all = this.selections();
    for (const s of r.selections) {
      const owner = all.get(s.name);
      if (owner?.chart === cell.name) continue;
      return {
        error: owner
          ? `selection ${s.name}: chart ${owner.chart} declares one of that name`
          : `selection ${s.name}: an input cell has that name`,
      };
    }
    return r;
  }

  /** The SQL and parameters a query cell sends (other cells as CTEs, inputs as parameters). */
  queryFor(cell: Cell | CellState): Query | { error: string } {
    let target = cell instanceof CellState ? cell.toCell() : cell;
    // A pivot sends the SQL it was last run with (exports ask for the same rows).
    if (cell instanceof CellState && cell.kind === 'pivot') {
      if (!cell.pivotSql) return { error: 'run the pivot first' };
      target = { kind: 'sql', name: cell.name, source: cell.pivotSql };
    }
    return composeQuery(
      this.cells.map((c) => c.toCell()),
      target,
      this.inputs(),
    );
  }

  /** Run one query cell: named cells it uses go in front as CTEs; batches show as they stream in. */
  async run(cell: CellState): Promise<void> {
    if (cell.kind !== 'sql' && cell.kind !== 'pivot') return;
    cell.controller?.abort();
    // This run is the cell's from here on: a newer one (an input changed) takes over, and this one's outcome,
    // the pivot's column values included, is dropped.
    const controller = new AbortController();
    cell.controller = controller;
    cell.error = null;
    if (cell.kind === 'pivot') {
      const written = await this.writePivot(cell);
      if (cell.controller !== controller) return;
      if ('error' in written) {
        cell.error = { message: written.error };
        cell.result = null;
        cell.controller = null;
        return;
      }
      cell.pivotSql = written.sql;
    }
    const composed = this.queryFor(cell);
    if ('error' in composed) {
      cell.error = { message: composed.error };
      cell.controller = null;
      return;
    }
    cell.running = true;
    const started = performance.now();
    // The last table stays in view (and in charts) until the new one is complete.
    const previous = cell.result?.table ?? null;
    cell.result = { table: previous, rows: 0, ms: 0, streaming: true };
    try {
      const { table, truncated } = await queryRows(composed.sql, {
        params: Object.keys(composed.params).length ? composed.params : undefined,
        signal: controller.signal,
        maxRows: NOTEBOOK_MAX_ROWS,
        onBatch: (batches) => {
          if (cell.controller !== controller) return;
          const rows = batches.reduce((n, b) => n + b.numRows, 0);
          cell.result = { table: previous, rows, ms: performance.now() - started, streaming: true };
        },
      });
      if (cell.controller !== controller) return;
      cell.result = { table, rows: table.numRows, ms: performance.now() - started, streaming: false, truncated };
    } catch (e) {
      // A newer run of this cell took over: its outcome is the one to show.
      if (cell.controller !== controller) return;
      cell.result = null;
      if (controller.signal.aborted) cell.error = { message: 'cancelled' };
      else if (e instanceof ApiError) {
        const shift = prefixLength(composed.sql, cell.source);
        const position =
          e.position === undefined ? undefined : e.position - shift >= 0 ? e.position - shift : undefined;
        cell.error = { message: e.message, position };
      } else cell.error = { message: e instanceof Error ? e.message : String(e) };
    } finally {
      if (cell.controller === controller) {
        cell.controller = null;
        cell.running = false;
      }
    }
  }

  cancel(cell: CellState): void {
    cell.controller?.abort();
  }

  /** A pivot cell's SQL: its spec checked, its data cell's column values read, the pivot written over them. */
  private async writePivot(cell: CellState): Promise<{ sql: string } | { error: string }> {
    const parsed = parsePivot(cell.source);
    if ('error' in parsed) return parsed;
    const { spec } = parsed;
    if (!this.cells.some((c) => c.kind === 'sql' && c.name === spec.data))
      return { error: `pivot: no query cell named ${spec.data}` };
    const q = this.queryFor({ kind: 'sql', name: `${cell.name}__columns`, source: columnValuesSql(spec) });
    if ('error' in q) return q;
    try {
      const t = await query(q.sql, { params: Object.keys(q.params).length ? q.params : undefined });
      const col = t.getChildAt(0);
      const values = Array.from({ length: t.numRows }, (_, i) => String(col?.get(i)));
      return pivotSql(spec, values);
    } catch (e) {
      return { error: e instanceof Error ? e.message : String(e) };
    }
  }

  /**
   * Give every input cell its choices and a value: the URL's (`raw`, on opening a link), else the value it has,
   * else its default. Options queries may use other cells and earlier inputs.
   */
  async prepareInputs(raw: Record<string, string[]> = {}): Promise<void> {
    for (const c of this.cells) {
      if (c.kind !== 'input') continue;
      const d = parseInputDecl(c.source, c.name);
      if ('error' in d) {
        c.error = { message: d.error };
        continue;
      }
      c.error = null;
      c.options = d.decl.options ?? (d.decl.options_from ? await this.optionsOf(c, d.decl) : []);
      const fromUrl = raw[c.name] ? valueFromUrl(d.decl, raw[c.name] as string[], c.options) : undefined;
      const current = this.values[c.name];
      this.values[c.name] =
        fromUrl ??
        (current !== undefined && current !== null && fits(d.decl, current)
          ? current
          : initialValue(d.decl, c.options));
    }
    // A chart's selection: the URL's, else the one it has, else the param's own `value` in the spec (else none).
    for (const [name, { decl }] of this.selections()) {
      const fromUrl = selectionFromUrl(decl, raw[name]);
      const current = this.values[name];
      this.values[name] =
        fromUrl !== undefined
          ? fromUrl
          : current !== undefined && selectionFits(decl, current)
            ? current
            : decl.initial;
    }
  }

  private async optionsOf(cell: CellState, decl: InputDecl): Promise<Scalar[]> {
    const q = this.queryFor({ kind: 'sql', name: `${cell.name}__options`, source: decl.options_from ?? '' });
    if ('error' in q) {
      cell.error = { message: q.error };
      return [];
    }
    try {
      const table = await query(q.sql, { params: Object.keys(q.params).length ? q.params : undefined });
      const col = table.getChildAt(0);
      const out: Scalar[] = [];
      for (let i = 0; i < table.numRows; i++) {
        const v: unknown = col?.get(i);
        if (v === null || v === undefined) continue;
        out.push(typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : String(v));
      }
      return out;
    } catch (e) {
      cell.error = { message: `options_from: ${(e as Error).message}` };
      return [];
    }
  }

  /**
   * Set an input's value (or a chart's selection: null when cleared) and re-run the query cells that use it
   * (directly or through cells they use).
   */
  async setInput(name: string, value: SelectionValue): Promise<void> {
    this.values[name] = value;
    const dependents = this.cells.filter((c) => {
      if (c.kind !== 'sql' && c.kind !== 'pivot') return false;
      const q =
        c.kind === 'pivot' ? this.queryFor({ kind: 'sql', name: c.name, source: c.pivotSql ?? '' }) : this.queryFor(c);
      return 'uses' in q && q.uses.includes(name);
    });
    await Promise.all(dependents.map((c) => this.run(c)));
  }

  /** Prepare the inputs, then run every query cell in order. */
  async runAll(): Promise<void> {
    await this.prepareInputs();
    await this.runQueries();
  }

  async runQueries(): Promise<void> {
    for (const c of this.cells) if (c.kind === 'sql' || c.kind === 'pivot') await this.run(c);
  }

  /** The source documents (for chart notes); an empty list when the database has none. */
  async loadDocuments(): Promise<void> {
    try {
      const t = await query('select doc_id, title from documents order by doc_year, title');
      this.documents = Array.from({ length: t.numRows }, (_, i) => ({
        doc_id: String(t.getChild('doc_id')?.get(i)),
        title: String(t.getChild('title')?.get(i)),
      }));
    } catch {
      this.documents = [];
    }
  }
}

function fits(decl: InputDecl, v: InputValue): boolean {
  if (decl.type === 'multiselect' || decl.type === 'range') return Array.isArray(v);
  return !Array.isArray(v);
}

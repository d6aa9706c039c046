import type { Table } from 'apache-arrow';
import { ApiError, query } from './api.ts';
import { composeSql, prefixLength } from './compose.ts';
import { freshName, parseNotebook, serializeNotebook, type Cell, type CellKind } from './notebook-format.ts';

export interface CellResult {
  table: Table | null;
  rows: number;
  ms: number;
  streaming: boolean;
}

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

export class NotebookState {
  name = $state('untitled');
  cells = $state<CellState[]>([]);
  savedText = $state('');

  load(name: string, text: string): void {
    this.name = name;
    this.cells = parseNotebook(text).map((c) => new CellState(c));
    this.savedText = serializeNotebook(this.cells.map((c) => c.toCell()));
  }

  get text(): string {
    return serializeNotebook(this.cells.map((c) => c.toCell()));
  }

  get dirty(): boolean {
    return this.text !== this.savedText;
  }

  add(kind: CellKind, at = this.cells.length): CellState {
    const cell = new CellState({
      kind,
      name:
        kind === 'markdown'
          ? ''
          : freshName(
              this.cells.map((c) => c.toCell()),
              kind,
            ),
      source: '',
    });
    if (kind === 'markdown') cell.editing = true;
    this.cells.splice(at, 0, cell);
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

  /** Run one query cell: named cells it uses go in front as CTEs; batches show as they stream in. */
  async run(cell: CellState): Promise<void> {
    if (cell.kind !== 'sql') return;
    cell.controller?.abort();
    const composed = composeSql(
      this.cells.map((c) => c.toCell()),
      cell.toCell(),
    );
    cell.error = null;
    if ('error' in composed) {
      cell.error = { message: composed.error };
      return;
    }
    const controller = new AbortController();
    cell.controller = controller;
    cell.running = true;
    const started = performance.now();
    cell.result = { table: null, rows: 0, ms: 0, streaming: true };
    try {
      const table = await query(composed.sql, {
        signal: controller.signal,
        onBatch: (batches) => {
          const rows = batches.reduce((n, b) => n + b.numRows, 0);
          cell.result = { table: null, rows, ms: performance.now() - started, streaming: true };
        },
      });
      cell.result = { table, rows: table.numRows, ms: performance.now() - started, streaming: false };
    } catch (e) {
      cell.result = null;
      if (controller.signal.aborted) cell.error = { message: 'cancelled' };
      else if (e instanceof ApiError) {
        const shift = prefixLength(composed.sql, cell.source);
        const position =
          e.position === undefined ? undefined : e.position - shift >= 0 ? e.position - shift : undefined;
        cell.error = { message: e.message, position };
      } else cell.error = { message: e instanceof Error ? e.message : String(e) };
    } finally {
      if (cell.controller === controller) cell.controller = null;
      cell.running = false;
    }
  }

  cancel(cell: CellState): void {
    cell.controller?.abort();
  }

  async runAll(): Promise<void> {
    for (const c of this.cells) if (c.kind === 'sql') await this.run(c);
  }
}

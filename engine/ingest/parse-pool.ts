import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { InputError } from '../db/errors.ts';
import type { LoadItem } from './load.ts';

interface Reply {
  id: number;
  item?: LoadItem;
  error?: { name: string; message: string; stack?: string; file?: string; line?: number };
}

interface Pending {
  resolve: (item: LoadItem) => void;
  reject: (e: Error) => void;
  worker: Worker;
}

/**
 * Worker threads that parse text documents while the main thread loads earlier ones into DuckDB: parsing is
 * pure JavaScript (about 12 ms a document), loading is mostly DuckDB's own work, so the two overlap.
 * Requests go to the worker with the fewest outstanding; results come back as LoadItems.
 */
export class ParsePool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private failure: Error | undefined;

  constructor(size: number) {
    for (let k = 0; k < size; k++) {
      const w = new Worker(new URL('./parse-worker.mjs', import.meta.url));
      w.on('message', (m: Reply) => {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (m.item) p.resolve(m.item);
        else p.reject(rebuild(m.error ?? { name: 'Error', message: 'parse worker: no answer' }));
      });
      w.on('error', (e) => this.fail(w, e));
      w.on('exit', (code) => this.fail(w, new Error(`parse worker stopped (exit code ${code})`)));
      this.workers.push(w);
    }
  }

  /**
   * How many parse workers to use here. Text documents: the cores beyond the loading thread's (loading is half
   * the work), at least one, at most four. PDFs: one per core, at most four (reading a PDF costs ~1 s of CPU,
   * loading its facts a few ms).
   */
  static defaultSize(pdfs = false): number {
    const env = Number(process.env['BUDGET_PARSE_WORKERS']);
    if (Number.isInteger(env) && env > 0) return Math.min(env, 16);
    return Math.max(1, Math.min(4, availableParallelism() - (pdfs ? 0 : 1)));
  }

  /** Parse one document (text or PDF) in a worker. */
  parse(path: string): Promise<LoadItem> {
    if (this.failure) return Promise.reject(this.failure);
    const outstanding = new Map(this.workers.map((w) => [w, 0]));
    for (const p of this.pending.values()) outstanding.set(p.worker, (outstanding.get(p.worker) ?? 0) + 1);
    let best = this.workers[0] as Worker;
    for (const w of this.workers) if ((outstanding.get(w) ?? 0) < (outstanding.get(best) ?? 0)) best = w;
    const id = this.nextId++;
    return new Promise<LoadItem>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, worker: best });
      best.postMessage({ id, path });
    });
  }

  async close(): Promise<void> {
    const ws = this.workers.splice(0);
    for (const w of ws) w.removeAllListeners('exit');
    await Promise.all(ws.map((w) => w.terminate()));
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.reject(new Error('parse pool closed'));
    }
  }

  private fail(w: Worker, e: Error): void {
    this.failure ??= e;
    for (const [id, p] of this.pending)
      if (p.worker === w) {
        this.pending.delete(id);
        p.reject(e);
      }
  }
}

/** The error a worker reported, as the same kind of error the parser threw (a refusal stays an InputError). */
function rebuild(e: NonNullable<Reply['error']>): Error {
  const err =
    e.name === 'InputError' && e.file !== undefined ? new InputError(e.file, e.line ?? undefined, '') : new Error();
  err.message = e.message;
  if (e.name !== 'InputError') err.name = e.name;
  if (e.stack) err.stack = e.stack;
  return err;
}

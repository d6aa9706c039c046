/**
 * The notebook's query client holds at most `maxRows` rows of a result: the rows past it are not read, the
 * transfer is stopped, and the result says it is truncated.
 */
import { Int32, RecordBatch, Table, Utf8, tableToIPC, vectorFromArray } from 'apache-arrow';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { queryRows } from '../web/src/lib/api.ts';

/** An Arrow IPC stream of `n` rows (i = 0 … n-1, label 'r<i>') in batches of 10,000 rows. */
function stream(n: number): Uint8Array {
  const batches: RecordBatch[] = [];
  for (let from = 0; from < n; from += 10_000) {
    const size = Math.min(10_000, n - from);
    const i = Int32Array.from({ length: size }, (_, k) => from + k);
    const part = new Table({
      i: vectorFromArray(Array.from(i), new Int32()),
      label: vectorFromArray(
        Array.from(i, (x) => `r${x}`),
        new Utf8(),
      ),
    });
    batches.push(...part.batches);
  }
  return tableToIPC(new Table(batches), 'stream');
}

/** `fetch` answering with `bytes`, installed in place of the global one (queryRows calls the global). */
function fakeFetch(bytes: Uint8Array): { signals: AbortSignal[] } {
  const signals: AbortSignal[] = [];
  const f = (async (_url: string, init?: RequestInit) => {
    if (init?.signal) signals.push(init.signal);
    // Served in 64 KiB pieces, as a socket would.
    let at = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        if (at >= bytes.length) return c.close();
        c.enqueue(bytes.slice(at, (at += 65_536)));
      },
    });
    return new Response(body, { headers: { 'content-type': 'application/vnd.apache.arrow.stream' } });
  }) as unknown as typeof fetch;
  vi.stubGlobal('fetch', f);
  return { signals };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('queryRows: at most maxRows rows of a result', () => {
  it('cuts a 250,000-row result at 95,000 rows, in the middle of a batch, and stops the transfer', async () => {
    const f = fakeFetch(stream(250_000));
    const seen: number[] = [];
    const r = await queryRows('select …', {
      maxRows: 95_000,
      onBatch: (b) => seen.push(b.reduce((n, x) => n + x.numRows, 0)),
    });
    expect(r.truncated).toBe(true);
    expect(r.table.numRows).toBe(95_000);
    expect(r.table.getChild('i')?.get(94_999)).toBe(94_999);
    expect(r.table.getChild('label')?.get(94_999)).toBe('r94999');
    expect(seen[seen.length - 1]).toBe(95_000);
    expect(f.signals[0]?.aborted).toBe(true);
  });

  it('a result of exactly maxRows rows, or fewer, is whole', async () => {
    for (const n of [100_000, 42]) {
      const f = fakeFetch(stream(n));
      const r = await queryRows('select …', { maxRows: 100_000 });
      expect(r.truncated).toBe(false);
      expect(r.table.numRows).toBe(n);
      expect(r.table.getChild('i')?.get(n - 1)).toBe(n - 1);
      expect(f.signals[0]?.aborted).toBe(false);
    }
  });

  it('without maxRows every row is read', async () => {
    fakeFetch(stream(130_000));
    const r = await queryRows('select …');
    expect(r).toMatchObject({ truncated: false });
    expect(r.table.numRows).toBe(130_000);
  });
});

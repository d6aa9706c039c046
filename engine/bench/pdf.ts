import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Engine } from '../engine.ts';
import { projectRoot } from '../paths.ts';
import { round } from './stats.ts';

/** The real budget PDFs beside the checkout (../shared/fixtures/budgets), when they are there. */
export const PDF_DIR = resolve(projectRoot, '..', 'shared', 'fixtures', 'budgets');

export interface PdfResult {
  documents: number;
  pages: number;
  workers: number;
  /** Engine.ingest of every PDF into an in-memory database: read, lay out, parse, check, load. */
  ingestSeconds: number;
  pagesPerSecond: number;
  documentsPerSecond: number;
  /** pdf.js's getTextContent of the same pages, as many documents at once as the ingest has workers. */
  floorSeconds: number;
  floorPagesPerSecond: number;
  /** ingest ÷ floor: how much more than pdf.js's own text extraction the whole read takes. */
  overFloor: number;
  /** What the ingest asks of pdf.js (text and the drawing operations that give rules), alone, same concurrency. */
  extractSeconds: number;
  extractPagesPerSecond: number;
  rows: number;
}

/** pdf.js's text of every page of one PDF, nothing else: the floor. */
async function textOnly(path: string): Promise<number> {
  return await Engine.pdfPages(readFileSync(path), { textOnly: true });
}

/** Run `f` over `items`, `n` at a time. */
async function limited<T, R>(items: T[], n: number, f: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const k = next++;
        out[k] = await f(items[k] as T);
      }
    }),
  );
  return out;
}

/**
 * 6. Real PDFs: the fixture budgets read whole by Engine.ingest (pages/s, documents/s), beside pdf.js's own
 * text extraction of the same pages with as many documents in flight as the ingest has parse workers (the floor:
 * no reader of PDFs can take less), and beside what the ingest asks of pdf.js (text and operator lists) alone,
 * which says how much of the time is pdf.js's and how much the layout, reader and load. Best of `repeats` runs
 * each, interleaved.
 */
export async function measurePdf(repeats: number, log: (s: string) => void): Promise<PdfResult | undefined> {
  if (!existsSync(PDF_DIR)) {
    log(`6. real PDFs: skipped (no ${PDF_DIR})`);
    return undefined;
  }
  const files = readdirSync(PDF_DIR)
    .filter((f) => f.endsWith('.pdf'))
    .sort()
    .map((f) => join(PDF_DIR, f));
  const workers = Engine.parseWorkers(true);
  const ours: number[] = [];
  const floor: number[] = [];
  const extract: number[] = [];
  let pages = 0;
  let rows = 0;
  for (let k = 0; k < repeats; k++) {
    let t = performance.now();
    const e = await Engine.open({ db: ':memory:' });
    try {
      const results = await e.ingest(files);
      rows = results.reduce((n, r) => n + Object.values(r.rows).reduce((a, b) => a + b, 0), 0);
    } finally {
      e.close();
    }
    ours.push((performance.now() - t) / 1000);
    t = performance.now();
    pages = (await limited(files, workers, textOnly)).reduce((a, b) => a + b, 0);
    floor.push((performance.now() - t) / 1000);
    t = performance.now();
    await limited(files, workers, async (f) => await Engine.pdfPages(readFileSync(f)));
    extract.push((performance.now() - t) / 1000);
    log(
      `   run ${k + 1}: ingest ${ours.at(-1)?.toFixed(1)} s, pdf.js text ${floor.at(-1)?.toFixed(1)} s, pdf.js text + operators ${extract.at(-1)?.toFixed(1)} s`,
    );
  }
  const ingestSeconds = Math.min(...ours);
  const floorSeconds = Math.min(...floor);
  const extractSeconds = Math.min(...extract);
  return {
    documents: files.length,
    pages,
    workers,
    ingestSeconds: round(ingestSeconds),
    pagesPerSecond: round(pages / ingestSeconds),
    documentsPerSecond: round(files.length / ingestSeconds),
    floorSeconds: round(floorSeconds),
    floorPagesPerSecond: round(pages / floorSeconds),
    overFloor: round(ingestSeconds / floorSeconds),
    extractSeconds: round(extractSeconds),
    extractPagesPerSecond: round(pages / extractSeconds),
    rows,
  };
}

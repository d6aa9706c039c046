import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { Worker } from 'node:worker_threads';

/** pdfjs-dist's folder: its CJK cMaps and standard fonts are read from here, never downloaded. */
const PACKAGE_DIR = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));

/** A page as pdf.js reads it: text items, and the drawing operations that matter here (paths, images). */
export interface RawPage {
  no: number;
  width: number;
  height: number;
  /** The viewport transform: PDF user space to view space (y down, rotation applied). */
  view: number[];
  items: { str: string; transform: number[]; width: number; height: number }[];
  /** [operator, arguments] pairs, in drawing order. */
  ops: [number, unknown][];
}

export interface RawPdf {
  pages: RawPage[];
  /** pdf.js's operator numbers (OPS) and path commands (DrawOPS). */
  OPS: Record<string, number>;
  DrawOPS: Record<'moveTo' | 'lineTo' | 'curveTo' | 'quadraticCurveTo' | 'closePath', number>;
}

/** pdf.js's refusal of a file (InvalidPDFException, PasswordException …). */
export class PdfJsError extends Error {
  constructor(
    readonly kind: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Read every page of a PDF with pdf.js (legacy build, for Node), in a worker thread of its own: CJK text
 * decodes through the cMaps shipped with pdfjs-dist, and nothing is fetched from the network. `textOnly` leaves
 * out the drawing operations (no rules: the bench's floor).
 */
export function readRawPdf(bytes: Uint8Array, options: { textOnly?: boolean } = {}): Promise<RawPdf> {
  const data = new Uint8Array(bytes);
  const worker = new Worker(new URL('./extract-worker.mjs', import.meta.url), {
    workerData: {
      textOnly: options.textOnly ?? false,
      bytes: data,
      cMapUrl: join(PACKAGE_DIR, 'cmaps') + sep,
      standardFontDataUrl: join(PACKAGE_DIR, 'standard_fonts') + sep,
    },
    transferList: [data.buffer],
  });
  return new Promise<RawPdf>((resolve, reject) => {
    worker.once('message', (m: RawPdf | { error: { name: string; message: string } }) => {
      if ('error' in m) reject(new PdfJsError(m.error.name, m.error.message));
      else resolve(m);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`pdf.js worker stopped (exit code ${code})`)));
  });
}

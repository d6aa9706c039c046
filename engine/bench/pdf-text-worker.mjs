// The floor for reading PDFs: pdf.js's own text extraction (getTextContent) of every page of one PDF, nothing
// else (no drawing operations, no layout, no parse). Plain JavaScript, as engine/ingest/pdf/extract-worker.mjs.
import { parentPort, workerData } from 'node:worker_threads';

const { bytes, cMapUrl, standardFontDataUrl } = workerData;
try {
  globalThis.pdfjsWorker = await import('pdfjs-dist/legacy/build/pdf.worker.mjs');
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({
    data: bytes,
    cMapUrl,
    cMapPacked: true,
    standardFontDataUrl,
    useSystemFonts: false,
    disableFontFace: true,
    isEvalSupported: false,
    verbosity: 0,
  }).promise;
  let items = 0;
  for (let no = 1; no <= doc.numPages; no++) {
    const page = await doc.getPage(no);
    items += (await page.getTextContent()).items.length;
    page.cleanup();
  }
  const pages = doc.numPages;
  await doc.destroy();
  parentPort.postMessage({ pages, items });
} catch (e) {
  parentPort.postMessage({ error: String(e?.message ?? e) });
}

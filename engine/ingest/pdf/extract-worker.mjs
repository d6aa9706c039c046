// pdf.js in a worker thread: reads a PDF's pages (text items, drawing operations) and posts them back.
// Plain JavaScript on purpose: a worker thread loads it with Node's own loader, so pdf.js (3 MB of JavaScript)
// is not run through the TypeScript loader the CLI uses (which takes seconds over it).
// pdf.js's own worker is not used: its code is loaded here and runs in this thread (globalThis.pdfjsWorker).
import { parentPort, workerData } from 'node:worker_threads';

// textOnly: the text alone, no drawing operations (the bench's floor: pdf.js's own text extraction).
const { bytes, cMapUrl, standardFontDataUrl, textOnly } = workerData;

/** Operations kept for finding rules and images; everything else is left out of the message. */
const KEEP = [
  'save',
  'restore',
  'transform',
  'constructPath',
  'paintImageXObject',
  'paintInlineImageXObject',
  'paintImageMaskXObject',
  'paintImageXObjectRepeat',
  'paintInlineImageXObjectGroup',
];

try {
  globalThis.pdfjsWorker = await import('pdfjs-dist/legacy/build/pdf.worker.mjs');
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const keep = new Set(KEEP.map((name) => pdfjs.OPS[name]));
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
  const pages = [];
  for (let no = 1; no <= doc.numPages; no++) {
    const page = await doc.getPage(no);
    const viewport = page.getViewport({ scale: 1 });
    const text = await page.getTextContent();
    const ops = [];
    if (!textOnly) {
      const list = await page.getOperatorList();
      list.fnArray.forEach((fn, i) => {
        if (keep.has(fn)) ops.push([fn, list.argsArray[i] ?? null]);
      });
    }
    pages.push({
      no,
      width: viewport.width,
      height: viewport.height,
      view: viewport.transform,
      items: text.items
        .filter((it) => 'str' in it && it.str !== '')
        .map((it) => ({ str: it.str, transform: it.transform, width: it.width, height: it.height })),
      ops,
    });
    page.cleanup();
  }
  await doc.destroy();
  parentPort.postMessage({
    pages,
    OPS: pdfjs.OPS,
    DrawOPS: pdfjs.DrawOPS ?? { moveTo: 0, lineTo: 1, curveTo: 2, quadraticCurveTo: 3, closePath: 4 },
  });
} catch (e) {
  parentPort.postMessage({ error: { name: e?.name ?? 'Error', message: e?.message ?? String(e) } });
}

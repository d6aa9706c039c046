import { getDocument, GlobalWorkerOptions, type PDFDocumentProxy } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import type { TextBox } from './source.ts';

/**
 * pdf.js in the browser, all of it bundled by Vite (never a CDN): its worker, and the CMaps (CJK text), standard
 * fonts and wasm decoders it asks for, each an asset of the build fetched only when a PDF needs it.
 */
GlobalWorkerOptions.workerSrc = workerUrl;

type Loaders = Record<string, () => Promise<string>>;
const ASSETS: Record<string, Loaders> = {
  cMapUrl: import.meta.glob('../../../node_modules/pdfjs-dist/cmaps/*.bcmap', {
    query: '?url',
    import: 'default',
  }) as Loaders,
  standardFontDataUrl: import.meta.glob('../../../node_modules/pdfjs-dist/standard_fonts/*.{pfb,ttf}', {
    query: '?url',
    import: 'default',
  }) as Loaders,
  wasmUrl: import.meta.glob('../../../node_modules/pdfjs-dist/wasm/*.wasm', {
    query: '?url',
    import: 'default',
  }) as Loaders,
};

/** pdf.js's BinaryDataFactory: a CMap, font or wasm file by name, from the build's assets. */
class BundledData {
  async fetch({ kind, filename }: { kind: string; filename: string }): Promise<Uint8Array> {
    const loaders = ASSETS[kind] ?? {};
    const key = Object.keys(loaders).find((k) => k.endsWith(`/${filename}`));
    const load = key ? loaders[key] : undefined;
    if (!load) throw new Error(`pdf.js asked for ${kind} ${filename}, which is not bundled`);
    const res = await fetch(await load());
    if (!res.ok) throw new Error(`${filename}: ${res.status}`);
    return new Uint8Array(await res.arrayBuffer());
  }
}

export async function openPdf(bytes: Uint8Array): Promise<PDFDocumentProxy> {
  return getDocument({
    data: bytes,
    BinaryDataFactory: BundledData,
    useWorkerFetch: false,
    cMapPacked: true,
    isEvalSupported: false,
    verbosity: 0,
  }).promise;
}

/**
 * Draw a page into `canvas`, `maxWidth` CSS pixels wide at most (the canvas is sharper by devicePixelRatio), and read
 * its text items, placed in points from the page's top left (scale 1), as the engine places them when it reads.
 */
export async function renderPage(
  pdf: PDFDocumentProxy,
  pageNo: number,
  canvas: HTMLCanvasElement,
  maxWidth: number,
): Promise<{ scale: number; width: number; height: number; items: TextBox[] }> {
  const page = await pdf.getPage(pageNo);
  const base = page.getViewport({ scale: 1 });
  const scale = Math.min(2, Math.max(0.5, maxWidth / base.width));
  const ratio = window.devicePixelRatio || 1;
  const viewport = page.getViewport({ scale: scale * ratio });
  canvas.width = Math.floor(viewport.width);
  canvas.height = Math.floor(viewport.height);
  canvas.style.width = `${Math.floor(base.width * scale)}px`;
  canvas.style.height = `${Math.floor(base.height * scale)}px`;
  await page.render({ canvas, viewport }).promise;
  const content = await page.getTextContent();
  const items: TextBox[] = [];
  for (const it of content.items) {
    if (!('str' in it) || it.str.trim() === '') continue;
    const m = multiply(it.transform as number[], base.transform);
    // Upright text only (as the engine reads tables).
    if (Math.abs(m[1]) > 0.01 * Math.abs(m[0]) || m[0] <= 0) continue;
    const size = Math.hypot(m[2], m[3]) || it.height;
    const x0 = m[4];
    const x1 = x0 + it.width * (m[0] / Math.hypot(m[0], m[1]));
    items.push({ str: it.str, x0, x1, y0: m[5] - size, y1: m[5] + 0.2 * size });
  }
  page.cleanup();
  return { scale, width: base.width, height: base.height, items };
}

type Matrix = [number, number, number, number, number, number];

function multiply(m: number[], n: number[]): Matrix {
  const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0] = m;
  const [p = 0, q = 0, r = 0, s = 0, t = 0, u = 0] = n;
  return [a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u];
}

import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { FONT } from './spec.ts';
import type { Spec } from './spec.ts';
import { appendNote, NOTE_COLOR, NOTE_FONT_SIZE, NOTE_HEIGHT } from './svg-note.ts';

/** A vega view of a render spec (renderSpec's output) that draws nowhere: for SVG and PNG exports. */
export async function headlessView(spec: Spec): Promise<View> {
  const { spec: vg } = compile(spec as unknown as TopLevelSpec);
  const view = new View(parse(vg), { renderer: 'none' });
  await view.runAsync();
  return view;
}

/** The chart as SVG text, with the source note under it. */
export async function chartSvg(spec: Spec, note: string): Promise<string> {
  const view = await headlessView(spec);
  try {
    return appendNote(await view.toSVG(), note);
  } finally {
    view.finalize();
  }
}

/** The chart as a PNG at `scale` × (2 by default), with the source note under it. Browser only (a canvas). */
export async function chartPng(spec: Spec, note: string, scale = 2): Promise<Blob> {
  const view = await headlessView(spec);
  try {
    const chart = (await view.toCanvas(scale)) as unknown as HTMLCanvasElement;
    const canvas = document.createElement('canvas');
    canvas.width = chart.width;
    canvas.height = chart.height + (note ? Math.round(NOTE_HEIGHT * scale) : 0);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2D canvas to draw the PNG on');
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(chart, 0, 0);
    if (note) {
      ctx.fillStyle = NOTE_COLOR;
      ctx.font = `${NOTE_FONT_SIZE * scale}px ${FONT}`;
      ctx.textBaseline = 'alphabetic';
      ctx.fillText(note, 5 * scale, chart.height + 15 * scale);
    }
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the PNG could not be made'))), 'image/png'),
    );
  } finally {
    view.finalize();
  }
}

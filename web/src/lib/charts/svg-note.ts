import { FONT } from './spec.ts';

export const NOTE_HEIGHT = 22;
export const NOTE_FONT_SIZE = 11;
export const NOTE_COLOR = '#57606a';

/**
 * A chart's SVG (as vega's toSVG writes it) with the source note as a line of text under it: the root's
 * height and viewBox grow by NOTE_HEIGHT, and a white band keeps the background whole.
 */
export function appendNote(svg: string, note: string): string {
  if (!note) return svg;
  const open = /<svg\b[^>]*>/.exec(svg);
  if (!open) return svg;
  const tag = open[0];
  const width = Number(/\swidth="([\d.]+)"/.exec(tag)?.[1] ?? 0);
  const height = Number(/\sheight="([\d.]+)"/.exec(tag)?.[1] ?? 0);
  if (!width || !height) return svg;
  const h = height + NOTE_HEIGHT;
  const newTag = tag
    .replace(/\sheight="[\d.]+"/, ` height="${h}"`)
    .replace(/\sviewBox="([-\d.]+) ([-\d.]+) ([\d.]+) ([\d.]+)"/, (_m, x, y, w) => ` viewBox="${x} ${y} ${w} ${h}"`);
  const band =
    `<rect x="0" y="${height}" width="${width}" height="${NOTE_HEIGHT}" fill="#ffffff"/>` +
    `<text x="5" y="${height + 15}" font-family="${escapeXml(FONT)}" font-size="${NOTE_FONT_SIZE}" fill="${NOTE_COLOR}">${escapeXml(note)}</text>`;
  const end = svg.lastIndexOf('</svg>');
  return svg.slice(0, open.index) + newTag + svg.slice(open.index + tag.length, end) + band + svg.slice(end);
}

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[c]};`);
}

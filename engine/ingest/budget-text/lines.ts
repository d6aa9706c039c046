import { InputError } from '../../db/errors.ts';

/** A line of the source text, 1-based, with its tab-separated cells cleaned. */
export interface Line {
  no: number;
  text: string;
  cells: string[];
}

/**
 * Decode a document as UTF-8 text, refusing what is not: empty files, binary data, other encodings (GBK).
 * Errors name the file and the first offending line.
 */
export function decodeDocument(bytes: Uint8Array, file: string): string {
  if (bytes.length === 0) throw new InputError(file, undefined, 'empty file');
  const nul = bytes.indexOf(0);
  if (nul >= 0) throw new InputError(file, lineAt(bytes, nul), 'binary data (NUL byte): not a text document');
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    // eslint-disable-next-line no-control-regex -- control characters are exactly what marks binary data
    const ctrl = /[\u0001-\u0008\u000e-\u001f\u007f]/.exec(text);
    if (ctrl)
      throw new InputError(
        file,
        text.slice(0, ctrl.index).split('\n').length,
        'binary data (control characters): not a text document',
      );
    if (text.trim() === '') throw new InputError(file, undefined, 'empty file (only white space)');
    return text;
  } catch (e) {
    if (e instanceof InputError) throw e;
    const at = firstInvalidUtf8(bytes);
    throw new InputError(
      file,
      lineAt(bytes, at),
      'not UTF-8 text (GBK or another encoding?): convert it to UTF-8 first',
    );
  }
}

function lineAt(bytes: Uint8Array, offset: number): number {
  let n = 1;
  for (let i = 0; i < offset && i < bytes.length; i++) if (bytes[i] === 10) n++;
  return n;
}

function firstInvalidUtf8(bytes: Uint8Array): number {
  const dec = new TextDecoder('utf-8', { fatal: true });
  let lo = 0;
  let hi = bytes.length;
  // Binary search on the longest decodable prefix (cut at a line end, so a split character is not blamed).
  while (hi - lo > 64) {
    const mid = (lo + hi) >> 1;
    try {
      dec.decode(bytes.subarray(0, bytes.lastIndexOf(10, mid) + 1));
      lo = mid;
    } catch {
      hi = mid;
    }
  }
  return lo;
}

/** Text fragments that are not content: HTML tags and page-break notes about attachments. */
const DEBRIS = [
  /此部分佐证材.*$/,
  /^料以附件.*$/,
  /^[,，]?\s*例如[:：].*附件.*$/,
  /^(号[,，])?\s*例如[:：]?\s*附件\s*[A-C]\d.*$/,
  /^C\d、附件\s*C\d\s*等$/,
  /^号，例如：附件.*$/,
];

export function cleanCell(cell: string): string {
  let c = cell
    .replace(/<[^>]{0,200}>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/\u3000/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  for (const d of DEBRIS) c = c.replace(d, '').trim();
  return c;
}

export function isDebrisLine(text: string): boolean {
  const t = text.replace(/\s+/g, '');
  return /^此部分佐证材料以附件[A-Z]编号/.test(t);
}

export function splitLines(text: string): Line[] {
  return text
    .replace(/^\ufeff/, '')
    .split(/\r?\n/)
    .map((raw, i) => {
      const cells = raw.split('\t').map(cleanCell);
      while (cells.length && cells[cells.length - 1] === '') cells.pop();
      return { no: i + 1, text: raw, cells };
    });
}

/** Narrative text with the spaces that PDF extraction puts between numbers and Chinese removed. */
export function squash(text: string): string {
  return text.replace(/<[^>]*>/g, '').replace(/[ \t\u3000]+/g, '');
}

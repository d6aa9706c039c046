import type { TextRun } from './page.ts';

/** Runs that share a baseline, left to right. */
export interface RunLine {
  runs: TextRun[];
  y: number;
  size: number;
  x0: number;
  x1: number;
}

/** CJK ideographs, kana, full-width forms and CJK punctuation: written without spaces between them. */
const CJK = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f“”‘’]/;

/** Group runs into lines: runs whose baselines lie within a third of the font size of each other. */
export function runLines(runs: TextRun[]): RunLine[] {
  const sorted = [...runs].sort((a, b) => a.y - b.y || a.x0 - b.x0);
  const lines: RunLine[] = [];
  for (const r of sorted) {
    const line = lines.find((l) => Math.abs(l.y - r.y) <= 0.35 * Math.max(l.size, r.size));
    if (line) {
      line.runs.push(r);
      line.x0 = Math.min(line.x0, r.x0);
      line.x1 = Math.max(line.x1, r.x1);
      if (r.text.trim() !== '') line.size = Math.max(line.size, r.size);
    } else lines.push({ runs: [r], y: r.y, size: r.size, x0: r.x0, x1: r.x1 });
  }
  for (const l of lines) l.runs.sort((a, b) => a.x0 - b.x0);
  return lines.sort((a, b) => a.y - b.y);
}

/**
 * Split a line's runs into chunks where the gap between two runs (white space runs count as gap) is
 * wider than `gap`: the cells of a table drawn without rules, or the columns of a layout.
 */
export function chunks(line: RunLine, gap: number): TextRun[][] {
  const out: TextRun[][] = [];
  let cur: TextRun[] = [];
  let end = -Infinity;
  for (const r of line.runs) {
    if (r.text.trim() === '') continue;
    if (cur.length && r.x0 - end > gap) {
      out.push(cur);
      cur = [];
    }
    cur.push(r);
    end = Math.max(end, r.x1);
  }
  if (cur.length) out.push(cur);
  return out;
}

/** The text of runs on one line: a space where a visible gap separates two non-CJK characters. */
export function joinRuns(runs: TextRun[]): string {
  let text = '';
  let end = -Infinity;
  for (const r of runs) {
    const gap = r.x0 - end;
    const before = text.at(-1) ?? '';
    const after = r.text[0] ?? '';
    if (text && gap > 0.2 * r.size && !/\s/.test(before) && !/\s/.test(after) && !(CJK.test(before) && CJK.test(after)))
      text += ' ';
    text += r.text;
    end = Math.max(end, r.x1);
  }
  return unspace(text.replace(/\s+/g, ' ').trim());
}

/** CJK characters spread out one by one ("因 公 出 国 （ 境 ） 费", a justified cell) closed up again. */
export function unspace(text: string): string {
  return text.replace(
    /(?:[\u2e80-\u9fff\uff00-\uffef\u3000-\u303f] ){2,}[\u2e80-\u9fff\uff00-\uffef\u3000-\u303f]/g,
    (m) => m.replace(/ /g, ''),
  );
}

/** Join the lines of a cell or paragraph: nothing between CJK text, a space between words. */
export function joinLines(parts: string[]): string {
  let text = '';
  for (const p of parts) {
    if (p === '') continue;
    const before = text.at(-1) ?? '';
    text += text && !(CJK.test(before) || CJK.test(p[0] ?? '')) ? ' ' + p : p;
  }
  return text;
}

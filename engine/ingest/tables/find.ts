import { divisorOf } from '../../money.ts';
import { squash, type Line } from '../budget-text/lines.ts';
import { isEmptyNote } from '../final-accounts/tables.ts';
import { KINDS, type KindSpec } from './templates.ts';

/** A table of the document: where its title stands, its lines up to the next table, its money unit. */
export interface FoundTable {
  spec: KindSpec | undefined;
  /** The title as printed (the first, where a continuation page prints it again). */
  title: string;
  /** The number the document gives it ("表3"), or '' when it prints none. */
  number: string;
  line: number;
  lines: Line[];
  /** Printed amounts divided by this give 万元: 1n (万元), 10n (千元), 10000n (元); undefined when not printed. */
  divisor: bigint | undefined;
  /** The unit as printed ('万元', '元', …), or '' when the table prints none. */
  unit: string;
}

/**
 * Title text compared without spaces, quotes, numbering ("一、", "表1", "附表3：", "5．"), or a leading year with
 * what stands before it ("2023年", "教育部2024年"); a leading 部门 / 单位 stays (the patterns allow it).
 */
export function titleKey(text: string): string {
  // A table's number is cut off before the spaces go: "附表1 2024年…" is table 1 of 2024, not table 12024.
  const unnumbered = text
    .trim()
    .replace(/^(?:附表|表)\s*(?:\d{1,2}|[一二三四五六七八九十]+)(?:-\d+)?\s*[、.．:：]?\s+/, '');
  return (
    squash(unnumbered)
      .replace(/[“”"'‘’「」]/g, '')
      .replace(
        /^(?:(?:附表|表)[0-9一二三四五六七八九十]+(?:-\d+)?[、.．:：]?|[（(][0-9一二三四五六七八九十]+[）)][、.．:：]?|[0-9一二三四五六七八九十]{1,3}[、.．:：])/,
        '',
      )
      // "2023年部门收入预算总表", "教育部2024年部门收支总表": what stands before the year is who, not what.
      .replace(/^[^表]{0,30}?\d{4}年度?/, '')
      .replace(/[（(]\s*(?:续|续表)\s*[)）]$/, '')
      .replace(/[（(](?:金额)?单位[:：]?(?:万元|千元|元)[)）]$|(?:金额)?单位[:：](?:万元|千元|元)$/, '')
  );
}

/** Does this text look like a table's title: short, ending in 表 (a parenthesis after it allowed)? */
export function looksLikeTitle(text: string): boolean {
  const key = titleKey(text);
  if (key.length < 3 || key.length > 48) return false;
  if (/[，。；：:]/.test(key)) return false;
  return /表(?:[(（][^)）]*[)）])?$/.test(key);
}

/** The kind a title names, if any. */
export function kindOfTitle(text: string): KindSpec | undefined {
  if (!looksLikeTitle(text)) return undefined;
  const key = titleKey(text);
  const match = (k: string) =>
    KINDS.find((spec) => !spec.not?.some((re) => re.test(k)) && spec.titles.some((re) => re.test(k)));
  // "北京市某某局部门收支总表", "2024年某某局部门收入总表": the department's name before 部门 / 单位 is who, not what.
  return match(key) ?? match(key.replace(/^[^表]{2,30}?(?=(?:部门|单位)(?:财务)?(?:收支|收入|支出))/, ''));
}

const PART = /^第[一二三四五六七八九十]+部分/;
/**
 * Where the narrative resumes after a table: a numbered heading ("一、…", "（二）…"), a section title
 * ("其他相关情况说明"), or a paragraph. A table's continuation page repeats its title (and continues it) or
 * carries on with rows; neither is such a line.
 */
const NARRATIVE =
  /^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[）)]|第[一二三四五六七八九十]+部分)|(?:情况说明|相关情况说明|名词解释|编制说明|预算情况)$/;

function endsTable(lines: Line[], i: number, rowsSeen: boolean): boolean {
  const l = lines[i] as Line;
  const s = squash(l.text);
  if (PART.test(s)) return true;
  if (!rowsSeen || l.cells.length > 1 || /^注[:：]|^备注/.test(s)) return false;
  if (s.length >= 60) return true;
  // A numbered line of one cell may be a row whose amounts are blank ("二、事业收入"): rows follow it.
  return NARRATIVE.test(s) && !lines.slice(i + 1, i + 5).some((n) => n.cells.length > 1);
}
/** A table prints its rows (or its "no data" note) within this many lines of its title. */
const NEAR = 6;
/** 单位：元 — not 编制单位：元宝山区… (a place whose name starts with 元). */
const UNIT = /(?:金额)?单位[:：]\s*(万元|千元|元)(?![\u4e00-\u9fff])|[(（](万元|千元|元)[)）]/;

/** A "表 3" printed on a line of its own above the title. */
function numberAbove(lines: Line[], i: number): string {
  const prev = lines[i - 1];
  if (!prev || prev.cells.length > 1) return '';
  const m = /^(?:附表|表)\s*(\d{1,2}(?:-\d+)?)\s*[:：]?$/.exec(prev.text.trim());
  return m ? `表${m[1]}` : '';
}

function numberIn(text: string): string {
  const m = /^(?:附表|表)\s*(\d{1,2}(?:-\d+)?)(?!\d)/.exec(text.trim());
  return m ? `表${m[1]}` : '';
}

/**
 * The tables of a document: a title line (a line of one cell that looks like a table's title) followed within
 * a few lines by table rows or the note of an empty table. A table of contents names the tables too, but no
 * rows follow its lines. A table runs to the next title or the next part (第三部分 …); a title printed again
 * on a continuation page continues the table. Tables whose title names no known kind are returned with
 * `spec` undefined, so that they can be listed.
 */
export function findTables(lines: Line[]): FoundTable[] {
  const starts: number[] = [];
  lines.forEach((l, i) => {
    if (l.cells.length > 1 || !looksLikeTitle(l.text)) return;
    const near = lines.slice(i + 1, i + 1 + NEAR);
    const rowsFollow = near.findIndex((n) => n.cells.length > 1 || isEmptyNote(n.text));
    if (rowsFollow < 0) return;
    if (near.slice(0, rowsFollow).some((n) => looksLikeTitle(n.text))) return;
    starts.push(i);
  });
  const tables: FoundTable[] = [];
  starts.forEach((s, k) => {
    const next = starts[k + 1] ?? lines.length;
    let end = s + 1;
    let rowsSeen = false;
    while (end < next && !endsTable(lines, end, rowsSeen)) {
      if ((lines[end] as Line).cells.length > 1) rowsSeen = true;
      end++;
    }
    const body = lines.slice(s + 1, end);
    // "表 4" printed above the next title is that table's number, not this table's last line.
    while (
      body.length &&
      body.at(-1)?.cells.length === 1 &&
      /^(?:附表|表)\s*\d{1,2}\s*[:：]?$/.test((body.at(-1) as Line).text.trim())
    )
      body.pop();
    const title = lines[s] as Line;
    const key = titleKey(title.text);
    const prev = tables.at(-1);
    if (prev && titleKey(prev.title) === key) {
      prev.lines.push(...body);
      return;
    }
    const unit = unitOf([title, ...body]);
    tables.push({
      spec: kindOfTitle(title.text),
      title: title.text.trim(),
      number: numberIn(title.text) || numberAbove(lines, s),
      line: title.no,
      lines: body,
      unit,
      divisor: divisorOf(unit),
    });
  });
  return tables;
}

/** 单位：万元 / 元 / 千元, read from the lines above the table's rows or its header cells. */
function unitOf(body: Line[]): string {
  for (const l of body.slice(0, NEAR + 3))
    for (const cell of l.cells) {
      const m = UNIT.exec(squash(cell));
      if (m) return (m[1] ?? m[2]) as string;
    }
  return '';
}

import { InputError } from '../../db/errors.ts';
import { amountInWan, normalizeDigits, sum } from '../../money.ts';
import type { Amount } from '../budget-text/context.ts';
import { withinRounding } from '../checks.ts';
import { squash, type Line } from '../budget-text/lines.ts';
import type { FoundTable } from './find.ts';
import type { ColumnRole } from './templates.ts';

/** A cell of a row: its column, its text, and its amount in 万元 where it is one. */
interface Tok {
  col: number;
  text: string;
  amount?: Amount;
}

/** A label and the amounts printed after it: a row has one segment, or two on a 收入 | 支出 table. */
export interface Segment {
  /** The label's texts, left to right, repeats (a name copied into a neighbouring column) dropped. */
  parts: string[];
  col: number;
  /** A classification code printed before or in the label ("201 | 05 | 06", "[2010101]", "2010101 行政运行"). */
  code?: string;
  /** The code cells as printed, where they do not make a whole code ("| 01 |" under a blank 类). */
  lead?: string[];
  amounts: { col: number; amount: Amount; text: string }[];
}

/** A data row, with the column meanings of the header block it sits under. */
export interface Row {
  line: number;
  segments: Segment[];
  header: Header;
}

/** The header rows over a run of data rows: each column's header text, top down. */
export interface Header {
  columns: string[];
  line: number;
}

/** A row's amounts by role, as mapped from its header; `how` says by which rule. */
export interface Mapped {
  values: Map<string, Amount>;
  how: 'position' | 'order';
}

/** A printed amount in 万元, exactly, whatever the table's unit; a figure the unit cannot hold exactly is refused. */
function toWan(t: FoundTable, divisor: bigint, text: string, line: number, file: string): Amount | undefined {
  const w = amountInWan(text, divisor);
  if (w === 'inexact')
    throw new InputError(file, line, `${t.title}: amount '${text}' has more decimals than 万元 to 6 places can hold`);
  return w && { ...w, line };
}

const CODE = /^\d{2,7}$/;
const NUMBERISH = /^[+-]?[\d,，]*\d(?:\.\d+)?$/;
const DASH = /^[-—–－/]+$/;
/** The lines above a table that name it and its unit: not header rows. */
const META =
  /^(?:部门名称|单位名称|编制部门|编制单位|预算单位名称|填报单位|部门（单位）名称)[:：]|单位[:：]\s*(?:万元|千元|元)/;

/**
 * The line naming the department and the unit ("部门名称：… | 单位：万元"): every filled cell is such a label. A
 * header row that also names columns ("上年预算数 | 本年预算数 | 单位：万元") is a header.
 */
function isMetaRow(l: Line): boolean {
  const filled = l.cells.map((c) => squash(c)).filter((c) => c !== '');
  return filled.length > 0 && filled.every((c) => META.test(c));
}

/** Split a cell the layout ran together: "7,651.71 一、一般公共服务支出" is an amount and a label. */
function splitCell(text: string): string[] {
  // Amounts of neighbouring columns run together ("16,410.71 16,410.71"): one each. Each piece must be a whole
  // amount ("124,216.9 9" is one amount whose last digit the layout set apart).
  const pieces = text.split(/\s+/);
  if (pieces.length > 1 && pieces.every((p) => /^[+-]?\d{1,3}(?:,\d{3})*\.\d+$|^[+-]?\d{1,3}(?:,\d{3})+$/.test(p)))
    return pieces;
  const a = /^([+-]?[\d,]*\d\.\d+|[+-]?\d{1,3}(?:,\d{3})+)\s+(\S.*)$/.exec(text);
  if (a && /[\u4e00-\u9fff]/.test(a[2] as string)) return [a[1] as string, a[2] as string];
  const b = /^(.*[\u4e00-\u9fff）)])\s+([+-]?[\d,]*\d\.\d+|[+-]?\d{1,3}(?:,\d{3})+)$/.exec(text);
  if (b) return [b[1] as string, b[2] as string];
  return [text];
}

function tokens(t: FoundTable, divisor: bigint, l: Line, file: string): Tok[] {
  const out: Tok[] = [];
  l.cells.forEach((cell, col) => {
    for (const piece of splitCell(normalizeDigits(cell))) {
      // Blank, a dash for nothing, or a rate (5.0%): no amount and no label.
      if (piece === '' || DASH.test(piece) || /^[+-]?[\d.,]+\s*%$/.test(piece)) continue;
      const numeric = NUMBERISH.test(piece.replace(/\s+/g, ''));
      const amount = numeric ? toWan(t, divisor, piece.replace(/\s+/g, ''), l.no, file) : undefined;
      out.push(amount ? { col, text: piece, amount } : { col, text: piece });
    }
  });
  return out;
}

/** The code a label starts with ("[2010101]行政运行", "2010101 行政运行", "301-工资福利支出"). */
function codeInLabel(label: string): { code: string; name: string } | undefined {
  const m = /^[[【]?(\d{3}(?:\d{2}){0,2})[\]】]?\s*[-—、.．]?\s*(\D.*)$/.exec(label);
  if (!m || !/[\u4e00-\u9fff]/.test(m[2] as string)) return undefined;
  return { code: m[1] as string, name: (m[2] as string).trim() };
}

/** Codes printed over several columns: 类 | 款 | 项 (3, 2, 2 digits) joined; one column as it is. */
function joinCode(parts: string[]): string | undefined {
  if (parts.length === 0) return undefined;
  // A 款 or 项 printed without its 类 ("| 01 | 基本工资") is not a code on its own.
  if (parts.length === 1) return /^\d{3}(?:\d{2}){0,2}$/.test(parts[0] as string) ? parts[0] : undefined;
  const [first, ...rest] = parts as [string, ...string[]];
  const padded = rest.map((p) => p.padStart(2, '0'));
  if (first.length === 3 && padded.every((p) => p.length === 2)) return first + padded.join('');
  return undefined;
}

/** Segments of a row: labels each followed by their amounts; code cells before a label are its code. */
function segmentsOf(toks: Tok[], withCodes: boolean): Segment[] {
  const segs: Segment[] = [];
  let lead: string[] = [];
  let cur: Segment | undefined;
  let lastTextCol = -2;
  const hasText = toks.some((k) => !k.amount && !CODE.test(k.text));
  for (const k of toks) {
    // A 款 or 项 printed without its leading zero ("301 | 2 | 津贴补贴") is a code part too.
    const isCode = withCodes && hasText && !cur && (CODE.test(k.text) || (lead.length > 0 && /^\d$/.test(k.text)));
    if (isCode) {
      lead.push(k.text);
      continue;
    }
    if (k.amount && (cur || !hasText || lead.length === 0)) {
      if (!cur) {
        cur = { parts: [], col: k.col, amounts: [] };
        segs.push(cur);
      }
      cur.amounts.push({ col: k.col, amount: k.amount, text: k.text });
      continue;
    }
    if (k.amount) continue;
    const text = k.text.trim();
    // A label after the amounts of the one before, or after a blank cell ("二、事业收入 | (blank) | 二、教育支出 |
    // 100"): another label. Text in the next cell carries the same label on (a name copied or wrapped).
    if (!cur || cur.amounts.length > 0 || k.col > lastTextCol + 1) {
      const code = joinCode(lead);
      cur = { parts: [], col: k.col, amounts: [], code, ...(code === undefined && lead.length ? { lead } : {}) };
      lead = [];
      segs.push(cur);
    }
    lastTextCol = k.col;
    const prev = cur.parts.at(-1);
    const t = squash(text);
    if (prev !== undefined && (squash(prev).startsWith(t) || t.startsWith(squash(prev)))) {
      if (t.length > squash(prev).length) cur.parts[cur.parts.length - 1] = text;
    } else cur.parts.push(text);
  }
  for (const s of segs) {
    const first = s.parts[0];
    if (withCodes && s.code === undefined && first !== undefined) {
      const c = codeInLabel(squash(first));
      if (c) {
        s.code = c.code;
        s.parts[0] = c.name;
      }
    }
  }
  return segs;
}

/**
 * A header row: no amount in it (a year printed alone, within three of the document's, is a header's "2026"),
 * and not the line naming the department and unit.
 */
function isHeaderRow(l: Line, toks: Tok[], year: number | undefined): boolean {
  const isYear = (t: string) => /^\d{4}$/.test(t) && year !== undefined && Math.abs(Number(t) - year) <= 3;
  return toks.every((k) => !k.amount || isYear(k.text)) && !isMetaRow(l);
}

/**
 * The data rows of a table, each with the header block printed above it (a continuation page prints its
 * header again, and its columns may stand elsewhere), and the rows that are not understood.
 */
export function readRows(
  t: FoundTable,
  divisor: bigint,
  withCodes: boolean,
  file: string,
  page?: (line: number) => number | undefined,
  year?: number,
): { rows: Row[]; headerless: number[]; wrapped: number[] } {
  const rows: Row[] = [];
  const headerless: number[] = [];
  const wrapped: number[] = [];
  let headRows: string[][] = [];
  let headLine = 0;
  let header: Header | undefined;
  let inData = false;
  let lastData: number | undefined;
  for (const l of t.lines) {
    if (l.cells.length < 2 && !NUMBERISH.test(l.text.trim().replace(/\s+/g, ''))) continue;
    if (isMetaRow(l)) continue;
    const toks = tokens(t, divisor, l, file);
    if (toks.length === 0) continue;
    if (isHeaderRow(l, toks, year)) {
      // Among data rows on the same page, a row of text only is the rest of a cell wrapped over lines (a long
      // 绩效目标), not a header: a table prints its header again only at the top of a new page.
      if (inData && page && lastData !== undefined && page(l.no) === page(lastData)) {
        // A label wrapped over lines: its first cell holds text (the rest of a name).
        if ((l.cells[0] ?? '').trim() !== '') wrapped.push(l.no);
        continue;
      }
      if (inData) {
        headRows = [];
        inData = false;
      }
      if (headRows.length === 0) headLine = l.no;
      headRows.push(l.cells);
      header = undefined;
      continue;
    }
    if (!header) header = { columns: columnHeaders(headRows), line: headLine };
    inData = true;
    lastData = l.no;
    if (headRows.length === 0) headerless.push(l.no);
    rows.push({ line: l.no, segments: segmentsOf(toks, withCodes), header });
  }
  return { rows, headerless, wrapped };
}

/** Each column's header: the header rows' texts at that column, top down, without spaces or repeats. */
function columnHeaders(head: string[][]): string[] {
  const width = Math.max(0, ...head.map((r) => r.length));
  return Array.from({ length: width }, (_, c) => {
    const parts: string[] = [];
    for (const r of head) {
      const t = squash(r[c] ?? '');
      if (t && parts.at(-1) !== t) parts.push(t);
    }
    return parts.join(' ');
  });
}

/** The roles a column's header names, in the order they appear in it (a merged header may name two). */
function rolesIn(header: string, spec: ColumnRole[]): string[] {
  const hits: { role: string; at: number }[] = [];
  let rest = header;
  // The most specific role first; what it matched is taken out so a broader one does not match it again.
  for (const r of spec) {
    const m = r.header.exec(rest);
    if (!m) continue;
    // A column of the year before is that and nothing else (its "预算数" is not this year's total).
    if (r.role === 'prior') return ['prior'];
    hits.push({ role: r.role, at: m.index });
    rest = rest.slice(0, m.index) + ' '.repeat(m[0].length) + rest.slice(m.index + m[0].length);
  }
  return hits.sort((a, b) => a.at - b.at).map((h) => h.role);
}

/**
 * Column → role for a header block, with the roles in column order (copies of a merged header once). A column
 * whose header names a year other than the document's is the year before's (role 'prior'), whatever else it says.
 */
export function columnRoles(
  h: Header,
  spec: ColumnRole[],
  year?: number,
): { byCol: (string | undefined)[]; order: string[] } {
  const byCol: (string | undefined)[] = [];
  const order: string[] = [];
  const firstHeader = new Map<string, string>();
  const own = (role: string, text: string) => {
    const seen = firstHeader.get(role);
    if (seen === undefined) firstHeader.set(role, text);
    // The same role under another header (an "其中：" column of a 小计) is not the role's column.
    return seen === undefined || seen === text ? role : 'ignore';
  };
  h.columns.forEach((text, c) => {
    const years = [...text.matchAll(/(\d{4})\s*年/g)].map((m) => Number(m[1]));
    const roles = year !== undefined && years.some((y) => y !== year) ? ['prior'] : rolesIn(text, spec);
    if (roles.length === 0) return;
    const mapped = roles.map((r) => own(r, text));
    byCol[c] = mapped[0];
    if (c > 0 && h.columns[c - 1] === text) return;
    for (const r of mapped) if (order.at(-1) !== r || r === 'ignore') order.push(r);
  });
  return { byCol, order };
}

/**
 * A segment's amounts by role. By column position under the row's own header first; where an amount stands
 * under no role (the layout shifted the header or the data), by order: the k-th amount is the k-th role.
 * A mapping that breaks total = Σ parts is tried the other way before it is kept.
 */
export function mapAmounts(seg: Segment, header: Header, spec: ColumnRole[], year?: number): Mapped | undefined {
  const { byCol, order } = columnRoles(header, spec, year);
  // Where the header has a total, a mapping that leaves the row without one has lost a column.
  const wantsTotal = byCol.includes('total');
  const complete = (m: Map<string, Amount> | undefined) => (m && (!wantsTotal || m.has('total')) ? m : undefined);
  const byPosition = (): Map<string, Amount> | undefined => {
    const m = new Map<string, Amount>();
    for (const a of seg.amounts) {
      const role = byCol[a.col];
      if (role === undefined) return undefined;
      if (role === 'ignore') continue;
      const had = m.get(role);
      if (had && had.value !== a.amount.value) return undefined;
      m.set(role, a.amount);
    }
    return m;
  };
  const byOrder = (): Map<string, Amount> | undefined => {
    if (order.length !== seg.amounts.length) return undefined;
    const m = new Map<string, Amount>();
    order.forEach((role, k) => {
      if (role !== 'ignore' && !m.has(role)) m.set(role, (seg.amounts[k] as { amount: Amount }).amount);
    });
    return m;
  };
  const parts = new Set(spec.filter((r) => r.part).map((r) => r.role));
  const p = complete(byPosition());
  if (p && adds(p, parts) !== false) return { values: p, how: 'position' };
  const o = complete(byOrder());
  if (o && adds(o, parts) !== false) return { values: o, how: 'order' };
  if (p) return { values: p, how: 'position' };
  return undefined;
}

/**
 * A row's total: as its header maps it, or, where the rest of a garbled header maps nothing, its first amount
 * when that stands under this year's total column. Undefined otherwise (never a guess).
 */
export function totalOf(seg: Segment, header: Header, spec: ColumnRole[], year: number): Amount | undefined {
  const mapped = mapAmounts(seg, header, spec, year)?.values.get('total');
  if (mapped) return mapped;
  const first = seg.amounts[0];
  return first && columnRoles(header, spec, year).byCol[first.col] === 'total' ? first.amount : undefined;
}

/** total = Σ parts within printed rounding; undefined when there is nothing to compare. */
export function adds(m: Map<string, Amount>, parts: Set<string>): boolean | undefined {
  const total = m.get('total');
  const ps = [...m].filter(([r]) => parts.has(r)).map(([, a]) => a);
  if (!total || ps.length === 0) return undefined;
  const decimals = Math.max(total.decimals, ...ps.map((a) => a.decimals));
  return withinRounding(sum(ps.map((a) => a.value)) - total.value, decimals, ps.length + 1);
}

/** A segment's label without printed numbering ("一、", "1.", "（二）") or "其中：". */
export function labelKey(seg: Segment): string {
  return squash(seg.parts.join(''))
    .replace(/^其中[:：]/, '')
    .replace(/^[（(][一二三四五六七八九十\d]+[）)]\s*/, '')
    .replace(/^[一二三四五六七八九十]+[、.．]\s*/, '')
    .replace(/^\d+[、.．]\s*/, '');
}

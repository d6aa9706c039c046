import { divisorOf } from '../../money.ts';
import { squash, type Line } from '../budget-text/lines.ts';

/** The nine tables of the national 部门决算 disclosure template, in template order. */
export type TableKind =
  'summary' | 'income' | 'spending' | 'fiscal' | 'general' | 'basic' | 'sangong' | 'fund' | 'capital';

export const TEMPLATE: { kind: TableKind; name: string; title: RegExp }[] = [
  { kind: 'summary', name: '收入支出决算总表', title: /收入支出决算总表$/ },
  { kind: 'income', name: '收入决算表', title: /收入决算表$/ },
  { kind: 'spending', name: '支出决算表', title: /支出决算表$/ },
  { kind: 'fiscal', name: '财政拨款收入支出决算总表', title: /财政拨款收入支出决算总表$/ },
  { kind: 'general', name: '一般公共预算财政拨款支出决算表', title: /一般公共预算财政拨款支出决算表$/ },
  { kind: 'basic', name: '一般公共预算财政拨款基本支出决算表', title: /基本支出决算表$/ },
  { kind: 'sangong', name: '财政拨款“三公”经费支出决算表', title: /三公经费支出决算表$/ },
  { kind: 'fund', name: '政府性基金预算财政拨款收入支出决算表', title: /政府性基金预算财政拨款(?:收入)?支出决算表$/ },
  {
    kind: 'capital',
    name: '国有资本经营预算财政拨款收入支出决算表',
    title: /国有资本经营预算财政拨款(?:收入)?支出决算表$/,
  },
];

export const NAME: Record<TableKind, string> = Object.fromEntries(TEMPLATE.map((t) => [t.kind, t.name])) as Record<
  TableKind,
  string
>;

/** A table of the document: its kind, its title line, its lines up to the next table, its money unit. */
export interface FaTable {
  kind: TableKind;
  name: string;
  title: string;
  line: number;
  lines: Line[];
  /** How printed amounts convert to 万元: 1 for 万元, 10000 for 元. */
  divisor: bigint;
}

/** Title text compared without spaces, quotes or a leading number ("一、", "表1", "附表3："). */
export function titleKey(text: string): string {
  return squash(text)
    .replace(/[“”"'‘’「」]/g, '')
    .replace(/^(?:(?:附表|表)[0-9一二三四五六七八九十]+[、.．:：]?|[0-9一二三四五六七八九十]+[、.．:：])/, '')
    .replace(/[（(]\s*(?:续|续表)\s*[)）]$/, '');
}

/** The template table a title names, if any. */
export function kindOfTitle(text: string): TableKind | undefined {
  const key = titleKey(text);
  if (key.length > 48 || !key.endsWith('表')) return undefined;
  // The most specific names first: 一般公共预算财政拨款支出决算表 also ends in 支出决算表.
  for (const k of ['sangong', 'basic', 'general', 'fund', 'capital', 'fiscal', 'summary', 'income', 'spending'])
    if ((TEMPLATE.find((t) => t.kind === k) as { title: RegExp }).title.test(key)) return k as TableKind;
  return undefined;
}

const PART = /^第[一二三四五六七八九十]+部分/;
/** A table prints its rows (or its "no data" note) within this many lines of its title. */
const NEAR = 5;

/** A note printed in place of an empty table ("…无政府性基金预算财政拨款支出，故本表无数据"). */
export function isEmptyNote(text: string): boolean {
  return /本表无数据|本表为空|故本表无|无.{0,30}(?:收支|支出|收入|经费).{0,10}(?:故|因此)?.{0,6}本表/.test(
    squash(text),
  );
}

/**
 * The template's tables in a document: a title line naming one, followed within a few lines by table rows
 * (or by the note of an empty table). A table of contents names the tables too, but no rows follow its lines.
 * A table runs to the next title, the next part (第三部分 …) or the end; a title printed again on a
 * continuation page continues the table.
 */
export function findTables(lines: Line[]): FaTable[] {
  const starts: { index: number; kind: TableKind }[] = [];
  lines.forEach((l, i) => {
    if (l.cells.length > 1) return;
    const kind = kindOfTitle(l.text);
    if (!kind) return;
    const near = lines.slice(i + 1, i + 1 + NEAR);
    const rowsFollow = near.findIndex((n) => n.cells.length > 1 || isEmptyNote(n.text));
    const titleBetween = near.slice(0, rowsFollow < 0 ? 0 : rowsFollow).some((n) => kindOfTitle(n.text));
    if (rowsFollow >= 0 && !titleBetween) starts.push({ index: i, kind });
  });
  const tables: FaTable[] = [];
  starts.forEach((s, k) => {
    const next = starts[k + 1]?.index ?? lines.length;
    let end = s.index + 1;
    while (end < next && !PART.test(squash((lines[end] as Line).text))) end++;
    const body = lines.slice(s.index + 1, end);
    const prev = tables.at(-1);
    if (prev && prev.kind === s.kind) {
      prev.lines.push(...body);
      return;
    }
    const title = lines[s.index] as Line;
    tables.push({
      kind: s.kind,
      name: NAME[s.kind],
      title: title.text.trim(),
      line: title.no,
      lines: body,
      divisor: moneyUnit(body),
    });
  });
  return tables;
}

/** 单位：万元 (the default) or 单位：元, read from the lines above the table's rows. */
function moneyUnit(body: Line[]): bigint {
  for (const l of body.slice(0, NEAR + 2)) {
    const m = /单位[:：](万元|千元|元)/.exec(squash(l.cells.join('')));
    if (m) return divisorOf(m[1] as string) ?? 1n;
  }
  return 1n;
}

import { parseAmount, printedDecimals } from '../../money.ts';
import type { DocumentContext } from '../budget-text/context.ts';
import { printedMoney, sameFigure, type Amount } from '../checks.ts';
import { squash, type Line } from '../budget-text/lines.ts';

/**
 * The year's 三公 total as the narrative states it, in the phrasings of the families seen:
 * "2026 年财政拨款“三公”经费预算 5.58 万元" (Shenzhen), "2026年本部门财政拨款安排“三公”经费226.86万元"
 * (Guangdong), "2023年“三公”经费预算数为22.91万元" (Shanghai).
 */
const SANGONG = /(\d{4})年(?:度)?[^。；]{0,16}?三公”?经费([^\d。；，,]{0,12}?)([\d,]+(?:\.\d+)?)万元/;
/** Words that make the figure a change or a category, not the total ("比上年减少3.5万元", "中因公出国费0万元"). */
const CHANGE = /比|较|增|减|少|多|下降|上升|持平|因公|出国|接待|用车|购置|运行|其中/;

/**
 * Figures the narrative states, checked against the tables or, where the tables print none (an empty 三公
 * table beside a narrative that gives the figure), loaded from the text. A narrative section on 三公 whose
 * figure matches none of these phrasings is a warning.
 */
export function narrativeFigures(
  ctx: DocumentContext,
  lines: Line[],
  table: Amount | undefined,
  tableName: string | undefined,
  where: (line: number) => string,
): void {
  let stated: Amount | undefined;
  let section: number | undefined;
  for (const l of lines) {
    if (l.cells.length > 1) continue;
    const s = squash(l.text).replace(/“/g, '');
    if (section === undefined && /三公”?经费(?:预算)?(?:情况|说明)/.test(s) && s.length < 40) section = l.no;
    const m = SANGONG.exec(s);
    if (!m || Number(m[1]) !== ctx.year || CHANGE.test(m[2] as string)) continue;
    const text = m[3] as string;
    const value = parseAmount(text);
    if (value === undefined) continue;
    stated = { value, decimals: printedDecimals(text), line: l.no };
    break;
  }
  if (!stated) {
    if (section !== undefined)
      ctx.note(
        'TEXT.sangong',
        'text',
        'warning',
        [section],
        `the narrative's 三公 section (${where(section)}) states no total in a phrasing this reader knows; not checked`,
      );
    return;
  }
  if (table) {
    sameFigure(ctx, {
      id: 'TEXT.sangong',
      scope: 'department',
      a: stated,
      b: table,
      // The coarser of the two: the narrative rounds to its own last digit.
      decimals: Math.min(stated.decimals, table.decimals),
      what: `narrative 三公 total (text, ${where(stated.line)}) vs ${tableName ?? '三公 table'} (${where(table.line)})`,
    });
    return;
  }
  ctx.add('budget_totals', ctx.prov(ctx.department, 'text', stated.line), {
    measure: 'sangong_total',
    amount: stated.value,
  });
  ctx.note(
    'TEXT.sangong',
    'department',
    tableName ? 'warning' : 'info',
    [stated.line],
    tableName
      ? `the narrative states a 三公 total of ${printedMoney(stated)} 万元 (${where(stated.line)}) but ${tableName} prints none: loaded from the text`
      : `the 三公 total, ${printedMoney(stated)} 万元, is loaded from the narrative (${where(stated.line)}): no 三公 table was read`,
  );
}

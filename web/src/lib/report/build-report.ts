import DOMPurify from 'dompurify';
import { marked } from 'marked';
import { chartData } from '../charts/chart-data.ts';
import { chartSvg } from '../charts/render.ts';
import { cellText, isMoney, isNumeric, type MoneyUnit } from '../format.ts';
import { parseInputDecl } from '../inputs/input-decl.ts';
import { withSelections } from '../inputs/selection.ts';
import type { NotebookState } from '../notebook.svelte.ts';
import { reportHtml, type ReportBlock } from './report-html.ts';
import { citations } from './sources.ts';

/** Rows of each result the report shows. */
export const REPORT_ROWS = 50;

/** The notebook as it stands (results and input values included) as a self-contained HTML report. */
export async function buildReport(nb: NotebookState, unit: MoneyUnit, link: string): Promise<string> {
  const blocks: ReportBlock[] = [];
  // Rows that carry doc_id and source_page / source_line cite their source in a footnote.
  const cite = citations(link);
  for (const cell of nb.cells) {
    if (cell.kind === 'markdown') {
      const html = DOMPurify.sanitize(marked.parse(cell.source, { async: false, gfm: true }) as string);
      blocks.push({ kind: 'prose', html });
    } else if (cell.kind === 'input') {
      const d = parseInputDecl(cell.source, cell.name);
      const v = nb.values[cell.name];
      const label = 'decl' in d ? d.decl.label : cell.name;
      const range = 'decl' in d && d.decl.type === 'range';
      const value = v === undefined || v === null ? '' : Array.isArray(v) ? v.join(range ? '–' : '、') : String(v);
      blocks.push({ kind: 'inputs', items: [{ label, value }] });
    } else if (cell.kind === 'sql' || cell.kind === 'pivot') {
      const table = cell.result?.table;
      const q = nb.queryFor(cell);
      if (!table) {
        blocks.push({ kind: 'note', name: cell.name, message: cell.error?.message ?? '未运行' });
        continue;
      }
      const fields = table.schema.fields;
      const rows: (string | null)[][] = [];
      for (let i = 0; i < Math.min(REPORT_ROWS, table.numRows); i++)
        rows.push(fields.map((f, c) => cellText(f, table.getChildAt(c)?.get(i), unit)));
      blocks.push({
        kind: 'table',
        name: cell.name,
        sql: 'sql' in q ? q.sql : cell.source,
        columns: fields.map((f) => f.name),
        numeric: fields.map((f) => isNumeric(f)),
        rows,
        total: table.numRows,
        truncated: cell.result?.truncated ?? false,
        unit: fields.some((f) => isMoney(f)) ? unit : undefined,
        ...(await cite(table, rows.length)),
      });
    } else {
      const c = chartData(nb, cell);
      if ('spec' in c) {
        const svg = await chartSvg(withSelections(c.spec, c.selections, nb.values), c.note);
        blocks.push({ kind: 'chart', name: cell.name, svg });
        // A selection on the chart is an input of the report: what the cells it filters show.
        const items = c.selections.map((s) => {
          const v = nb.values[s.name] ?? null;
          const text =
            v === null ? '（未选择：全部）' : Array.isArray(v) ? v.join(s.type === 'interval' ? '–' : '、') : String(v);
          return { label: s.name, value: text };
        });
        if (items.length) blocks.push({ kind: 'inputs', items });
      } else blocks.push({ kind: 'note', name: cell.name, message: 'error' in c ? c.error : c.waiting });
    }
  }
  return reportHtml({ title: nb.name, blocks, generated: new Date().toLocaleString('zh-CN'), link });
}

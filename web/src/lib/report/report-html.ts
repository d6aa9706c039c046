import { escapeXml as esc } from '../charts/svg-note.ts';
import type { SourceNote } from './sources.ts';

/** One piece of the report, in notebook order. Prose arrives as sanitized HTML; charts as SVG text. */
export type ReportBlock =
  | { kind: 'prose'; html: string }
  | { kind: 'inputs'; items: { label: string; value: string }[] }
  | {
      kind: 'table';
      name: string;
      sql: string;
      columns: string[];
      numeric: boolean[];
      rows: (string | null)[][];
      total: number;
      /** The query cell held only the first `total` rows of its result. */
      truncated?: boolean;
      unit?: string;
      /** Each row's footnote number (null: no source), when the rows carry doc_id and source_page / source_line. */
      sources?: (number | null)[];
      /** The footnotes: each cited figure's document, table, page and line. */
      notes?: SourceNote[];
    }
  | { kind: 'chart'; name: string; svg: string }
  | { kind: 'note'; name: string; message: string };

const STYLE = `
body{font-family:system-ui,-apple-system,'Segoe UI','Noto Sans CJK SC','PingFang SC','Microsoft YaHei',sans-serif;color:#1f2328;max-width:980px;margin:32px auto;padding:0 20px;line-height:1.6}
h1,h2,h3{line-height:1.3}
table{border-collapse:collapse;font-size:13px;margin:8px 0;font-variant-numeric:tabular-nums}
th,td{border:1px solid #d0d7de;padding:3px 8px;white-space:nowrap}
th{background:#f6f8fa;text-align:left}
td.num{text-align:right}
td.null{color:#8c959f;font-style:italic}
figure{margin:16px 0}
figure svg{max-width:100%;height:auto}
details{margin:4px 0 12px;font-size:12px;color:#57606a}
pre{background:#f6f8fa;padding:8px;overflow:auto;font-family:ui-monospace,'Noto Sans Mono CJK SC',monospace}
.caption{font-size:12px;color:#57606a}
.inputs{background:#f6f8fa;border:1px solid #d0d7de;border-radius:6px;padding:6px 10px;font-size:13px}
td.src{font-size:11px}
td.src a,ol.sources a{color:#0969da;text-decoration:none}
ol.sources{font-size:12px;color:#57606a;margin:4px 0 8px;padding-left:0;list-style:none}
ol.sources li:target{background:#fff8c5}
footer{margin-top:40px;font-size:12px;color:#57606a;border-top:1px solid #d0d7de;padding-top:8px}
`;

/** A notebook as one self-contained HTML file: prose, result tables (their first rows), charts as inline SVG. */
export function reportHtml(o: { title: string; blocks: ReportBlock[]; generated: string; link?: string }): string {
  const body = o.blocks.map(block).join('\n');
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(o.title)}</title>
<style>${STYLE}</style>
</head>
<body>
${body}
<footer>生成于 ${esc(o.generated)}${o.link ? ` · <a href="${esc(o.link)}">在笔记本中打开</a>` : ''}</footer>
</body>
</html>
`;
}

function block(b: ReportBlock): string {
  switch (b.kind) {
    case 'prose':
      return `<section class="prose">${b.html}</section>`;
    case 'inputs':
      return `<p class="inputs">${b.items.map((i) => `${esc(i.label)}：<strong>${esc(i.value)}</strong>`).join('　')}</p>`;
    case 'chart':
      return `<figure data-name="${esc(b.name)}">${b.svg.replace(/^<\?xml[^>]*>\s*/, '')}</figure>`;
    case 'note':
      return `<p class="caption">${esc(b.name)}：${esc(b.message)}</p>`;
    case 'table': {
      const cited = Boolean(b.sources && b.notes?.length);
      const id = (n: number) => `src-${slug(b.name)}-${n}`;
      const head = `<tr>${b.columns.map((c) => `<th>${esc(c)}</th>`).join('')}${cited ? '<th>来源</th>' : ''}</tr>`;
      const rows = b.rows
        .map((r, k) => {
          const n = b.sources?.[k] ?? null;
          const source = !cited
            ? ''
            : n === null
              ? '<td class="src"></td>'
              : `<td class="src"><a href="#${id(n)}">[${n}]</a></td>`;
          return `<tr>${r
            .map((v, i) =>
              v === null ? '<td class="null">NULL</td>' : `<td${b.numeric[i] ? ' class="num"' : ''}>${esc(v)}</td>`,
            )
            .join('')}${source}</tr>`;
        })
        .join('\n');
      const notes = cited
        ? `\n<ol class="sources">\n${(b.notes ?? []).map((s) => `<li id="${id(s.n)}">${sourceNote(s)}</li>`).join('\n')}\n</ol>`
        : '';
      const more =
        (b.truncated
          ? `前 ${b.rows.length} 行；笔记本取了结果的前 ${b.total} 行，结果更多`
          : b.total > b.rows.length
            ? `前 ${b.rows.length} 行，共 ${b.total} 行`
            : `共 ${b.total} 行`) + (b.unit ? ` · 金额单位：${b.unit}` : '');
      return `<section data-name="${esc(b.name)}">
<table><thead>${head}</thead><tbody>
${rows}
</tbody></table>
<p class="caption">${esc(b.name)} · ${more}</p>${notes}
<details><summary>SQL</summary><pre>${esc(b.sql)}</pre></details>
</section>`;
    }
  }
}

/** A footnote: [n] the document's title (its file), the table, the page and line; a link to the document. */
function sourceNote(s: SourceNote): string {
  const where = [
    s.table,
    s.page !== null ? `第 ${s.page} 页` : null,
    s.line !== null ? `第 ${s.line} 行` : null,
  ].filter((x): x is string => Boolean(x));
  const doc = `${esc(s.title)}${s.file && s.file !== s.title ? `（${esc(s.file)}）` : ''}`;
  const open = s.href ? ` <a href="${esc(s.href)}">原文</a>` : '';
  return `[${s.n}] ${doc}${where.length ? `，${esc(where.join('，'))}` : ''}${open}`;
}

/** A block name as part of an element id. */
function slug(name: string): string {
  return encodeURIComponent(name).replace(/%/g, '_');
}

import { appendFileSync, copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../engine/engine.ts';
import { projectRoot } from '../engine/paths.ts';
import { startServer } from '../engine/server/serve.ts';
import { reportHtml } from '../web/src/lib/report/report-html.ts';
import { findInText, findOnPage, printedForms } from '../web/src/lib/source.ts';
import { SEED, tempDir } from './helpers.ts';
import { serverWith } from './server-helpers.ts';

/** The source of a figure (issue #19): GET /api/documents/ID and …/lines, by doc_id alone, under the token rules. */

const TOKEN = 'source-token-19';
const PDF = join(projectRoot, 'datasets', 'documents', '上海市普陀区财政局_2025_部门预算.pdf');
const auth = { Authorization: `Bearer ${TOKEN}` };

async function errorOf(res: Response): Promise<string> {
  return ((await res.json()) as { error: { message: string } }).error.message;
}

describe('GET /api/documents/:doc_id: the source of a figure', () => {
  let srv: Awaited<ReturnType<typeof serverWith>>;
  let seedId: string;
  let pdfId: string;
  beforeAll(async () => {
    srv = await serverWith([SEED, PDF], { token: TOKEN });
    const list = (await (await fetch(`${srv.url}/api/documents`, { headers: auth })).json()) as {
      documents: { doc_id: string; format: string; source_file: string }[];
    };
    seedId = list.documents.find((d) => d.format === 'text')?.doc_id ?? '';
    pdfId = list.documents.find((d) => d.format === 'pdf')?.doc_id ?? '';
    expect(list.documents.map((d) => d.source_file).sort()).toEqual(
      ['2021-longgang-zwfw-sjglj-budget.txt', '上海市普陀区财政局_2025_部门预算.pdf'].sort(),
    );
  });
  afterAll(() => srv?.cleanup());

  it('serves the seed text by doc_id, as loaded, as text/plain; charset=utf-8', async () => {
    const res = await fetch(`${srv.url}/api/documents/${seedId}`, { headers: auth });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await res.arrayBuffer()).equals(readFileSync(SEED))).toBe(true);
  });

  it('serves a loaded PDF by doc_id as application/pdf', async () => {
    const res = await fetch(`${srv.url}/api/documents/${pdfId}`, { headers: auth });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toBe(
      `inline; filename*=UTF-8''${encodeURIComponent('上海市普陀区财政局_2025_部门预算.pdf')}`,
    );
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(bytes.equals(readFileSync(PDF))).toBe(true);
  });

  it('an unknown doc_id is a 404; a path is never a doc_id', async () => {
    for (const id of [
      '0000000000000000',
      'nosuch',
      encodeURIComponent('../../etc/passwd'),
      encodeURIComponent('/etc/passwd'),
      encodeURIComponent(SEED),
      encodeURIComponent('2021-longgang-zwfw-sjglj-budget.txt'),
      '..',
      '%2e%2e',
    ]) {
      const res = await fetch(`${srv.url}/api/documents/${id}`, { headers: auth });
      expect(res.status, id).toBe(404);
      expect(res.headers.get('content-type'), id).toBe('application/json; charset=utf-8');
      expect(await errorOf(res), id).toMatch(/no loaded document has doc_id|no route/);
    }
    // a path in the query string is not read either
    const res = await fetch(`${srv.url}/api/documents/nosuch?path=${encodeURIComponent(SEED)}`, { headers: auth });
    expect(res.status).toBe(404);
    expect((await fetch(`${srv.url}/api/documents/${seedId}/file`, { headers: auth })).status).toBe(404);
    expect((await fetch(`${srv.url}/api/documents/${seedId}`, { method: 'PUT', headers: auth })).status).toBe(405);
  });

  it('without the token: 401, and nothing of the document', async () => {
    for (const path of [
      `/api/documents`,
      `/api/documents/${seedId}`,
      `/api/documents/${pdfId}`,
      `/api/documents/${seedId}/lines?from=1&to=5`,
      `/api/documents/nosuch`,
    ]) {
      const res = await fetch(`${srv.url}${path}`);
      expect(res.status, path).toBe(401);
      expect(await errorOf(res), path).toBe('missing or wrong token');
      expect((await fetch(`${srv.url}${path}`, { headers: { Authorization: 'Bearer wrong' } })).status, path).toBe(401);
    }
    // the page's cookie, as the notebook holds it
    const res = await fetch(`${srv.url}/api/documents/${seedId}`, { headers: { Cookie: `budget_token=${TOKEN}` } });
    expect(res.status).toBe(200);
  });

  it('lines of a text document around a figure: 表1 line 185 prints 7,128', async () => {
    const res = await fetch(`${srv.url}/api/documents/${seedId}/lines?from=184&to=186`, { headers: auth });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { from: number; to: number; lines: { no: number; text: string }[] };
    expect(body.lines.map((l) => l.no)).toEqual([184, 185, 186]);
    const file = readFileSync(SEED, 'utf8').split('\n');
    expect(body.lines.map((l) => l.text)).toEqual(file.slice(183, 186).map((l) => l.replace(/\r$/, '')));
    expect(body.lines[1]?.text).toContain('7,128');
    // the fact says where it was printed
    const fact = await fetch(`${srv.url}/api/query`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        sql: `select source_line from spending_by_function where doc_id = ? and func_code = '201' and source_table = '表1'`,
        params: [seedId],
        format: 'json',
      }),
    });
    expect(await fact.json()).toEqual([{ source_line: 185 }]);
    for (const q of ['from=0&to=3', 'from=5&to=2', 'from=a', 'from=1&to=100000', 'page=1'])
      expect((await fetch(`${srv.url}/api/documents/${seedId}/lines?${q}`, { headers: auth })).status, q).toBe(400);
  });

  it("a PDF page's lines as loading read them: the row of a fact's source_line holds its printed figure", async () => {
    const fact = (await (
      await fetch(`${srv.url}/api/query`, {
        method: 'POST',
        headers: { ...auth, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          sql: `select total::VARCHAR total, source_page, source_line from spending_by_function
                where doc_id = ? and func_code = '201' and unit_level = 'department'`,
          params: [pdfId],
          format: 'json',
        }),
      })
    ).json()) as { total: string; source_page: number; source_line: number }[];
    expect(fact).toHaveLength(1);
    const { total, source_page, source_line } = fact[0] as (typeof fact)[0];
    const res = await fetch(`${srv.url}/api/documents/${pdfId}/lines?page=${source_page}`, { headers: auth });
    expect(res.status).toBe(200);
    const page = (await res.json()) as {
      width: number;
      height: number;
      lines: { no: number; cells: string[]; y0: number; y1: number }[];
    };
    expect(page.width).toBeGreaterThan(500);
    const row = page.lines.find((l) => l.no === source_line);
    expect(row?.cells).toContain('一般公共服务支出');
    // 2,218.64408 万元, printed in 元
    const forms = printedForms(total.replace(/0+$/, ''));
    expect(row?.cells.some((c) => forms.includes(c))).toBe(true);
    expect(row?.cells).toContain('22,186,440.80');
    expect((row?.y1 ?? 0) > (row?.y0 ?? 0)).toBe(true);
    expect((await fetch(`${srv.url}/api/documents/${pdfId}/lines`, { headers: auth })).status).toBe(400);
    expect((await fetch(`${srv.url}/api/documents/${pdfId}/lines?page=999`, { headers: auth })).status).toBe(400);
  });
});

describe('a source file moved or changed since it was loaded', () => {
  it('is a 410 with a clear message, and the server goes on serving', async () => {
    const tmp = tempDir();
    try {
      mkdirSync(join(tmp.dir, 'docs'));
      const copy = join(tmp.dir, 'docs', '2021-longgang-copy.txt');
      copyFileSync(SEED, copy);
      const db = join(tmp.dir, 'budget.duckdb');
      const engine = await Engine.open({ db });
      await engine.ingest([copy]);
      await engine.checkpoint();
      engine.close();
      const s = await startServer({ db, port: 0, host: '127.0.0.1', notebooksDir: tmp.dir, quiet: true });
      try {
        const { documents } = (await (await fetch(`${s.url}/api/documents`)).json()) as {
          documents: { doc_id: string }[];
        };
        const id = documents[0]?.doc_id as string;
        expect((await fetch(`${s.url}/api/documents/${id}`)).status).toBe(200);
        appendFileSync(copy, '\n');
        const changed = await fetch(`${s.url}/api/documents/${id}`);
        expect(changed.status).toBe(410);
        expect(await errorOf(changed)).toMatch(/changed since it was loaded/);
        expect((await fetch(`${s.url}/api/documents/${id}/lines?from=1&to=3`)).status).toBe(410);
        rmSync(copy);
        const gone = await fetch(`${s.url}/api/documents/${id}`);
        expect(gone.status).toBe(410);
        expect(await errorOf(gone)).toMatch(/no longer where it was loaded from .*moved or deleted/);
        // a file of the same name put back with other bytes is not served either
        copyFileSync(PDF, copy);
        expect((await fetch(`${s.url}/api/documents/${id}`)).status).toBe(410);
        expect((await fetch(`${s.url}/api/schema`)).status).toBe(200);
      } finally {
        await s.close();
      }
    } finally {
      tmp.cleanup();
    }
  });
});

describe('finding a printed figure', () => {
  it('the forms a figure in 万元 may be printed in: 万元 to 6 decimals, 元, 千元, with and without separators', () => {
    const f = printedForms('16497.864');
    expect(f.slice(0, 4)).toEqual(['16,497.864', '16497.864', '16,497.8640', '16497.8640']);
    expect(f).toEqual(expect.arrayContaining(['164,978,640', '164978640', '164,978,640.00', '164,978.64']));
    expect(f).not.toContain('16,497.86');
    expect(printedForms('7128')).toEqual(expect.arrayContaining(['7,128', '7128', '7,128.00', '71,280,000']));
    expect(printedForms('-3.5')).toEqual(expect.arrayContaining(['-3.50', '-35,000']));
    expect(printedForms('x')).toEqual([]);
  });

  it('in a line of text: a whole number, not part of a longer one', () => {
    const line = '一、一般公共预算财政拨款\t7,920\t一、一般公共服务支出\t7,128';
    expect(findInText(line, printedForms('7128'))).toEqual({
      start: line.indexOf('7,128'),
      end: line.length,
      form: '7,128',
    });
    expect(findInText('比 2020 年增加 2 万元', printedForms('2'))?.start).toBe(11);
    expect(findInText('17,128 and 7,1280', printedForms('7128'))).toBeUndefined();
  });

  it('on a page: the item on the row of source_line first, then the nearest', () => {
    const item = (str: string, x: number, y: number) => ({ str, x0: x, x1: x + 40, y0: y, y1: y + 12 });
    const items = [item('2,976,800', 480, 100), item('2,976,800', 480, 200), item('2,976,800', 700, 200)];
    const forms = printedForms('297.68');
    const onRow = findOnPage(items, forms, { x0: 50, x1: 780, y0: 195, y1: 215 });
    expect(onRow?.item).toBe(items[1]);
    expect(onRow?.inRow).toBe(true);
    const near = findOnPage(items, forms, { x0: 50, x1: 780, y0: 110, y1: 130 });
    expect(near?.item).toBe(items[0]);
    expect(near?.inRow).toBe(false);
    // an item holding several cells: the figure's own part of it
    const joined = findOnPage([item('201 2,976,800 0', 100, 50)], forms);
    expect(joined?.form).toBe('2,976,800');
    expect(joined?.box.x0).toBeGreaterThan(100);
    expect(findOnPage(items, printedForms('1'))).toBeUndefined();
  });

  it('the report cites each figure’s source in a footnote', () => {
    const html = reportHtml({
      title: 't',
      generated: 'now',
      blocks: [
        {
          kind: 'table',
          name: 'by_function',
          sql: 'select …',
          columns: ['func_name', 'total'],
          numeric: [false, true],
          rows: [
            ['一般公共服务支出', '7,128.00'],
            ['社会保障和就业支出', '199.00'],
          ],
          total: 2,
          sources: [1, 2],
          notes: [
            { n: 1, doc_id: 'd1', title: '2021 年部门预算', file: 'a.txt', table: '表1', page: null, line: 185 },
            {
              n: 2,
              doc_id: 'd2',
              title: '部门预算',
              file: 'b.pdf',
              table: '支出总表',
              page: 12,
              line: 6,
              href: 'http://127.0.0.1:5317/api/documents/d2#page=12',
            },
          ],
        },
      ],
    });
    expect(html).toContain('<th>来源</th>');
    expect(html).toContain('<td class="src"><a href="#src-by_function-1">[1]</a></td>');
    expect(html).toContain('<li id="src-by_function-1">[1] 2021 年部门预算（a.txt），表1，第 185 行</li>');
    expect(html).toContain(
      '[2] 部门预算（b.pdf），支出总表，第 12 页，第 6 行 <a href="http://127.0.0.1:5317/api/documents/d2#page=12">原文</a>',
    );
  });
});

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../engine/db/database.ts';
import { sourceNote } from '../web/src/lib/charts/source-note.ts';
import { parseSpec, specFormat, specText } from '../web/src/lib/charts/spec-text.ts';
import { suggestCharts } from '../web/src/lib/charts/suggest.ts';
import { fileName } from '../web/src/lib/download.ts';
import { reportHtml } from '../web/src/lib/report/report-html.ts';
import { namesIn } from '../web/src/lib/sql-text.ts';
import { sangong } from './charts-shapes.ts';
import { DEPT } from './helpers.ts';
import { post, seededServer } from './server-helpers.ts';

const DOC = { doc_id: 'cf4ff3ae3325d973', title: '2021 年深圳市龙岗区政务服务数据管理局部门预算' };

describe('chart spec text: JSON or YAML', () => {
  it('round-trips every suggestion through both formats', () => {
    for (const s of suggestCharts(sangong.schema, sangong.rows, 'sangong'))
      for (const format of ['json', 'yaml'] as const) {
        const text = specText(s.spec, format);
        expect(specFormat(text)).toBe(format);
        expect(parseSpec(text)).toEqual({ spec: s.spec, format });
      }
  });

  it('YAML keeps Chinese readable', () => {
    const text = specText({ title: '三公经费', data: { name: 'q' }, mark: 'bar' }, 'yaml');
    expect(text).toBe('title: 三公经费\ndata:\n  name: q\nmark: bar');
  });

  it('says what is wrong', () => {
    expect(parseSpec('{"mark": ')).toMatchObject({ error: expect.stringMatching(/^JSON: /) });
    expect(parseSpec('mark: [bar')).toMatchObject({ error: expect.stringMatching(/^YAML: /) });
    expect(parseSpec('- 1')).toEqual({ error: 'a chart spec must be an object (a Vega-Lite spec)' });
  });
});

describe('the source note under a chart', () => {
  it("names the result's own documents and tables when it has doc_id and source_table", () => {
    const rows = [
      { doc_id: DOC.doc_id, source_table: '表12', amount: 1 },
      { doc_id: DOC.doc_id, source_table: '表2', amount: 2 },
    ];
    expect(sourceNote({ rows, documents: [DOC, { doc_id: 'other', title: '另一份' }], views: ['sangong'] })).toBe(
      '来源：2021 年深圳市龙岗区政务服务数据管理局部门预算（表2、表12）。数据：sangong',
    );
  });

  it('otherwise every loaded document, and the views the SQL reads', () => {
    const views = namesIn("select * from sangong_trend t join sangong using (category) where x = 'budget_totals'", [
      'sangong_trend',
      'sangong',
      'budget_totals',
    ]);
    expect(views).toEqual(['sangong_trend', 'sangong']);
    expect(sourceNote({ rows: [{ amount: 1 }], documents: [DOC], views })).toBe(
      '来源：2021 年深圳市龙岗区政务服务数据管理局部门预算。数据：sangong_trend、sangong',
    );
  });
});

describe('the HTML report', () => {
  it('one self-contained file: prose, a table with its first rows, an inline SVG chart, no script', () => {
    const html = reportHtml({
      title: '三公-sangong',
      generated: '2026/11/27 12:00:00',
      blocks: [
        { kind: 'prose', html: '<h1>三公经费</h1>' },
        { kind: 'inputs', items: [{ label: '单位', value: DEPT }] },
        {
          kind: 'table',
          name: 'sangong',
          sql: 'select 1 < 2',
          columns: ['category_name', 'amount'],
          numeric: [false, true],
          rows: [
            ['公务接待费', '6.00'],
            ['公务用车运行维护费', null],
          ],
          total: 8,
          unit: '万元',
        },
        { kind: 'chart', name: 'trend', svg: '<?xml version="1.0"?><svg><text>公务接待费</text></svg>' },
      ],
    });
    expect(html).toMatch(/^<!doctype html>\n<html lang="zh-CN">/);
    expect(html).toContain('<h1>三公经费</h1>');
    expect(html).toContain(`单位：<strong>${DEPT}</strong>`);
    expect(html).toContain('<td class="num">6.00</td>');
    expect(html).toContain('<td class="null">NULL</td>');
    expect(html).toContain('前 2 行，共 8 行 · 金额单位：万元');
    expect(html).toContain('<pre>select 1 &lt; 2</pre>');
    expect(html).toContain('<figure data-name="trend"><svg><text>公务接待费</text></svg></figure>');
    expect(html).not.toMatch(/<script|<link|src=/);
  });

  it('a table from a truncated result says that the notebook held only its first rows', () => {
    const html = reportHtml({
      title: 't',
      generated: '2026/11/27 12:00:00',
      blocks: [
        {
          kind: 'table',
          name: 'big',
          sql: 'select * from composition',
          columns: ['amount'],
          numeric: [true],
          rows: [['1.00']],
          total: 100_000,
          truncated: true,
        },
      ],
    });
    expect(html).toContain('前 1 行；笔记本取了结果的前 100000 行，结果更多');
  });

  it('file names keep Chinese', () => {
    expect(fileName('三公-sangong', 'html')).toBe('三公-sangong.html');
    expect(fileName('a/b c', 'png')).toBe('a_b_c.png');
  });
});

describe('exports of a parameterized query from POST /api/query', () => {
  let s: Awaited<ReturnType<typeof seededServer>>;
  const sql = `select t.fiscal_year, n.category_name, t.amount, t.share_of_total
from sangong_trend t join (select distinct category, category_name from sangong) n using (category)
where t.unit = $unit and t.fiscal_year between $years_from and $years_to
order by t.fiscal_year, t.category`;
  const params = { unit: DEPT, years_from: 2020, years_to: 2021 };
  let expected: [number, string, number, number][];
  beforeAll(async () => {
    s = await seededServer();
    const res = await post(`${s.url}/api/query`, { sql, params, format: 'json' });
    expected = ((await res.json()) as Record<string, unknown>[]).map((r) => [
      r['fiscal_year'] as number,
      r['category_name'] as string,
      r['amount'] as number,
      r['share_of_total'] as number,
    ]);
    expect(expected).toHaveLength(8);
  });
  afterAll(async () => {
    await s?.cleanup();
  });

  it('xlsx: the first sheet holds the numbers as numbers; the second sheet the SQL, the sources, the time', async () => {
    const res = await post(`${s.url}/api/query`, { sql, params, format: 'xlsx' });
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    expect(wb.worksheets.map((w) => w.name)).toEqual(['result', 'about']);
    const sheet = wb.worksheets[0] as ExcelJS.Worksheet;
    expect(sheet.getRow(1).values).toEqual([undefined, 'fiscal_year', 'category_name', 'amount', 'share_of_total']);
    const rows: unknown[][] = [];
    sheet.eachRow((row, i) => {
      if (i > 1) rows.push((row.values as unknown[]).slice(1));
    });
    expect(rows).toEqual(expected);
    for (const r of rows) for (const i of [0, 2, 3]) expect(typeof r[i]).toBe('number');
    const about = wb.worksheets[1] as ExcelJS.Worksheet;
    expect(about.getCell('A1').value).toBe('sql');
    expect(about.getCell('B1').value).toBe(sql);
    expect(String(about.getCell('B2').value)).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(String(about.getCell('B3').value)).toContain('2021-longgang-zwfw-sjglj-budget.txt');
  });

  it('csv: UTF-8 with a BOM, Chinese intact', async () => {
    const res = await post(`${s.url}/api/query`, { sql, params, format: 'csv' });
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes.slice(3));
    expect(text.split('\n')[0]).toBe('fiscal_year,category_name,amount,share_of_total');
    expect(text).toContain('2021,公务用车运行维护费,12,0.6667');
  });

  it('parquet: DuckDB reads back the same values with the types kept', async () => {
    const res = await post(`${s.url}/api/query`, { sql, params, format: 'parquet' });
    const file = join(s.dir, 'sangong.parquet');
    writeFileSync(file, new Uint8Array(await res.arrayBuffer()));
    const db = await Database.open();
    try {
      const types = await db.session.all(
        'select column_name, column_type from (describe select * from read_parquet($f))',
        { f: file },
      );
      expect(types.map((t) => [t['column_name'], t['column_type']])).toEqual([
        ['fiscal_year', 'INTEGER'],
        ['category_name', 'VARCHAR'],
        ['amount', 'DECIMAL(20,6)'],
        ['share_of_total', 'DOUBLE'],
      ]);
      const rows = await db.session.all('select * from read_parquet($f)', { f: file });
      expect(rows.map((r) => [r['fiscal_year'], r['category_name'], Number(r['amount']), r['share_of_total']])).toEqual(
        expected,
      );
    } finally {
      db.close();
    }
  });
});

import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, ConsoleMessage, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../engine/db/database.ts';
import { projectRoot } from '../engine/paths.ts';
import { composeQuery } from '../web/src/lib/compose.ts';
import type { BoundInput } from '../web/src/lib/inputs/binding.ts';
import { parseInputDecl } from '../web/src/lib/inputs/input-decl.ts';
import { parseNotebook, type Cell } from '../web/src/lib/notebook-format.ts';
import { printPdfs } from './fixtures/pdf/chromium.ts';
import { finalAccountsHtml, SYNTHETIC_DEPT } from './fixtures/pdf/final-accounts-html.ts';
import { ARTIFACTS, collectErrors, launchBrowser, WEB } from './browser-helpers.ts';
import { BENJI, DEPT, tempDir } from './helpers.ts';
import { post, seededServer, serverWith } from './server-helpers.ts';

const NOTEBOOK = '三公-sangong';
const PROCUREMENT = '采购-procurement';
const COMPARE = '比较-compare';
const EXECUTION = '执行-execution';
const FIVE_YEARS = '五年-five-years';
const WANLI = '上海市普陀区人民政府万里街道办事处';
const FINANCE = '上海市普陀区财政局';
const CATEGORIES = ['公务接待费', '公务用车运行维护费', '因公出国（境）费', '公务用车购置费'];

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** The query the notebook sends for its `sangong` cell with these input values, asked of the server as JSON. */
async function expectedRows(url: string, unit: string): Promise<Record<string, unknown>[]> {
  const cells = parseNotebook(readFileSync(join(projectRoot, 'notebooks', `${NOTEBOOK}.md`), 'utf8'));
  const values: Record<string, BoundInput['value']> = { unit, years: [2020, 2021] };
  const inputs = new Map<string, BoundInput>();
  for (const c of cells.filter((c) => c.kind === 'input')) {
    const d = parseInputDecl(c.source, c.name);
    if ('decl' in d) inputs.set(c.name, { decl: d.decl, value: values[c.name] ?? '' });
  }
  const q = composeQuery(cells, cells.find((c) => c.name === 'sangong') as Cell, inputs);
  if ('error' in q) throw new Error(q.error);
  const res = await post(`${url}/api/query`, { sql: q.sql, params: q.params, format: 'json' });
  return (await res.json()) as Record<string, unknown>[];
}

describe('charts, inputs and exports in the browser', () => {
  let s: Awaited<ReturnType<typeof seededServer>>;
  let browser: Browser;
  let page: Page;
  const errors: Error[] = [];
  beforeAll(async () => {
    browser = await launchBrowser();
    s = await seededServer({ webDir: WEB });
    for (const nb of [NOTEBOOK, PROCUREMENT, COMPARE, EXECUTION])
      copyFileSync(join(projectRoot, 'notebooks', `${nb}.md`), join(s.dir, 'notebooks', `${nb}.md`));
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
    page.on('pageerror', (e) => errors.push(e));
  });
  afterAll(async () => {
    await browser?.close();
    await s?.cleanup();
  });

  const cell = (name: string) => page.locator(`section.cell[data-name="${name}"]`);
  const chartSvg = (name: string) => cell(name).locator('.vega svg').first();
  const marks = (c: Locator) =>
    c.locator('.vega svg [aria-label]').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
  /** The amount a chart's point shows for a year and a category, read from the marks' aria-labels. */
  async function pointValue(name: string, year: string, category: string): Promise<string | undefined> {
    for (const m of await marks(cell(name))) {
      const kv = Object.fromEntries(m.split('; ').map((p) => p.split(': ') as [string, string]));
      if (kv['年度'] === year && kv['类别'] === category) return kv['金额（万元）'];
    }
    return undefined;
  }
  async function save(button: Locator, file: string): Promise<string> {
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    const path = join(ARTIFACTS, file);
    await download.saveAs(path);
    return path;
  }

  it('opens the 三公 notebook: inputs set, the query runs, the line chart draws with Chinese labels', async () => {
    await page.goto(`${s.url}/?nb=${encodeURIComponent(NOTEBOOK)}`);
    await chartSvg('trend').waitFor();
    const texts = await chartSvg('trend').locator('text').allTextContents();
    expect(texts).toContain('三公经费：2020→2021 年，按类别');
    expect(texts).toEqual(expect.arrayContaining([...CATEGORIES, '年度', '金额（万元）', '2020', '2021']));
    expect(await cell('trend').locator('.note').textContent()).toBe(
      '来源：2021 年深圳市龙岗区政务服务数据管理局部门预算。数据：sangong_trend、sangong',
    );
    expect(await pointValue('trend', '2021', '公务用车运行维护费')).toBe('12');
    expect(await pointValue('trend', '2020', '公务用车运行维护费')).toBe('13.5');
    // the link names the notebook and holds the inputs' values
    const url = new URL(page.url());
    expect(url.searchParams.get('in.unit')).toBe(DEPT);
    expect(url.searchParams.getAll('in.years')).toEqual(['2020', '2021']);
    await chartSvg('bridge').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'charts-notebook.png') });
  });

  it('suggests charts for a result and adds one as a chart cell in one click', async () => {
    await cell('sangong').getByRole('button', { name: '建议图表' }).click();
    const list = cell('sangong').getByRole('list', { name: '建议图表' });
    await list.locator('.suggestion[data-kind="waterfall"] svg').waitFor();
    expect(await list.locator('.suggestion').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')))).toEqual(
      ['slope', 'bar', 'stacked', 'dumbbell', 'waterfall'],
    );
    await cell('sangong').screenshot({ path: join(ARTIFACTS, 'charts-suggestions.png') });
    await list.locator('.suggestion[data-kind="slope"]').getByRole('button', { name: '添加' }).click();
    const added = page.locator('section.cell[data-kind="chart"]').nth(0);
    expect(await added.getAttribute('data-name')).toBe('chart1');
    await chartSvg('chart1').waitFor();
    expect(await chartSvg('chart1').locator('text').allTextContents()).toEqual(
      expect.arrayContaining(['金额：按年度和类别', ...CATEGORIES]),
    );
    const spec = await cell('chart1').locator('textarea').inputValue();
    expect(spec).toContain('data:\n  name: sangong\n');
    // the small form rewrites the spec: bars instead of lines
    await cell('chart1').locator('.form select').first().selectOption('bar');
    await expect.poll(() => cell('chart1').locator('textarea').inputValue()).toContain('mark: bar');
    await cell('chart1').locator('.form select').first().selectOption('line');
    // and the chart is a cell of the notebook file
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await expect
      .poll(() => readFileSync(join(s.dir, 'notebooks', `${NOTEBOOK}.md`), 'utf8'))
      .toContain(
        '```chart chart1\n$schema: https://vega.github.io/schema/vega-lite/v6.json\ntitle: 金额：按年度和类别',
      );
  });

  it('exports the line chart as PNG (2×) and SVG with Chinese text', async () => {
    const svgPath = await save(cell('trend').getByRole('button', { name: 'SVG' }), 'sangong-trend.svg');
    const svg = readFileSync(svgPath, 'utf8');
    expect(svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(texts).toEqual(expect.arrayContaining(['三公经费：2020→2021 年，按类别', ...CATEGORIES, '金额（万元）']));
    expect(texts.at(-1)).toContain('来源：2021 年深圳市龙岗区政务服务数据管理局部门预算');
    expect(svg).toContain('Noto Sans CJK SC');
    const width = Number(/<svg[^>]*\swidth="([\d.]+)"/.exec(svg)?.[1]);
    const height = Number(/<svg[^>]*\sheight="([\d.]+)"/.exec(svg)?.[1]);

    const pngPath = await save(cell('trend').getByRole('button', { name: 'PNG' }), 'sangong-trend.png');
    const png = readFileSync(pngPath);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const size = pngSize(png);
    expect(size).toEqual({ width: 2 * width, height: 2 * height });
    process.stdout.write(`browser-charts: SVG ${width}×${height}, PNG ${size.width}×${size.height}\n`);
    await save(cell('bridge').getByRole('button', { name: 'PNG' }), 'sangong-bridge.png');
  });

  it('exports the result as XLSX and Parquet: re-read, the values are the query’s', async () => {
    const expected = await expectedRows(s.url, DEPT);
    expect(expected).toHaveLength(8);
    const columns = Object.keys(expected[0] as object);
    const exports = cell('sangong').getByRole('group', { name: '导出' });

    const xlsx = await save(exports.getByRole('button', { name: 'XLSX' }), 'sangong.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsx);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['result', 'about']);
    const sheet = wb.worksheets[0] as ExcelJS.Worksheet;
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(columns);
    const rows: Record<string, unknown>[] = [];
    sheet.eachRow((row, i) => {
      if (i === 1) return;
      const v = (row.values as unknown[]).slice(1);
      rows.push(Object.fromEntries(columns.map((c, j) => [c, v[j] ?? null])));
    });
    expect(rows).toEqual(expected);
    expect(typeof rows[2]?.['amount']).toBe('number');
    expect(String(wb.worksheets[1]?.getCell('B1').value)).toContain('where t.unit = $unit');

    const parquet = await save(exports.getByRole('button', { name: 'Parquet' }), 'sangong.parquet');
    const db = await Database.open();
    try {
      const back = await db.session.all('select * from read_parquet($f)', { f: parquet });
      const types = await db.session.all('select column_type from (describe select * from read_parquet($f))', {
        f: parquet,
      });
      expect(types.map((t) => t['column_type'])).toContain('DECIMAL(20,6)');
      const asJson = back.map((r) =>
        Object.fromEntries(
          Object.entries(r).map(([k, v]) => [
            k,
            typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) && k !== 'category' ? Number(v) : v,
          ]),
        ),
      );
      expect(asJson).toEqual(expected);
    } finally {
      db.close();
    }

    const csv = readFileSync(await save(exports.getByRole('button', { name: 'CSV' }), 'sangong.csv'));
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.toString('utf8')).toContain('公务用车运行维护费');
  });

  it('changing an input re-runs the query, redraws the chart and updates the link', async () => {
    const before = Number(await cell('trend').locator('.vega').getAttribute('data-renders'));
    await cell('unit').getByRole('combobox', { name: '单位' }).selectOption(BENJI);
    await expect.poll(() => pointValue('trend', '2021', '公务用车运行维护费')).toBe('4');
    expect(Number(await cell('trend').locator('.vega').getAttribute('data-renders'))).toBeGreaterThan(before);
    expect(await pointValue('trend', '2020', '公务用车运行维护费')).toBe('4.5');
    const link = page.url();
    expect(new URL(link).searchParams.get('in.unit')).toBe(BENJI);
    await page.screenshot({ path: join(ARTIFACTS, 'charts-input-changed.png') });

    // the link reproduces the view
    await page.goto('about:blank');
    await page.goto(link);
    await chartSvg('trend').waitFor();
    expect(await cell('unit').getByRole('combobox', { name: '单位' }).inputValue()).toBe(BENJI);
    await expect.poll(() => pointValue('trend', '2021', '公务用车运行维护费')).toBe('4');

    // a year range narrowed to 2021 leaves one point per line
    await cell('years').getByRole('combobox', { name: '年度 从' }).selectOption('2021');
    await expect.poll(() => pointValue('trend', '2020', '公务用车运行维护费')).toBeUndefined();
    expect(await pointValue('trend', '2021', '公务用车运行维护费')).toBe('4');
    expect(new URL(page.url()).searchParams.getAll('in.years')).toEqual(['2021', '2021']);
  });

  it('exports the whole notebook: a self-contained HTML report and the Markdown file', async () => {
    const html = readFileSync(
      await save(page.getByRole('button', { name: '导出 HTML 报告' }), 'sangong-report.html'),
      'utf8',
    );
    expect(html).toContain('<h1>三公经费 · 2020→2021 年，按类别</h1>');
    expect(html).toContain(`单位：<strong>${BENJI}</strong>`);
    // trend, the chart added from a suggestion, and bridge
    expect(html.match(/<figure data-name="[^"]+"><svg/g)?.length).toBe(3);
    expect(html).toContain('>公务用车运行维护费</text>');
    expect(html).toContain('<td class="num">4.00</td>');
    expect(html).not.toMatch(/<script|<link /);
    const md = readFileSync(await save(page.getByRole('button', { name: '导出 Markdown' }), 'sangong.md'), 'utf8');
    expect(md).toBe(readFileSync(join(s.dir, 'notebooks', `${NOTEBOOK}.md`), 'utf8'));
    expect(errors).toEqual([]);
  });

  it('a multi-select and a number input: the query re-runs with list and number parameters', async () => {
    await page.goto(`${s.url}/?nb=${encodeURIComponent(PROCUREMENT)}`);
    await chartSvg('mix_share').waitFor();
    const units = () =>
      cell('mix_share')
        .locator('.vega svg [aria-label]')
        .evaluateAll((els) =>
          els.map((e) => /单位: ([^;]+)/.exec(e.getAttribute('aria-label') ?? '')?.[1]).filter(Boolean),
        );
    expect(new Set(await units()).size).toBe(3);
    expect(await cell('mix').locator('.count').textContent()).toMatch(/^7 /);
    await cell('units').getByRole('checkbox', { name: DEPT, exact: true }).uncheck();
    await expect.poll(async () => new Set(await units()).size).toBe(2);
    expect(await units()).not.toContain(DEPT);
    expect(new URL(page.url()).searchParams.getAll('in.units')).toHaveLength(2);
    await cell('min_amount').getByRole('spinbutton').fill('100');
    await cell('min_amount').getByRole('spinbutton').press('Enter');
    await expect.poll(() => cell('mix').locator('.count').textContent()).toMatch(/^2 /);
    expect(new URL(page.url()).searchParams.get('in.min_amount')).toBe('100');
    await page.screenshot({ path: join(ARTIFACTS, 'charts-multiselect.png') });
    expect(errors).toEqual([]);
  });
  it('opens the peer-comparison notebook: the department, its profile, the ranking chart, no console error', async () => {
    await page.goto(`${s.url}/?nb=${encodeURIComponent(COMPARE)}`);
    await chartSvg('ranking_chart').waitFor();
    const texts = await chartSvg('ranking_chart').locator('text').allTextContents();
    expect(texts).toEqual(expect.arrayContaining(['同级部门收入总计（万元）', DEPT]));
    // The bundled document alone: its department is its only peer, ranked 1st of 1 on 收入总计 (7,920 万元).
    expect(new URL(page.url()).searchParams.get('in.dept')).toBe(DEPT);
    const profile = cell('profile').locator('.tr').filter({ hasText: '收入总计' });
    expect((await profile.locator('.td').allTextContents()).map((t) => t.trim()).slice(0, 2)).toEqual([
      '收入总计',
      '7,920',
    ]);
    await cell('classes').locator('.td').first().waitFor();
    expect(await cell('classes').locator('.tr').first().locator('.td').nth(1).textContent()).toMatch(/%$/);
    await page.screenshot({ path: join(ARTIFACTS, 'notebook-compare.png') });
    expect(errors).toEqual([]);
  });
  it('the execution notebook on a database without a 决算: one row says so, the empty chart draws, no console error', async () => {
    const consoleErrors: string[] = [];
    const onConsole = (m: ConsoleMessage) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    };
    page.on('console', onConsole);
    try {
      await page.goto(`${s.url}/?nb=${encodeURIComponent(EXECUTION)}`);
      await chartSvg('budget_vs_final').waitFor();
      await expect.poll(() => cell('by_class').locator('.count').textContent()).toMatch(/^0 /);
      const pairs = await cell('pairs')
        .locator('.tr')
        .evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('.td')].map((td) => td.textContent?.trim())));
      expect(pairs).toHaveLength(1);
      expect(pairs[0]?.[2]).toMatch(/^数据库里没有决算/);
      // Vega-Lite draws the axes and the legend over no rows (it warns of an empty extent, no error)
      expect(await cell('budget_vs_final').locator('.vega svg g.role-mark [aria-label]').count()).toBe(0);
      expect(await cell('budget_vs_final').locator('.chart-error').count()).toBe(0);
      expect(await chartSvg('budget_vs_final').locator('text').allTextContents()).toContain(
        '预算数与决算数，按功能分类（类）（万元）',
      );
    } finally {
      page.off('console', onConsole);
    }
    expect(consoleErrors).toEqual([]);
    expect(errors).toEqual([]);
  });
});

describe('the execution and five-year notebooks on the Shanghai documents of the default database', () => {
  // The Shanghai PDFs that build-default loads (万里街道 2023 and 2024 预算; 财政局 2024 决算 and 2025 预算;
  // 商务委员会 2025 预算), plus the fictional 决算 of the 决算 tests, whose 三公 table prints 预算数 beside 决算数.
  const tmp = tempDir();
  let s: Awaited<ReturnType<typeof serverWith>>;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  beforeAll(async () => {
    const synthetic = join(tmp.dir, 'synthetic-final-accounts.pdf');
    await printPdfs([{ out: synthetic, page: { html: finalAccountsHtml(), landscape: true } }]);
    const docs = join(projectRoot, 'datasets', 'documents');
    const shanghai = readdirSync(docs)
      .filter((f) => f.startsWith('上海市普陀区') && f.endsWith('.pdf'))
      .sort()
      .map((f) => join(docs, f));
    expect(shanghai).toHaveLength(5);
    s = await serverWith([...shanghai, synthetic], { webDir: WEB });
    for (const nb of [EXECUTION, FIVE_YEARS])
      copyFileSync(join(projectRoot, 'notebooks', `${nb}.md`), join(s.dir, 'notebooks', `${nb}.md`));
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
    collectErrors(page, errors);
  });
  afterAll(async () => {
    await browser?.close();
    await s?.cleanup();
    tmp.cleanup();
  });

  const cell = (name: string) => page.locator(`section.cell[data-name="${name}"]`);
  /** The cells of a grid, row by row (the row numbers left out). */
  const gridRows = (name: string) =>
    cell(name)
      .locator('.tr')
      .evaluateAll((rows) =>
        rows.map((r) => [...r.querySelectorAll('.td')].map((td) => (td.textContent ?? '').trim())),
      );
  const count = (name: string) => cell(name).locator('.count').textContent();
  /** The aria-labels of a chart's data marks (bars, points, lines), as key → value maps. */
  const marks = (name: string) =>
    cell(name)
      .locator('.vega svg g.role-mark [aria-label]')
      .evaluateAll((els) =>
        els.map((e) =>
          Object.fromEntries(
            (e.getAttribute('aria-label') ?? '').split('; ').map((p) => p.split(': ') as [string, string]),
          ),
        ),
      );
  /** Every chart cell of the page has drawn an SVG with data marks in it. */
  async function expectChartsDrawn(names: string[]): Promise<void> {
    await cell(names[0] as string)
      .locator('.vega svg')
      .first()
      .waitFor();
    const charts = await page
      .locator('section.cell[data-kind="chart"]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-name')));
    expect(charts).toEqual(names);
    for (const name of names) {
      await cell(name).locator('.vega svg').first().waitFor();
      await expect.poll(async () => (await marks(name)).length, { message: name }).toBeGreaterThan(0);
      expect(await cell(name).locator('.chart-error, pre.error').count(), name).toBe(0);
    }
  }
  async function save(button: Locator, file: string): Promise<string> {
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    const path = join(ARTIFACTS, file);
    await download.saveAs(path);
    return path;
  }

  it('opens the execution notebook: no pair for 财政局 2024 is said so, the 决算 by 类 still draws, no console error', async () => {
    await page.goto(`${s.url}/?nb=${encodeURIComponent(EXECUTION)}`);
    await expectChartsDrawn(['budget_vs_final']);
    expect(new URL(page.url()).searchParams.get('in.dept')).toBe(FINANCE);
    // What is loaded: the 决算 of 2024 and the 预算 of 2025 of 财政局 are two years, not a pair.
    expect(await gridRows('loaded')).toEqual(
      expect.arrayContaining([
        [FINANCE, '2024', "['final']", 'false'],
        [FINANCE, '2025', "['budget']", 'false'],
        [WANLI, '2023', "['budget']", 'false'],
      ]),
    );
    expect(await gridRows('status')).toEqual([
      [
        '2024',
        '只有决算：未载入 2024 年预算（已载入的预算年度：2025），无法计算执行率',
        '0',
        '[2025]',
        '上海市普陀区财政局2024年度部门决算',
      ],
    ]);
    for (const name of ['exec_totals', 'exec_functions', 'exec_sangong'])
      expect(await count(name), name).toMatch(/^0 /);
    // The chart: the four 类 of the 决算 (2,940.05 万元 in all; the marks' labels use the axis format ',.0f'), and
    // no 预算数 bar; the legend names both.
    const bars = await marks('budget_vs_final');
    expect(bars.map((b) => [b['功能分类'], b['阶段'], b['金额（万元）']])).toEqual([
      ['201 一般公共服务支出', '决算数', '2,107'],
      ['208 社会保障和就业支出', '决算数', '327'],
      ['210 卫生健康支出', '决算数', '61'],
      ['221 住房保障支出', '决算数', '446'],
    ]);
    const texts = await cell('budget_vs_final').locator('.vega svg text').allTextContents();
    expect(texts).toEqual(
      expect.arrayContaining(['预算数与决算数，按功能分类（类）（万元）', '预算数', '决算数', '金额（万元）']),
    );
    expect(await cell('budget_vs_final').locator('.note').textContent()).toContain(
      '上海市普陀区财政局2024年度部门决算',
    );
    await page.screenshot({ path: join(ARTIFACTS, 'notebook-execution.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('a 决算 that prints its 三公 预算数: the execution rates show as percentages', async () => {
    await cell('dept').getByRole('combobox', { name: '部门' }).selectOption(SYNTHETIC_DEPT);
    await expect.poll(() => count('exec_sangong')).toMatch(/^3 /);
    expect(await gridRows('exec_sangong')).toEqual([
      ['2023', 'overseas_travel', '因公出国（境）费', '2.00', '1.50', '-0.50', '75.00%', '决算所列预算数'],
      ['2023', 'reception', '公务接待费', '4.00', '4.00', '0.00', '100.00%', '决算所列预算数'],
      ['2023', 'vehicle_operation', '公务用车运行维护费', '6.00', '5.00', '-1.00', '83.33%', '决算所列预算数'],
    ]);
    expect(await gridRows('exec_totals')).toEqual([
      // its 12.00 is the 决算's own 预算数 column (no 2023 预算 is loaded), and says so
      ['2023', 'sangong_total', '三公经费', '12.00', '10.50', '-1.50', '87.50%', '决算所列预算数'],
    ]);
    expect((await gridRows('status'))[0]?.[1]).toBe(
      '部分可以对比：sangong、total（未载入 2023 年预算，只用决算所列预算数）',
    );
    await expect
      .poll(async () => (await marks('budget_vs_final')).map((b) => b['功能分类']))
      .toEqual(['201 一般公共服务支出', '208 社会保障和就业支出', '212 城乡社区支出', '221 住房保障支出']);
    expect(new URL(page.url()).searchParams.get('in.dept')).toBe(SYNTHETIC_DEPT);
    expect(errors).toEqual([]);
  });

  it('opens the five-year notebook: the pivot’s yearly totals are the documents’ 支出总计, the charts draw, no console error', async () => {
    await page.goto(`${s.url}/?nb=${encodeURIComponent(FIVE_YEARS)}`);
    await expectChartsDrawn(['spending_line', 'nominal_real_chart']);
    expect(new URL(page.url()).searchParams.get('in.dept')).toBe(WANLI);
    expect(new URL(page.url()).searchParams.get('in.base')).toBe('2025');
    await cell('classes_by_year').locator('.td').first().waitFor();
    expect(
      await cell('classes_by_year')
        .locator('.th')
        .evaluateAll((th) => th.map((e) => (e.textContent ?? '').trim())),
    ).toEqual(['class_name', '2023', '2024', '合计']);
    // 16,497.864 万元 (164,978,640 元) in 2023, 15,621.1123 万元 (156,211,123 元) in 2024, shown to the 万元 cent
    const rows = await gridRows('classes_by_year');
    expect(rows.at(-1)).toEqual(['合计', '16,497.86', '15,621.11', '32,118.98']);
    expect(rows[0]).toEqual(['201 一般公共服务支出', '297.68', '293.27', '590.95']);
    expect(rows).toHaveLength(10);
    // exactly, in the pivot's CSV
    const csv = readFileSync(
      await save(
        cell('classes_by_year').getByRole('group', { name: '导出' }).getByRole('button', { name: 'CSV' }),
        'five-years-pivot.csv',
      ),
      'utf8',
    );
    const total = csv.split(/\r?\n/).find((l) => l.startsWith('合计'));
    expect(total?.split(',').map(Number).slice(1)).toEqual([16497.864, 15621.1123, 32118.9763]);
    // the totals agree: nominal as printed, real in 2025 prices (CPI 2024 +0.2%, 2025 flat)
    expect((await gridRows('totals')).map((r) => r.slice(0, 5))).toEqual([
      ['2023', 'budget', '16,497.86', '16,497.86', '16,530.86'],
      ['2024', 'budget', '15,621.11', '15,621.11', '15,621.11'],
    ]);
    // the chart's bars, labelled by their tooltip (金额 in ',.2f')
    const bars = await marks('nominal_real_chart');
    expect(bars.map((b) => [b['年度'], b['口径'], b['金额（万元）']])).toEqual([
      ['2023 预算', '实际值（2025 年价格）', '16,530.86'],
      ['2023 预算', '名义值', '16,497.86'],
      ['2024 预算', '实际值（2025 年价格）', '15,621.11'],
      ['2024 预算', '名义值', '15,621.11'],
    ]);
    // restated: no series of the loaded years crosses a classification change
    expect((await gridRows('class_series')).every((r) => r.at(-4) === 'false' && r.at(-2) === 'false')).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'notebook-five-years.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('the base year and the department: real values re-priced, a 决算 year and a 预算 year side by side', async () => {
    await cell('base').getByRole('combobox', { name: '价格基年' }).selectOption('2023');
    await expect.poll(async () => (await gridRows('totals'))[1]?.[4]).toBe('15,589.93');
    expect((await gridRows('totals'))[0]?.[4]).toBe('16,497.86');
    expect(new URL(page.url()).searchParams.get('in.base')).toBe('2023');
    await cell('dept').getByRole('combobox', { name: '部门' }).selectOption(FINANCE);
    await expect
      .poll(async () => [...new Set((await marks('nominal_real_chart')).map((b) => b['年度']))])
      .toEqual(['2024 决算', '2025 预算']);
    // the pivot is of 预算数: 财政局's only 预算 year is 2025 (3,121.42 万元)
    await expect.poll(async () => (await gridRows('classes_by_year')).at(-1)).toEqual(['合计', '3,121.42', '3,121.42']);
    expect(errors).toEqual([]);
  });
});

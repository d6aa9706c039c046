import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../engine/paths.ts';
import { printedForms } from '../web/src/lib/source.ts';
import { ARTIFACTS, collectErrors, launchBrowser, WEB } from './browser-helpers.ts';
import { SEED } from './helpers.ts';
import { serverWith } from './server-helpers.ts';

/** A figure opens its source (issue #19): click a figure in the grid, see its line or its PDF page, the figure marked. */

const TOKEN = 'browser-source-token';
const DOCS = join(projectRoot, 'datasets', 'documents');
const SHANGHAI = join(DOCS, '上海市普陀区财政局_2025_部门预算.pdf');
const SHENZHEN = join(DOCS, '2026年深圳市财政局部门预算.pdf');
const SQL = 'SELECT * FROM spending_by_function WHERE func_level = 1';

describe('a figure opens its source', () => {
  let text: Awaited<ReturnType<typeof serverWith>>;
  let pdfs: Awaited<ReturnType<typeof serverWith>>;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  beforeAll(async () => {
    [text, pdfs] = await Promise.all([
      serverWith([SEED], { webDir: WEB, token: TOKEN }),
      serverWith([SHANGHAI, SHENZHEN], { webDir: WEB, token: TOKEN }),
    ]);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
    collectErrors(page, errors);
  });
  afterAll(async () => {
    await browser?.close();
    await text?.cleanup();
    await pdfs?.cleanup();
  });

  /** Open the notebook (the token in the URL sets the cookie), add an SQL cell, run `sql` in it. */
  async function runCell(url: string, sql: string): Promise<Locator> {
    // the page is ready (the schema and the notebook list have loaded), then a new cell
    await page.goto(`${url}/?token=${TOKEN}`, { waitUntil: 'networkidle' });
    await page.locator('section.cell').first().waitFor();
    const cells = page.locator('section.cell[data-kind="sql"]');
    const before = await cells.count();
    await page.getByRole('button', { name: /SQL 单元|SQL cell/ }).click();
    await expect.poll(() => cells.count()).toBe(before + 1);
    const cell = cells.last();
    await cell.locator('.cm-content').click();
    await page.keyboard.press('Control+A'); // a new cell starts with a query of its own
    await page.keyboard.type(sql);
    await expect.poll(() => cell.locator('.cm-content').textContent()).toBe(sql);
    await page.keyboard.press('Control+Enter');
    await cell.locator('.grid .tr .td, pre.error').first().waitFor();
    const error = cell.locator('pre.error');
    if ((await error.count()) > 0) throw new Error(`the query failed: ${await error.textContent()}`);
    return cell;
  }

  /** The grid's rendered rows as column name → cell text. */
  async function gridRows(cell: Locator): Promise<Record<string, string>[]> {
    const names = (await cell.locator('.grid .head .th').allTextContents()).map((t) => t.trim());
    const rows = await cell
      .locator('.grid .tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll('.td')].map((td) => (td.textContent ?? '').trim())),
      );
    return rows.map((r) => Object.fromEntries(names.map((n, i) => [n, r[i] ?? ''])));
  }

  /** The cell of column `name` in the rendered row `k`. */
  async function cellAt(cell: Locator, k: number, name: string): Promise<Locator> {
    const names = (await cell.locator('.grid .head .th').allTextContents()).map((t) => t.trim());
    return cell.locator('.grid .tr').nth(k).locator('.td').nth(names.indexOf(name));
  }

  it('a text document: the lines around the figure, its line marked and the figure in it', async () => {
    const cell = await runCell(text.url, SQL);
    const rows = await gridRows(cell);
    const k = rows.findIndex((r) => r['derived'] === 'false' && r['total'] !== 'NULL');
    expect(k).toBeGreaterThanOrEqual(0);
    const row = rows[k] as Record<string, string>;
    const figure = await cellAt(cell, k, 'total');
    const link = figure.getByRole('button', { name: row['total'] });
    expect(await link.getAttribute('title')).toBe('查看来源');
    // the link adds nothing to the cell's text (the grid reads as before)
    expect((await figure.textContent())?.trim()).toBe(row['total']);
    await link.click();
    const viewer = page.locator('dialog.source-viewer[open]');
    await viewer.waitFor();
    expect(await viewer.getAttribute('data-format')).toBe('text');
    const marked = viewer.locator('li.marked');
    await marked.waitFor();
    const line = Number(row['source_line']);
    expect(await marked.getAttribute('data-line')).toBe(String(line));
    const printed = readFileSync(SEED, 'utf8').split('\n')[line - 1]?.replace(/\r$/, '') ?? '';
    expect(await marked.locator('.text').textContent()).toBe(printed);
    // the figure, as printed in the file (7,128 for 7128 万元), is marked in its line
    const mark = (await marked.locator('mark').textContent()) ?? '';
    const amount = row['total']?.replace(/,/g, '').replace(/\.00$/, '') ?? '';
    expect(printedForms(amount)).toContain(mark);
    expect(printed).toContain(mark);
    expect(await viewer.locator('.status').textContent()).toContain(`已标出 ${mark}`);
    // lines around it are shown too
    expect(await viewer.locator('li').count()).toBeGreaterThan(10);
    expect(await viewer.locator('h2').textContent()).toBe('2021 年深圳市龙岗区政务服务数据管理局部门预算');
    await page.screenshot({ path: join(ARTIFACTS, 'source-text.png') });
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('dialog.source-viewer').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  /** Click row `k`'s figure in `column`, wait for the page to be drawn; the highlight's text and the canvas's ink. */
  async function openPdfFigure(cell: Locator, k: number, column: string) {
    await (await cellAt(cell, k, column)).getByRole('button').click();
    const viewer = page.locator('dialog.source-viewer[open]');
    await viewer.waitFor();
    expect(await viewer.getAttribute('data-format')).toBe('pdf');
    const box = viewer.locator('.figure');
    await box.waitFor({ timeout: 30_000 });
    const ink = await viewer.locator('canvas').evaluate((c: HTMLCanvasElement) => {
      const data = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? new Uint8ClampedArray();
      let dark = 0;
      for (let i = 0; i < data.length; i += 4)
        if ((data[i] as number) < 160 && (data[i + 1] as number) < 160 && (data[i + 2] as number) < 160) dark++;
      return { dark, width: c.width, height: c.height };
    });
    return {
      viewer,
      box,
      ink,
      text: await box.getAttribute('data-text'),
      inRow: await box.getAttribute('data-in-row'),
      status: await viewer.locator('.status').textContent(),
    };
  }

  it('a PDF: the page drawn with pdf.js, a box over the printed figure on its row', async () => {
    const cell = await runCell(pdfs.url, SQL);
    const rows = await gridRows(cell);
    expect(rows.length).toBe(11);
    // 上海市普陀区财政局 2025: 201 一般公共服务支出 2,218.64 万元, printed in 元 as 22,186,440.80
    const k = rows.findIndex((r) => r['func_code'] === '201' && r['department'] === '上海市普陀区财政局');
    expect(rows[k]?.['total']).toBe('2,218.64');
    const sh = await openPdfFigure(cell, k, 'total');
    expect(sh.text?.trim()).toBe('22,186,440.80');
    expect(sh.inRow).toBe('true');
    expect(sh.status).toContain('已标出 22,186,440.80');
    expect(sh.ink.width).toBeGreaterThan(500);
    expect(sh.ink.dark).toBeGreaterThan(2000);
    // the box stands over the figure's row, inside the page
    const [b, c] = await Promise.all([sh.box.boundingBox(), sh.viewer.locator('canvas').boundingBox()]);
    expect(b && c && b.x > c.x && b.y > c.y && b.x + b.width < c.x + c.width).toBe(true);
    expect(await sh.viewer.locator('.row').getAttribute('data-line')).toBe(rows[k]?.['source_line']);
    await sh.box.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, 'source-pdf-shanghai.png') });
    await sh.viewer.getByRole('button', { name: '关闭' }).click();
    await expect.poll(() => page.locator('dialog.source-viewer').count()).toBe(0);

    // 深圳市财政局 2026 表3: 201's 基本支出 6,487.76 万元, printed in 万元 (and again, as 行政运行's total, rows below)
    const z = rows.findIndex((r) => r['func_code'] === '201' && r['department']?.startsWith('深圳市财政局'));
    expect(rows[z]?.['basic']).toBe('6,487.76');
    const sz = await openPdfFigure(cell, z, 'basic');
    expect(sz.text?.trim()).toBe('6,487.76');
    expect(sz.inRow).toBe('true');
    expect(sz.ink.dark).toBeGreaterThan(2000);
    await page.screenshot({ path: join(ARTIFACTS, 'source-pdf-shenzhen.png') });
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('dialog.source-viewer').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('the HTML report cites each row’s source in a footnote: document, table, page and line', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '导出 HTML 报告' }).click(),
    ]);
    const path = join(ARTIFACTS, 'source-report.html');
    await download.saveAs(path);
    const html = readFileSync(path, 'utf8');
    expect(html).toContain('<th>来源</th>');
    const notes = [...html.matchAll(/<li id="src-[^"]+">(.*?)<\/li>/g)].map((m) => m[1] ?? '');
    expect(notes).toHaveLength(11);
    expect(notes).toContainEqual(
      expect.stringMatching(
        /^\[\d+\] 上海市普陀区2025年区级部门预算（上海市普陀区财政局_2025_部门预算\.pdf），2025年部门支出预算总表，第 12 页，第 6 行 <a href="http:\/\/127\.0\.0\.1:\d+\/api\/documents\/[0-9a-f]{16}#page=12">原文<\/a>$/,
      ),
    );
    expect(errors).toEqual([]);
  });
});

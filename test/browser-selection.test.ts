import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDefault } from '../engine/cli/main.ts';
import { projectRoot } from '../engine/paths.ts';
import { startServer, type RunningServer } from '../engine/server/serve.ts';
import { ARTIFACTS, collectErrors, launchBrowser, WEB } from './browser-helpers.ts';
import { DEPT, tempDir } from './helpers.ts';

/**
 * A chart's selection is a notebook input (issue #19): in the overview notebook, clicking a 类's bar sets `$sel`,
 * which filters a query cell and the chart over it; the link holds it (`in.sel=…`) and reproduces the view.
 */
const DEFAULT_DB = join(projectRoot, 'data', 'budget.duckdb');
const NOTEBOOK = '概览-overview';
const CLASSES = ['一般公共服务支出', '社会保障和就业支出', '卫生健康支出', '住房保障支出'];
const PICKED = '社会保障和就业支出';

describe('a chart selection as an input, in the browser', () => {
  // The default database (a copy of data/budget.duckdb, or built as `budget build-default` builds it).
  const tmp = tempDir();
  let s: RunningServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  beforeAll(async () => {
    const db = join(tmp.dir, 'budget.duckdb');
    if (existsSync(DEFAULT_DB)) copyFileSync(DEFAULT_DB, db);
    await buildDefault(db); // brings a copy up to date, or builds the database when there is none to copy
    const notebooksDir = join(tmp.dir, 'notebooks');
    mkdirSync(notebooksDir);
    copyFileSync(join(projectRoot, 'notebooks', `${NOTEBOOK}.md`), join(notebooksDir, `${NOTEBOOK}.md`));
    s = await startServer({ db, port: 0, host: '127.0.0.1', notebooksDir, webDir: WEB, quiet: true });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    collectErrors(page, errors);
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
    tmp.cleanup();
  });

  const cell = (name: string) => page.locator(`section.cell[data-name="${name}"]`);
  const renders = async (name: string) => Number(await cell(name).locator('.vega').getAttribute('data-renders'));
  /** The cells of a grid, row by row (the row numbers left out). */
  const gridRows = (name: string) =>
    cell(name)
      .locator('.tr')
      .evaluateAll((rows) =>
        rows.map((r) => [...r.querySelectorAll('.td')].map((td) => (td.textContent ?? '').trim())),
      );
  /** A chart's data marks: their aria-labels as key → value maps, and their opacity. */
  const marks = (name: string) =>
    cell(name)
      .locator('.vega svg g.role-mark [aria-label]')
      .evaluateAll((els) =>
        els.map((e): Record<string, string> => ({
          ...Object.fromEntries(
            (e.getAttribute('aria-label') ?? '').split('; ').map((p) => p.split(': ') as [string, string]),
          ),
          opacity: e.getAttribute('opacity') ?? '1',
        })),
      );
  const bar = (name: string, label: string) =>
    cell(name).locator(`.vega svg g.role-mark [aria-label*="功能分类: ${label}"]`);
  /** The page from the selecting chart down (the cells scroll inside main). */
  async function screenshot(file: string): Promise<void> {
    await cell('department_only_chart').evaluate((e) => e.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: join(ARTIFACTS, file) });
  }
  const selParam = () => new URL(page.url()).searchParams.getAll('in.sel');

  /** The view with 类 `picked` selected: the table and the second chart show its rows only; the first, all. */
  async function expectFiltered(picked: string): Promise<void> {
    await expect
      .poll(async () => (await gridRows('selected_function')).map((r) => r[2]))
      .toEqual([picked, picked, picked]);
    expect(await cell('selected_function').locator('.count').textContent()).toMatch(/^3 /);
    await expect
      .poll(async () => (await marks('selected_function_chart')).map((m) => m['功能分类']))
      .toEqual([picked, picked, picked]);
    // the chart that declares the selection keeps every 类, the selected one highlighted
    const classes = await marks('department_only_chart');
    expect(classes.map((m) => m['功能分类']).sort()).toEqual([...CLASSES].sort());
    await expect
      .poll(async () =>
        Object.fromEntries((await marks('department_only_chart')).map((m) => [m['功能分类'], m.opacity])),
      )
      .toEqual(Object.fromEntries(CLASSES.map((c) => [c, c === picked ? '1' : '0.3'])));
  }

  it('opens the overview: nothing selected, the table and the second chart show every 类', async () => {
    await page.goto(`${s.url}/?nb=${encodeURIComponent(NOTEBOOK)}`);
    await bar('department_only_chart', PICKED).waitFor();
    await expect.poll(async () => (await gridRows('selected_function')).length).toBe(12);
    await expect.poll(async () => (await marks('selected_function_chart')).length).toBe(12);
    expect(new Set((await marks('selected_function_chart')).map((m) => m['功能分类']))).toEqual(new Set(CLASSES));
    expect((await marks('department_only_chart')).every((m) => m.opacity === '1')).toBe(true);
    expect(selParam()).toEqual(['']);
    expect(errors).toEqual([]);
  });

  it('clicking a 类 bar filters the table and the second chart; the chart itself is not drawn again', async () => {
    const drawn = await renders('department_only_chart');
    await bar('department_only_chart', PICKED).click();
    await expectFiltered(PICKED);
    expect(await gridRows('selected_function')).toEqual([
      ['深圳市龙岗区大数据中心', '208', PICKED, '137.00', expect.any(String), expect.any(String)],
      [DEPT, '208', PICKED, '199.00', expect.any(String), expect.any(String)],
      [`${DEPT}本级`, '208', PICKED, '62.00', expect.any(String), expect.any(String)],
    ]);
    expect(selParam()).toEqual([PICKED]);
    expect(await renders('department_only_chart')).toBe(drawn);
    await screenshot('selection-clicked.png');
    expect(errors).toEqual([]);
  });

  it('the link reproduces the view: the selection, the filtered cells, the highlighted bar', async () => {
    const link = page.url();
    await page.goto('about:blank');
    await page.goto(link);
    await bar('department_only_chart', PICKED).waitFor();
    await expectFiltered(PICKED);
    expect(selParam()).toEqual([PICKED]);
    await screenshot('selection-reloaded.png');
    expect(errors).toEqual([]);
  });

  it('another bar moves the selection; a click on empty space clears it: every 类 again', async () => {
    await bar('department_only_chart', '住房保障支出').click();
    await expectFiltered('住房保障支出');
    expect(selParam()).toEqual(['住房保障支出']);
    // to the right of the shortest bar, inside the plot: no mark there
    const box = await bar('department_only_chart', '卫生健康支出').boundingBox();
    if (!box) throw new Error('no bar for 卫生健康支出');
    await page.mouse.click(box.x + box.width + 150, box.y + box.height / 2);
    await expect.poll(async () => (await gridRows('selected_function')).length).toBe(12);
    await expect.poll(async () => (await marks('selected_function_chart')).length).toBe(12);
    expect(selParam()).toEqual(['']);
    expect((await marks('department_only_chart')).every((m) => m.opacity === '1')).toBe(true);
    expect(errors).toEqual([]);
  });
});

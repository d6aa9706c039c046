import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { projectRoot } from '../engine/paths.ts';
import { seededServer } from './server-helpers.ts';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const WEB = join(projectRoot, 'web', 'build');
const ARTIFACTS = join(projectRoot, 'test', 'artifacts');

/** Chromium as installed by Debian (.ci/run): headless, no network of its own. */
export async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium fonts-noto-cjk (.ci/run does)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

const NOTEBOOK = `# 浏览器测试

\`\`\`sql total
select sum(amount) as spending from budget_totals
where measure = 'spending_total' and fiscal_year = 2021 and unit_level = 'department'
\`\`\`
`;

describe('the notebook in a browser', () => {
  let s: Awaited<ReturnType<typeof seededServer>>;
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    if (!existsSync(join(WEB, 'index.html')))
      throw new Error(`the web app is not built at ${WEB}: run npm run build:web (npm test does)`);
    mkdirSync(ARTIFACTS, { recursive: true });
    s = await seededServer({ webDir: WEB });
    writeFileSync(join(s.dir, 'notebooks', 'browser-test.md'), NOTEBOOK);
    browser = await launch();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (e) => {
      throw e;
    });
  });
  afterAll(async () => {
    await browser?.close();
    await s?.cleanup();
  });

  const cell = (name: string) => page.locator(`section.cell[data-name="${name}"]`);
  /** Add an SQL cell at the end, type `sql` into it and run it (Ctrl+Enter). */
  const runNewCell = async (sql: string) => {
    await page.getByRole('button', { name: /SQL 单元|SQL cell/ }).click();
    const added = page.locator('section.cell[data-kind="sql"]').last();
    await added.locator('.cm-content').click();
    await page.keyboard.type(sql);
    await page.keyboard.press('Control+Enter');
    return added;
  };

  it('opens a notebook and runs a cell: 7,920 in the grid', async () => {
    await page.goto(`${s.url}/?nb=browser-test`);
    await cell('total')
      .getByRole('button', { name: /运行|Run/ })
      .click();
    const value = cell('total').locator('.td').first();
    await value.waitFor();
    expect(await value.textContent()).toBe('7,920.00');
    expect(await cell('total').locator('.count').textContent()).toMatch(/^1 /);
    await page.screenshot({ path: join(ARTIFACTS, 'notebook-run.png') });
  });

  it('marks an SQL error at its position', async () => {
    const added = await runNewCell('select nosuch from budget_totals');
    const err = added.locator('.error');
    await err.waitFor();
    expect(await err.textContent()).toContain('Binder Error');
    const mark = added.locator('.cm-lintRange-error');
    await mark.waitFor();
    expect(await mark.textContent()).toBe('nosuch');
    await page.screenshot({ path: join(ARTIFACTS, 'notebook-error.png') });
  });

  it('saves as a new notebook and reopens it', async () => {
    page.once('dialog', (d) => void d.accept('浏览器测试副本'));
    await page.getByRole('button', { name: /另存为|Save as/ }).click();
    await expect.poll(() => existsSync(join(s.dir, 'notebooks', '浏览器测试副本.md'))).toBe(true);
    const saved = readFileSync(join(s.dir, 'notebooks', '浏览器测试副本.md'), 'utf8');
    expect(saved).toContain('```sql total\nselect sum(amount) as spending');
    expect(saved).toContain('select nosuch from budget_totals');
    await page.goto(`${s.url}/?nb=${encodeURIComponent('浏览器测试副本')}`);
    await cell('total').waitFor();
    expect(await page.locator('section.cell[data-kind="sql"]').count()).toBe(2);
    expect(await page.locator('input[aria-label="名称"], input[aria-label="Name"]').first().inputValue()).toBe(
      '浏览器测试副本',
    );
  });

  it('holds at most 100,000 rows of a result, and says so', async () => {
    const added = await runNewCell('select range as i from range(250000)');
    const note = added.locator('.truncated');
    await note.waitFor();
    expect(await note.textContent()).toMatch(/100,000/);
    expect(await added.locator('.count').textContent()).toMatch(/^100,000 /);
    await expect.poll(() => s.queries.active, { timeout: 5000 }).toBe(0);
  });

  it('cancels a long query, and the server stops it', async () => {
    const added = await runNewCell('select sum(a.range * b.range) from range(300000) a, range(300000) b');
    const cancel = added.getByRole('button', { name: /取消|Cancel/ });
    await cancel.waitFor();
    await expect.poll(() => s.queries.active).toBe(1);
    const t0 = Date.now();
    await cancel.click();
    await added.locator('.error').waitFor();
    expect(await added.locator('.error').textContent()).toContain('cancelled');
    await expect.poll(() => s.queries.active, { timeout: 5000 }).toBe(0);
    process.stdout.write(`browser: long query interrupted ${Date.now() - t0} ms after cancel\n`);
    await page.screenshot({ path: join(ARTIFACTS, 'notebook-cancel.png') });
  });
  it('a pivot cell: function 类 × year with totals; the 合计 row is the document total, 7,920.00 in 2021', async () => {
    writeFileSync(
      join(s.dir, 'notebooks', 'pivot-test.md'),
      [
        '```sql by_class',
        "select func_name, fiscal_year, total from spending_growth where unit_level = 'department' and func_level = 1",
        '```',
        '',
        '```pivot classes',
        'data: by_class',
        'rows: func_name',
        'columns: fiscal_year',
        'values: total',
        '```',
        '',
      ].join('\n'),
    );
    await page.goto(`${s.url}/?nb=pivot-test`);
    await cell('classes')
      .getByRole('button', { name: /运行|Run/ })
      .click();
    const grid = cell('classes').locator('.grid');
    await grid.locator('.td').first().waitFor();
    const headers = await grid.locator('.head button').allTextContents();
    expect(headers.map((h) => h.trim())).toEqual(['func_name', '2020', '2021', '合计']);
    const last = grid.locator('.tr').last();
    const cells = (await last.locator('.td').allTextContents()).map((t) => t.trim());
    expect(cells[0]).toBe('合计');
    expect(cells[2]).toBe('7,920.00');
    await page.screenshot({ path: join(ARTIFACTS, 'notebook-pivot.png') });
    // Re-opened from the file, the cell is still a pivot.
    expect(await page.locator('section.cell[data-kind="pivot"]').count()).toBe(1);
  });
});

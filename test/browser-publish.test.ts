/**
 * `budget publish` (issue #19): the overview notebook as a static site, served by a plain static server
 * (python3 -m http.server) with the budget server stopped, opened in Chromium. Every cell's result equals the
 * one the server gave for the same notebook; the charts draw; the selection still filters; the console stays
 * clean; and the page asks nothing of any other host (DuckDB-wasm, its worker and parquet-wasm are the site's own
 * files). The site's size and its time to first chart are written to test/artifacts/publish.json.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDefault } from '../engine/cli/main.ts';
import { Engine, type PublishReport } from '../engine/engine.ts';
import { projectRoot } from '../engine/paths.ts';
import { startServer } from '../engine/server/serve.ts';
import { ARTIFACTS, collectErrors, launchBrowser, WEB } from './browser-helpers.ts';
import { tempDir } from './helpers.ts';

const DEFAULT_DB = join(projectRoot, 'data', 'budget.duckdb');
const NOTEBOOK = '概览-overview';
const PICKED = '社会保障和就业支出';

/** A query cell's row count line (its timing left out), then its rows, each as its cells joined by ' | '. */
type Rows = string[];

/** Wait until every query cell shows rows (or an error) and every chart has drawn marks; then each grid's cells. */
async function settledResults(page: Page): Promise<Record<string, Rows>> {
  await page.waitForFunction(
    () =>
      document.querySelectorAll('section.cell[data-kind="sql"]').length > 0 &&
      [...document.querySelectorAll('section.cell')].every((c) => {
        const kind = c.getAttribute('data-kind');
        if (kind === 'sql') return c.querySelector('.tr') !== null || c.querySelector('.error') !== null;
        if (kind === 'chart') return c.querySelector('.vega svg g.role-mark [aria-label]') !== null;
        return true;
      }),
    null,
    { timeout: 90_000 },
  );
  return page
    .locator('section.cell[data-kind="sql"]')
    .evaluateAll((cells) =>
      Object.fromEntries(
        cells.map((c) => [
          c.getAttribute('data-name') ?? '',
          [(c.querySelector('.count')?.textContent ?? '').replace(/[\d.]+ ?(毫秒|ms)/, '')].concat(
            [...c.querySelectorAll('.tr')].map((r) =>
              [...r.querySelectorAll('.td')].map((td) => (td.textContent ?? '').trim()).join(' | '),
            ),
          ),
        ]),
      ),
    );
}

/** Each chart's data marks (their aria-labels). */
function chartMarks(page: Page): Promise<Record<string, string[]>> {
  return page
    .locator('section.cell[data-kind="chart"]')
    .evaluateAll((cells) =>
      Object.fromEntries(
        cells.map((c) => [
          c.getAttribute('data-name') ?? '',
          [...c.querySelectorAll('.vega svg g.role-mark [aria-label]')].map((m) => m.getAttribute('aria-label') ?? ''),
        ]),
      ),
    );
}

/** A plain static file server (Python's), on a free port. */
async function staticServer(dir: string): Promise<{ url: string; process: ChildProcess }> {
  const child = spawn('python3', ['-u', '-m', 'http.server', '0', '--bind', '127.0.0.1', '--directory', dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const port = await new Promise<number>((ok, fail) => {
    let out = '';
    const seen = (b: Buffer) => {
      out += b.toString();
      const m = /port (\d+)/.exec(out);
      if (m) ok(Number(m[1]));
    };
    child.stdout?.on('data', seen);
    child.stderr?.on('data', seen);
    child.once('exit', (code) => fail(new Error(`python3 -m http.server exited (${code}): ${out}`)));
  });
  return { url: `http://127.0.0.1:${port}`, process: child };
}

describe('a notebook published as a static site, opened with no budget server', () => {
  const tmp = tempDir();
  let browser: Browser;
  let http: { url: string; process: ChildProcess } | undefined;
  let served: Record<string, Rows>;
  let servedMarks: Record<string, string[]>;
  let report: PublishReport;
  const site = join(tmp.dir, 'site');

  beforeAll(async () => {
    const db = join(tmp.dir, 'budget.duckdb');
    if (existsSync(DEFAULT_DB)) copyFileSync(DEFAULT_DB, db);
    await buildDefault(db);
    const notebooksDir = join(tmp.dir, 'notebooks');
    mkdirSync(notebooksDir);
    copyFileSync(join(projectRoot, 'notebooks', `${NOTEBOOK}.md`), join(notebooksDir, `${NOTEBOOK}.md`));
    browser = await launchBrowser();

    // The notebook as the server shows it.
    const s = await startServer({ db, port: 0, host: '127.0.0.1', notebooksDir, webDir: WEB, quiet: true });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      await page.goto(`${s.url}/?nb=${encodeURIComponent(NOTEBOOK)}`);
      served = await settledResults(page);
      servedMarks = await chartMarks(page);
      await page.close();
    } finally {
      await s.close(); // the budget server is stopped from here on
    }

    const engine = await Engine.open({ db, readOnly: true });
    try {
      report = await engine.publish(join(notebooksDir, `${NOTEBOOK}.md`), site);
    } finally {
      engine.close();
    }
    http = await staticServer(site);
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    http?.process.kill();
    tmp.cleanup();
  });

  it('publish checked every query in DuckDB-wasm and wrote the site: the app, the notebook, the data as Parquet', () => {
    expect(report.queries.map((q) => q.cell)).toEqual([
      'totals',
      'by_function',
      'department_only',
      'selected_function',
    ]);
    expect(readdirSync(join(site, 'data')).sort()).toEqual(
      ['budget_totals', 'deflator', 'documents', 'spending_by_function'].map((n) => `${n}.parquet`),
    );
    expect(existsSync(join(site, 'notebooks', `${NOTEBOOK}.md`))).toBe(true);
    const index = readFileSync(join(site, 'index.html'), 'utf8');
    expect(index).toContain('window.__BUDGET_SITE__');
    // no absolute path of this machine in the published documents list
    expect(readFileSync(join(site, 'data', 'documents.parquet')).includes(Buffer.from(projectRoot))).toBe(false);
  });

  it('served by python3 -m http.server: every cell equals the server’s, the charts draw, nothing from another host', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors: string[] = [];
    const elsewhere: string[] = [];
    collectErrors(page, errors, { warnings: true });
    page.on('request', (r) => {
      if (!r.url().startsWith(http?.url ?? '') && !r.url().startsWith('data:') && !r.url().startsWith('blob:'))
        elsewhere.push(r.url());
    });
    const t0 = Date.now();
    await page.goto(`${http?.url}/`);
    await page.locator('section.cell[data-kind="chart"] .vega svg g.role-mark [aria-label]').first().waitFor({
      timeout: 90_000,
    });
    const firstChartMs = Date.now() - t0;
    const published = await settledResults(page);
    expect(Object.keys(published)).toEqual(Object.keys(served));
    for (const name of Object.keys(served)) expect(published[name], name).toEqual(served[name]);
    expect(await chartMarks(page)).toEqual(servedMarks);
    expect(await page.locator('.published').textContent()).toContain('DuckDB-wasm');

    // The selection works in the reader's browser too: a click filters the table, the link holds it.
    await page
      .locator(
        `section.cell[data-name="department_only_chart"] .vega svg g.role-mark [aria-label*="功能分类: ${PICKED}"]`,
      )
      .click();
    await expect
      .poll(async () =>
        page
          .locator('section.cell[data-name="selected_function"] .tr')
          .evaluateAll((rows) => rows.map((r) => r.querySelectorAll('.td')[2]?.textContent?.trim())),
      )
      .toEqual([PICKED, PICKED, PICKED]);
    expect(new URL(page.url()).searchParams.getAll('in.sel')).toEqual([PICKED]);
    await page.screenshot({ path: join(ARTIFACTS, 'publish-site.png') });

    expect(errors).toEqual([]);
    expect(elsewhere).toEqual([]);
    const bytes = readdirSync(site, { recursive: true })
      .map((f) => join(site, String(f)))
      .filter((f) => statSync(f).isFile())
      .reduce((sum, f) => sum + statSync(f).size, 0);
    writeFileSync(
      join(ARTIFACTS, 'publish.json'),
      JSON.stringify(
        { notebook: NOTEBOOK, bytes, dataBytes: report.dataBytes, files: report.files, firstChartMs },
        null,
        1,
      ),
    );
    await page.close();
  }, 180_000);
});

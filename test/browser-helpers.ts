import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { projectRoot } from '../engine/paths.ts';

/** The browser tests' shared setup: Debian's Chromium, the built notebook app, and where screenshots go. */
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const WEB = join(projectRoot, 'web', 'build');
export const ARTIFACTS = join(projectRoot, 'test', 'artifacts');

/** Chromium, once the app is built and the browser is there (a clear error says what is missing). */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(join(WEB, 'index.html')))
    throw new Error(`the web app is not built at ${WEB}: run npm run build:web (npm test does)`);
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium fonts-noto-cjk`);
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'],
  });
}

/** Collect a page's uncaught errors and console errors (and warnings, with `warnings`) into `into`. */
export function collectErrors(page: Page, into: string[], options: { warnings?: boolean } = {}): void {
  page.on('pageerror', (e) => into.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' || (options.warnings && m.type() === 'warning'))
      into.push(`console.${m.type()}: ${m.text()}`);
  });
}

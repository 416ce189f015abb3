// Debian's Chromium driven by playwright-core, the Vite build of the pages, and
// screenshots under .artifacts/screenshots (git-ignored).
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
} from 'playwright-core';
import { projectRoot } from '../../core/platform/paths';
import { startSystem, type TestSystem } from './system';

export const chromiumPath = '/usr/bin/chromium';
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export const screenshotDir = path.join(projectRoot, '.artifacts', 'screenshots');

/** The tests serve what `npm run build` would: build the pages first (about a second). */
export async function buildPages(): Promise<void> {
  const vite = path.join(projectRoot, 'node_modules', 'vite', 'bin', 'vite.js');
  await promisify(execFile)(process.execPath, [vite, 'build', 'web', '--logLevel', 'error'], {
    cwd: projectRoot,
    timeout: 120_000,
  });
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, timeout: 60_000 });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

/** Console errors and page errors (a CSP refusal shows up here); tests expect none. */
export function collectProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (err) => problems.push(err.message));
  return problems;
}

/** What a browser test file runs against, set before its first test. */
export interface BrowserSuite {
  system: TestSystem;
  browser: Browser;
  /** The server's origin, for page.goto. */
  base: string;
  /** A browser context of its own (its own localStorage), closed after the file's tests. */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
}

/** For a browser test file: builds the pages, starts the system and Chromium first, closes all last. */
export function useBrowserSystem(): BrowserSuite {
  const contexts: BrowserContext[] = [];
  const suite = {
    async newContext(options?: BrowserContextOptions) {
      const context = await suite.browser.newContext(options);
      contexts.push(context);
      return context;
    },
  } as BrowserSuite;
  beforeAll(async () => {
    await buildPages();
    suite.system = await startSystem();
    suite.browser = await launchBrowser();
    suite.base = `http://127.0.0.1:${suite.system.server.port}`;
  }, 180_000);
  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    await suite.browser.close();
    await suite.system.stop();
  });
  return suite;
}

// Bull Board in Chromium: the board renders, and nothing is fetched from another
// host. Its page links Google Fonts (hard-coded in @bull-board/ui); the CSP the
// server sends with it makes the browser block that request before it leaves.
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { adminToken } from './helpers/env';
import { collectProblems, launchBrowser, screenshot } from './helpers/browser';
import { startSystem, type TestSystem } from './helpers/system';

let system: TestSystem;
let browser: Browser;
beforeAll(async () => {
  system = await startSystem({}, { withWorker: false });
  await system.api.initStock(1, 5); // creates the drain schedule, so the board lists a queue
  browser = await launchBrowser();
}, 120_000);
afterAll(async () => {
  await browser.close();
  await system.stop();
});

test.each([
  ['desktop', 1280, 800],
  ['phone', 375, 740],
])(
  'on a %s, the board renders and no request leaves for another host',
  async (name, width, height) => {
    const context = await browser.newContext({
      viewport: { width, height },
      httpCredentials: { username: 'operator', password: adminToken },
    });
    const page = await context.newPage();
    const origin = `http://127.0.0.1:${system.server.port}`;
    const outside: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(origin)) outside.push(request.url());
    });
    // Playwright reports a request the CSP stopped as failed with 'csp': it never left the browser.
    const blocked = new Map<string, string>();
    page.on('requestfailed', (request) => {
      blocked.set(request.url(), request.failure()?.errorText ?? '');
    });
    const problems = collectProblems(page);
    await page.goto(`${origin}/admin/queues`);
    await page.getByText('drain', { exact: true }).first().waitFor({ timeout: 30_000 });
    // The overview's cards (job counts per queue) mean the board read its API.
    await page
      .getByText(/^\d+ Jobs?$/)
      .first()
      .waitFor({ timeout: 30_000 });
    mkdirSync('/tmp/shots-docs', { recursive: true });
    await page.screenshot({ path: `/tmp/shots-docs/bull-board-${name}.png`, fullPage: true });
    await screenshot(page, `bull-board-${name}`);
    expect(outside.map((url) => `${url}: ${blocked.get(url) ?? 'sent'}`)).toEqual(
      outside.map((url) => `${url}: csp`),
    );
    // The only console complaint is the browser refusing the font stylesheet.
    expect(problems.filter((p) => !p.includes('fonts.googleapis.com'))).toEqual([]);
    await context.close();
  },
);

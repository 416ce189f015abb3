// The marketer console in a real browser (Debian's Chromium) against the real
// server, worker, Redis and MariaDB: every setting in the create form, the shopper
// link, the sale's status in words, Close that asks first, and charts drawn from
// the history the server keeps, on a desktop and on a 375 px phone.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { adminToken } from './helpers/env';
import { joinAll, shoppers } from './helpers/sale';
import { waitFor } from './helpers/wait';
import { startSystem, type TestSystem } from './helpers/system';
import {
  buildPages,
  collectProblems,
  launchBrowser,
  screenshot,
  screenshotDir,
} from './helpers/browser';

const uiTimeout = 20_000;
jest.setTimeout(150_000);

let system: TestSystem;
let browser: Browser;
let base: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  await buildPages();
  system = await startSystem();
  browser = await launchBrowser();
  base = `http://127.0.0.1:${system.server.port}`;
}, 180_000);

afterAll(async () => {
  await Promise.all(contexts.map((c) => c.close()));
  await browser.close();
  await system.stop();
});

interface Record {
  id: number;
  state: string;
  mode: string;
  holdSeconds: number;
  batchSize: number;
  intervalMs: number;
  totalStock: number;
  startsAt: string | null;
  endsAt: string | null;
}

async function signedIn(
  width: number,
  height: number,
): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1 });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(uiTimeout);
  const problems = collectProblems(page);
  await page.goto(`${base}/admin`);
  await page.getByLabel('Admin token').fill(adminToken);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#console').waitFor();
  return { page, problems };
}

const record = async (id: number) =>
  (await system.api.call<Record>('GET', `/api/promotions/${id}`, { admin: true })).body.data;

/** A datetime-local value `minutes` from now, in the browser's (and this process's) zone. */
function localTime(minutes: number): string {
  const d = new Date(Date.now() + minutes * 60_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

const stateOf = (page: Page, id: number) =>
  page.locator(`#promotions tr[data-id="${id}"] td`).nth(2);

test('the marketer creates a sale with every setting, copies its link, and runs it in words', async () => {
  const { page, problems } = await signedIn(1280, 900);
  const create = page.locator('#create');

  // Checked in the page before anything is sent, each problem said at its field.
  await create.getByLabel('Total stock').fill('lots');
  await create.getByLabel('When a shopper’s turn comes').selectOption('hold');
  await page.getByRole('button', { name: 'Create' }).click();
  await create.getByText('Give the sale a name').waitFor();
  await create.getByText('Total stock must be a whole number from 0 to 1,000,000,000.').waitFor();
  await create.getByText('Give the seconds to confirm.').waitFor();
  expect(await create.getByLabel('Total stock').getAttribute('aria-invalid')).toBe('true');
  await screenshot(page, 'console-create-invalid');

  const name = `Every setting ${Date.now()}`;
  await create.getByLabel('Name').fill(name);
  await create.getByLabel('Total stock').fill('3');
  await create.getByLabel('Starts at (optional)').fill(localTime(-2));
  await create.getByLabel('Ends at (optional)').fill(localTime(-3));
  await create.getByLabel('Seconds to confirm').fill('30');
  await create.getByLabel('Shoppers admitted per step (optional)').fill('1');
  await create.getByLabel('Time between steps (ms) (optional)').fill('200');
  await page.getByRole('button', { name: 'Create' }).click();
  await create.getByText('The end must be after the start.').waitFor();
  await create.getByLabel('Ends at (optional)').fill(localTime(24 * 60));
  await page.getByRole('button', { name: 'Create' }).click();

  // The shopper link, absolute, with a Copy button that fills the clipboard.
  await page.getByRole('heading', { name: new RegExp(`^Created #\\d+ ${name}$`) }).waitFor();
  const id = Number((await page.locator('#created-title').textContent())?.match(/#(\d+)/)?.[1]);
  const link = page.getByLabel('Shopper link of the new promotion');
  expect(await link.inputValue()).toBe(`${base}/p/${id}`);
  await page.locator('#created').getByRole('button', { name: 'Copy link' }).click();
  await page.getByText('Copied.').waitFor();
  expect(await page.evaluate('navigator.clipboard.readText()')).toBe(`${base}/p/${id}`);
  const saved = await record(id);
  expect(saved).toMatchObject({
    totalStock: 3,
    mode: 'hold',
    holdSeconds: 30,
    batchSize: 1,
    intervalMs: 200,
  });
  expect(Date.parse(saved.startsAt ?? '')).toBeLessThan(Date.now());
  expect(Date.parse(saved.endsAt ?? '')).toBeGreaterThan(Date.now() + 23 * 3_600_000);
  await stateOf(page, id).getByText('OPEN').waitFor();
  await screenshot(page, 'console-created');

  // Pause and resume, said in words.
  await page.getByRole('button', { name: 'Pause' }).click();
  await stateOf(page, id).getByText('PAUSED').waitFor();
  await page.locator('#detail-state', { hasText: 'PAUSED' }).waitFor();

  // The server's refusal lands at its field: stock below what is already given out.
  await joinAll(system, id, shoppers(2, 'cs'));
  await page.getByRole('button', { name: 'Resume' }).click();
  await waitFor(
    () =>
      record(id).then(() =>
        system.api.call<{ live: { held: number } }>('GET', `/api/promotions/${id}`, {
          admin: true,
        }),
      ),
    (r) => r.body.data.live.held === 2,
    { what: 'two units held' },
  );
  const settings = page.locator('#settings');
  await settings.getByLabel('Total stock').fill('1');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await settings.locator('#set-totalStock-error', { hasText: /\S/ }).waitFor();
  expect(await settings.getByLabel('Total stock').getAttribute('aria-invalid')).toBe('true');
  await screenshot(page, 'console-refused-at-field');

  // Close asks first; keeping the sale open changes nothing.
  await page.getByRole('button', { name: 'Close sale…' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText('Everyone still waiting is told the sale closed').waitFor();
  await screenshot(page, 'console-close-asks');
  await dialog.getByRole('button', { name: 'Keep the sale open' }).click();
  await page.getByText('Not closed: the sale goes on.').waitFor();
  expect((await record(id)).state).toBe('OPEN');
  // Escape dismisses it too.
  await page.getByRole('button', { name: 'Close sale…' }).click();
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  expect((await record(id)).state).toBe('OPEN');
  await page.getByRole('button', { name: 'Close sale…' }).click();
  await dialog.getByRole('button', { name: 'Close the sale' }).click();
  await stateOf(page, id).getByText('CLOSED').waitFor();
  expect((await record(id)).state).toBe('CLOSED');
  expect(problems.filter((p) => !p.includes('409'))).toEqual([]);
});

test('a fresh tab, on a desktop and a phone, charts a sold-out sale from the server’s history', async () => {
  const created = await system.api.call<Record>('POST', '/api/promotions', {
    admin: true,
    body: { name: 'Charted sale', totalStock: 4, batchSize: 1, intervalMs: 300 },
  });
  const id = created.body.data.id;
  const later = await system.api.call<Record>('POST', '/api/promotions', {
    admin: true,
    body: {
      name: 'Later sale',
      totalStock: 4,
      startsAt: new Date(Date.now() + 3_600_000).toISOString(),
    },
  });
  await joinAll(system, id, shoppers(6, 'chart'));
  // Sold out, and the history has the whole sale (nobody left waiting).
  await waitFor(
    () =>
      system.api.call<{ samples: { stock: number; queueSize: number }[] }>(
        'GET',
        `/api/promotions/${id}/history`,
        { admin: true },
      ),
    (r) => r.body.data.samples.at(-1)?.stock === 0 && r.body.data.samples.at(-1)?.queueSize === 0,
    { what: 'the sold-out sale in the history' },
  );

  for (const [width, height, tag] of [
    [1280, 900, 'desktop'],
    [375, 812, 'phone'],
  ] as const) {
    const { page, problems } = await signedIn(width, height);
    await stateOf(page, id).getByText('SOLD OUT').waitFor();
    await stateOf(page, later.body.data.id).getByText('SCHEDULED').waitFor();
    await page.getByRole('button', { name: `Manage promotion ${id} Charted sale` }).click();
    // Drawn at once from what the server kept: several samples, time and value axes, units.
    for (const chart of ['#chart-rate', '#chart-queue', '#chart-stock']) {
      await page.locator(`${chart}:not([data-points="0"], [data-points="1"]) canvas`).waitFor();
    }
    await page.locator('#chart-stock .u-legend', { hasText: 'Issued' }).waitFor();
    await page.locator('#now-stock', { hasText: '0 left' }).waitFor();
    // Four admitted, two reached the front after the coupons ran out.
    await page.getByText(/^Half were admitted within .* \(4 shoppers\)\.$/).waitFor();
    await page.getByText('Left without a coupon: 2 reached the front').waitFor();
    await page.locator('#detail').scrollIntoViewIfNeeded();
    await screenshot(page, `console-charts-${tag}`);
    await page.locator('#chart-rate').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${screenshotDir}/console-charts-${tag}-view.png` });
    const overflow = await page.evaluate<number>(
      'document.documentElement.scrollWidth - window.innerWidth',
    );
    expect(overflow).toBeLessThanOrEqual(0);
    expect(problems).toEqual([]);
  }
});

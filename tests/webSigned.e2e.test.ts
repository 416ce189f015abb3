// The shopper page in signed mode, in Debian's Chromium against the real server,
// worker, Redis and MariaDB: the shop links to /p/<id>#token=<jwt>; the page takes
// the token out of the address bar, joins without a user-id box and shows the coupon.
import type { Browser } from 'playwright-core';
import { buildPages, collectProblems, launchBrowser, screenshot } from './helpers/browser';
import { couponRows } from './helpers/sale';
import { hsSecret, hsToken, roomAudience, shopIssuer } from './helpers/shopperJwt';
import { startSystem, type TestSystem } from './helpers/system';
import { waitFor } from './helpers/wait';

jest.setTimeout(120_000);

let system: TestSystem;
let browser: Browser;

beforeAll(async () => {
  await buildPages();
  system = await startSystem({
    SHOPPER_AUTH: 'signed',
    SHOPPER_JWT_SECRET: hsSecret,
    SHOPPER_JWT_ISSUER: shopIssuer,
    SHOPPER_JWT_AUDIENCE: roomAudience,
  });
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser.close();
  await system.stop();
});

test('the shop’s link joins the signed-in shopper without a user-id box, keeps the token out of the address bar, and shows the coupon', async () => {
  const created = await system.api.call<{ id: number }>('POST', '/api/promotions', {
    admin: true,
    body: { name: 'signed sale', totalStock: 3, batchSize: 1, intervalMs: 200 },
  });
  const id = created.body.data.id;
  const token = await hsToken({ sub: 'dana@shop', expiresIn: 600 });

  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const problems = collectProblems(page);
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));

  await page.goto(`http://127.0.0.1:${system.server.port}/p/${id}#token=${token}`);
  const code = page.locator('#coupon-code');
  await code.waitFor();
  expect(await page.getByLabel('Your user id').isVisible()).toBe(false);
  expect(page.url()).not.toContain('token');
  expect(requests.some((url) => url.includes(token))).toBe(false);
  const kept = await page.evaluate("sessionStorage.getItem('wr.shopperJwt')");
  expect(kept).toBe(token);

  const row = await waitFor(
    () => couponRows(system, id),
    (rows) => rows.length === 1,
    { what: 'the coupon row' },
  );
  expect(row[0]).toMatchObject({ user_id: 'dana@shop', state: 'ISSUED' });
  expect(await code.textContent()).toBe(row[0]?.code);
  await screenshot(page, 'shopper-signed-coupon');

  // A reload (same tab) still knows the shopper from sessionStorage and shows the same coupon.
  await page.reload();
  await page.locator('#coupon-code', { hasText: row[0]?.code ?? '?' }).waitFor();
  expect(problems.filter((p) => !p.includes('409'))).toEqual([]);
  await context.close();
});

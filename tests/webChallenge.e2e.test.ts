// A bot-proof sale (challenge 'pow') in a real browser (Debian's Chromium): the
// shopper page fetches a challenge, solves it with altcha-lib's solver while it
// shows its progress, and joins with the solution.
import type { Browser, Route } from 'playwright-core';
import { buildPages, collectProblems, launchBrowser, screenshot } from './helpers/browser';
import { startSystem, type TestSystem } from './helpers/system';

jest.setTimeout(120_000);

let system: TestSystem;
let browser: Browser;

beforeAll(async () => {
  await buildPages();
  system = await startSystem({}, { withWorker: false });
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser.close();
  await system.stop();
});

test('a pow promotion’s page solves the challenge, showing progress, and joins', async () => {
  const created = await system.api.call<{ id: number }>('POST', '/api/promotions', {
    admin: true,
    body: { name: 'bot-proof', totalStock: 5, challenge: 'pow', challengeCost: 50_000 },
  });
  expect(created.status).toBe(201);
  const id = created.body.data.id;

  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  const problems = collectProblems(page);
  // Every share the page showed, recorded in the page as it changes.
  // (A string: the tests are compiled without the DOM's types.)
  await page.addInitScript(`
    window.powSeen = [];
    new MutationObserver(() => {
      const el = document.querySelector('#pow');
      const share = document.querySelector('#pow-share')?.textContent;
      if (el && !el.hidden && share && window.powSeen.at(-1) !== share) window.powSeen.push(share);
    }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
  `);
  // The join is held back until the solved state is on screen for a screenshot.
  let release: () => void = () => undefined;
  const joinSent = new Promise<string>((resolve) => {
    void page.route('**/api/coupon/queue/join', async (route: Route) => {
      resolve(route.request().postData() ?? '');
      await new Promise<void>((go) => (release = go));
      await route.continue();
    });
  });

  await page.goto(`http://127.0.0.1:${system.server.port}/p/${id}`);
  await page.getByLabel('Your user id').fill('dana');
  await page.getByRole('button', { name: 'Join the queue' }).click();
  const body = JSON.parse(await joinSent) as { altcha?: string };
  expect(body.altcha).toEqual(expect.any(String));
  await page.getByText('Checking this is a person’s browser').waitFor();
  expect(await page.locator('#pow-share').textContent()).toBe('100%');
  await screenshot(page, 'shopper-proof-of-work');
  release();

  await page.locator('#live').waitFor();
  expect(await page.locator('#pow').isHidden()).toBe(true);
  const seen = await page.evaluate<string[]>('window.powSeen');
  expect(seen[0]).toBe('0%');
  expect(seen.at(-1)).toBe('100%');
  const status = await system.api.status(id, 'dana');
  expect(status.body.data).toMatchObject({ status: 'WAITING', ticket: 1 });
  // The page's solution was used up: sent again, it is refused.
  const replay = await system.api.call('POST', '/api/coupon/queue/join', {
    body: { promotionId: id, userId: 'mallory', altcha: body.altcha },
  });
  expect(replay.body.code).toBe('CHALLENGE_REUSED');
  expect(problems).toEqual([]);
  await context.close();
});

// The fair sale in a real browser (Debian's Chromium) against the real server,
// worker, Redis and MariaDB: a page loaded before the queue opens counts down,
// joins the pre-queue by itself, gets its place at the opening and its coupon; a
// second shopper (a phone) is put on the standby line and wins when a coupon comes back.
import type { Page } from 'playwright-core';
import { collectProblems, screenshot, useBrowserSystem } from './helpers/browser';
import { couponRows } from './helpers/sale';
import { waitFor } from './helpers/wait';

const uiTimeout = 30_000;
jest.setTimeout(120_000);

const suite = useBrowserSystem();

async function openPage(width: number, height: number) {
  const context = await suite.newContext({ viewport: { width, height }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.setDefaultTimeout(uiTimeout);
  return { page, problems: collectProblems(page) };
}

async function joinAs(page: Page, userId: string): Promise<void> {
  await page.getByLabel('Your user id').fill(userId);
  await page.keyboard.press('Enter');
}

test('countdown, the pre-queue joined by itself, the opening and the coupon; standby wins a returned one', async () => {
  const { system, base } = suite;
  const now = Date.now();
  const prequeueAt = new Date(now + 5000);
  const startsAt = new Date(now + 10_000);
  const created = await system.api.createPromotion({
    name: 'fair sale',
    totalStock: 1,
    batchSize: 1,
    intervalMs: 200,
    prequeueAt: prequeueAt.toISOString(),
    startsAt: startsAt.toISOString(),
    queueing: 'fifo',
  });
  expect(created.status).toBe(201);
  const id = created.body.data.id;

  // A desktop page before the queue opens: a countdown, and no "try again".
  const desk = await openPage(1280, 800);
  await desk.page.goto(`${base}/p/${id}`);
  await joinAs(desk.page, 'ada');
  await desk.page.getByRole('heading', { name: 'The queue opens soon' }).waitFor();
  await desk.page.locator('#live-note', { hasText: 'This page joins by itself' }).waitFor();
  expect(await desk.page.locator('#live-note').textContent()).toMatch(
    /^The queue opens at .+, in \d s\./,
  );
  expect(await desk.page.locator('#retry').isVisible()).toBe(false);
  await screenshot(desk.page, 'fair-countdown-desktop');

  // At prequeueAt it joins the pre-queue by itself and counts down to the draw.
  await desk.page.getByRole('heading', { name: 'You are in the pre-queue' }).waitFor();
  await desk.page.locator('#live-note', { hasText: 'everyone who came before' }).waitFor();
  expect(Date.now()).toBeGreaterThanOrEqual(prequeueAt.getTime());
  expect((await system.api.status(id, 'ada')).body.data).toMatchObject({ prequeued: true });
  await screenshot(desk.page, 'fair-prequeue-desktop');

  // A phone joins the pre-queue after it (fifo: behind ada).
  const phone = await openPage(375, 812);
  await phone.page.goto(`${base}/p/${id}`);
  await joinAs(phone.page, 'bo');
  await phone.page.getByRole('heading', { name: 'You are in the pre-queue' }).waitFor();
  await screenshot(phone.page, 'fair-prequeue-phone');

  // The opening: ada gets the one coupon, bo goes on the standby line, first.
  const code = desk.page.locator('#coupon-code');
  await code.waitFor();
  expect(Date.now()).toBeGreaterThanOrEqual(startsAt.getTime());
  // The code is the shopper's own (status tells strangers only the public fields): from the record.
  const codeOf = (user: string) =>
    waitFor(
      () => couponRows(system, id).then((rows) => rows.find((r) => r.user_id === user)?.code),
      (found) => found !== undefined,
      { what: `${user}'s coupon in the database` },
    );
  expect((await system.api.status(id, 'ada')).body.data).toMatchObject({ status: 'COMPLETED' });
  const adaCode = await codeOf('ada');
  expect(await code.textContent()).toBe(adaCode);
  await screenshot(desk.page, 'fair-coupon-desktop');

  await phone.page.getByRole('heading', { name: /standby line/ }).waitFor();
  expect(await phone.page.locator('#lose-text').textContent()).toContain(
    'You are number 1 on the standby line: if a coupon comes back it is yours.',
  );
  await screenshot(phone.page, 'fair-standby-phone');

  // ada cancels: the coupon comes back and reaches bo's page live.
  expect((await system.api.coupon(adaCode ?? '', 'cancel', { asShop: true })).status).toBe(200);
  await phone.page.locator('#coupon-code').waitFor();
  await phone.page.locator('#win-note', { hasText: 'A coupon came back' }).waitFor();
  expect(await phone.page.locator('#coupon-code').textContent()).toBe(await codeOf('bo'));
  await screenshot(phone.page, 'fair-standby-won-phone');

  // The only complaints are the browser's own lines for answers the pages expect: 409
  // NOT_STARTED before the queue opened, ALREADY_PROCESSED when a decision beat the page.
  expect(desk.problems.filter((p) => !p.includes('409'))).toEqual([]);
  expect(phone.problems.filter((p) => !p.includes('409'))).toEqual([]);
});

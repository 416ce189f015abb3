// The pages in a real browser (Debian's Chromium) against the real server, worker,
// Redis and MariaDB: a shopper follows the queue to a coupon, a later one sees
// sold out, a reload resumes, and a marketer runs a sale from the console.
import type { Page } from 'playwright-core';
import { adminToken } from './helpers/env';
import { couponRows, joinAll, shoppers } from './helpers/sale';
import { waitFor } from './helpers/wait';
import type { TestSystem } from './helpers/system';
import { collectProblems, screenshot, useBrowserSystem } from './helpers/browser';

// Generous: two cores shared with other work, and a browser besides.
const uiTimeout = 20_000;
jest.setTimeout(120_000);

const suite = useBrowserSystem();
let system: TestSystem;
let base: string;
beforeAll(() => {
  ({ system, base } = suite);
});

interface Promotion {
  id: number;
  version: number;
}

async function createPromotion(totalStock: number, intervalMs = 200): Promise<Promotion> {
  const res = await system.api.call<Promotion>('POST', '/api/promotions', {
    admin: true,
    body: { name: `web ${totalStock}`, totalStock, batchSize: 1, intervalMs },
  });
  expect(res.status).toBe(201);
  return res.body.data;
}

async function setState(id: number, action: 'pause' | 'resume'): Promise<void> {
  const res = await system.api.call('POST', `/api/promotions/${id}/${action}`, { admin: true });
  expect(res.status).toBe(200);
}

/** A phone-sized page in a context of its own (its own localStorage), as a second shopper's. */
async function phonePage(): Promise<{ page: Page; problems: string[]; sockets: string[] }> {
  const context = await suite.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 1,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(uiTimeout);
  const sockets: string[] = [];
  page.on('websocket', (ws) => sockets.push(ws.url()));
  return { page, problems: collectProblems(page), sockets };
}

async function joinWithKeyboard(page: Page, userId: string): Promise<void> {
  await page.getByLabel('Your user id').focus();
  await page.keyboard.type(userId);
  await page.keyboard.press('Enter');
}

/** Waits until the element's whole text is `text`. */
async function shows(page: Page, selector: string, text: string): Promise<void> {
  await page.locator(selector, { hasText: new RegExp(`^${text}$`) }).waitFor();
}

/** The code the database holds for a shopper (written behind by the worker). */
async function issuedCode(promotionId: number, userId: string): Promise<string | undefined> {
  const rows = await waitFor(
    () => couponRows(system, promotionId),
    (found) => found.some((r) => r.user_id === userId),
    { what: `${userId}'s coupon row` },
  );
  return rows.find((r) => r.user_id === userId)?.code;
}

const positionOf = async (page: Page) => Number(await page.locator('#position').textContent());

test('a shopper sees the position fall and the coupon arrive; a later shopper sees sold out', async () => {
  // Five shoppers ahead and stock for six: the page's shopper gets the last coupon.
  const promotion = await createPromotion(6, 400);
  await setState(promotion.id, 'pause');
  await joinAll(system, promotion.id, shoppers(5, 'ahead'));

  const { page, problems, sockets } = await phonePage();
  await page.goto(`${base}/p/${promotion.id}`);
  await joinWithKeyboard(page, 'alice');
  await page.locator('#live').waitFor();
  await shows(page, '#position', '6');
  expect(await page.locator('#ahead').textContent()).toBe('5');
  await shows(page, '#stock', '6');
  await screenshot(page, 'shopper-waiting');

  await setState(promotion.id, 'resume');
  await page.locator('#position', { hasText: /^[2-5]$/ }).waitFor();
  const falling = await positionOf(page);
  expect(falling).toBeLessThan(6);
  await screenshot(page, 'shopper-moving');

  const code = page.locator('#coupon-code');
  await code.waitFor();
  const status = await system.api.status(promotion.id, 'alice');
  expect(status.body.data).toMatchObject({ status: 'COMPLETED' });
  expect(await code.textContent()).toBe(await issuedCode(promotion.id, 'alice'));
  await screenshot(page, 'shopper-coupon');
  // The live view came over a WebSocket on the page's own origin, and the CSP let it through.
  expect(
    sockets.some((url) => url.startsWith(`ws://127.0.0.1:${system.server.port}/socket.io/`)),
  ).toBe(true);
  expect(problems).toEqual([]);

  // Another browser context, another shopper: nothing is left.
  const second = await phonePage();
  await second.page.goto(`${base}/p/${promotion.id}`);
  await joinWithKeyboard(second.page, 'bob');
  await second.page.getByRole('heading', { name: 'Sold out' }).waitFor();
  await screenshot(second.page, 'shopper-sold-out');
  expect(second.problems.filter((p) => !p.includes('409'))).toEqual([]);
});

test('a reload mid-queue resumes with the same ticket and still ends with the coupon', async () => {
  const promotion = await createPromotion(4);
  await setState(promotion.id, 'pause');
  await joinAll(system, promotion.id, shoppers(3, 'early'));

  const { page } = await phonePage();
  // From the front page: the promotion number is typed in, then the address becomes /p/:id.
  await page.goto(`${base}/`);
  await page.getByLabel('Promotion number').fill(String(promotion.id));
  await page.getByLabel('Your user id').fill('carol');
  await page.getByRole('button', { name: 'Join the queue' }).click();
  await shows(page, '#position', '4');
  expect(new URL(page.url()).pathname).toBe(`/p/${promotion.id}`);
  const ticketBefore = (await system.api.status(promotion.id, 'carol')).body.data.ticket;

  await page.reload();
  // No form to fill again: the stored session joins again and the live view comes back.
  await page.locator('#live').waitFor();
  await shows(page, '#position', '4');
  expect(await page.locator('#join-form').isHidden()).toBe(true);
  await screenshot(page, 'shopper-resumed');
  expect((await system.api.status(promotion.id, 'carol')).body.data.ticket).toBe(ticketBefore);

  // A dropped connection: the page says so, Socket.IO reconnects, the banner goes.
  await page.context().setOffline(true);
  await page.getByText('Reconnecting').waitFor();
  await screenshot(page, 'shopper-reconnecting');
  await page.context().setOffline(false);
  await page.getByText('Reconnecting').waitFor({ state: 'hidden', timeout: 30_000 });

  await setState(promotion.id, 'resume');
  await page.locator('#coupon-code').waitFor();
  const carols = await issuedCode(promotion.id, 'carol');
  expect(await page.locator('#coupon-code').textContent()).toBe(carols);

  // A reload after the end shows the same coupon again (the page sends its queue token).
  await page.reload();
  await page.locator('#coupon-code').waitFor();
  expect(await page.locator('#coupon-code').textContent()).toBe(carols);
});

test('the marketer creates a promotion, sets stock and watches the numbers move', async () => {
  const context = await suite.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(uiTimeout);
  const problems = collectProblems(page);
  await page.goto(`${base}/admin`);
  await page.getByLabel('Admin token').fill('wrong-token');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('That token was not accepted').waitFor();
  await screenshot(page, 'admin-login-refused');
  await page.getByLabel('Admin token').fill(adminToken);
  await page.getByRole('button', { name: 'Sign in' }).click();

  const name = `Console sale ${Date.now()}`;
  const create = page.locator('#create');
  await create.getByLabel('Name').fill(name);
  await create.getByLabel('Total stock').fill('2');
  await create.getByLabel('Shoppers admitted per step (optional)').fill('1');
  await create.getByLabel('Time between steps (ms) (optional)').fill('250');
  await page.getByRole('button', { name: 'Create' }).click();
  await page.locator('#detail-title', { hasText: name }).waitFor();
  const id = Number((await page.locator('#detail-title').textContent())?.match(/#(\d+)/)?.[1]);
  expect(id).toBeGreaterThan(0);
  const row = page.locator(`#promotions tr[data-id="${id}"]`);
  await row.getByText('2 / 2').waitFor();

  // Set the stock to 5 through the settings form (PATCH with the version read).
  await page.locator('#settings').getByLabel('Total stock').fill('5');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByText(`Updated promotion ${id}.`).waitFor();
  await row.getByText('5 / 5').waitFor();

  // Seven shoppers for five coupons: stock falls to 0, five issued, the queue empties.
  await setState(id, 'pause');
  await joinAll(system, id, shoppers(7, 'console'));
  await row.locator('td').nth(5).getByText('7', { exact: true }).waitFor();
  await page.getByRole('button', { name: 'Resume' }).click();
  await row.getByText('0 / 5').waitFor({ timeout: 30_000 });
  await row.locator('td').nth(4).getByText('5', { exact: true }).waitFor();
  await row.locator('td').nth(5).getByText('0', { exact: true }).waitFor({ timeout: 30_000 });
  // The charts drew the server's history: several samples, and nothing left now.
  await page.locator('#chart-queue:not([data-points="0"], [data-points="1"])').waitFor();
  await shows(page, '#now-stock', '0 left');

  await page.getByRole('button', { name: 'Check the records agree' }).click();
  await page.getByText('the record (the database)').waitFor();
  await screenshot(page, 'admin-console');

  // A persist job that ran out of retries shows up as a dead letter; Replay queues it again.
  await system.services.deadLetters.addJobFailure(id, 'database went away');
  const letter = page.locator('#dead-letters tr', { hasText: 'database went away' });
  await letter.waitFor();
  await screenshot(page, 'admin-dead-letter');
  await letter.getByRole('button', { name: 'Save again' }).click();
  await page.getByText(`Replayed job-${id}`).waitFor();
  await letter.waitFor({ state: 'detached' });
  expect(await system.services.deadLetters.count()).toBe(0);

  await page.getByRole('button', { name: 'Close sale…' }).click();
  await page.getByRole('button', { name: 'Close the sale' }).click();
  await row.getByText('CLOSED').waitFor();
  // The console on a phone: one column, the tables scroll sideways.
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, 'admin-phone');
  expect(problems.filter((p) => !p.includes('401'))).toEqual([]);
});

test('a server that cannot be reached is said plainly, and the join goes through once it is back', async () => {
  const promotion = await createPromotion(1);
  const { page } = await phonePage();
  await page.goto(`${base}/p/${promotion.id}`);
  // The network fails every join until the route is lifted.
  await page.route('**/api/coupon/queue/join', (route) => route.abort('connectionrefused'));
  await joinWithKeyboard(page, 'dave');
  await page.getByText('The server cannot be reached').waitFor();
  await screenshot(page, 'shopper-unreachable');
  await page.unroute('**/api/coupon/queue/join');
  // The page retries by itself (back-off from 1 s): no click needed.
  await page.locator('#coupon-code').waitFor({ timeout: 30_000 });
  await page.getByText('The server cannot be reached').waitFor({ state: 'hidden' });
});

test('refusals are said in words: not started, closed, and a shopper who already has a coupon', async () => {
  // Not started: a countdown, never "try again", and the page joins by itself at the start.
  const startsAt = new Date(Date.now() + 4000);
  const later = await system.api.call<Promotion>('POST', '/api/promotions', {
    admin: true,
    body: { name: 'later', totalStock: 5, startsAt: startsAt.toISOString() },
  });
  expect(later.status).toBe(201);
  const notStarted = await phonePage();
  await notStarted.page.goto(`${base}/p/${later.body.data.id}`);
  await joinWithKeyboard(notStarted.page, 'erin');
  await notStarted.page.getByRole('heading', { name: 'The sale opens soon' }).waitFor();
  expect(await notStarted.page.getByRole('button', { name: 'Try again' }).isVisible()).toBe(false);
  await screenshot(notStarted.page, 'shopper-not-started');
  await notStarted.page.locator('#coupon-code').waitFor();
  expect(Date.now()).toBeGreaterThanOrEqual(startsAt.getTime());

  const closed = await createPromotion(5);
  const res = await system.api.call('POST', `/api/promotions/${closed.id}/close`, { admin: true });
  expect(res.status).toBe(200);
  const closedPage = await phonePage();
  await closedPage.page.goto(`${base}/p/${closed.id}`);
  await joinWithKeyboard(closedPage.page, 'frank');
  await closedPage.page.getByRole('heading', { name: 'This sale is closed' }).waitFor();

  // A winner typing their user id on another device (open mode: no queue token
  // there) is told the id already has a coupon, but the code is not shown: anyone
  // could type that id.
  const open = await createPromotion(1);
  await joinAll(system, open.id, ['grace']);
  const won = await waitFor(
    () => system.api.status(open.id, 'grace'),
    (r) => r.body.data.status === 'COMPLETED',
    { what: 'grace to get the coupon' },
  );
  const again = await phonePage();
  await again.page.goto(`${base}/p/${open.id}`);
  await joinWithKeyboard(again.page, 'grace');
  await again.page.getByRole('heading', { name: 'This user id already has a coupon' }).waitFor();
  expect(await again.page.content()).not.toContain(String(won.body.data.couponCode));
  await screenshot(again.page, 'shopper-already-joined');
});

test('hold mode: a held shopper sees the countdown and confirms; one who lets it run out is told so', async () => {
  const created = await system.api.call<Promotion>('POST', '/api/promotions', {
    admin: true,
    body: {
      name: 'web hold',
      totalStock: 1,
      batchSize: 1,
      intervalMs: 100,
      mode: 'hold',
      holdSeconds: 3,
    },
  });
  expect(created.status).toBe(201);
  const id = created.body.data.id;

  const first = await phonePage();
  await first.page.goto(`${base}/p/${id}`);
  await joinWithKeyboard(first.page, 'holder-1');
  await first.page.locator('#hold-left', { hasText: /s left$/ }).waitFor();
  await screenshot(first.page, 'shopper-held');
  await first.page.getByRole('button', { name: 'Confirm my coupon' }).click();
  await first.page.locator('#coupon-code', { hasText: new RegExp(`^${id}-`) }).waitFor();
  const code = await first.page.locator('#coupon-code').textContent();
  expect(await issuedCode(id, 'holder-1')).toBe(code);

  // Stock back for one more, who lets the hold run out.
  await system.api.initStock(id, 2);
  const second = await phonePage();
  await second.page.goto(`${base}/p/${id}`);
  await joinWithKeyboard(second.page, 'holder-2');
  await second.page.locator('#hold-left', { hasText: /s left$/ }).waitFor();
  await shows(second.page, '#lose-title', 'Your time ran out');
  await screenshot(second.page, 'shopper-hold-expired');
  expect([...first.problems, ...second.problems]).toEqual([]);
});

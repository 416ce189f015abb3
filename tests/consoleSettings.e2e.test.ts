// The console's fairness and bot-defence settings in a real browser (Debian's
// Chromium) against the real server, worker, Redis and MariaDB: an early line with
// a fair draw and a proof-of-work puzzle set through the create form and stored as
// given; a bad puzzle size said in words with nothing created; the sale shown as
// PRE-QUEUE; and the order refused, at its field, once the line opened. The shopper
// page's description, redeem link and note set through the form; a bad link or a
// too-long text said in words with nothing created; on edit an emptied description
// cleared and a notice shown at once on a shopper page already open.
import { collectProblems, screenshot, useBrowserSystem } from './helpers/browser';
import { localTime, overflow, signedInConsole } from './helpers/console';
import type { SettingValues } from '../web/src/settingFields';

jest.setTimeout(150_000);
const suite = useBrowserSystem();

/** A promotion as the API answers it: the console's settings, and the record's own fields. */
type Record = SettingValues & { id: number; state: string; version: number };

const listed = async () =>
  (await suite.system.api.call<Record[]>('GET', '/api/promotions', { admin: true })).body.data;
const record = async (id: number) =>
  (await suite.system.api.call<Record>('GET', `/api/promotions/${id}`, { admin: true })).body.data;

test('an early line with a fair draw and a puzzle is set in the form, stored, and its order kept once open', async () => {
  const { page, problems } = await signedInConsole(suite, 1280, 900);
  const create = page.locator('#create');
  const name = `Fair sale ${Date.now()}`;
  await create.getByLabel('Name').fill(name);
  await create.getByLabel('Total stock').fill('5');
  // The line must open before the start: said in the page, nothing sent.
  await create.getByLabel('Line opens at (optional)').fill(localTime(-1));
  await create
    .getByRole('combobox', { name: 'Order of the early line at the start' })
    .selectOption({
      label: 'A fair draw at opening',
    });
  await create.getByLabel('Bot defence').selectOption({ label: 'Proof of work (slows bots)' });
  const before = (await listed()).length;
  await page.getByRole('button', { name: 'Create' }).click();
  await create
    .getByText('The line must open before the start: give a start time after it.')
    .waitFor();
  await create.getByLabel('Starts at (optional)').fill(localTime(30));

  // A puzzle size out of range, or not a number: said in words at the field; nothing created.
  const cost = create.getByLabel('Puzzle size (optional)');
  for (const bad of ['500', 'hard', '2.5']) {
    await cost.fill(bad);
    await page.getByRole('button', { name: 'Create' }).click();
    await create
      .getByText('Puzzle size must be a whole number from 1,000 to 10,000,000.')
      .waitFor();
    expect(await cost.getAttribute('aria-invalid')).toBe('true');
  }
  await screenshot(page, 'console-settings-invalid');
  expect(await listed()).toHaveLength(before);

  // The puzzle size is there only with proof of work.
  await create.getByLabel('Bot defence').selectOption('none');
  await cost.waitFor({ state: 'hidden' });
  await create.getByLabel('Bot defence').selectOption('pow');
  await cost.fill('20,000');
  await page.getByRole('button', { name: 'Create' }).click();
  await page.getByRole('heading', { name: new RegExp(`^Created #\\d+ ${name}$`) }).waitFor();
  const id = Number((await page.locator('#created-title').textContent())?.match(/#(\d+)/)?.[1]);
  const saved = await record(id);
  expect(saved).toMatchObject({
    queueing: 'random',
    standby: true,
    challenge: 'pow',
    challengeCost: 20_000,
  });
  expect(Date.parse(saved.prequeueAt ?? '')).toBeLessThan(Date.now());
  expect(Date.parse(saved.startsAt ?? '')).toBeGreaterThan(Date.now() + 25 * 60_000);

  // The list says what the sale is doing: its early line is open.
  const state = page.locator(`#promotions tr[data-id="${id}"] td`).nth(2);
  await state.getByText('PRE-QUEUE').waitFor();
  await page.locator('#detail-state', { hasText: 'PRE-QUEUE' }).waitFor();
  await page.locator('#detail-meaning', { hasText: 'line opens' }).waitFor();

  // The edit form shows what is stored; standby may change, the order may not any more.
  const settings = page.locator('#settings');
  const order = settings.getByRole('combobox', { name: 'Order of the early line at the start' });
  expect(await order.inputValue()).toBe('random');
  expect(await settings.getByLabel('Puzzle size').inputValue()).toBe('20000');
  await settings
    .getByLabel('Give returned coupons to shoppers who missed out, in order')
    .selectOption({ label: 'No' });
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.locator('#detail-message', { hasText: `Updated promotion ${id}` }).waitFor();
  expect((await record(id)).standby).toBe(false);

  await order.selectOption('fifo');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await settings
    .locator('#set-queueing-error', {
      hasText: 'The line is already open and shoppers joined under this setting',
    })
    .waitFor();
  await settings.getByText('Not saved: the line is already open').waitFor();
  expect(await order.getAttribute('aria-invalid')).toBe('true');
  expect((await record(id)).queueing).toBe('random');
  await page.locator('#settings').scrollIntoViewIfNeeded();
  await screenshot(page, 'console-settings-prequeue-open');
  expect(problems.filter((p) => !p.includes('409'))).toEqual([]);
});

test('the shopper page texts and link are set in the form, cleared on edit, and a notice shows at once', async () => {
  const { page, problems } = await signedInConsole(suite, 1280, 900);
  const create = page.locator('#create');
  const name = `Page sale ${Date.now()}`;
  const description = 'Three coupons, 30% off.\nOne per person.';
  await create.getByLabel('Name').fill(name);
  await create.getByLabel('Total stock').fill('3');
  const about = create.getByLabel('Description shown to shoppers (optional)');
  await about.fill('x'.repeat(2001));
  const link = create.getByLabel('Where to use the coupon (link) (optional)');
  await link.fill('ftp://x');
  await create.getByLabel('How to use the coupon (optional)').fill('Enter the code at checkout.');

  // A link that is not http(s) and a description too long: said in words, nothing created.
  const before = (await listed()).length;
  await page.getByRole('button', { name: 'Create' }).click();
  await create
    .locator('#new-redeemUrl-error', {
      hasText:
        'The link must be a web address starting with http:// or https://, e.g. https://shop.example/redeem.',
    })
    .waitFor();
  await create
    .locator('#new-description-error', {
      hasText: 'The description is 2,001 characters long; it can be at most 2,000.',
    })
    .waitFor();
  expect(await link.getAttribute('aria-invalid')).toBe('true');
  await screenshot(page, 'console-page-fields-invalid');
  expect(await listed()).toHaveLength(before);

  await about.fill(description);
  await link.fill('https://shop.example/redeem');
  await page.getByRole('button', { name: 'Create' }).click();
  await page.getByRole('heading', { name: new RegExp(`^Created #\\d+ ${name}$`) }).waitFor();
  const id = Number((await page.locator('#created-title').textContent())?.match(/#(\d+)/)?.[1]);
  expect(await record(id)).toMatchObject({
    description,
    redeemUrl: 'https://shop.example/redeem',
    redeemNote: 'Enter the code at checkout.',
    notice: null,
  });

  // A shopper waits on the sale's page (paused, so the turn does not come yet).
  const paused = await suite.system.api.call('POST', `/api/promotions/${id}/pause`, {
    admin: true,
  });
  expect(paused.status).toBe(200);
  const shopperContext = await suite.newContext({ viewport: { width: 1280, height: 900 } });
  const shopper = await shopperContext.newPage();
  shopper.setDefaultTimeout(20_000);
  const shopperProblems = collectProblems(shopper);
  await shopper.goto(`${suite.base}/p/${id}?lang=en`);
  await shopper.getByLabel('Your user id').fill('sam');
  await shopper.getByRole('button', { name: 'Join the queue' }).click();
  await shopper.locator('#stock', { hasText: /^\d+$/ }).waitFor();
  expect(await shopper.locator('#notice').isVisible()).toBe(false);

  // Edit: empty the description (cleared, not kept) and post a notice.
  await page.locator(`#promotions tr[data-id="${id}"] td`).nth(2).getByText('PAUSED').waitFor();
  const settings = page.locator('#settings');
  const edited = settings.getByLabel('Description shown to shoppers');
  expect(await edited.inputValue()).toBe(description);
  await edited.fill('');
  const notice = 'Doors open at noon: three coupons left.';
  await settings.getByLabel('Notice to everyone on the page now').fill(notice);
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.locator('#detail-message', { hasText: `Updated promotion ${id}` }).waitFor();
  expect(await record(id)).toMatchObject({
    description: null,
    redeemUrl: 'https://shop.example/redeem',
    notice,
  });
  await shopper.locator('#notice', { hasText: notice }).waitFor();
  await screenshot(shopper, 'console-page-notice-shopper');
  await settings.scrollIntoViewIfNeeded();
  await screenshot(page, 'console-page-fields-saved');
  expect(problems).toEqual([]);
  expect(shopperProblems).toEqual([]);
});

test('on a 375 px phone every setting fits, one field a row, with no sideways scrolling', async () => {
  const { page, problems } = await signedInConsole(suite, 375, 812);
  const create = page.locator('#create');
  await create.getByLabel('Bot defence').selectOption('pow');
  await create.getByLabel('Puzzle size (optional)').waitFor();
  await create.getByLabel('Where to use the coupon (link) (optional)').fill('ftp://x');
  await page.getByRole('button', { name: 'Create' }).click();
  await create.locator('#new-redeemUrl-error', { hasText: 'The link must be' }).waitFor();
  await create.scrollIntoViewIfNeeded();
  await screenshot(page, 'console-settings-phone');
  expect(await overflow(page)).toBeLessThanOrEqual(0);
  expect(problems).toEqual([]);
});

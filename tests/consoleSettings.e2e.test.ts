// The console's fairness and bot-defence settings in a real browser (Debian's
// Chromium) against the real server, worker, Redis and MariaDB: an early line with
// a fair draw and a proof-of-work puzzle set through the create form and stored as
// given; a bad puzzle size said in words with nothing created; the sale shown as
// PRE-QUEUE; and the order refused, at its field, once the line opened.
import { screenshot, useBrowserSystem } from './helpers/browser';
import { localTime, overflow, signedInConsole } from './helpers/console';

jest.setTimeout(150_000);
const suite = useBrowserSystem();

interface Record {
  id: number;
  name: string;
  state: string;
  startsAt: string | null;
  prequeueAt: string | null;
  queueing: string;
  standby: boolean;
  challenge: string;
  challengeCost: number;
}

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

test('on a 375 px phone every setting fits, one field a row, with no sideways scrolling', async () => {
  const { page, problems } = await signedInConsole(suite, 375, 812);
  const create = page.locator('#create');
  await create.getByLabel('Bot defence').selectOption('pow');
  await create.getByLabel('Puzzle size (optional)').waitFor();
  await create.scrollIntoViewIfNeeded();
  await screenshot(page, 'console-settings-phone');
  expect(await overflow(page)).toBeLessThanOrEqual(0);
  expect(problems).toEqual([]);
});

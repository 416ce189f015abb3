// "Winners and their coupons" in a real browser (Debian's Chromium) against the
// real server, worker, Redis and MariaDB: the selected sale's coupons a page at a
// time with More, searched by shopper and by state, and the CSV export downloaded
// through the admin token, on a desktop and on a 375 px phone.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { screenshot, screenshotDir, useBrowserSystem } from './helpers/browser';
import { overflow, signedInConsole } from './helpers/console';
import { couponRows, joinAll, shoppers, waitUntilSettled } from './helpers/sale';

jest.setTimeout(150_000);
const suite = useBrowserSystem();

test('the winners list pages with More, finds a shopper, filters by state and exports every coupon as CSV', async () => {
  const { system } = suite;
  const name = 'Ledger sale';
  const id = (
    await system.api.createPromotion({ name, totalStock: 30, batchSize: 100, intervalMs: 50 })
  ).body.data.id;
  await joinAll(system, id, shoppers(30, 'lw'));
  await waitUntilSettled(system, id);
  const rows = await couponRows(system, id);
  expect(rows).toHaveLength(30);
  const used = rows.find((r) => r.user_id === 'lw3');
  const taken = rows.find((r) => r.user_id === 'lw4');
  expect((await system.api.coupon(used?.code ?? '', 'use', { asShop: true })).status).toBe(200);
  expect((await system.api.coupon(taken?.code ?? '', 'revoke')).status).toBe(200);

  const { page, problems } = await signedInConsole(suite, 1280, 900);
  await page.getByRole('button', { name: `Manage promotion ${id} ${name}` }).click();
  const ledger = page.locator('#ledger');
  await ledger
    .getByRole('heading', { name: `Winners and their coupons: #${id} ${name}` })
    .waitFor();
  await ledger
    .getByText('30 coupons given so far: 28 not used yet, 1 used, 1 taken back by you.')
    .waitFor();
  const tableRows = ledger.locator('#ledger-rows tr');
  await ledger.getByText('The first 25 coupons shown; More shows the next.').waitFor();
  expect(await tableRows.count()).toBe(25);
  await ledger.getByRole('button', { name: 'More' }).click();
  await ledger.getByText('All 30 coupons shown.').waitFor();
  expect(await tableRows.count()).toBe(30);
  await ledger.getByRole('button', { name: 'More' }).waitFor({ state: 'hidden' });
  const codes = await ledger.locator('#ledger-rows td.code').allTextContents();
  expect([...codes].sort()).toEqual(rows.map((r) => r.code).sort());
  await screenshot(page, 'console-ledger-desktop');

  // One shopper: their code, their place, the state in words.
  await ledger.getByLabel('Shopper’s user id').fill('lw3');
  await ledger.getByRole('button', { name: 'Search' }).click();
  await ledger.getByText('1 coupon shown.').waitFor();
  const cells = await tableRows.first().locator('td').allTextContents();
  expect(cells.slice(0, 4)).toEqual([used?.code, 'lw3', expect.stringMatching(/^\d+$/), 'Used']);
  await ledger.getByLabel('Shopper’s user id').fill('nobody');
  await ledger.getByRole('button', { name: 'Search' }).click();
  await ledger.getByText('No coupon matches this search.').waitFor();
  expect(await tableRows.count()).toBe(0);

  // By state: the one taken back.
  await ledger.getByLabel('Shopper’s user id').fill('');
  await ledger.getByLabel('Show').selectOption({ label: 'Taken back by you' });
  await ledger.getByRole('button', { name: 'Search' }).click();
  await ledger.getByText('1 coupon shown.').waitFor();
  expect(await tableRows.first().locator('td.code').textContent()).toBe(taken?.code);

  // The CSV: every coupon of the sale, whatever the search, fetched with the token.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    ledger.getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(`coupons-${id}.csv`);
  const csv = (await readFile(await download.path(), 'utf8')).trim().split('\r\n');
  expect(csv[0]).toBe('code,userId,ticket,state,issuedAt,changedAt');
  expect(csv).toHaveLength(31);
  expect(
    csv
      .map((line) => line.split(',')[0])
      .slice(1)
      .sort(),
  ).toEqual(rows.map((r) => r.code).sort());
  expect(csv.find((line) => line.startsWith(`${used?.code},lw3,`))).toContain(',USED,');
  await ledger.getByText(`Downloaded coupons-${id}.csv`).waitFor();
  expect(problems).toEqual([]);

  // On a phone: the table scrolls within its panel, the page does not.
  const phone = await signedInConsole(suite, 375, 812);
  await phone.page.getByRole('button', { name: `Manage promotion ${id} ${name}` }).click();
  await phone.page.locator('#ledger').getByText('The first 25 coupons shown').waitFor();
  await phone.page.locator('#ledger-title').scrollIntoViewIfNeeded();
  await screenshot(phone.page, 'console-ledger-phone');
  await phone.page.screenshot({ path: path.join(screenshotDir, 'console-ledger-phone-view.png') });
  await phone.page.locator('#ledger-rows').scrollIntoViewIfNeeded();
  await phone.page.screenshot({ path: path.join(screenshotDir, 'console-ledger-phone-table.png') });
  expect(await overflow(phone.page)).toBeLessThanOrEqual(0);
  expect(phone.problems).toEqual([]);
});

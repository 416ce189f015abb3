// The marketer console in a browser test: a signed-in page of its own, times as
// the datetime-local boxes take them, and whether the page scrolls sideways.
import type { Page } from 'playwright-core';
import { collectProblems, type BrowserSuite } from './browser';
import { adminToken } from './env';

/** A signed-in console at this viewport, with its console errors collected. */
export async function signedInConsole(
  suite: BrowserSuite,
  width: number,
  height: number,
): Promise<{ page: Page; problems: string[] }> {
  const context = await suite.newContext({ viewport: { width, height }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const problems = collectProblems(page);
  await page.goto(`${suite.base}/admin`);
  await page.getByLabel('Admin token').fill(adminToken);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#console').waitFor();
  return { page, problems };
}

/** A datetime-local value `minutes` from now, in the browser's (and this process's) zone. */
export function localTime(minutes: number): string {
  const d = new Date(Date.now() + minutes * 60_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** How far the page is wider than the window (0 or less: no sideways scrolling). */
export const overflow = (page: Page) =>
  page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');

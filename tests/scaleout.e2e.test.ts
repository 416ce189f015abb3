// Two server processes and two worker processes on one Redis and one database:
// shoppers join through both servers, pages listen on both, the sale ends with
// every promise kept.
import { api } from './helpers/api';
import { startDeployment, type Deployment } from './helpers/deployment';
import { checkSale, printOutcomes, waitForSaleEnd } from './helpers/invariants';
import { finalState, openPage, type Page } from './helpers/live';
import { inParallel } from './helpers/wait';

jest.setTimeout(120000);
let deployment: Deployment | undefined;
const pages: Page[] = [];
afterAll(async () => {
  for (const page of pages) page.close();
  await deployment?.stop();
});

test('2 servers + 2 workers: joins spread over both, pages on both hear their decision, invariants hold', async () => {
  deployment = await startDeployment({ servers: 2, workers: 2 }, { DRAIN_INTERVAL_MS: '50' });
  const d = deployment;
  const ports = d.servers.map((s) => s.port);
  const units = 300;
  const id = await d.services.promotion(units, 20, 50);
  const users = Array.from({ length: 800 }, (_, i) => `x${i + 1}`);
  // Joins alternate between the servers; the first 40 shoppers open their page on
  // the *other* server: a decision made after the page connected reaches it
  // through Redis (worker emitter -> adapter), one made before arrives as the welcome.
  const tokens = new Map<string, string>();
  const answers = await inParallel(
    users.map((u, i) => async () => {
      const r = await api(ports[i % 2] ?? 0).join(id, u);
      if (i < 40) tokens.set(u, String((r.body.data as { queueToken?: string }).queueToken));
      return r.status;
    }),
    20,
  );
  // Accepted (200), or turned away once the sale sold out (409 SOLD_OUT): nothing else.
  expect(answers.every((status) => status === 200 || status === 409)).toBe(true);
  const joined = users.filter((_, i) => answers[i] === 200);
  for (const [i, u] of users.slice(0, 40).entries()) {
    pages.push(await openPage(ports[(i + 1) % 2] ?? 0, tokens.get(u) ?? ''));
  }
  const finals = await Promise.all(pages.map((page) => finalState(page)));
  expect(finals.map((s) => s.status)).toEqual(Array.from({ length: 40 }, () => 'COMPLETED'));

  await waitForSaleEnd(d.services, id);
  const outcome = await checkSale(d.services, ports[0] ?? 0, id, joined, units);
  printOutcomes('scale-out: 2 servers, 2 workers', [['none', outcome]]);
  expect(outcome.issued).toBe(units);
  expect(Object.values(outcome.checks).every(Boolean)).toBe(true);
});

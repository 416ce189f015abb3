// Whole sales through the HTTP API with the real worker draining on the real Redis.
import { inParallel, waitFor } from './helpers/wait';
import { startSystem, type TestSystem } from './helpers/system';

let system: TestSystem;
afterEach(() => system.stop());

async function statuses(s: TestSystem, promotionId: number, users: string[]) {
  return inParallel(
    users.map((u) => async () => (await s.api.status(promotionId, u)).body.data),
    50,
  );
}

async function waitUntilDrained(s: TestSystem, promotionId: number) {
  await waitFor(
    () => s.api.info(promotionId).then((r) => r.body.data),
    (info) => info.queueSize === 0 && info.processingCount === 0,
    { what: 'the queue to drain' },
  );
}

const shuffled = <T>(items: T[]) =>
  items
    .map((item) => ({ item, key: Math.random() }))
    .sort((a, b) => a.key - b.key)
    .map(({ item }) => item);

test('500 shoppers racing for 100 units: exactly 100 COMPLETED with distinct codes, tickets 1..100 win, 400 FAILED', async () => {
  system = await startSystem({}, { withWorker: false });
  await system.api.initStock(1, 100);
  const users = Array.from({ length: 500 }, (_, i) => `shopper-${i}`);
  const joins = await inParallel(
    users.map((u) => () => system.api.join(1, u)),
    100,
  );
  expect(joins.every((r) => r.status === 200)).toBe(true);

  await system.startWorker();
  await waitUntilDrained(system, 1);
  const results = await statuses(system, 1, users);
  const completed = results.filter((r) => r.status === 'COMPLETED');
  const failed = results.filter((r) => r.status === 'FAILED');
  expect(completed).toHaveLength(100);
  expect(failed).toHaveLength(400);
  expect(new Set(completed.map((r) => r.couponCode)).size).toBe(100);
  expect(completed.map((r) => r.ticket).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(
    Array.from({ length: 100 }, (_, i) => i + 1),
  );
  expect((await system.api.info(1)).body.data).toMatchObject({ issued: 100, currentStock: 0 });
});

test('joins racing a live drain: never oversold, winners in join order, nobody left waiting', async () => {
  system = await startSystem({ DRAIN_INTERVAL_MS: '20', DRAIN_BATCH_SIZE: '25' });
  await system.api.initStock(2, 60);
  const users = Array.from({ length: 400 }, (_, i) => `racer-${i}`);
  const joins = await inParallel(
    users.map((u) => () => system.api.join(2, u)),
    40,
  );
  // Every join is either queued or refused because the sale already sold out.
  for (const r of joins) {
    expect(r.status === 200 || (r.status === 409 && r.body.code === 'SOLD_OUT')).toBe(true);
  }
  await waitUntilDrained(system, 2);
  const results = await statuses(system, 2, users);
  const completed = results.filter((r) => r.status === 'COMPLETED');
  expect(completed).toHaveLength(60);
  expect(completed.map((r) => r.ticket).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(
    Array.from({ length: 60 }, (_, i) => i + 1),
  );
  const joined = joins.filter((r) => r.status === 200).length;
  expect(results.filter((r) => r.status === 'FAILED')).toHaveLength(joined - 60);
  expect(results.filter((r) => r.status === 'NOT_IN_QUEUE')).toHaveLength(400 - joined);
});

test('5,000 concurrent joins by 1,000 distinct shoppers make exactly 1,000 queue entries', async () => {
  system = await startSystem({}, { withWorker: false });
  await system.api.initStock(3, 10);
  const users = Array.from({ length: 1000 }, (_, i) => `dup-${i}`);
  const attempts = shuffled(users.flatMap((u) => [u, u, u, u, u]));
  const responses = await inParallel(
    attempts.map((u) => async () => ({ u, r: await system.api.join(3, u) })),
    200,
  );
  expect(responses.every(({ r }) => r.status === 200)).toBe(true);
  const ticketsByUser = new Map<string, Set<unknown>>();
  for (const { u, r } of responses) {
    const seen = ticketsByUser.get(u) ?? new Set();
    seen.add(r.body.data.ticket);
    ticketsByUser.set(u, seen);
  }
  // A retried join is answered with the same ticket every time.
  expect([...ticketsByUser.values()].every((tickets) => tickets.size === 1)).toBe(true);
  const info = (await system.api.info(3)).body.data;
  expect(info).toMatchObject({ queueSize: 1000, joined: 1000 });
  const tickets = [...ticketsByUser.values()].map((t) => [...t][0] as number);
  expect(new Set(tickets).size).toBe(1000);
});

test('positions fall as the queue drains, and a decided shopper cannot join again', async () => {
  system = await startSystem({ DRAIN_BATCH_SIZE: '2', DRAIN_INTERVAL_MS: '100' });
  await system.api.initStock(4, 3);
  for (let i = 1; i <= 6; i++) await system.api.join(4, `p${i}`);
  const positions: number[] = [];
  await waitFor(
    async () => (await system.api.status(4, 'p6')).body.data,
    (s) => {
      if (s.position !== undefined) positions.push(s.position);
      return s.status === 'FAILED';
    },
    { what: 'p6 to be decided' },
  );
  expect(positions.length).toBeGreaterThan(0);
  expect([...positions].sort((a, b) => b - a)).toEqual(positions);
  const again = await system.api.join(4, 'p1');
  expect(again.status).toBe(409);
  expect(again.body).toMatchObject({
    success: false,
    code: 'ALREADY_PROCESSED',
    data: { status: 'COMPLETED' },
  });
});

// The live queue as pages see it: real socket.io-clients on two servers, a
// separate worker, everything through the real Redis (adapter and emitter).
import { QueueTokens } from '../core/live/queueToken';
import { isNewerProgress, placeInQueue, rooms, type ShopperUpdate } from '../core/live/contract';
import type { ShopperState } from '../core/model/shopperState';
import { connectRefusal, finalState, openPage, type Page } from './helpers/live';
import { api } from './helpers/api';
import { clusterNodes } from './helpers/env';
import { startSystem, type TestSystem } from './helpers/system';
import { inParallel, waitFor } from './helpers/wait';

let system: TestSystem;
let pages: Page[] = [];
afterEach(async () => {
  for (const page of pages) page.close();
  pages = [];
  await system.stop();
});

const portOf = (i: number) => {
  const server = system.servers[i % system.servers.length];
  if (!server) throw new Error('no server');
  return server.port;
};

interface Joined {
  userId: string;
  ticket: number;
  queueToken: string;
}

/** Joins through server i % n and returns the token join gave. */
async function join(promotionId: number, userId: string, via = 0): Promise<Joined> {
  const res = await api(portOf(via)).join(promotionId, userId);
  if (res.status !== 200) throw new Error(`join ${userId}: ${res.status} ${res.body.message}`);
  const data = res.body.data as { ticket: number; queueToken: string };
  return { userId, ticket: data.ticket, queueToken: data.queueToken };
}

/** Joins n shoppers, connects each to the server it did not join through. */
async function crowd(promotionId: number, n: number, name: string) {
  const shoppers: Joined[] = [];
  for (let i = 0; i < n; i++) shoppers.push(await join(promotionId, `${name}${i + 1}`, i));
  const opened = await inParallel(
    shoppers.map((s, i) => () => openPage(portOf(i + 1), s.queueToken)),
    20,
  );
  pages.push(...opened);
  return shoppers.map((shopper, i) => ({ shopper, page: opened[i] as Page }));
}

/** What GET /status answers, to compare with what the socket said. */
async function httpState(promotionId: number, userId: string): Promise<ShopperState> {
  return (await system.api.status(promotionId, userId)).body.data;
}

const withoutDecidedAt = (update: ShopperUpdate): ShopperState => {
  const rest = { ...update };
  delete rest.decidedAt;
  return rest;
};

test('across two servers, every shopper gets exactly its own events in order WAITING -> PROCESSING -> COMPLETED/FAILED, with places that only fall', async () => {
  system = await startSystem(
    { DRAIN_BATCH_SIZE: '5', DRAIN_INTERVAL_MS: '50' },
    { withWorker: false, servers: 2 },
  );
  await system.api.initStock(1, 12);
  const everyone = await crowd(1, 30, 'u');
  // A page cannot ask for another room: client events are ignored.
  const nosy = everyone[0]?.page.socket as unknown as { emit(ev: string, arg: string): void };
  nosy.emit('join', rooms.shopper(1, 'u2'));
  // The connect snapshot arrives before the drain starts.
  await Promise.all(everyone.map(({ page }) => page.waitForState((s) => s.status === 'WAITING')));

  await system.startWorker();
  await Promise.all(everyone.map(({ page }) => finalState(page)));

  for (const { shopper, page } of everyone) {
    const states = page.states();
    expect(states.every((s) => s.userId === shopper.userId && s.promotionId === 1)).toBe(true);
    const final = shopper.ticket <= 12 ? 'COMPLETED' : 'FAILED';
    expect(states.map((s) => s.status)).toEqual(['WAITING', 'PROCESSING', final]);
    expect(states[0]).toMatchObject({ ticket: shopper.ticket, position: shopper.ticket });
    const last = states[2] as ShopperUpdate;
    expect(withoutDecidedAt(last)).toEqual(await httpState(1, shopper.userId));
    expect(last.decidedAt).toBeLessThanOrEqual(Date.now());

    // Places from the progress messages received while waiting never go up, and the
    // served counter reaches the shopper's ticket.
    const processingAt = page.received.findIndex(
      (r) => r.kind === 'state' && r.state.status === 'PROCESSING',
    );
    // One Redis delivers a promotion's progress in publish order. A Redis Cluster may
    // deliver two ticks' messages out of order; there a page shows what it keeps by
    // the pages' rule (isNewerProgress), which drops the older one.
    const received = page.received
      .slice(0, processingAt)
      .flatMap((r) => (r.kind === 'progress' ? [r.progress] : []));
    const shown = clusterNodes
      ? received.filter((p, i) => received.slice(0, i).every((q) => isNewerProgress(q, p)))
      : received;
    const places = [
      states[0]?.position ?? 0,
      ...shown.map((p) => placeInQueue(shopper.ticket, p).position),
    ];
    expect([...places].sort((a, b) => b - a)).toEqual(places);
    if (!clusterNodes) {
      const served = page.progress().map((p) => p.served);
      expect([...served].sort((a, b) => a - b)).toEqual(served);
    }
    await page.waitForProgress((p) => p.served >= shopper.ticket, 'served to reach the ticket');
  }
  const completed = everyone.flatMap(({ page }) =>
    page.states().filter((s) => s.status === 'COMPLETED'),
  );
  expect(completed.map((s) => s.ticket).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(
    Array.from({ length: 12 }, (_, i) => i + 1),
  );
  expect(new Set(completed.map((s) => s.couponCode)).size).toBe(12);
});

test('progress carries served, stock, queue size, a measured drain rate and an ETA', async () => {
  system = await startSystem(
    { DRAIN_BATCH_SIZE: '2', DRAIN_INTERVAL_MS: '100' },
    { withWorker: false, servers: 2 },
  );
  await system.api.initStock(2, 100);
  const [first] = await crowd(2, 12, 'r');
  const page = first?.page as Page;
  const onConnect = await page.waitForProgress(() => true);
  // Before any tick the rate is the configured one: 2 per 100 ms.
  expect(onConnect).toMatchObject({
    promotionId: 2,
    state: 'OPEN',
    served: 0,
    joined: 12,
    queueSize: 12,
    remainingStock: 100,
    drainRate: 20,
    etaSeconds: 1,
    soldOut: false,
  });
  await system.startWorker();
  const measured = await page.waitForProgress((p) => p.served >= 8, 'served >= 8');
  expect(measured.queueSize).toBe(12 - measured.served);
  // Served counts shoppers claimed but not yet decided, so stock may lag it by a batch.
  expect(measured.remainingStock).toBeGreaterThanOrEqual(100 - measured.served);
  expect(measured.remainingStock).toBeLessThanOrEqual(100);
  // Measured from the served counter: positive, and not above the configured 20 a
  // second by more than tick jitter.
  expect(measured.drainRate).toBeGreaterThan(0);
  expect(measured.drainRate).toBeLessThanOrEqual(40);
  expect(measured.etaSeconds).toBe(Math.ceil(measured.queueSize / measured.drainRate));
});

test('a page that drops during the drain and reconnects to the other server gets its final state at once', async () => {
  system = await startSystem(
    { DRAIN_BATCH_SIZE: '1', DRAIN_INTERVAL_MS: '50' },
    { withWorker: false, servers: 2 },
  );
  await system.api.initStock(3, 50);
  for (let i = 0; i < 15; i++) await join(3, `ahead${i}`);
  const me = await join(3, 'me', 0);
  const page = await openPage(portOf(0), me.queueToken);
  pages.push(page);
  await system.startWorker();

  await page.waitForProgress((p) => p.served >= 2, 'the drain to start');
  page.close();
  expect(page.states().map((s) => s.status)).toEqual(['WAITING']);
  // Decided while away.
  const decided = await waitFor(
    () => httpState(3, 'me'),
    (s) => s.status === 'COMPLETED',
    { what: 'me to be decided' },
  );

  const again = await openPage(portOf(1), me.queueToken);
  pages.push(again);
  const first = await again.waitForState(() => true);
  expect(first).toEqual(decided);
  expect(first.couponCode).toMatch(/^3-16-[0-9A-Z]{10}$/);
  const progress = await again.waitForProgress(() => true);
  expect(progress.served).toBeGreaterThanOrEqual(16);
});

test('missing, malformed, forged, edited, expired and stale tokens are refused with a code the page can show', async () => {
  system = await startSystem({}, { withWorker: false, servers: 1 });
  await system.api.initStock(4, 10);
  const alice = await join(4, 'alice');
  await join(4, 'bob');
  const port = portOf(0);
  const { config } = system;
  const ttl = config.queueTokenTtlSeconds * 1000;
  const [version, , sig] = alice.queueToken.split('.');
  const bobPayload = Buffer.from(
    JSON.stringify({ p: 4, u: 'bob', t: 2, e: Date.now() + ttl }),
  ).toString('base64url');
  const cases: [string, unknown, string][] = [
    ['no auth', undefined, 'TOKEN_MISSING'],
    ['empty token', { token: '' }, 'TOKEN_MISSING'],
    ['a number', { token: 12345 }, 'TOKEN_INVALID'],
    ['an object', { token: { p: 4 } }, 'TOKEN_INVALID'],
    ['too long', { token: 'x'.repeat(5000) }, 'TOKEN_INVALID'],
    ['garbage', { token: 'let-me-in' }, 'TOKEN_INVALID'],
    [
      'forged with another secret',
      {
        token: new QueueTokens('not-the-servers-secret-0123456789abcd', ttl).sign({
          promotionId: 4,
          userId: 'alice',
          ticket: 1,
        }),
      },
      'TOKEN_INVALID',
    ],
    ["alice's token edited to bob", { token: `${version}.${bobPayload}.${sig}` }, 'TOKEN_INVALID'],
    [
      'expired',
      {
        token: new QueueTokens(config.queueTokenSecret, ttl, () => Date.now() - ttl - 1).sign({
          promotionId: 4,
          userId: 'alice',
          ticket: 1,
        }),
      },
      'TOKEN_EXPIRED',
    ],
    [
      'genuine but for a ticket not in the queue',
      {
        token: new QueueTokens(config.queueTokenSecret, ttl).sign({
          promotionId: 4,
          userId: 'alice',
          ticket: 99,
        }),
      },
      'NOT_IN_QUEUE',
    ],
  ];
  for (const [name, auth, code] of cases) {
    const refusal = await connectRefusal(port, auth);
    expect({ name, code: refusal.code }).toEqual({ name, code });
    expect(refusal.message.length).toBeGreaterThan(10);
  }
  expect((await connectRefusal(port, { token: 12345 })).message).toBe(
    'auth.token must be a string',
  );
  // The genuine token still works.
  const page = await openPage(port, alice.queueToken);
  pages.push(page);
  expect(await page.waitForState(() => true)).toMatchObject({ userId: 'alice', ticket: 1 });
});

test('sold out reaches every waiting page, on both servers, and new joins are refused', async () => {
  system = await startSystem(
    { DRAIN_BATCH_SIZE: '3', DRAIN_INTERVAL_MS: '50' },
    { withWorker: false, servers: 2 },
  );
  await system.api.initStock(5, 3);
  const everyone = await crowd(5, 40, 's');
  await system.startWorker();
  await Promise.all(everyone.map(({ page }) => page.waitForProgress((p) => p.soldOut, 'sold out')));
  const finals = await Promise.all(everyone.map(({ page }) => finalState(page)));
  expect(finals.filter((s) => s.status === 'COMPLETED').map((s) => s.ticket)).toEqual([1, 2, 3]);
  const failed = finals.filter((s) => s.status === 'FAILED');
  expect(failed).toHaveLength(37);
  expect(failed.every((s) => s.reason === 'SOLD_OUT')).toBe(true);
  const late = await system.api.join(5, 'late');
  expect(late.status).toBe(409);
  expect(late.body.code).toBe('SOLD_OUT');
});

test('join hands out a queue token every time, and a decided shopper can still subscribe to see the result', async () => {
  system = await startSystem({}, { withWorker: false, servers: 1 });
  await system.api.initStock(6, 1);
  const first = await join(6, 'kim');
  const repeat = await join(6, 'kim');
  expect(repeat.ticket).toBe(first.ticket);
  expect(repeat.queueToken).toMatch(/^qt1\./);
  await system.startWorker();
  await waitFor(
    () => httpState(6, 'kim'),
    (s) => s.status === 'COMPLETED',
  );
  const reload = await system.api.join(6, 'kim');
  expect(reload.status).toBe(409);
  expect(reload.body.code).toBe('ALREADY_PROCESSED');
  const token = (reload.body.data as { queueToken?: string }).queueToken ?? '';
  const page = await openPage(portOf(0), token);
  pages.push(page);
  const state = await page.waitForState(() => true);
  expect(state).toEqual(await httpState(6, 'kim'));
  expect(state.status).toBe('COMPLETED');
});

test('stopping a server drops its pages with a transport close, so they reconnect elsewhere', async () => {
  system = await startSystem({}, { withWorker: false, servers: 2 });
  await system.api.initStock(7, 5);
  const me = await join(7, 'moving');
  const page = await openPage(portOf(1), me.queueToken);
  pages.push(page);
  await page.waitForState(() => true);
  const reason = new Promise<string>((resolve) => page.socket.once('disconnect', resolve));
  await system.servers[1]?.stop();
  // "transport close" (not "io server disconnect") is what makes socket.io-client retry by itself.
  expect(await reason).toBe('transport close');
  const elsewhere = await openPage(portOf(0), me.queueToken);
  pages.push(elsewhere);
  expect((await elsewhere.waitForState(() => true)).status).toBe('WAITING');
});

test('a page in the pre-queue is told it is pre-queued and when the sale opens, never a place from its draw', async () => {
  system = await startSystem({}, { withWorker: false });
  const startsAt = new Date(Date.now() + 3_600_000).toISOString();
  const created = await system.api.createPromotion({
    name: 'pre-queue',
    totalStock: 5,
    startsAt,
    prequeueAt: new Date(Date.now() - 1000).toISOString(),
    queueing: 'random',
  });
  const id = created.body.data.id;
  const joined = await system.api.join(id, 'early');
  const { queueToken } = joined.body.data as { queueToken: string };
  const page = await openPage(portOf(0), queueToken);
  pages.push(page);
  const welcome = await page.waitForState(() => true, 'the welcome state');
  expect(welcome).toEqual({
    promotionId: id,
    userId: 'early',
    status: 'WAITING',
    prequeued: true,
    startsAt,
  });
  expect(welcome).toEqual(await httpState(id, 'early'));
});

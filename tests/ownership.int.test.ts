// Open mode (SHOPPER_AUTH=open, the seed's API): a userId is only declared, so a
// shopper's private data (coupon code, hold, queue token) goes only to a request
// carrying their queue token, and a coupon changes only for its owner or the shop.
// Each test is an attack from the audit in issue 13, tried as a stranger would.
import { QueueTokens } from '../core/live/queueToken';
import { couponRows } from './helpers/sale';
import { startSystem, type TestSystem } from './helpers/system';
import { waitFor } from './helpers/wait';

jest.setTimeout(60000);

let system: TestSystem;
afterEach(() => system.stop());

/** A stranger: the same API, none of the victim's tokens. */
const stranger = (s: TestSystem) => ({
  join: (promotionId: number, userId: string, headers: Record<string, string> = {}) =>
    s.api.call('POST', '/api/coupon/queue/join', { body: { promotionId, userId }, headers }),
  status: (promotionId: number, userId: string) =>
    s.api.call('GET', `/api/coupon/queue/status?promotionId=${promotionId}&userId=${userId}`),
});

/** The victim joins (keeping their queue token) and the worker issues their coupon. */
async function victimWithCoupon(s: TestSystem, promotionId: number) {
  await s.api.initStock(promotionId, 5);
  const joined = await s.api.join(promotionId, 'victim-1');
  expect(joined.status).toBe(200);
  const token = String(joined.body.data.queueToken);
  const done = await waitFor(
    () => s.api.status(promotionId, 'victim-1').then((r) => r.body.data),
    (state) => state.status === 'COMPLETED',
    { what: 'the victim’s coupon' },
  );
  const code = String(done.couponCode);
  // Written behind by the worker: wait for the row, as the shop's checkout would find it.
  await waitFor(
    () => couponRows(s, promotionId),
    (rows) => rows.some((r) => r.code === code),
    { what: 'the coupon’s row' },
  );
  return { token, code };
}

test('a stranger reading the victim’s status sees the status and ticket, never the coupon code; the victim’s token shows it', async () => {
  system = await startSystem();
  const { token, code } = await victimWithCoupon(system, 1);
  expect(code).toMatch(/^1-1-/);
  const read = await stranger(system).status(1, 'victim-1');
  expect(read.status).toBe(200);
  expect(read.body.data).toEqual({
    promotionId: 1,
    userId: 'victim-1',
    status: 'COMPLETED',
    ticket: 1,
  });
  expect(JSON.stringify(read.body)).not.toContain(code);
  const own = await system.api.call(
    'GET',
    '/api/coupon/queue/status?promotionId=1&userId=victim-1',
    {
      token,
    },
  );
  expect(own.body.data).toMatchObject({ status: 'COMPLETED', couponCode: code });
  // Another shopper's genuine token does not open the victim's data either.
  const other = await system.api.join(1, 'stranger-1');
  const mixed = await system.api.call(
    'GET',
    '/api/coupon/queue/status?promotionId=1&userId=victim-1',
    { token: String(other.body.data.queueToken) },
  );
  expect(JSON.stringify(mixed.body)).not.toContain(code);
});

test('a stranger joining as the victim gets a 409 with neither the code nor a queue token', async () => {
  system = await startSystem();
  const { code } = await victimWithCoupon(system, 2);
  const again = await stranger(system).join(2, 'victim-1');
  expect(again.status).toBe(409);
  expect(again.body.code).toBe('ALREADY_PROCESSED');
  expect(again.body.data).toEqual({
    promotionId: 2,
    userId: 'victim-1',
    status: 'COMPLETED',
    ticket: 1,
  });
  expect(JSON.stringify(again.body)).not.toMatch(new RegExp(`${code}|qt1\\.`));
});

test('a stranger repeating a waiting shopper’s join learns the place but gets no token for their socket', async () => {
  system = await startSystem({}, { withWorker: false });
  await system.api.initStock(3, 5);
  expect((await system.api.join(3, 'victim-1')).body.data.queueToken).toMatch(/^qt1\./);
  const again = await stranger(system).join(3, 'victim-1');
  expect(again.status).toBe(200);
  expect(again.body.data).toEqual({
    promotionId: 3,
    userId: 'victim-1',
    status: 'WAITING',
    ticket: 1,
    position: 1,
  });
});

test('use and cancel by the code alone are refused 401 and change nothing; a stranger’s own token gets 403', async () => {
  system = await startSystem();
  const { token, code } = await victimWithCoupon(system, 4);
  const before = (await system.api.info(4)).body.data;
  for (const action of ['use', 'cancel'] as const) {
    const byCode = await system.api.coupon(code, action);
    expect({ action, status: byCode.status, code: byCode.body.code }).toEqual({
      action,
      status: 401,
      code: 'SHOPPER_TOKEN_MISSING',
    });
  }
  const strangerJoin = await system.api.join(4, 'stranger-1');
  const strangerToken = String(strangerJoin.body.data.queueToken);
  for (const action of ['use', 'cancel'] as const) {
    const byStranger = await system.api.call('POST', `/api/coupons/${code}/${action}`, {
      token: strangerToken,
    });
    expect({ action, status: byStranger.status, code: byStranger.body.code }).toEqual({
      action,
      status: 403,
      code: 'NOT_OWNER',
    });
  }
  const rows = await couponRows(system, 4);
  expect(rows.find((r) => r.code === code)).toMatchObject({ user_id: 'victim-1', state: 'ISSUED' });
  // No unit went back to stock (the stranger's own join may have taken one since).
  const after = (await system.api.info(4)).body.data as { currentStock: number };
  expect(after.currentStock).toBeLessThanOrEqual((before as { currentStock: number }).currentStock);
  // The owner's token works, and so does the shop's checkout backend with the admin token.
  const used = await system.api.call('POST', `/api/coupons/${code}/use`, { token });
  expect(used.status).toBe(200);
  expect(used.body.data).toMatchObject({ state: 'USED', userId: 'victim-1' });
});

test('the shop’s backend cancels a coupon with the admin token; the unit returns to stock', async () => {
  system = await startSystem();
  const { code } = await victimWithCoupon(system, 5);
  const cancelled = await system.api.call('POST', `/api/coupons/${code}/cancel`, { admin: true });
  expect(cancelled.status).toBe(200);
  expect(cancelled.body.data).toMatchObject({ state: 'CANCELLED', unitReturned: true });
});

test('hold hijack: a stranger cannot get the victim’s token to confirm or release their hold', async () => {
  system = await startSystem({ DRAIN_INTERVAL_MS: '20' });
  const created = await system.api.createPromotion({
    name: 'hold sale',
    totalStock: 1,
    mode: 'hold',
    holdSeconds: 60,
  });
  const id = created.body.data.id;
  const joined = await system.api.join(id, 'victim-1');
  const victimToken = String(joined.body.data.queueToken);
  await waitFor(
    () => system.api.status(id, 'victim-1').then((r) => r.body.data),
    (s) => s.status === 'HELD',
    { what: 'the hold' },
  );
  // On the audited version this 409 carried the victim's queue token.
  const probe = await stranger(system).join(id, 'victim-1');
  expect(probe.status).toBe(409);
  const leaked = (probe.body.data as { queueToken?: string }).queueToken;
  expect(leaked).toBeUndefined();
  const hijack = await system.api.call('POST', '/api/coupon/queue/confirm', {
    body: { queueToken: leaked ?? 'qt1.none.none' },
  });
  expect(hijack.status).toBe(401);
  const release = await system.api.call('POST', '/api/coupon/queue/release', {
    body: { queueToken: leaked ?? 'qt1.none.none' },
  });
  expect(release.status).toBe(401);
  expect((await stranger(system).status(id, 'victim-1')).body.data).not.toHaveProperty('expiresAt');
  const mine = await system.api.confirm(victimToken);
  expect(mine.status).toBe(200);
  expect(mine.body.data).toMatchObject({ status: 'COMPLETED', userId: 'victim-1' });
});

test('lock-out: joins as the victim to an unknown promotion, and from another IP, do not spend the victim’s budget', async () => {
  system = await startSystem(
    { RATE_LIMIT_ENABLED: 'true', RATE_LIMIT_JOIN_PER_USER: '3', TRUST_PROXY: '1' },
    { withWorker: false },
  );
  await system.api.initStock(6, 5);
  const victimIp = { 'x-forwarded-for': '198.51.100.7' };
  const attackerIp = { 'x-forwarded-for': '203.0.113.66' };
  const attack = stranger(system);
  for (let i = 0; i < 8; i++) await attack.join(999_999, 'victim-1', attackerIp);
  for (let i = 0; i < 8; i++) await attack.join(6, 'victim-1', attackerIp);
  expect((await attack.join(6, 'victim-1', attackerIp)).status).toBe(429); // the attacker is limited
  // The victim (another IP) still joins, and their budget is whole.
  for (let i = 0; i < 3; i++) {
    const mine = await attack.join(6, 'victim-1', victimIp);
    expect(mine.status).toBe(200);
  }
});

test('a queue token signed with the previous secret still proves the shopper during a rotation; one from an unknown secret is refused', async () => {
  const previous = 'the-queue-token-secret-being-retired-0000';
  system = await startSystem(
    {
      QUEUE_TOKEN_SECRET: 'the-queue-token-secret-rolling-out-11111',
      QUEUE_TOKEN_SECRET_PREVIOUS: previous,
    },
    { withWorker: false },
  );
  await system.api.initStock(7, 5);
  await stranger(system).join(7, 'rolled');
  const ttl = 3_600_000;
  const claims = { promotionId: 7, userId: 'rolled', ticket: 1 };
  const old = new QueueTokens(previous, ttl).sign(claims);
  const repeat = await system.api.call('POST', '/api/coupon/queue/join', {
    body: { promotionId: 7, userId: 'rolled' },
    token: old,
  });
  expect(repeat.status).toBe(200);
  // Proved: a fresh token, signed with the new secret's key id.
  expect(repeat.body.data.queueToken).toMatch(/^qt1\./);
  const unknown = new QueueTokens('a-secret-this-room-never-had-22222222', ttl).sign(claims);
  const refused = await system.api.call('POST', '/api/coupon/queue/join', {
    body: { promotionId: 7, userId: 'rolled' },
    token: unknown,
  });
  expect([refused.status, refused.body.code]).toEqual([401, 'SHOPPER_TOKEN_INVALID']);
});

test('coupon use/cancel are rate limited per IP: guessing codes gets 429 before any database work', async () => {
  system = await startSystem(
    { RATE_LIMIT_ENABLED: 'true', RATE_LIMIT_COUPON_PER_IP: '3' },
    { withWorker: false },
  );
  const guesses = ['1-1-AAAAAAAAAA', '1-2-AAAAAAAAAA', '1-3-AAAAAAAAAA', '1-4-AAAAAAAAAA'];
  const answers = [];
  for (const code of guesses) answers.push((await system.api.coupon(code, 'cancel')).status);
  expect(answers).toEqual([401, 401, 401, 429]);
  // The shop's backend (admin token) is not held back by the shoppers' limit.
  expect(
    (await system.api.call('POST', `/api/coupons/${guesses[0] ?? ''}/use`, { admin: true })).status,
  ).toBe(404);
});

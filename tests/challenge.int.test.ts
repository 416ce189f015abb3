// Proof of work per join (a promotion's challenge 'pow', ALTCHA): a join without
// a solution, with a wrong, expired, foreign or replayed one is 403 and changes
// nothing; a fresh solution joins once. Real Redis, MariaDB and HTTP.
import { createChallenge } from 'altcha-lib/v1';
import { challengeHmacKey, type IssuedChallenge } from '../core/useCases/challenge';
import { hsSecret, hsToken, roomAudience, shopIssuer } from './helpers/shopperJwt';
import { solvedFor, solvePayload } from './helpers/altcha';
import { startSystem, type TestSystem } from './helpers/system';
import { keysOf } from './helpers/env';

let system: TestSystem;
afterEach(() => system.stop());

const base = () => `http://127.0.0.1:${system.server.port}`;
const join = (body: Record<string, unknown>, token?: string) =>
  system.api.call('POST', '/api/coupon/queue/join', { body, token });
const challengeOf = (promotionId: number) =>
  system.api.call<IssuedChallenge>('GET', `/api/coupon/queue/challenge?promotionId=${promotionId}`);
const queueSize = async (promotionId: number) =>
  ((await system.api.info(promotionId)).body.data as { queueSize: number }).queueSize;

async function powPromotion(challengeCost = 1000): Promise<number> {
  const created = await system.api.createPromotion({
    name: 'Bot-proof',
    totalStock: 10,
    challenge: 'pow',
    challengeCost,
  });
  expect(created.status).toBe(201);
  expect(created.body.data).toMatchObject({ challenge: 'pow', challengeCost });
  return created.body.data.id;
}

test('a pow promotion refuses joins without, with a wrong, a foreign or a replayed proof; a fresh one joins once', async () => {
  system = await startSystem({}, { withWorker: false });
  const id = await powPromotion();
  const other = await powPromotion();

  const bare = await join({ promotionId: id, userId: 'bot-1' });
  expect([bare.status, bare.body.code]).toEqual([403, 'CHALLENGE_REQUIRED']);

  const issued = await challengeOf(id);
  expect(issued.body.data).toMatchObject({ challenge: 'pow', altcha: { maxnumber: 1000 } });
  const altcha = issued.body.data.altcha;
  if (!altcha) throw new Error('no challenge');
  const solved = await solvePayload(altcha);
  const wrongNumber = await solvePayload(altcha, 1001);
  const wrong = await join({ promotionId: id, userId: 'bot-1', altcha: wrongNumber });
  expect([wrong.status, wrong.body.code]).toEqual([403, 'CHALLENGE_INVALID']);
  const garbage = await join({ promotionId: id, userId: 'bot-1', altcha: 'bm90IGpzb24=' });
  expect([garbage.status, garbage.body.code]).toEqual([403, 'CHALLENGE_INVALID']);
  const foreign = await join({ promotionId: other, userId: 'bot-1', altcha: solved });
  expect([foreign.status, foreign.body.code]).toEqual([403, 'CHALLENGE_INVALID']);
  expect(await queueSize(id)).toBe(0);
  expect(await queueSize(other)).toBe(0);

  const joined = await join({ promotionId: id, userId: 'alice', altcha: solved });
  expect(joined.status).toBe(200);
  expect(joined.body.data).toMatchObject({ userId: 'alice', ticket: 1, status: 'WAITING' });
  const replay = await join({ promotionId: id, userId: 'bot-2', altcha: solved });
  expect([replay.status, replay.body.code]).toEqual([403, 'CHALLENGE_REUSED']);
  expect(await queueSize(id)).toBe(1);

  // The replay guard lives as long as the challenge, no longer.
  // Scanned on every master: on a cluster the key lives on the promotion's slot.
  const keys = (await keysOf(system.redis, system.config.keyPrefix)).filter((key) =>
    key.startsWith(`${system.config.keyPrefix}:{p${id}}:altcha:`),
  );
  expect(keys).toHaveLength(1);
  const ttl = await system.redis.pttl(keys[0] ?? '');
  expect(ttl).toBeGreaterThan(0);
  expect(ttl).toBeLessThanOrEqual(system.config.challengeTtlSeconds * 1000);
});

test('an expired challenge, correctly signed and solved, is refused', async () => {
  system = await startSystem({}, { withWorker: false });
  const id = await powPromotion();
  const expired = await createChallenge({
    hmacKey: challengeHmacKey(system.config.queueTokenSecret),
    maxnumber: 1000,
    expires: new Date(Date.now() - 1000),
    params: { promotionId: String(id) },
  });
  const res = await join({ promotionId: id, userId: 'late', altcha: await solvePayload(expired) });
  expect([res.status, res.body.code]).toEqual([403, 'CHALLENGE_INVALID']);
  expect(await queueSize(id)).toBe(0);
});

test('a promotion without a challenge joins as before; a PATCH to pow applies to the next join on this server', async () => {
  system = await startSystem({}, { withWorker: false });
  await system.api.initStock(3, 10);
  expect((await challengeOf(3)).body.data).toEqual({
    challenge: 'none',
    altcha: null,
    expiresAt: null,
  });
  expect((await join({ promotionId: 3, userId: 'a' })).status).toBe(200);
  expect((await challengeOf(404_404)).status).toBe(404);

  const patched = await system.api.call('PATCH', '/api/promotions/3', {
    body: { version: 1, challenge: 'pow', challengeCost: 2000 },
    admin: true,
  });
  expect(patched.body.data).toMatchObject({ challenge: 'pow', challengeCost: 2000 });
  expect((await join({ promotionId: 3, userId: 'b' })).body.code).toBe('CHALLENGE_REQUIRED');
  const altcha = await solvedFor(base(), 3);
  expect((await join({ promotionId: 3, userId: 'b', altcha })).status).toBe(200);
});

test('bad challenge settings are a 400 naming the field', async () => {
  system = await startSystem({}, { withWorker: false });
  const kind = await system.api.createPromotion({ name: 'x', totalStock: 1, challenge: 'captcha' });
  expect([kind.status, kind.body.message]).toEqual([400, expect.stringContaining('challenge')]);
  const cost = await system.api.createPromotion({ name: 'x', totalStock: 1, challengeCost: 5 });
  expect([cost.status, cost.body.message]).toEqual([400, expect.stringContaining('challengeCost')]);
});

test('signed mode: the shop’s JWT and a proof of work together; the JWT alone is refused', async () => {
  system = await startSystem(
    {
      SHOPPER_AUTH: 'signed',
      SHOPPER_JWT_SECRET: hsSecret,
      SHOPPER_JWT_ISSUER: shopIssuer,
      SHOPPER_JWT_AUDIENCE: roomAudience,
    },
    { withWorker: false },
  );
  const id = await powPromotion();
  const token = await hsToken({ sub: 'carol' });
  expect((await join({ promotionId: id }, token)).body.code).toBe('CHALLENGE_REQUIRED');
  const altcha = await solvedFor(base(), id);
  expect((await join({ promotionId: id, altcha }, 'not-a-jwt')).status).toBe(401);
  const joined = await join({ promotionId: id, altcha }, token);
  expect(joined.status).toBe(200);
  expect(joined.body.data).toMatchObject({ userId: 'carol', status: 'WAITING' });
});

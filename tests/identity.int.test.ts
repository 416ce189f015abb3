// Signed mode (SHOPPER_AUTH=signed): a shopper is the `sub` of a short-lived JWT
// the shop signs. Every forgery is a 401 that changes nothing; a declared userId
// must match; keys come from a shared HS256 secret or a JWKS over real HTTP,
// whose keys rotate mid-test.
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { pageSocket } from './helpers/live';
import type { ShopperUpdate } from '../core/live/contract';
import {
  hsSecret,
  hsToken,
  keyToken,
  newSigningKey,
  roomAudience,
  shopIssuer,
  startJwksServer,
  unsignedToken,
  type JwksServer,
} from './helpers/shopperJwt';
import { couponRows } from './helpers/sale';
import { startSystem, type TestSystem } from './helpers/system';
import { waitFor } from './helpers/wait';

jest.setTimeout(60000);

let system: TestSystem;
let jwks: JwksServer | undefined;
afterEach(async () => {
  await system.stop();
  await jwks?.close();
  jwks = undefined;
});

const signed = (extra: Record<string, string> = {}) =>
  startSystem(
    {
      SHOPPER_AUTH: 'signed',
      SHOPPER_JWT_ISSUER: shopIssuer,
      SHOPPER_JWT_AUDIENCE: roomAudience,
      ...extra,
    },
    { withWorker: false },
  );
const withSecret = () => signed({ SHOPPER_JWT_SECRET: hsSecret });

const join = (s: TestSystem, token: string | undefined, body: Record<string, unknown>) =>
  s.api.call('POST', '/api/coupon/queue/join', { body, token });

async function queueSize(s: TestSystem, promotionId: number) {
  return ((await s.api.info(promotionId)).body.data as { queueSize: number }).queueSize;
}

test('a shopper joins with the shop’s token and no userId; status, repeated join and the socket know them', async () => {
  system = await withSecret();
  await system.api.initStock(1, 5);
  const token = await hsToken({ sub: 'alice' });
  const joined = await join(system, token, { promotionId: 1 });
  expect(joined.status).toBe(200);
  expect(joined.body.data).toMatchObject({ userId: 'alice', ticket: 1, status: 'WAITING' });
  const again = await join(system, token, { promotionId: 1, userId: 'alice' });
  expect(again.body.data).toMatchObject({ ticket: 1 });
  expect(again.body.data.queueToken).toMatch(/^qt1\./);
  const status = await system.api.call('GET', '/api/coupon/queue/status?promotionId=1', { token });
  expect(status.body.data).toMatchObject({ userId: 'alice', status: 'WAITING', position: 1 });
  const socket = pageSocket(system.server.port, { token, promotionId: 1 });
  try {
    const first = await new Promise<ShopperUpdate>((resolve, reject) => {
      socket.on('state', resolve);
      socket.on('connect_error', reject);
    });
    expect(first).toMatchObject({ userId: 'alice', ticket: 1, status: 'WAITING' });
  } finally {
    socket.close();
  }
  const config = await system.api.call('GET', '/api/coupon/queue/config');
  expect(config.body.data).toEqual({ shopperAuth: 'signed' });
});

test('a userId that differs from the token’s subject is 403 IDENTITY_MISMATCH and nobody is queued', async () => {
  system = await withSecret();
  await system.api.initStock(2, 5);
  const token = await hsToken({ sub: 'mallory' });
  const join2 = await join(system, token, { promotionId: 2, userId: 'victim-1' });
  expect(join2.status).toBe(403);
  expect(join2.body.code).toBe('IDENTITY_MISMATCH');
  const read = await system.api.call(
    'GET',
    '/api/coupon/queue/status?promotionId=2&userId=victim-1',
    {
      token,
    },
  );
  expect(read.body.code).toBe('IDENTITY_MISMATCH');
  expect(await queueSize(system, 2)).toBe(0);
});

test('missing, forged, expired, wrong-audience, wrong-issuer, exp-less, alg=none tokens are refused 401 and change nothing', async () => {
  system = await withSecret();
  await system.api.initStock(3, 5);
  const cases: [string, string | undefined, string][] = [
    ['no token', undefined, 'SHOPPER_TOKEN_MISSING'],
    [
      'forged (another secret)',
      await hsToken({}, 'a-forger-guessing-the-secret-000000000'),
      'SHOPPER_TOKEN_INVALID',
    ],
    ['expired beyond the skew', await hsToken({ expiresIn: -120 }), 'SHOPPER_TOKEN_EXPIRED'],
    ['wrong audience', await hsToken({ aud: 'another-app' }), 'SHOPPER_TOKEN_INVALID'],
    ['wrong issuer', await hsToken({ iss: 'https://evil.test' }), 'SHOPPER_TOKEN_INVALID'],
    ['no exp', await hsToken({ expiresIn: null }), 'SHOPPER_TOKEN_INVALID'],
    ['alg=none', unsignedToken(), 'SHOPPER_TOKEN_INVALID'],
    ['a sub that is no userId', await hsToken({ sub: 'has spaces' }), 'SHOPPER_TOKEN_INVALID'],
    ['garbage', 'not.a.jwt', 'SHOPPER_TOKEN_INVALID'],
  ];
  for (const [name, token, code] of cases) {
    const refused = await join(system, token, { promotionId: 3, userId: 'shopper-1' });
    expect({ name, status: refused.status, code: refused.body.code }).toEqual({
      name,
      status: 401,
      code,
    });
  }
  // A token expired within the allowed clock skew is still accepted.
  const skewed = await join(system, await hsToken({ expiresIn: -5 }), { promotionId: 3 });
  expect(skewed.status).toBe(200);
  expect(await queueSize(system, 3)).toBe(1);
});

test('a coupon is used only with its owner’s token (or the admin token); the code alone or another shopper’s token cannot', async () => {
  system = await withSecret();
  await system.api.initStock(4, 5);
  const owner = await hsToken({ sub: 'owner-1' });
  await join(system, owner, { promotionId: 4 });
  await system.startWorker();
  const done = await waitFor(
    () =>
      system.api
        .call('GET', '/api/coupon/queue/status?promotionId=4', { token: owner })
        .then((r) => r.body.data),
    (s) => s.status === 'COMPLETED',
    { what: 'the coupon' },
  );
  const code = String(done.couponCode);
  await waitFor(
    () => couponRows(system, 4),
    (rows) => rows.some((r) => r.code === code),
    { what: 'the coupon’s row' },
  );
  const path = `/api/coupons/${code}/use`;
  expect((await system.api.call('POST', path)).body.code).toBe('SHOPPER_TOKEN_MISSING');
  const other = await system.api.call('POST', path, { token: await hsToken({ sub: 'thief' }) });
  expect([other.status, other.body.code]).toEqual([403, 'NOT_OWNER']);
  const used = await system.api.call('POST', path, { token: owner });
  expect(used.body.data).toMatchObject({ state: 'USED', userId: 'owner-1' });
});

test('JWKS over HTTP: ES256 keys are fetched, a rotated key (new kid) is fetched again, a wrong key or an HS256 token is refused', async () => {
  const keyA = await newSigningKey('ES256', 'key-a');
  const keyB = await newSigningKey('ES256', 'key-b');
  const stranger = await newSigningKey('ES256', 'key-b');
  jwks = await startJwksServer([keyA]);
  system = await signed({ SHOPPER_JWKS_URL: jwks.url, SHOPPER_JWKS_COOLDOWN_SECONDS: '0' });
  await system.api.initStock(5, 10);

  expect((await join(system, await keyToken(keyA, { sub: 'a1' }), { promotionId: 5 })).status).toBe(
    200,
  );
  expect((await join(system, await keyToken(keyA, { sub: 'a2' }), { promotionId: 5 })).status).toBe(
    200,
  );
  expect(jwks.fetches()).toBe(1); // cached

  jwks.serve([keyB]); // the shop rotates its key
  const rotated = await join(system, await keyToken(keyB, { sub: 'b1' }), { promotionId: 5 });
  expect(rotated.status).toBe(200);
  expect(jwks.fetches()).toBe(2); // the unknown kid made the room fetch again

  const refusals: [string, string][] = [
    ['the retired key', await keyToken(keyA, { sub: 'a3' })],
    ['a key the shop never published, claiming its kid', await keyToken(stranger, { sub: 'x' })],
    [
      'HS256 (algorithm confusion)',
      await hsToken({ sub: 'h' }, 'any-secret-of-any-length-000000000000'),
    ],
  ];
  for (const [name, token] of refusals) {
    const refused = await join(system, token, { promotionId: 5 });
    expect({ name, code: refused.body.code }).toEqual({ name, code: 'SHOPPER_TOKEN_INVALID' });
  }
  expect(await queueSize(system, 5)).toBe(3);
});

test('JWKS from a file: an EdDSA key verifies', async () => {
  const key = await newSigningKey('EdDSA', 'ed-1');
  const file = joinPath(tmpdir(), `jwks-${process.pid}-${Date.now()}.json`);
  writeFileSync(file, JSON.stringify({ keys: [key.jwk] }));
  system = await signed({ SHOPPER_JWKS_FILE: file });
  await system.api.initStock(6, 5);
  const joined = await join(system, await keyToken(key, { sub: 'ed' }), { promotionId: 6 });
  expect(joined.body.data).toMatchObject({ userId: 'ed', ticket: 1 });
});

test('hold mode: only the holder’s token confirms; another shopper’s token, even with the holder’s queue token, changes nothing', async () => {
  system = await withSecret();
  await system.startWorker();
  const created = await system.api.createPromotion({
    name: 'signed hold',
    totalStock: 1,
    mode: 'hold',
    holdSeconds: 60,
  });
  const id = created.body.data.id;
  const holder = await hsToken({ sub: 'holder' });
  const thief = await hsToken({ sub: 'thief' });
  const joined = await join(system, holder, { promotionId: id });
  const holderQueueToken = String(joined.body.data.queueToken);
  await waitFor(
    () =>
      system.api
        .call('GET', `/api/coupon/queue/status?promotionId=${id}`, { token: holder })
        .then((r) => r.body.data),
    (s) => s.status === 'HELD',
    { what: 'the hold' },
  );
  const confirm = (token: string | undefined, body: Record<string, unknown>) =>
    system.api.call('POST', '/api/coupon/queue/confirm', { token, body });
  expect((await confirm(thief, { queueToken: holderQueueToken })).body.code).toBe(
    'IDENTITY_MISMATCH',
  );
  expect((await confirm(thief, { promotionId: id })).body.code).toBe('NOT_HELD');
  expect((await confirm(undefined, { queueToken: holderQueueToken })).body.code).toBe(
    'SHOPPER_TOKEN_MISSING',
  );
  const mine = await confirm(holder, { promotionId: id });
  expect(mine.body.data).toMatchObject({ status: 'COMPLETED', userId: 'holder' });
});

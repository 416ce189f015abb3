// Bad input gets a 4xx whose message names the field, and changes nothing.
import { gzipSync } from 'node:zlib';
import { snapshot } from './helpers/env';
import { startSystem, type TestSystem } from './helpers/system';
import { waitFor } from './helpers/wait';

let system: TestSystem;
beforeAll(async () => {
  system = await startSystem({}, { withWorker: false });
  await system.api.initStock(1, 5);
  await system.api.join(1, 'existing');
});
afterAll(() => system.stop());

const join = '/api/coupon/queue/join';
const initStock = '/api/coupon/queue/init-stock';

type Case = [name: string, method: string, path: string, body: unknown, field: string];
const cases: Case[] = [
  ['join without a body', 'POST', join, undefined, 'promotionId'],
  ['join without userId', 'POST', join, { promotionId: 1 }, 'userId'],
  ['join with promotionId 0', 'POST', join, { promotionId: 0, userId: 'a' }, 'promotionId'],
  [
    'join with a negative promotionId',
    'POST',
    join,
    { promotionId: -3, userId: 'a' },
    'promotionId',
  ],
  [
    'join with a fractional promotionId',
    'POST',
    join,
    { promotionId: 1.5, userId: 'a' },
    'promotionId',
  ],
  ['join with promotionId "abc"', 'POST', join, { promotionId: 'abc', userId: 'a' }, 'promotionId'],
  ['join with an empty userId', 'POST', join, { promotionId: 1, userId: '' }, 'userId'],
  [
    'join with a 65-character userId',
    'POST',
    join,
    { promotionId: 1, userId: 'x'.repeat(65) },
    'userId',
  ],
  ['join with a userId holding a space', 'POST', join, { promotionId: 1, userId: 'a b' }, 'userId'],
  ['join with a negative numeric userId', 'POST', join, { promotionId: 1, userId: -1 }, 'userId'],
  ['join with an object userId', 'POST', join, { promotionId: 1, userId: { $gt: '' } }, 'userId'],
  ['join with an unknown field', 'POST', join, { promotionId: 1, userId: 'a', vip: true }, 'vip'],
  ['join with an array body', 'POST', join, [1, 'a'], 'expected object'],
  ['status without userId', 'GET', '/api/coupon/queue/status?promotionId=1', undefined, 'userId'],
  [
    'status with promotionId "1e3"',
    'GET',
    '/api/coupon/queue/status?promotionId=1e3&userId=a',
    undefined,
    'promotionId',
  ],
  [
    'status with a repeated userId',
    'GET',
    '/api/coupon/queue/status?promotionId=1&userId=a&userId=b',
    undefined,
    'userId',
  ],
  ['init-stock with negative stock', 'POST', initStock, { promotionId: 1, stock: -1 }, 'stock'],
  ['init-stock with fractional stock', 'POST', initStock, { promotionId: 1, stock: 2.5 }, 'stock'],
  [
    'init-stock with stock as a string',
    'POST',
    initStock,
    { promotionId: 1, stock: '10' },
    'stock',
  ],
  ['init-stock without promotionId', 'POST', initStock, { stock: 10 }, 'promotionId'],
  [
    'info with promotionId 0',
    'GET',
    '/api/coupon/queue/info?promotionId=0',
    undefined,
    'promotionId',
  ],
];

test.each(cases)(
  '%s: 400 naming the field, nothing changed',
  async (_name, method, path, body, field) => {
    const before = await snapshot(system.redis, system.config.keyPrefix);
    const res = await system.api.call(method, path, { body, admin: true });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ success: false, code: 'BAD_REQUEST' });
    expect(res.body.message).toContain(field);
    expect(await snapshot(system.redis, system.config.keyPrefix)).toEqual(before);
  },
);

test('a body that is not JSON gets 400 saying so, and nothing changes', async () => {
  const before = await snapshot(system.redis, system.config.keyPrefix);
  const res = await system.api.call('POST', join, { rawBody: '{"promotionId": 1,' });
  expect(res.status).toBe(400);
  expect(res.body.message).toMatch(/not valid JSON/);
  expect(await snapshot(system.redis, system.config.keyPrefix)).toEqual(before);
});

test('a JSON body that is not an object gets 400, and nothing changes', async () => {
  const before = await snapshot(system.redis, system.config.keyPrefix);
  const answers = await Promise.all(
    ['"shopper-1"', '42', 'null'].map((rawBody) => system.api.call('POST', join, { rawBody })),
  );
  expect(answers.map((a) => [a.status, a.body.message])).toEqual(
    answers.map(() => [400, 'Invalid request: the body is not valid JSON.']),
  );
  expect(await snapshot(system.redis, system.config.keyPrefix)).toEqual(before);
});

// Most bodies take the short road (jsonBody.ts); these take body-parser's, or test the edge of the short one.
test.each([
  ['a byte-order mark before the JSON', { 'content-type': 'application/json' }, 'bom'],
  [
    'a gzip-compressed body',
    { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    'gzip',
  ],
  ['a body sent in chunks (no Content-Length)', { 'content-type': 'application/json' }, 'chunked'],
  ['a quoted charset', { 'content-type': 'application/json; charset="UTF-8"' }, 'plain'],
] as const)('a join with %s is read like any other', async (_name, headers, form) => {
  const userId = `form-${form}`;
  const text = JSON.stringify({ promotionId: 1, userId });
  const body =
    form === 'bom'
      ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])
      : form === 'gzip'
        ? gzipSync(text)
        : form === 'chunked'
          ? new Blob([text]).stream()
          : text;
  const res = await fetch(`http://127.0.0.1:${system.server.port}${join}`, {
    method: 'POST',
    headers,
    body,
    ...(form === 'chunked' ? { duplex: 'half' } : {}),
  });
  expect([res.status, ((await res.json()) as { data: { status: string } }).data.status]).toEqual([
    200,
    'WAITING',
  ]);
  expect((await system.api.status(1, userId)).body.data).toMatchObject({ status: 'WAITING' });
});

test('a body over the size limit gets 413, and nothing changes', async () => {
  const before = await snapshot(system.redis, system.config.keyPrefix);
  const res = await system.api.call('POST', join, {
    body: { promotionId: 1, userId: 'a', pad: 'x'.repeat(20000) },
  });
  expect(res.status).toBe(413);
  expect(res.body.success).toBe(false);
  expect(await snapshot(system.redis, system.config.keyPrefix)).toEqual(before);
});

test.each([
  ['no Authorization header', undefined],
  ['a wrong token', 'Bearer not-the-admin-token'],
  ['a token without the Bearer scheme', 'test-admin-token-0123456789'],
])('admin endpoints refuse %s with 401 and change nothing', async (_name, authorization) => {
  const before = await snapshot(system.redis, system.config.keyPrefix);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (authorization) headers.authorization = authorization;
  const base = `http://127.0.0.1:${system.server.port}`;
  const post = await fetch(`${base}${initStock}`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ promotionId: 1, stock: 999 }),
  });
  const info = await fetch(`${base}/api/coupon/queue/info?promotionId=1`, { headers });
  expect([post.status, info.status]).toEqual([401, 401]);
  expect(((await post.json()) as { message: string }).message).toMatch(/Bearer <ADMIN_TOKEN>/);
  expect(await snapshot(system.redis, system.config.keyPrefix)).toEqual(before);
});

test('unknown promotions answer 404 on join, status and info, and nothing is created', async () => {
  const before = await snapshot(system.redis, system.config.keyPrefix);
  const responses = [
    await system.api.join(77, 'a'),
    await system.api.status(77, 'a'),
    await system.api.info(77),
  ];
  for (const res of responses) {
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ success: false, code: 'PROMOTION_NOT_FOUND' });
  }
  expect(await snapshot(system.redis, system.config.keyPrefix)).toEqual(before);
});

test('lowering stock below what is issued is refused with 409 and changes nothing', async () => {
  await system.api.initStock(9, 2);
  await system.api.join(9, 'w1');
  await system.api.join(9, 'w2');
  const worker = await system.startWorker();
  await waitFor(
    () => system.api.info(9).then((r) => r.body.data),
    (info) => info.issued === 2,
    { what: 'two coupons issued' },
  );
  await worker.stop();
  const before = await snapshot(system.redis, system.config.keyPrefix);
  const res = await system.api.initStock(9, 1);
  expect(res.status).toBe(409);
  expect(res.body).toMatchObject({ code: 'STOCK_BELOW_ISSUED', data: { issued: 2 } });
  expect(res.body.message).toMatch(/below the 2 coupons already issued/);
  expect(await snapshot(system.redis, system.config.keyPrefix)).toEqual(before);
});

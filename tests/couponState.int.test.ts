// Status tells the coupon's life on real Redis and MariaDB: after use, cancel and
// revoke commit, the owner's status says USED, CANCELLED, REVOKED (read from the
// shopper's Redis record, no database read), a stranger sees neither the code nor
// the state, and the owner's open pages hear the change on the live socket.
import { openPage } from './helpers/live';
import { couponRows, waitUntilSettled } from './helpers/sale';
import { startSystem, type TestSystem } from './helpers/system';

jest.setTimeout(60000);
let system: TestSystem;
beforeEach(async () => {
  system = await startSystem({ DRAIN_INTERVAL_MS: '20' });
});
afterEach(() => system.stop());

const statusUrl = (promotionId: number, userId: string) =>
  `/api/coupon/queue/status?promotionId=${promotionId}&userId=${userId}`;

test('status after use, cancel and revoke: the owner sees couponState, a stranger does not, the socket says it', async () => {
  const id = (await system.api.createPromotion({ name: 'life', totalStock: 3 })).body.data.id;
  const tokens = new Map<string, string>();
  for (const user of ['u1', 'u2', 'u3']) {
    tokens.set(user, String((await system.api.join(id, user)).body.data.queueToken));
  }
  await waitUntilSettled(system, id);
  const codes = new Map((await couponRows(system, id)).map((r) => [r.user_id, r.code]));
  const issued = (await system.api.status(id, 'u1')).body.data;
  expect(issued).toMatchObject({ status: 'COMPLETED', couponState: 'ISSUED' });

  const pages = new Map(
    await Promise.all(
      ['u1', 'u2', 'u3'].map(
        async (u) => [u, await openPage(system.server.port, tokens.get(u) ?? '')] as const,
      ),
    ),
  );
  // The shop uses u1's, u2 cancels their own (queue token), the admin revokes u3's.
  const steps = [
    ['u1', 'use', 'USED', true],
    ['u2', 'cancel', 'CANCELLED', false],
    ['u3', 'revoke', 'REVOKED', true],
  ] as const;
  for (const [user, action, state, asShop] of steps) {
    const code = codes.get(user) ?? '';
    const changed = asShop
      ? await system.api.coupon(code, action, { asShop })
      : await system.api.call('POST', `/api/coupons/${code}/${action}`, {
          token: tokens.get(user),
        });
    expect(changed.status).toBe(200);

    const own = await system.api.status(id, user);
    expect(own.body.data).toMatchObject({
      status: 'COMPLETED',
      couponCode: code,
      couponState: state,
    });
    const stranger = await system.api.call('GET', statusUrl(id, user));
    expect(stranger.status).toBe(200);
    expect(stranger.body.data).toMatchObject({ status: 'COMPLETED' });
    expect(stranger.body.data).not.toHaveProperty('couponState');
    expect(stranger.body.data).not.toHaveProperty('couponCode');

    const heard = await pages
      .get(user)
      ?.waitForState((s) => s.couponState === state, `${user} told ${state}`);
    expect(heard).toMatchObject({ status: 'COMPLETED', couponCode: code, couponState: state });
  }
  // A refused change (a used coupon cancelled) leaves the state as it was.
  expect((await system.api.coupon(codes.get('u1') ?? '', 'cancel', { asShop: true })).status).toBe(
    409,
  );
  expect((await system.api.status(id, 'u1')).body.data.couponState).toBe('USED');
  // A join again answers the same record, state included.
  expect((await system.api.join(id, 'u2')).body.data).toMatchObject({ couponState: 'CANCELLED' });
  for (const page of pages.values()) page.close();
});

test('Redis rebuilt from the database keeps each coupon state', async () => {
  const id = (await system.api.createPromotion({ name: 'rebuild', totalStock: 2 })).body.data.id;
  await system.api.join(id, 'r1');
  await system.api.join(id, 'r2');
  await waitUntilSettled(system, id);
  const codes = new Map((await couponRows(system, id)).map((r) => [r.user_id, r.code]));
  expect((await system.api.coupon(codes.get('r1') ?? '', 'use', { asShop: true })).status).toBe(
    200,
  );
  // Redis loses the promotion: the next read rebuilds it from the database.
  const keys = Object.values(system.services.room.keys(id)) as string[];
  await system.redis.del(...keys);
  expect((await system.api.status(id, 'r1')).body.data).toMatchObject({ couponState: 'USED' });
  expect((await system.api.status(id, 'r2')).body.data).toMatchObject({ couponState: 'ISSUED' });
});

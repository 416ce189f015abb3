// The shopper page's fields on a promotion (description, redeem link and note,
// live notice): set on create and PATCH, refused whole when bad, read with no
// token from GET /api/promotions/:id/public, and a changed notice pushed to the
// promotion's open pages over Socket.IO.
import { openPage } from './helpers/live';
import { startSystem, type TestSystem } from './helpers/system';
import { waitFor } from './helpers/wait';
import type { PromotionNotice } from '../core/live/contract';
import type { PublicFace } from '../core/model/promotion';

let system: TestSystem;
afterEach(() => system.stop());

const face = (id: number) => system.api.call<PublicFace>('GET', `/api/promotions/${id}/public`);
const patch = (id: number, body: Record<string, unknown>) =>
  system.api.call<{ version: number; notice: string | null }>('PATCH', `/api/promotions/${id}`, {
    body,
    admin: true,
  });

test('the fields are set on create, changed and cleared by PATCH, and shown with no token', async () => {
  system = await startSystem({}, { withWorker: false });
  const created = await system.api.createPromotion({
    name: '봄 세일',
    totalStock: 5,
    description: '  First 5 shoppers get 30% off.  ',
    redeemUrl: 'https://shop.example/redeem',
    redeemNote: 'Enter the code at checkout.',
  });
  expect(created.status).toBe(201);
  const id = created.body.data.id;
  expect(created.body.data).toMatchObject({
    description: 'First 5 shoppers get 30% off.',
    redeemUrl: 'https://shop.example/redeem',
    redeemNote: 'Enter the code at checkout.',
    notice: null,
  });

  const read = await face(id);
  expect(read.status).toBe(200);
  expect(read.body.data).toEqual({
    id,
    name: '봄 세일',
    description: 'First 5 shoppers get 30% off.',
    notice: null,
    redeemUrl: 'https://shop.example/redeem',
    redeemNote: 'Enter the code at checkout.',
    startsAt: null,
    prequeueAt: null,
    endsAt: null,
    state: 'OPEN',
  });
  expect(Object.keys(read.body.data)).not.toContain('totalStock');

  const changed = await patch(id, { version: 1, notice: 'Back in 5 minutes', redeemUrl: null });
  expect(changed.status).toBe(200);
  expect((await face(id)).body.data).toMatchObject({
    notice: 'Back in 5 minutes',
    redeemUrl: null,
    redeemNote: 'Enter the code at checkout.',
  });
  // An empty text is nothing, like null.
  expect((await patch(id, { version: 2, notice: '', description: null })).status).toBe(200);
  expect((await face(id)).body.data).toMatchObject({ notice: null, description: null });
});

test.each([
  ['description', 'x'.repeat(2001)],
  ['redeemUrl', 'javascript:alert(1)'],
  ['redeemUrl', 'ftp://shop.example/x'],
  ['redeemUrl', 'not a url'],
  ['redeemNote', 'x'.repeat(501)],
  ['notice', 'x'.repeat(501)],
  ['notice', 42],
])('a bad %s is refused with 400 naming it, and nothing changes', async (field, value) => {
  system = await startSystem({}, { withWorker: false });
  const refusedCreate = await system.api.createPromotion({
    name: 'A',
    totalStock: 1,
    [field]: value,
  });
  expect(refusedCreate.status).toBe(400);
  expect(refusedCreate.body.message).toContain(field);
  const created = await system.api.createPromotion({ name: 'A', totalStock: 1, notice: 'kept' });
  const id = created.body.data.id;
  const refused = await patch(id, { version: 1, notice: 'changed', [field]: value });
  expect(refused.status).toBe(400);
  expect(refused.body.message).toContain(field);
  const after = await system.api.call<{ version: number; notice: string }>(
    'GET',
    `/api/promotions/${id}`,
    { admin: true },
  );
  expect(after.body.data).toMatchObject({ version: 1, notice: 'kept' });
});

test('an unknown promotion is a 404, and asking again costs the database nothing', async () => {
  system = await startSystem({}, { withWorker: false });
  const queries = { count: 0 };
  system.services.db.on('query', () => queries.count++);
  const first = await face(9191);
  expect(first.status).toBe(404);
  expect(first.body.code).toBe('PROMOTION_NOT_FOUND');
  expect(queries.count).toBe(1);
  for (let i = 0; i < 10; i++) expect((await face(9191)).status).toBe(404);
  expect(queries.count).toBe(1);
  expect((await system.api.call('GET', '/api/promotions/0/public')).status).toBe(400);
});

test('a burst of reads of a known promotion costs one database query; a change here shows at once', async () => {
  system = await startSystem({}, { withWorker: false });
  const id = (await system.api.createPromotion({ name: 'A', totalStock: 3, notice: 'one' })).body
    .data.id;
  const queries = { count: 0 };
  system.services.db.on('query', () => queries.count++);
  const reads = await Promise.all(Array.from({ length: 50 }, () => face(id)));
  expect(reads.every((r) => r.status === 200 && r.body.data.notice === 'one')).toBe(true);
  expect(queries.count).toBe(1);
  expect((await patch(id, { version: 1, notice: 'two' })).status).toBe(200);
  expect((await face(id)).body.data.notice).toBe('two');
  const deleted = await system.api.call('DELETE', `/api/promotions/${id}?coupons=delete`, {
    admin: true,
  });
  expect(deleted.status).toBe(200);
  expect((await face(id)).status).toBe(404);
});

test('a notice posted by PATCH reaches the open pages of that promotion, and only those', async () => {
  system = await startSystem({}, { withWorker: false });
  const a = (await system.api.createPromotion({ name: 'A', totalStock: 3 })).body.data.id;
  const b = (await system.api.createPromotion({ name: 'B', totalStock: 3 })).body.data.id;
  const joinedA = await system.api.join(a, 'ann');
  const joinedB = await system.api.join(b, 'bob');
  const pageA = await openPage(system.server.port, String(joinedA.body.data.queueToken));
  const pageB = await openPage(system.server.port, String(joinedB.body.data.queueToken));
  const notices = { a: [] as PromotionNotice[], b: [] as PromotionNotice[] };
  pageA.socket.on('notice', (n) => notices.a.push(n));
  pageB.socket.on('notice', (n) => notices.b.push(n));
  try {
    expect((await patch(a, { version: 1, notice: 'Stock added at noon' })).status).toBe(200);
    await waitFor(
      () => Promise.resolve(notices.a),
      (got) => got.length === 1,
      { what: 'the notice on page A' },
    );
    expect(notices.a[0]).toMatchObject({ promotionId: a, notice: 'Stock added at noon' });
    // Taken down: pushed as null. A change of anything else pushes nothing.
    expect((await patch(a, { version: 2, notice: null })).status).toBe(200);
    expect((await patch(a, { version: 3, description: 'More' })).status).toBe(200);
    await waitFor(
      () => Promise.resolve(notices.a),
      (got) => got.length >= 2,
      { what: 'the notice taken down' },
    );
    // Page B's own notice arrives after anything sent to A would have.
    expect((await patch(b, { version: 1, notice: 'B only' })).status).toBe(200);
    await waitFor(
      () => Promise.resolve(notices.b),
      (got) => got.length === 1,
      { what: 'the notice on page B' },
    );
    expect(notices.b.map((n) => n.notice)).toEqual(['B only']);
    expect(notices.a.map((n) => n.notice)).toEqual(['Stock added at noon', null]);
  } finally {
    pageA.close();
    pageB.close();
  }
});

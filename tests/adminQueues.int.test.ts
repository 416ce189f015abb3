// Bull Board at /admin/queues, behind the admin token (Bearer, or Basic for a browser).
import { adminToken } from './helpers/env';
import { startSystem, type TestSystem } from './helpers/system';

let system: TestSystem;
beforeAll(async () => {
  system = await startSystem({}, { withWorker: false });
});
afterAll(() => system.stop());

const url = (p: string) => `http://127.0.0.1:${system.server.port}${p}`;
const basic = (password: string) =>
  `Basic ${Buffer.from(`operator:${password}`).toString('base64')}`;

test('without the token: 401 and a Basic challenge so a browser asks for it', async () => {
  const res = await fetch(url('/admin/queues'));
  expect(res.status).toBe(401);
  expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
  expect(await res.json()).toMatchObject({ success: false, code: 'UNAUTHORIZED' });
  const wrong = await fetch(url('/admin/queues'), { headers: { authorization: basic('nope') } });
  expect(wrong.status).toBe(401);
});

test('with the token as the Basic password: the board page, and its API lists the drain queue', async () => {
  const page = await fetch(url('/admin/queues'), { headers: { authorization: basic(adminToken) } });
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('<base href="/admin/queues/"');
  await system.api.initStock(1, 5); // creates the drain schedule
  const api = await fetch(url('/admin/queues/api/queues'), {
    headers: { authorization: `Bearer ${adminToken}` },
  });
  expect(api.status).toBe(200);
  const body = (await api.json()) as { queues: { name: string }[] };
  expect(body.queues.map((q) => q.name)).toContain('drain');
});

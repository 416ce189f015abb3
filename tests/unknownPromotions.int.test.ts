// Requests for promotions that do not exist cost the database nothing after the
// first: the server remembers the answer (UNKNOWN_PROMOTION_CACHE_MS), counted
// here with knex's 'query' event on the server's own MariaDB connection.
import { startSystem, type TestSystem } from './helpers/system';

let system: TestSystem;
afterEach(() => system.stop());

function countQueries(s: TestSystem): { count: number } {
  const seen = { count: 0 };
  s.services.db.on('query', () => {
    seen.count++;
  });
  return seen;
}

test('repeated joins and status reads of an unknown promotion run one database query, then none', async () => {
  system = await startSystem({}, { withWorker: false });
  const queries = countQueries(system);
  const first = await system.api.join(4242, 'bot-0');
  expect(first.status).toBe(404);
  expect(queries.count).toBe(1);
  for (let i = 1; i <= 20; i++) {
    expect((await system.api.join(4242, `bot-${i}`)).status).toBe(404);
    expect((await system.api.status(4242, `bot-${i}`)).status).toBe(404);
  }
  expect(queries.count).toBe(1);
});

test('a promotion created on this server with a remembered id is joinable at once', async () => {
  system = await startSystem({}, { withWorker: false });
  expect((await system.api.join(77, 'early')).status).toBe(404);
  expect((await system.api.initStock(77, 3)).status).toBe(200);
  const joined = await system.api.join(77, 'early');
  expect(joined.status).toBe(200);
  expect(joined.body.data.position).toBe(1);
});

test('a real promotion whose Redis state was lost is still rebuilt from the database and joined', async () => {
  system = await startSystem({}, { withWorker: false });
  await system.api.initStock(5, 2);
  expect((await system.api.join(5, 'a')).status).toBe(200);
  await system.services.room.deleteState(5);
  const joined = await system.api.join(5, 'b');
  expect(joined.status).toBe(200);
  expect(joined.body.data.status).toBe('WAITING');
});

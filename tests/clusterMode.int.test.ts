// The connection factory follows the config: the cluster run really runs on the
// cluster, and a promotion's keys (and BullMQ's) each stay on one slot there.
import { Cluster } from 'ioredis';
import { joinAll, shoppers, waitUntilSettled } from './helpers/sale';
import { clusterNodes, keysOf } from './helpers/env';
import { startSystem, type TestSystem } from './helpers/system';

let system: TestSystem;
beforeAll(async () => {
  system = await startSystem();
});
afterAll(() => system.stop());

test('every connection is a cluster client exactly when REDIS_CLUSTER_NODES is set', () => {
  const { redis, bull } = system.services.connections;
  expect(redis instanceof Cluster).toBe(clusterNodes !== '');
  expect(bull instanceof Cluster).toBe(clusterNodes !== '');
});

test('a sale leaves the keys of one promotion on one slot, and BullMQ keys on one slot', async () => {
  await system.api.initStock(1, 5);
  await joinAll(system, 1, shoppers(8));
  await waitUntilSettled(system, 1);
  const keys = await keysOf(system.redis, system.config.keyPrefix);
  const tags = new Set(keys.map((k) => /\{([^}]*)\}/.exec(k)?.[1] ?? `untagged ${k}`));
  // Only the tags the design names: {p1} and {<prefix>:bull}; the global keys are single-key.
  const globals = keys.filter((k) => !k.includes('{'));
  expect([...tags].filter((t) => !t.startsWith('untagged')).sort()).toEqual(
    [`${system.config.keyPrefix}:bull`, 'p1'].sort(),
  );
  expect(globals.every((k) => /:(promotions|deadletters|drift)$/.test(k))).toBe(true);
  if (system.redis instanceof Cluster) {
    const slots = await Promise.all(
      keys.filter((k) => k.includes('{p1}')).map((k) => system.redis.cluster('KEYSLOT', k)),
    );
    expect(new Set(slots).size).toBe(1);
  }
});

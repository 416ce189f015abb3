// A worker process killed with kill -9 while it relays and delivers events: the
// restarted worker delivers every committed event; a duplicate carries the same id.
import { eventsOf } from '../core/db/eventsRepo';
import { createPromotion } from '../core/useCases/promotions';
import { registerWebhook } from '../core/useCases/webhooks';
import { eventStreamKey } from '../core/room/keys';
import { uniquePrefix } from './helpers/env';
import {
  killIfRunning,
  processEnv,
  spawnEntry,
  waitForOutput,
  type Child,
} from './helpers/processes';
import { startReceiver } from './helpers/receiver';
import { openTestServices } from './helpers/services';
import { waitFor } from './helpers/wait';

jest.setTimeout(120000);

test('kill -9 mid-relay: every committed event reaches the stream and the webhook, duplicates only with the same id', async () => {
  const prefix = uniquePrefix();
  const env = processEnv(prefix, {
    DRAIN_INTERVAL_MS: '20',
    DRAIN_BATCH_SIZE: '200',
    EVENTS_RELAY_INTERVAL_MS: '20',
    WEBHOOK_BACKOFF_MS: '100',
  });
  const services = await openTestServices(env);
  const receiver = await startReceiver();
  let worker: Child | undefined;
  try {
    await registerWebhook(services, { url: receiver.url });
    const { id } = await createPromotion(services, {
      name: 'relay crash',
      totalStock: 3000,
      batchSize: 200,
      intervalMs: 20,
      startsAt: null,
      endsAt: null,
    });
    for (let i = 0; i < 3000; i += 500) {
      await Promise.all(
        Array.from({ length: 500 }, (_, j) => services.room.join(id, `u${i + j + 1}`)),
      );
    }
    worker = spawnEntry('worker/main.ts', env);
    await waitForOutput(worker, 'worker started');
    await waitFor(
      () => Promise.resolve(receiver.deliveries.length),
      (n) => n >= 300,
      { what: 'deliveries under way', timeoutMs: 60000 },
    );
    worker.proc.kill('SIGKILL');
    await worker.exited;
    const beforeRestart = new Set(receiver.deliveries.map((d) => d.id)).size;

    worker = spawnEntry('worker/main.ts', env);
    await waitForOutput(worker, 'worker started');
    // Every decision persisted, every event committed, then every event delivered.
    await waitFor(
      () => services.db('coupons').where({ promotion_id: id }).count<{ n: number }[]>({ n: '*' }),
      (rows) => Number(rows[0]?.n) === 3000,
      { what: 'every coupon persisted', timeoutMs: 60000 },
    );
    const committed = await eventsOf(services.db, id);
    expect(committed).toHaveLength(3002); // opened, 3000 issued, sold_out
    await waitFor(
      () => Promise.resolve(new Set(receiver.deliveries.map((d) => d.id)).size),
      (n) => n === committed.length,
      { what: 'every event delivered', timeoutMs: 90000 },
    );
    expect(beforeRestart).toBeLessThan(committed.length);
    const byId = new Map(committed.map((e) => [e.id, JSON.stringify(e)]));
    // A duplicate is the same event: same id, same body.
    for (const d of receiver.deliveries) expect(d.raw).toBe(byId.get(d.id));
    const stream = await services.connections.redis.xrange(eventStreamKey(prefix), '-', '+');
    expect(new Set(stream.map(([, fields]) => fields[1]))).toEqual(new Set(byId.keys()));
  } finally {
    await killIfRunning(worker);
    await receiver.close();
    await services.cleanUp();
  }
});

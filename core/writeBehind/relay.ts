// The outbox relay: committed events leave the database in the order they were
// written, to the capped `<prefix>:events` stream and to a delivery job per
// subscribed webhook, and only then are marked relayed. A relay killed in
// between sends the same rows again on its next run: duplicates, never gaps,
// and a duplicate always carries the same event id.
import type { Queue } from 'bullmq';
import type { Db } from '../db/connection';
import { markRelayed, unrelayedEvents } from '../db/eventsRepo';
import { listWebhooks } from '../db/webhooksRepo';
import { enqueueDeliveries, type DeliveryJob, type DeliveryRetry } from '../jobs/eventJobs';
import type { RedisClient } from '../platform/redis';
import { eventStreamKey } from '../room/keys';

export interface RelayDeps {
  db: Db;
  redis: RedisClient;
  keyPrefix: string;
  streamMaxLen: number;
  deliveries: Queue<DeliveryJob>;
  retry: DeliveryRetry;
}

const batch = 500;
/** Bounded per run: the next run (one interval later) carries on. */
const maxBatchesPerRun = 40;

/** Moves committed events out; returns how many left the outbox. */
export async function relayEvents(s: RelayDeps): Promise<{ relayed: number }> {
  let relayed = 0;
  const hooks = await listWebhooks(s.db);
  for (let i = 0; i < maxBatchesPerRun; i++) {
    const rows = await unrelayedEvents(s.db, batch);
    if (rows.length === 0) break;
    const pipeline = s.redis.pipeline();
    for (const { event } of rows) {
      pipeline.xadd(
        eventStreamKey(s.keyPrefix),
        'MAXLEN',
        '~',
        s.streamMaxLen,
        '*',
        'id',
        event.id,
        'type',
        event.type,
        'event',
        JSON.stringify(event),
      );
    }
    for (const [err] of (await pipeline.exec()) ?? []) if (err) throw err;
    const jobs = hooks.map((hook) => {
      const mine = rows.filter((r) => hook.events.includes(r.event.type));
      return { seq: mine[0]?.seq ?? 0, webhookId: hook.id, events: mine.map((r) => r.event) };
    });
    await enqueueDeliveries(
      s.deliveries,
      jobs.filter((job) => job.events.length > 0),
      s.retry,
    );
    await markRelayed(
      s.db,
      rows.map((r) => r.seq),
    );
    relayed += rows.length;
    if (rows.length < batch) break;
  }
  return { relayed };
}

// The BullMQ queues that carry domain events out: the relay (one repeating job,
// one run at a time across every worker, so the outbox leaves in order) and the
// webhook deliveries (one job per webhook and event, retried with backoff on a
// queue of their own, so a slow receiver never holds up the drain or the relay).
import { Queue, type ConnectionOptions } from 'bullmq';
import { z } from 'zod';
import { eventTypes } from '../db/eventsRepo';
import { bullPrefix } from '../room/keys';

export const relayQueueName = 'events-relay';
export const deliveryQueueName = 'webhooks';

const eventSchema = z.strictObject({
  id: z.string().min(1),
  type: z.enum(eventTypes),
  occurredAt: z.string(),
  promotionId: z.number().int(),
  data: z.record(z.string(), z.unknown()),
});

/**
 * One webhook's share of one relay batch, delivered in order, one POST per event.
 * A job per event would cost the drain's Redis several BullMQ round trips each.
 */
export const deliveryJobSchema = z.strictObject({
  webhookId: z.number().int().positive(),
  events: z.array(eventSchema).min(1),
});
export type DeliveryJob = z.infer<typeof deliveryJobSchema>;

export interface DeliveryRetry {
  attempts: number;
  backoffMs: number;
}

export function createRelayQueue(connection: ConnectionOptions, keyPrefix: string): Queue {
  return new Queue(relayQueueName, { connection, prefix: bullPrefix(keyPrefix) });
}

export function createDeliveryQueue(
  connection: ConnectionOptions,
  keyPrefix: string,
): Queue<DeliveryJob> {
  return new Queue<DeliveryJob>(deliveryQueueName, { connection, prefix: bullPrefix(keyPrefix) });
}

/** Creates the relay's schedule and its one-at-a-time rule; safe to call any number of times. */
export async function scheduleRelay(queue: Queue, everyMs: number): Promise<void> {
  await queue.setGlobalConcurrency(1);
  await queue.upsertJobScheduler(
    'relay',
    { every: everyMs },
    { name: 'relay', opts: { removeOnComplete: true, removeOnFail: 100, attempts: 1 } },
  );
}

/**
 * Queues deliveries. A job id per webhook and first outbox row: a relay that runs
 * again after a crash adds nothing while the first job is still queued.
 */
export async function enqueueDeliveries(
  queue: Queue<DeliveryJob>,
  jobs: (DeliveryJob & { seq: number | string })[],
  retry: DeliveryRetry,
): Promise<void> {
  if (jobs.length === 0) return;
  await queue.addBulk(
    jobs.map(({ seq, ...data }) => ({
      name: `webhook-${data.webhookId}`,
      data,
      opts: {
        jobId: `w${data.webhookId}-${seq}`,
        attempts: retry.attempts,
        backoff: { type: 'exponential', delay: retry.backoffMs },
        removeOnComplete: true,
        removeOnFail: true, // a dead letter keeps what the operator needs
      },
    })),
  );
}

/** For a process without the delivery queue open (the server replaying a dead letter). */
export async function enqueueDeliveryOnce(
  connection: ConnectionOptions,
  keyPrefix: string,
  job: DeliveryJob,
  retry: DeliveryRetry,
): Promise<void> {
  const queue = createDeliveryQueue(connection, keyPrefix);
  try {
    await enqueueDeliveries(queue, [{ ...job, seq: `replay${Date.now()}` }], retry);
  } finally {
    await queue.close();
  }
}

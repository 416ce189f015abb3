// The worker's side of domain events: the outbox relay (a repeating job, one run
// at a time across every worker) and webhook deliveries on their own queue, with
// bounded timeouts and concurrency, so a slow or dead receiver never slows the drain.
import { UnrecoverableError, type Job, type Processor, type Worker } from 'bullmq';
import { getWebhook } from '../core/db/webhooksRepo';
import {
  createDeliveryQueue,
  createRelayQueue,
  deliveryJobSchema,
  deliveryQueueName,
  relayQueueName,
  scheduleRelay,
} from '../core/jobs/eventJobs';
import type { Metrics } from '../core/metrics/metrics';
import type { Services } from '../core/services';
import type { DomainEvent } from '../core/db/eventsRepo';
import { relayEvents } from '../core/writeBehind/relay';
import { deliver } from '../core/writeBehind/webhookDelivery';
import type { DrainFirst } from './drainFirst';

type EventDeps = Pick<Services, 'config' | 'connections' | 'db' | 'deadLetters' | 'logger'>;
type StartWorker = (name: string, processor: Processor, concurrency: number) => Worker;

/** Longest a delivery waits for a gap in the drain before it goes anyway. */
const maxWaitForDrainMs = 1000;

export function startEventWorkers(
  s: EventDeps,
  start: StartWorker,
  metrics: Metrics,
  drainFirst: Pick<DrainFirst, 'idle'>,
) {
  const { config, logger } = s;
  const connection = s.connections.bull;
  const deliveries = createDeliveryQueue(connection, config.keyPrefix);
  const relayQueue = createRelayQueue(connection, config.keyPrefix);
  const relayDeps = {
    db: s.db,
    redis: s.connections.redis,
    keyPrefix: config.keyPrefix,
    streamMaxLen: config.events.streamMaxLen,
    deliveries,
    retry: config.webhooks,
  };
  start(
    relayQueueName,
    async () => {
      const { relayed } = await relayEvents(relayDeps);
      if (relayed > 0) metrics.eventsRelayed.inc(relayed);
      return { relayed };
    },
    1,
  ).on('failed', (job, err) => {
    logger.warn({ jobId: job?.id, err: err.message }, 'event relay failed; the next run retries');
  });

  const deadLetter = async (webhookId: number, events: DomainEvent[], error: string) => {
    const url = (await getWebhook(s.db, webhookId))?.url ?? '';
    for (const event of events) await s.deadLetters.addDelivery({ webhookId, url, event }, error);
  };

  // One webhook's events in order, one POST each. A failure that may pass stops
  // the job there: the retry (with backoff) starts at that event, so what was
  // delivered is not sent again and a dead receiver costs one timeout per attempt.
  const deliverBatch = async (job: Job) => {
    const parsed = deliveryJobSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`Bad job data: ${parsed.error.message}`);
    const { webhookId, events } = parsed.data;
    const hook = await getWebhook(s.db, webhookId);
    if (!hook) return { skipped: 'webhook deleted' };
    for (const [i, event] of events.entries()) {
      try {
        await drainFirst.idle(maxWaitForDrainMs);
        await deliver(hook, event, config.webhooks.timeoutMs);
        metrics.webhookDeliveries.inc({ result: 'delivered' });
      } catch (err) {
        metrics.webhookDeliveries.inc({ result: 'failed' });
        if (!(err instanceof UnrecoverableError)) {
          await job.updateData({ webhookId, events: events.slice(i) });
          throw err;
        }
        // Refused for good (a 4xx): this one goes to an operator, the rest go on.
        logger.warn({ webhookId, eventId: event.id, err: err.message }, 'webhook refused an event');
        await deadLetter(webhookId, [event], err.message);
      }
    }
    return { delivered: events.length };
  };
  start(deliveryQueueName, deliverBatch, config.webhooks.concurrency).on('failed', (job, err) => {
    const parsed = deliveryJobSchema.safeParse(job?.data);
    if (!job || !parsed.success) return;
    const { webhookId, events } = parsed.data;
    const final = job.attemptsMade >= (job.opts.attempts ?? 1);
    logger.warn(
      { webhookId, eventId: events[0]?.id, attempt: job.attemptsMade, final, err: err.message },
      final ? 'webhook delivery gave up: dead letters' : 'webhook delivery failed; retrying',
    );
    if (final) void deadLetter(webhookId, events, err.message).catch(() => undefined);
  });

  return {
    queues: [relayQueue, deliveries],
    /** Creates the relay schedule if it is missing (recovery calls this after a Redis flush). */
    ensureSchedule: async () => {
      if (!(await relayQueue.getJobScheduler('relay'))) {
        await scheduleRelay(relayQueue, config.events.relayIntervalMs);
      }
    },
    async close() {
      await relayQueue.close();
      await deliveries.close();
    },
  };
}

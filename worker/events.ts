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
import { relayEvents } from '../core/writeBehind/relay';
import { deliver } from '../core/writeBehind/webhookDelivery';

type EventDeps = Pick<Services, 'config' | 'connections' | 'db' | 'deadLetters' | 'logger'>;
type StartWorker = (name: string, processor: Processor, concurrency: number) => Worker;

export function startEventWorkers(s: EventDeps, start: StartWorker, metrics: Metrics) {
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

  const deliverOne = async (job: Job) => {
    const parsed = deliveryJobSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`Bad job data: ${parsed.error.message}`);
    const hook = await getWebhook(s.db, parsed.data.webhookId);
    if (!hook) return { skipped: 'webhook deleted' };
    const status = await deliver(hook, parsed.data.event, config.webhooks.timeoutMs);
    metrics.webhookDeliveries.inc({ result: 'delivered' });
    return { status };
  };
  start(deliveryQueueName, deliverOne, config.webhooks.concurrency).on('failed', (job, err) => {
    metrics.webhookDeliveries.inc({ result: 'failed' });
    const parsed = deliveryJobSchema.safeParse(job?.data);
    if (!job || !parsed.success) return;
    const final = err instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
    logger.warn(
      {
        webhookId: parsed.data.webhookId,
        eventId: parsed.data.event.id,
        attempt: job.attemptsMade,
        final,
        err: err.message,
      },
      final ? 'webhook delivery gave up: dead letter' : 'webhook delivery failed; retrying',
    );
    if (!final) return;
    void getWebhook(s.db, parsed.data.webhookId)
      .then((hook) =>
        s.deadLetters.addDelivery({ ...parsed.data, url: hook?.url ?? '' }, err.message),
      )
      .catch(() => undefined);
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

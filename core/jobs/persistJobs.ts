// The BullMQ queue that carries decisions to the database: one pending job per
// promotion at a time, retried with exponential backoff while the database is away.
import { Queue, type ConnectionOptions } from 'bullmq';
import { z } from 'zod';
import { bullPrefix } from '../room/keys';

export const persistQueueName = 'persist';
export const persistJobSchema = z.strictObject({ promotionId: z.number().int().positive() });
export type PersistJob = z.infer<typeof persistJobSchema>;

export function createPersistQueue(
  connection: ConnectionOptions,
  keyPrefix: string,
): Queue<PersistJob> {
  return new Queue<PersistJob>(persistQueueName, { connection, prefix: bullPrefix(keyPrefix) });
}

/**
 * Asks for the promotion's pending decisions to be persisted; a no-op if a job is
 * already pending. With the defaults (10 attempts, 1 s doubling) a database can be
 * away for about 17 minutes before the job becomes a dead letter.
 */
export async function enqueuePersist(
  queue: Queue<PersistJob>,
  promotionId: number,
  retry: { attempts: number; backoffMs: number },
): Promise<void> {
  await queue.add(
    'persist',
    { promotionId },
    {
      jobId: `persist-${promotionId}`,
      attempts: retry.attempts,
      backoff: { type: 'exponential', delay: retry.backoffMs },
      removeOnComplete: true,
      removeOnFail: true,
    },
  );
}

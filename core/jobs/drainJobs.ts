// The BullMQ queue that drains promotions: one job scheduler per promotion ticks
// every intervalMs; each tick is a job with { promotionId }.
import { Queue, type ConnectionOptions } from 'bullmq';
import { z } from 'zod';
import { bullPrefix } from '../room/keys';

export const drainQueueName = 'drain';

/** Job data is validated on the way in: a poisoned job fails instead of doing harm. */
export const drainJobSchema = z.strictObject({ promotionId: z.number().int().positive() });
export type DrainJob = z.infer<typeof drainJobSchema>;

export function createDrainQueue(
  connection: ConnectionOptions,
  keyPrefix: string,
): Queue<DrainJob> {
  return new Queue<DrainJob>(drainQueueName, { connection, prefix: bullPrefix(keyPrefix) });
}

export function drainSchedulerId(promotionId: number): string {
  return `drain:${promotionId}`;
}

/** Creates or updates the promotion's tick; safe to call any number of times. */
export async function scheduleDrain(
  queue: Queue<DrainJob>,
  promotionId: number,
  intervalMs: number,
): Promise<void> {
  await queue.upsertJobScheduler(
    drainSchedulerId(promotionId),
    { every: intervalMs },
    {
      name: 'tick',
      data: { promotionId },
      opts: { removeOnComplete: true, removeOnFail: 1000, attempts: 1 },
    },
  );
}

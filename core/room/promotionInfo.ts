// A promotion's counters as the admin API reports them, read from its meta hash.
import { z } from 'zod';
import {
  promotionModes,
  promotionStates,
  queueingOrders,
  type PromotionInfo,
  type PromotionState,
} from '../model/promotion';

/** A promotion's counters as the admin API reports them; also the API docs. */
export const promotionInfoSchema = z
  .object({
    promotionId: z.number().int(),
    state: z.enum(promotionStates),
    totalStock: z.number().int(),
    issued: z.number().int(),
    held: z
      .number()
      .int()
      .meta({ description: 'Units held for admitted shoppers who have not confirmed yet' }),
    currentStock: z.number().int().meta({ description: 'Available: totalStock - issued - held' }),
    mode: z.enum(promotionModes),
    holdSeconds: z.number().int().meta({ description: 'hold mode: time to confirm' }),
    queueSize: z.number().int(),
    processingCount: z.number().int(),
    joined: z.number().int().meta({ description: 'Tickets handed out so far (the last ticket)' }),
    served: z.number().int().meta({ description: 'Tickets taken off the waiting list so far' }),
    pendingPersist: z.number().int().meta({
      description: 'Coupons and hold changes decided in Redis and not yet written to the database',
    }),
    batchSize: z.number().int(),
    intervalMs: z.number().int(),
    startsAt: z.iso.datetime().nullable(),
    endsAt: z.iso.datetime().nullable(),
    prequeueAt: z.iso.datetime().nullable(),
    queueing: z.enum(queueingOrders),
    standby: z.boolean(),
    prequeued: z
      .number()
      .int()
      .meta({ description: 'Shoppers in the pre-queue not yet placed in the line' }),
    standbyLine: z
      .number()
      .int()
      .meta({ description: 'Shoppers failed SOLD_OUT waiting for a returned unit' }),
  })
  .meta({ id: 'PromotionInfo' }) satisfies z.ZodType<PromotionInfo>;

export type { PromotionInfo };

/** The sizes of the promotion's other keys, read alongside the meta hash. */
export interface KeySizes {
  queueSize: number;
  processingCount: number;
  pendingPersist: number;
  prequeued: number;
  standbyLine: number;
}

const isoOrNull = (ms: string | undefined) => (ms ? new Date(Number(ms)).toISOString() : null);

/** The info from one HGETALL of the meta hash; null when the promotion has no state. */
export function infoFromMeta(
  promotionId: number,
  meta: Record<string, string>,
  sizes: KeySizes,
): PromotionInfo | null {
  if (meta.state === undefined) return null;
  const num = (field: string) => Number(meta[field] ?? 0);
  // One HGETALL: total, issued and held are read at one instant, so the identity
  // available + held + issued = total holds in every answer.
  return {
    promotionId,
    state: meta.state as PromotionState,
    totalStock: num('total'),
    issued: num('issued'),
    held: num('held'),
    currentStock: Math.max(0, num('total') - num('issued') - num('held')),
    mode: meta.mode === 'hold' ? 'hold' : 'instant',
    holdSeconds: Math.round(num('holdMs') / 1000),
    queueSize: sizes.queueSize,
    processingCount: sizes.processingCount,
    joined: num('seq'),
    served: num('served'),
    batchSize: num('batchSize'),
    intervalMs: num('intervalMs'),
    startsAt: isoOrNull(meta.startsAt),
    endsAt: isoOrNull(meta.endsAt),
    pendingPersist: sizes.pendingPersist,
    prequeueAt: isoOrNull(meta.prequeueAt),
    queueing: meta.queueing === 'random' ? 'random' : 'fifo',
    standby: meta.standby !== '0',
    prequeued: sizes.prequeued,
    standbyLine: sizes.standbyLine,
  };
}

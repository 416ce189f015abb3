// The shopper status machine and what a shopper is told about themselves; the
// record Redis keeps per shopper is read and written in shopperRecord.ts.
import { z } from 'zod';
import { positionOf } from './position';
import { couponStates, type ShopperRecord } from './shopperRecord';

export const ShopperStatus = {
  NotInQueue: 'NOT_IN_QUEUE',
  Waiting: 'WAITING',
  Processing: 'PROCESSING',
  Completed: 'COMPLETED',
  Failed: 'FAILED',
  Held: 'HELD',
  Expired: 'EXPIRED',
  Released: 'RELEASED',
} as const;
export type ShopperStatus = (typeof ShopperStatus)[keyof typeof ShopperStatus];

/** What a shopper is told about themselves, over HTTP and (later) the socket; also the API docs. */
export const shopperStateSchema = z
  .object({
    promotionId: z.number().int(),
    userId: z.string(),
    status: z.enum(Object.values(ShopperStatus)),
    ticket: z.number().int().optional().meta({ description: 'Place in join order, from 1' }),
    position: z
      .number()
      .int()
      .optional()
      .meta({ description: 'Places ahead, including this one (WAITING only)' }),
    couponCode: z.string().optional().meta({ description: 'COMPLETED only' }),
    couponState: z.enum(couponStates).optional().meta({
      description:
        'COMPLETED only: the coupon since it was issued (ISSUED, USED, CANCELLED, REVOKED); like the code, its owner’s only',
    }),
    reason: z.enum(['SOLD_OUT', 'CLOSED']).optional().meta({ description: 'FAILED only' }),
    expiresAt: z.iso
      .datetime()
      .optional()
      .meta({ description: 'HELD only: confirm before this instant or the unit goes back' }),
    msLeft: z
      .number()
      .int()
      .optional()
      .meta({ description: 'HELD only: time left when answered, free of clock skew' }),
    prequeued: z.boolean().optional().meta({
      description: 'WAITING in the pre-queue: the place is fixed at startsAt (no position yet)',
    }),
    startsAt: z.iso.datetime().optional().meta({ description: 'Pre-queued: when the sale opens' }),
    beyondStock: z.boolean().optional().meta({
      description: 'WAITING: the units left (available plus held) cannot reach this place',
    }),
    etaSeconds: z.number().int().nullable().optional().meta({
      description:
        'WAITING: expected wait at the measured drain rate; null when unknown or beyondStock',
    }),
    standby: z.boolean().optional().meta({
      description: 'FAILED (SOLD_OUT): on the standby line for a unit that comes back',
    }),
    standbyPosition: z.number().int().optional().meta({ description: 'Place on the standby line' }),
    standbyEnded: z.boolean().optional().meta({
      description: 'The standby line ended (promotion closed or ended, or standby turned off)',
    }),
  })
  .meta({ id: 'ShopperState' });
export type ShopperState = z.infer<typeof shopperStateSchema>;

/** Samples for the docs (OpenAPI and AsyncAPI): shopper-42 holding ticket 57 of promotion 1. */
export const waitingExample: z.input<typeof shopperStateSchema> = {
  promotionId: 1,
  userId: 'shopper-42',
  status: 'WAITING',
  ticket: 57,
  position: 17,
  beyondStock: false,
  etaSeconds: 1,
};

export const completedExample: z.input<typeof shopperStateSchema> = {
  promotionId: 1,
  userId: 'shopper-42',
  status: 'COMPLETED',
  ticket: 57,
  couponCode: '1-57-K7M3Q9XZ2A',
};

/** Where a shopper failed SOLD_OUT stands on the promotion's standby line. */
export interface StandbyFacts {
  /** 1-based place on the line; null when not on it (standby off, or served). */
  position: number | null;
  /** The line ended: the promotion closed or ended, or standby was turned off. */
  ended: boolean;
}

/** Said of a shopper failed SOLD_OUT: on the standby line (and where), or not. */
function standbyWords(facts: StandbyFacts): Partial<ShopperState> {
  if (facts.position === null) return { standby: false };
  if (facts.ended) return { standby: false, standbyEnded: true };
  return { standby: true, standbyPosition: facts.position };
}

/**
 * What a shopper is told about themselves, the one place it is built (status,
 * join, the live events, the socket's welcome). `standby`, when known, tells a
 * shopper failed SOLD_OUT about the standby line.
 */
export function describeShopper(
  promotionId: number,
  userId: string,
  record: ShopperRecord | null,
  served: number,
  now: number = Date.now(),
  standby?: StandbyFacts,
): ShopperState {
  const base = { promotionId, userId };
  if (!record) return { ...base, status: ShopperStatus.NotInQueue };
  switch (record.status) {
    case 'WAITING':
      return { ...base, ...record, position: positionOf(record.ticket, served) };
    case 'PROCESSING':
      return { ...base, ...record };
    case 'COMPLETED':
      return { ...base, ...record };
    case 'FAILED':
      if (record.reason === 'SOLD_OUT' && standby) {
        return { ...base, ...record, ...standbyWords(standby) };
      }
      return { ...base, ...record };
    case 'HELD':
      // The code stays secret until confirmed: a held unit is not a coupon yet.
      return {
        ...base,
        status: record.status,
        ticket: record.ticket,
        expiresAt: new Date(record.deadline).toISOString(),
        msLeft: Math.max(0, record.deadline - now),
      };
    case 'EXPIRED':
    case 'RELEASED':
      return { ...base, ...record };
  }
}

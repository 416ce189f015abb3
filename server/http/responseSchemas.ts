// Shapes of the marketer and operator answers, for the OpenAPI document.
import { z } from 'zod';
import {
  challengeKinds,
  promotionModes,
  queueingOrders,
  recordStates,
} from '../../core/model/promotion';
import { promotionInfoSchema } from '../../core/room/promotionInfo';

export { promotionInfoSchema };
import { eventTypes } from '../../core/useCases/webhooks';

const when = z.iso.datetime();

export const promotionSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    totalStock: z.number().int(),
    state: z.enum(recordStates),
    batchSize: z.number().int(),
    intervalMs: z.number().int(),
    startsAt: when.nullable(),
    endsAt: when.nullable(),
    mode: z.enum(promotionModes),
    holdSeconds: z.number().int(),
    prequeueAt: when.nullable(),
    queueing: z.enum(queueingOrders),
    standby: z.boolean(),
    challenge: z.enum(challengeKinds),
    challengeCost: z.number().int(),
    description: z.string().nullable(),
    redeemUrl: z.string().nullable(),
    redeemNote: z.string().nullable(),
    notice: z.string().nullable(),
    version: z.number().int().meta({ description: 'Send it back with PATCH' }),
    createdAt: when,
    updatedAt: when,
    live: promotionInfoSchema.nullable(),
  })
  .meta({ id: 'Promotion' });

const couponStates = ['ISSUED', 'USED', 'CANCELLED', 'REVOKED'] as const;

export const couponSchema = z
  .object({
    id: z.number().int(),
    promotionId: z.number().int(),
    userId: z.string(),
    ticket: z.number().int(),
    code: z.string(),
    state: z.enum(couponStates),
    issuedAt: when,
    unitReturned: z.boolean().meta({ description: 'A unit went back to stock with this change' }),
  })
  .meta({ id: 'Coupon' });

export const ledgerPageSchema = z
  .object({
    coupons: z.array(
      z.object({
        id: z.number().int(),
        code: z.string(),
        userId: z.string(),
        ticket: z.number().int(),
        state: z.enum(couponStates),
        issuedAt: when,
        changedAt: when,
      }),
    ),
    nextCursor: z.string().nullable().meta({ description: 'null on the last page' }),
    counts: z
      .object({
        issued: z.number().int(),
        unused: z.number().int(),
        used: z.number().int(),
        cancelled: z.number().int(),
        revoked: z.number().int(),
      })
      .meta({ description: "The promotion's totals, kept at write time (no COUNT(*))" }),
  })
  .meta({ id: 'CouponLedgerPage' });

export const consistencySchema = z
  .object({
    promotionId: z.number().int(),
    clean: z.boolean(),
    drift: z.number().int().meta({ description: 'How many facts disagree; 0 when clean' }),
    differences: z.array(z.string()),
    redis: z.object({
      present: z.boolean(),
      totalStock: z.number().int().nullable(),
      state: z.string().nullable(),
      issued: z.number().int().nullable(),
      held: z.number().int().nullable(),
      holdsIndexed: z.number().int(),
      pendingPersist: z.number().int(),
    }),
    database: z.object({
      totalStock: z.number().int(),
      state: z.string(),
      issued: z.number().int(),
      holding: z.number().int(),
      used: z.number().int(),
      cancelled: z.number().int(),
      revoked: z.number().int(),
    }),
    shoppers: z.object({
      missingInRedis: z.array(z.string()),
      missingInDatabase: z.array(z.string()),
    }),
  })
  .meta({ id: 'ConsistencyReport' });

export const domainEventSchema = z
  .object({
    id: z.string().meta({ description: 'Stable across re-deliveries: dedupe on it' }),
    type: z.enum(eventTypes),
    occurredAt: when,
    promotionId: z.number().int(),
    data: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'DomainEvent' });

export const webhookSchema = z
  .object({
    id: z.number().int(),
    url: z.string(),
    events: z.array(z.enum(eventTypes)),
    createdAt: when,
  })
  .meta({ id: 'Webhook' });

export const deadLetterSchema = z
  .object({
    id: z.string(),
    kind: z.enum(['persist-job', 'decision', 'webhook']),
    promotionId: z.number().int(),
    error: z.string(),
    at: when,
    decision: z
      .object({ userId: z.string(), ticket: z.number().int(), code: z.string(), issuedAt: when })
      .optional(),
    delivery: z
      .object({
        webhookId: z.number().int(),
        url: z.string(),
        event: domainEventSchema,
      })
      .optional(),
  })
  .meta({ id: 'DeadLetter' });

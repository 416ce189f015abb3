// Shapes of the marketer and operator answers, for the OpenAPI document.
import { z } from 'zod';
import { challengeKinds, promotionModes, recordStates } from '../../core/model/promotion';
import { promotionInfoSchema } from '../../core/room/promotionInfo';

export { promotionInfoSchema };

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
    challenge: z.enum(challengeKinds),
    challengeCost: z.number().int(),
    version: z.number().int().meta({ description: 'Send it back with PATCH' }),
    createdAt: when,
    updatedAt: when,
    live: promotionInfoSchema.nullable(),
  })
  .meta({ id: 'Promotion' });

export const couponSchema = z
  .object({
    id: z.number().int(),
    promotionId: z.number().int(),
    userId: z.string(),
    ticket: z.number().int(),
    code: z.string(),
    state: z.enum(['ISSUED', 'USED', 'CANCELLED', 'REVOKED']),
    issuedAt: when,
    unitReturned: z.boolean().meta({ description: 'A unit went back to stock with this change' }),
  })
  .meta({ id: 'Coupon' });

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

export const deadLetterSchema = z
  .object({
    id: z.string(),
    kind: z.enum(['persist-job', 'decision']),
    promotionId: z.number().int(),
    error: z.string(),
    at: when,
    decision: z
      .object({ userId: z.string(), ticket: z.number().int(), code: z.string(), issuedAt: when })
      .optional(),
  })
  .meta({ id: 'DeadLetter' });

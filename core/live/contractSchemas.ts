// The live queue's payloads as zod schemas, the one home of their shapes: the
// TypeScript types in contract.ts are inferred from them, and the AsyncAPI
// document (docs/asyncapi.json, `npm run docs:asyncapi`) is generated from them.
// The page imports contract.ts, which takes only types from here, so its bundle
// stays free of zod.
import { z } from 'zod';
import { promotionIdSchema } from '../model/ids';
import { promotionStates } from '../model/promotion';
import { completedExample, shopperStateSchema, waitingExample } from '../model/shopperState';
import { ConnectErrorCode, connectErrorMeaning } from './connectErrors';

const ms = (description: string) => z.number().int().meta({ description });

/** What a shopper is told about themselves; the same shape as GET /status answers. */
export const shopperUpdateSchema = shopperStateSchema
  .extend({
    decidedAt: ms(
      'COMPLETED/FAILED/HELD pushed by a worker: when Redis decided it (ms since the epoch)',
    ).optional(),
  })
  .meta({
    id: 'ShopperUpdate',
    description: 'The shopper’s own state: on every (re)connect, then on every change',
    examples: [waitingExample, { ...completedExample, decidedAt: 1_764_580_042_000 }],
  });

/** One message per drain tick per promotion: every waiting page derives its place from it. */
export const promotionProgressSchema = z
  .object({
    promotionId: z.number().int(),
    state: z.enum(promotionStates),
    served: z.number().int().meta({
      description:
        'Tickets taken off the waiting list so far: a waiting shopper’s position is ticket - served',
    }),
    joined: z.number().int().meta({ description: 'Last ticket handed out' }),
    remainingStock: z.number().int(),
    queueSize: z.number().int().meta({ description: 'Shoppers still waiting' }),
    drainRate: z.number().meta({
      description:
        'Shoppers admitted per second, measured over the last ticks (the configured rate until measured)',
    }),
    etaSeconds: z.number().int().nullable().meta({
      description:
        'Seconds until the last shopper now waiting is admitted; null when the rate is 0',
    }),
    soldOut: z.boolean().meta({
      description:
        'Stock is gone and none is held: everyone still waiting will be FAILED (SOLD_OUT)',
    }),
    reach: z.number().int().meta({
      description:
        'Units that can still reach the waiting line: available plus held, less those being decided or owed to the standby line',
    }),
    beyondStock: z.boolean().meta({
      description:
        'The last shopper waiting is beyond what stock can reach: served only if units come back',
    }),
    at: ms('When this was read (ms since the epoch)'),
  })
  .meta({
    id: 'PromotionProgress',
    description:
      'The promotion’s progress: on every (re)connect, then once per drain tick that changed it',
    examples: [
      {
        promotionId: 1,
        state: 'OPEN',
        served: 40,
        joined: 290,
        remainingStock: 60,
        queueSize: 250,
        drainRate: 100,
        etaSeconds: 3,
        soldOut: false,
        reach: 60,
        beyondStock: true,
        at: 1_764_580_040_000,
      },
    ],
  });

/** Sent as `{ auth: { token } }` (signed mode: `{ auth: { token, promotionId } }`) when connecting. */
export const handshakeAuthSchema = z
  .object({
    token: z
      .string({ error: 'auth.token must be a string' })
      .max(1024, { error: 'auth.token must be at most 1024 characters' })
      .meta({
        description:
          'The queueToken join returned; in SHOPPER_AUTH=signed mode, the shop’s JWT may be sent instead',
      }),
    promotionId: promotionIdSchema
      .optional()
      .meta({ description: 'Signed mode with the shop’s JWT: which promotion to follow' }),
  })
  .meta({
    id: 'HandshakeAuth',
    description: 'The Socket.IO handshake’s auth object',
    examples: [{ token: 'qt1.eyJwIjoxLCJ1Ijoic2hvcHBlci00MiIsInQiOjU3fQ.q8Xn…' }],
  });

const connectErrorCodes = Object.values(ConnectErrorCode);

/** `connect_error`'s `err.data`. */
export const connectErrorDataSchema = z
  .object({
    code: z.enum(connectErrorCodes).meta({
      description: connectErrorCodes.map((c) => `${c}: ${connectErrorMeaning[c]}`).join('; '),
    }),
  })
  .meta({
    id: 'ConnectErrorData',
    description: 'Why the handshake was refused (socket.io-client: the error’s data)',
    examples: [{ code: 'TOKEN_EXPIRED' }],
  });

/** Every event the server sends a page, with its payload: ServerToClientEvents is derived from it. */
/** The marketer's live notice on a promotion, to every page watching it. */
export const promotionNoticeSchema = z
  .object({
    promotionId: z.number().int(),
    notice: z
      .string()
      .nullable()
      .meta({ description: 'The text to show; null takes the notice down' }),
    at: z.number().int().meta({ description: 'When it was posted (ms since the epoch)' }),
  })
  .meta({
    examples: [
      {
        promotionId: 7,
        notice: 'Extra stock at 21:00 for everyone on standby.',
        at: 1_764_580_042_000,
      },
    ],
  });

export const serverToClientEvents = {
  state: shopperUpdateSchema,
  progress: promotionProgressSchema,
  notice: promotionNoticeSchema,
} as const;

export type ShopperUpdate = z.infer<typeof shopperUpdateSchema>;
export type PromotionProgress = z.infer<typeof promotionProgressSchema>;
export type PromotionNotice = z.infer<typeof promotionNoticeSchema>;
export type HandshakeAuth = z.input<typeof handshakeAuthSchema>;
export type ConnectErrorData = z.infer<typeof connectErrorDataSchema>;

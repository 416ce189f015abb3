// Hold mode's shopper routes: confirm a held unit (it becomes the coupon) or give
// it up early. The queue token join returned says who is asking; each answer is
// one Lua decision, so a confirm racing the expiry sweep gets exactly one outcome.
import { z } from 'zod';
import { LivePublisher } from '../../core/live/publisher';
import { AppError, ErrorCode } from '../../core/platform/errors';
import type { QueueTokenClaims, QueueTokens } from '../../core/live/queueToken';
import type { Services } from '../../core/services';
import {
  describeShopper,
  shopperStateSchema,
  type ShopperState,
} from '../../core/model/shopperState';
import type { HoldOutcome } from '../../core/room/waitingRoom';
import type { RouteFn } from '../http/route';
import { sendOk } from '../http/envelope';
import { perIp, type Limiters } from '../http/rateLimit';

const holdInput = z.strictObject({
  queueToken: z
    .string({ error: 'must be the queueToken join returned' })
    .max(1024, { error: 'must be at most 1024 characters' }),
});

export interface HoldRouteDeps {
  route: RouteFn;
  services: Services;
  limits: Limiters;
  tokens: QueueTokens;
}

function claimsOf(tokens: QueueTokens, queueToken: string): QueueTokenClaims {
  const check = tokens.verify(queueToken);
  if (!check.ok) throw new AppError(ErrorCode.Unauthorized, `queueToken: ${check.message}`);
  return check.claims;
}

/** The shopper's state after a hold decision; served is irrelevant past WAITING. */
function stateOf(claims: QueueTokenClaims, outcome: HoldOutcome): ShopperState {
  return describeShopper(claims.promotionId, claims.userId, outcome.record, 0);
}

function notHeld(state: ShopperState): AppError {
  if (state.status === 'EXPIRED') {
    return new AppError(
      ErrorCode.HoldExpired,
      'The hold ran out before it was confirmed; the unit went back to the line.',
      state,
    );
  }
  return new AppError(ErrorCode.NotHeld, `Nothing is held for this shopper: ${state.status}.`, {
    ...state,
  });
}

export function holdRoutes({ route, services, limits, tokens }: HoldRouteDeps): void {
  const { room, connections, config, logger } = services;
  // Other tabs of the same shopper learn the outcome too; a lost publish is caught
  // up by the page's next status read or reconnect, so it is logged, not retried
  // (the flush is not awaited: the answer does not wait for the pages).
  const publisher = new LivePublisher(connections.redis, config.keyPrefix, logger);
  const announce = (state: ShopperState) => {
    publisher.state({ ...state, decidedAt: Date.now() });
    void publisher.flush();
  };
  const common = {
    method: 'post',
    tag: 'shopper',
    body: holdInput,
    response: { description: 'The shopper’s state after the change', data: shopperStateSchema },
    errors: [ErrorCode.Unauthorized, ErrorCode.NotHeld, ErrorCode.RateLimited],
    before: [perIp(limits['join-ip'])],
  } as const;

  route(
    {
      ...common,
      path: '/api/coupon/queue/confirm',
      summary: 'Hold mode: turn the held unit into a coupon before the hold runs out (retry-safe)',
      errors: [...common.errors, ErrorCode.HoldExpired],
    },
    async ({ body }, _req, res) => {
      const claims = claimsOf(tokens, body.queueToken);
      await limits['join-user'].consume(claims.userId);
      const outcome = await room.confirmHold(claims.promotionId, claims.userId);
      const state = stateOf(claims, outcome);
      if (outcome.changed) {
        announce(state);
        await services.requestPersist(claims.promotionId);
        sendOk(res, `Confirmed: your coupon is ${state.couponCode ?? ''}.`, state);
        return;
      }
      if (state.status === 'EXPIRED') announce(state);
      if (state.status !== 'COMPLETED') throw notHeld(state);
      sendOk(res, `Already confirmed: your coupon is ${state.couponCode ?? ''}.`, state);
    },
  );

  route(
    {
      ...common,
      path: '/api/coupon/queue/release',
      summary: 'Hold mode: give the held unit back to the line early (retry-safe)',
    },
    async ({ body }, _req, res) => {
      const claims = claimsOf(tokens, body.queueToken);
      await limits['join-user'].consume(claims.userId);
      const outcome = await room.releaseHold(claims.promotionId, claims.userId);
      const state = stateOf(claims, outcome);
      if (outcome.changed) announce(state);
      if (state.status !== 'RELEASED' && state.status !== 'EXPIRED') throw notHeld(state);
      sendOk(res, `The hold ended: ${state.status}.`, state);
    },
  );
}

// Hold mode's shopper routes: confirm a held unit or give it up early. Each
// handler parses, calls one use case (core/useCases/holds), answers.
import { z } from 'zod';
import { ErrorCode } from '../../core/platform/errors';
import type { ServerDeps } from '../../core/useCases/deps';
import { shopperStateSchema } from '../../core/model/shopperState';
import { confirmHold, holderOf, releaseHold } from '../../core/useCases/holds';
import type { RouteFn } from '../http/route';
import { sendOk } from '../http/envelope';
import { perIp, shopperKey, type Limiters } from '../http/rateLimit';
import { promotionIdSchema } from '../../core/model/ids';
import { completedExample } from '../http/apiExamples';

const queueToken = z
  .string({ error: 'must be the queueToken join returned' })
  .max(1024, { error: 'must be at most 1024 characters' });

/** Open mode: the queue token is the proof. Signed mode: the JWT is, and this names the promotion. */
const holdInputFor = (signed: boolean) =>
  signed
    ? z.strictObject({
        queueToken: queueToken.optional(),
        promotionId: promotionIdSchema.optional(),
      })
    : z.strictObject({ queueToken, promotionId: promotionIdSchema.optional() });

export function holdRoutes(route: RouteFn, services: ServerDeps, limits: Limiters): void {
  const { tokens, config } = services;
  const decisions = { confirm: confirmHold, release: releaseHold };
  const holdInput = holdInputFor(config.shopperAuth.mode === 'signed');
  const summaries = {
    confirm: 'Hold mode: turn the held unit into a coupon before the hold runs out (retry-safe)',
    release: 'Hold mode: give the held unit back to the line early (retry-safe)',
  };
  for (const action of ['confirm', 'release'] as const) {
    route(
      {
        method: 'post',
        path: `/api/coupon/queue/${action}`,
        tag: 'shopper',
        access: 'owner',
        summary: summaries[action],
        description:
          'Called by the shopper page (queue token) or the shop’s app (JWT) while the shopper ' +
          'is HELD. A retry of a done decision answers the same state.',
        body: holdInput,
        example: { body: { queueToken: 'eyJwIjoxLCJ1Ijoic2hvcHBlci00MiJ9.q8…', promotionId: 1 } },
        response: {
          description: 'The shopper’s state after the change',
          data: shopperStateSchema,
          example: {
            message:
              action === 'confirm'
                ? `Confirmed: your coupon is ${completedExample.couponCode ?? ''}.`
                : 'The hold ended: RELEASED.',
            data:
              action === 'confirm'
                ? completedExample
                : { promotionId: 1, userId: 'shopper-42', status: 'RELEASED', ticket: 57 },
          },
        },
        errors: [
          ErrorCode.NotHeld,
          ErrorCode.RateLimited,
          ...(action === 'confirm' ? [ErrorCode.HoldExpired] : []),
        ],
        before: [perIp(limits['join-ip'])],
      },
      async ({ body, caller }, req, res) => {
        const claims = holderOf(tokens, caller, body);
        const { promotionId, userId } = claims;
        await limits['join-user'].consume(shopperKey(caller, promotionId, userId, req.ip));
        const { message, state } = await decisions[action](services, claims);
        sendOk(res, message, state);
      },
    );
  }
}

// Hold mode's shopper routes: confirm a held unit or give it up early. Each
// handler parses, calls one use case (core/useCases/holds), answers.
import { z } from 'zod';
import { ErrorCode } from '../../core/platform/errors';
import type { ServerDeps } from '../../core/useCases/deps';
import { shopperStateSchema } from '../../core/model/shopperState';
import { confirmHold, holderOf, releaseHold } from '../../core/useCases/holds';
import type { RouteFn } from '../http/route';
import { sendOk } from '../http/envelope';
import { perIp, type Limiters } from '../http/rateLimit';

const holdInput = z.strictObject({
  queueToken: z
    .string({ error: 'must be the queueToken join returned' })
    .max(1024, { error: 'must be at most 1024 characters' }),
});

export function holdRoutes(route: RouteFn, services: ServerDeps, limits: Limiters): void {
  const { tokens } = services;
  const decisions = { confirm: confirmHold, release: releaseHold };
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
        summary: summaries[action],
        body: holdInput,
        response: { description: 'The shopper’s state after the change', data: shopperStateSchema },
        errors: [
          ErrorCode.Unauthorized,
          ErrorCode.NotHeld,
          ErrorCode.RateLimited,
          ...(action === 'confirm' ? [ErrorCode.HoldExpired] : []),
        ],
        before: [perIp(limits['join-ip'])],
      },
      async ({ body }, _req, res) => {
        const claims = holderOf(tokens, body.queueToken);
        await limits['join-user'].consume(claims.userId);
        const { message, state } = await decisions[action](services, claims);
        sendOk(res, message, state);
      },
    );
  }
}

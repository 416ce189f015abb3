// The proof-of-work challenge a shopper's page solves before joining a promotion
// that asks for one (challenge 'pow'); for the others it answers that none is needed.
import { z } from 'zod';
import { challengeKinds } from '../../core/model/promotion';
import { promotionIdSchema } from '../../core/model/ids';
import { ErrorCode } from '../../core/platform/errors';
import type { ServerDeps } from '../../core/useCases/deps';
import type { RouteFn } from '../http/route';
import { sendOk } from '../http/envelope';
import { perIp, type Limiters } from '../http/rateLimit';

const sample = {
  challenge: 'pow' as const,
  altcha: {
    algorithm: 'SHA-256',
    challenge: '4f1c…e9a0',
    maxnumber: 50_000,
    salt: 'p1.e1764580300000.9c2b1f?expires=1764580300',
    signature: '0d6e…77b3',
  },
  expiresAt: '2026-12-01T09:05:00.000Z',
};

const altchaChallengeSchema = z
  .object({
    algorithm: z.string(),
    challenge: z.string(),
    maxnumber: z.number().int().optional(),
    salt: z.string().meta({ description: 'Names the promotion and the expiry (signed)' }),
    signature: z.string(),
  })
  .meta({ id: 'AltchaChallenge' });

export function challengeRoutes(route: RouteFn, deps: ServerDeps, limits: Limiters): void {
  route(
    {
      method: 'get',
      path: '/api/coupon/queue/challenge',
      tag: 'shopper',
      access: 'public',
      summary: 'A signed, expiring proof-of-work challenge (ALTCHA) to solve before joining',
      description:
        'Called by the shopper page before a join to a promotion whose challenge is pow. ' +
        "Solve it (altcha-lib's solveChallenge or the altcha widget) and send the base64 JSON " +
        'payload as `altcha` with one join. `challenge: none`: the promotion needs no proof.',
      query: z.strictObject({ promotionId: promotionIdSchema }),
      example: { query: { promotionId: '1' } },
      response: {
        description: 'The challenge, or none needed',
        data: z.object({
          challenge: z.enum(challengeKinds),
          altcha: altchaChallengeSchema.nullable(),
          expiresAt: z.string().nullable(),
        }),
        example: { message: 'Solve it before joining.', data: sample },
      },
      errors: [ErrorCode.PromotionNotFound, ErrorCode.RateLimited],
      before: [perIp(limits['status-ip'])],
    },
    async ({ query: { promotionId } }, _req, res) => {
      const issued = await deps.challenges.issue(promotionId);
      const message =
        issued.challenge === 'none' ? 'No proof of work needed.' : 'Solve it before joining.';
      sendOk(res, message, issued);
    },
  );
}

// The shopper page's read of a promotion: its public face (name, description,
// notice, how to use a won coupon, when it opens), with no token. Only what the
// page shows anyone; stock and settings stay behind the admin token.
import { z } from 'zod';
import { promotionStates } from '../../core/model/promotion';
import { promotionIdSchema } from '../../core/model/ids';
import { ErrorCode } from '../../core/platform/errors';
import type { ServerDeps } from '../../core/useCases/deps';
import type { RouteFn } from '../http/route';
import { sendOk } from '../http/envelope';
import { perIp, type Limiters } from '../http/rateLimit';

const when = z.iso.datetime().nullable();

const publicFaceSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    description: z.string().nullable(),
    notice: z.string().nullable().meta({ description: 'Changes are pushed as the notice event' }),
    redeemUrl: z.string().nullable(),
    redeemNote: z.string().nullable(),
    startsAt: when,
    prequeueAt: when,
    endsAt: when,
    state: z.enum(promotionStates),
  })
  .meta({ id: 'PromotionPublicFace' });

export function promotionPageRoutes(route: RouteFn, deps: ServerDeps, limits: Limiters): void {
  route(
    {
      method: 'get',
      path: '/api/promotions/:id/public',
      tag: 'shopper',
      access: 'public',
      summary: 'What the shopper page shows of a promotion: name, description, notice, redeem',
      description:
        'Called by the shopper page on load and on each reconnect, with no token: the sale’s ' +
        'name, description, the marketer’s notice (changes are then pushed as the notice ' +
        'event), what to do with a won coupon, and when the sale opens. No stock figures or ' +
        'settings. Answers from a short per-server cache; an unknown id costs the database ' +
        'one query, then none while it is remembered as unknown.',
      params: z.strictObject({ id: promotionIdSchema }),
      example: { params: { id: '1' } },
      response: {
        description: 'The public face',
        data: publicFaceSchema,
        example: {
          message: 'Promotion 1.',
          data: {
            id: 1,
            name: 'Winter sale: 100 coupons at 50% off',
            description: 'Half price on every winter coat, one coupon per shopper.',
            notice: 'Extra stock at 21:00 for everyone on standby.',
            redeemUrl: 'https://shop.example.com/checkout',
            redeemNote: 'Enter the code at checkout before 31 December.',
            startsAt: '2026-12-01T09:00:00.000Z',
            prequeueAt: null,
            endsAt: null,
            state: 'OPEN',
          },
        },
      },
      errors: [ErrorCode.PromotionNotFound, ErrorCode.RateLimited],
      before: [perIp(limits['status-ip'])],
    },
    async ({ params }, _req, res) => {
      const face = await deps.faces.get(params.id);
      sendOk(res, `Promotion ${face.id}.`, face);
    },
  );
}

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
      params: z.strictObject({ id: promotionIdSchema }),
      response: { description: 'The public face', data: publicFaceSchema },
      errors: [ErrorCode.PromotionNotFound, ErrorCode.RateLimited],
      before: [perIp(limits['status-ip'])],
    },
    async ({ params }, _req, res) => {
      const face = await deps.faces.get(params.id);
      sendOk(res, `Promotion ${face.id}.`, face);
    },
  );
}

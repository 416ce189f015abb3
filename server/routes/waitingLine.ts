// The seed's API, exactly: join, status (shoppers); init-stock, info (admin).
// Each handler parses, calls one use case, answers.
import { z } from 'zod';
import { ErrorCode } from '../../core/platform/errors';
import { promotionIdSchema, stockSchema, userIdSchema } from '../../core/model/ids';
import { initStock } from '../../core/useCases/promotions';
import { joinLine, knownSoldOut } from '../../core/useCases/join';
import { promotionInfo, shopperStatus } from '../../core/useCases/status';
import type { ServerDeps } from '../../core/useCases/deps';
import { shopperStateSchema } from '../../core/model/shopperState';
import { promotionInfoSchema } from '../http/responseSchemas';
import type { RouteFn } from '../http/route';
import { sendError, sendOk } from '../http/envelope';
import { perIp, type Limiters } from '../http/rateLimit';

const shopperInput = z.strictObject({ promotionId: promotionIdSchema, userId: userIdSchema });
const promotionInput = z.strictObject({ promotionId: promotionIdSchema });
const initStockInput = z.strictObject({ promotionId: promotionIdSchema, stock: stockSchema });

export function waitingLineRoutes(route: RouteFn, deps: ServerDeps, limits: Limiters): void {
  route(
    {
      method: 'post',
      path: '/api/coupon/queue/join',
      tag: 'shopper',
      summary: 'Join a promotion’s waiting room (a retry is answered with the same ticket)',
      body: shopperInput,
      response: {
        description: 'Waiting, with ticket, position and the token for the live socket',
        data: shopperStateSchema
          .extend({
            queueToken: z.string().meta({ description: 'Present it to Socket.IO as auth.token' }),
          })
          .meta({ id: 'JoinedShopperState' }),
      },
      errors: [
        ErrorCode.PromotionNotFound,
        ErrorCode.AlreadyProcessed,
        ErrorCode.SoldOut,
        ErrorCode.PromotionClosed,
        ErrorCode.NotStarted,
        ErrorCode.Ended,
        ErrorCode.RateLimited,
      ],
      before: [perIp(limits['join-ip'])],
    },
    async ({ body: { promotionId, userId } }, _req, res) => {
      // A known sell-out is answered here, before any await: no Redis, no rejected promise.
      const soldOut = knownSoldOut(deps, promotionId, userId);
      if (soldOut) {
        sendError(res, soldOut);
        return;
      }
      await limits['join-user'].consume(userId);
      const { message, state } = await joinLine(deps, promotionId, userId);
      sendOk(res, message, state);
    },
  );

  route(
    {
      method: 'get',
      path: '/api/coupon/queue/status',
      tag: 'shopper',
      summary: 'A shopper’s status and position',
      query: shopperInput,
      response: { description: 'The shopper’s state', data: shopperStateSchema },
      errors: [ErrorCode.PromotionNotFound, ErrorCode.RateLimited],
      before: [perIp(limits['status-ip'])],
    },
    async ({ query: { promotionId, userId } }, _req, res) => {
      await limits['status-user'].consume(userId);
      const state = await shopperStatus(deps, promotionId, userId);
      sendOk(res, `Status: ${state.status}.`, state);
    },
  );

  route(
    {
      method: 'post',
      path: '/api/coupon/queue/init-stock',
      tag: 'admin',
      admin: true,
      summary: 'Create a promotion if new and set its total stock',
      body: initStockInput,
      response: { description: 'The promotion after the change', data: promotionInfoSchema },
      errors: [ErrorCode.StockBelowIssued, ErrorCode.RateLimited],
    },
    async ({ body: { promotionId, stock } }, _req, res) => {
      const { created, promotion } = await initStock(deps, promotionId, stock);
      const verb = created ? 'Created promotion' : 'Set stock of promotion';
      const left = promotion.live?.currentStock ?? stock;
      sendOk(res, `${verb} ${promotionId}: ${stock} in total, ${left} left.`, promotion.live);
    },
  );

  route(
    {
      method: 'get',
      path: '/api/coupon/queue/info',
      tag: 'admin',
      admin: true,
      summary: 'A promotion’s counters: stock, issued, queue size, processing',
      query: promotionInput,
      response: { description: 'The promotion', data: promotionInfoSchema },
      errors: [ErrorCode.PromotionNotFound, ErrorCode.RateLimited],
    },
    async ({ query: { promotionId } }, _req, res) => {
      sendOk(res, 'Queue info.', await promotionInfo(deps, promotionId));
    },
  );
}

// The seed's API: join, status (shoppers); init-stock, info (admin); and the
// page's settings. Each handler parses, calls one use case, answers. In signed
// mode the shopper is the JWT's subject, so userId may be left out.
import { z } from 'zod';
import { ErrorCode } from '../../core/platform/errors';
import { promotionIdSchema, stockSchema, userIdSchema } from '../../core/model/ids';
import { initStock } from '../../core/useCases/promotions';
import { joinLine, knownSoldOut } from '../../core/useCases/join';
import { promotionInfo, shopperStatus } from '../../core/useCases/status';
import type { ServerDeps } from '../../core/useCases/deps';
import { shopperStateSchema } from '../../core/model/shopperState';
import { promotionInfoSchema } from '../http/responseSchemas';
import { promotionInfoExample, waitingExample } from '../http/apiExamples';
import type { RouteFn } from '../http/route';
import { sendError, sendOk } from '../http/envelope';
import { perIp, shopperKey, type Limiters } from '../http/rateLimit';
import { shopperOf } from '../../core/useCases/callers';

/** userId is required in open mode; in signed mode it is the JWT's sub (and checked if sent). */
const shopperInputFor = (signed: boolean) =>
  z.strictObject({
    promotionId: promotionIdSchema,
    userId: signed ? userIdSchema.optional() : userIdSchema,
  });
const promotionInput = z.strictObject({ promotionId: promotionIdSchema });
const initStockInput = z.strictObject({ promotionId: promotionIdSchema, stock: stockSchema });

export function waitingLineRoutes(route: RouteFn, deps: ServerDeps, limits: Limiters): void {
  const { mode } = deps.config.shopperAuth;
  const shopperInput = shopperInputFor(mode === 'signed');
  const joinInput = shopperInput.extend({
    altcha: z.string().max(4096).optional().meta({
      description:
        "Promotions with challenge 'pow': the solved challenge, ALTCHA's base64 JSON payload (once)",
    }),
  });
  route(
    {
      method: 'get',
      path: '/api/coupon/queue/config',
      tag: 'shopper',
      access: 'public',
      summary: 'What the shopper page needs to know: how shoppers prove who they are',
      description:
        'Called by the shopper page on load: in signed mode it sends the shop’s JWT, in open ' +
        'mode it asks for a user id and keeps the queue token join returns.',
      response: {
        description: 'signed: send the shop’s JWT; open: a user id, then the queue token',
        data: z.object({ shopperAuth: z.enum(['open', 'signed']) }),
        example: { message: 'Shopper identity: open.', data: { shopperAuth: 'open' } },
      },
    },
    (_input, _req, res) => {
      sendOk(res, `Shopper identity: ${mode}.`, { shopperAuth: mode });
    },
  );

  route(
    {
      method: 'post',
      path: '/api/coupon/queue/join',
      tag: 'shopper',
      access: 'shopper',
      summary: 'Join a promotion’s waiting room (a retry is answered with the same ticket)',
      description:
        'Called by the shopper page (or the shop’s app) when the shopper presses join. Takes ' +
        'a ticket in Redis in one atomic step and answers with the place in line and the token ' +
        'for the live socket; nothing changes when it is refused. SOLD_OUT and ' +
        'ALREADY_PROCESSED carry the shopper’s status in data.',
      body: joinInput,
      example: { body: { promotionId: 1, userId: 'shopper-42' } },
      response: {
        description: 'Waiting, with ticket, position and the token for the live socket',
        data: shopperStateSchema
          .extend({
            queueToken: z.string().optional().meta({
              description:
                'Present it to Socket.IO as auth.token. Only to the join that queued the shopper, or to a request proving it is them',
            }),
          })
          .meta({ id: 'JoinedShopperState' }),
        example: {
          message: 'Joined the queue at position 17.',
          data: { ...waitingExample, queueToken: 'eyJwIjoxLCJ1Ijoic2hvcHBlci00MiJ9.q8…' },
        },
      },
      errors: [
        ErrorCode.PromotionNotFound,
        ErrorCode.AlreadyProcessed,
        ErrorCode.SoldOut,
        ErrorCode.PromotionClosed,
        ErrorCode.NotStarted,
        ErrorCode.Ended,
        ErrorCode.RateLimited,
        ErrorCode.ChallengeRequired,
        ErrorCode.ChallengeInvalid,
        ErrorCode.ChallengeReused,
      ],
      before: [perIp(limits['join-ip'])],
      hot: true,
    },
    async ({ body: { promotionId, userId: declared, altcha }, caller }, req, res) => {
      const userId = shopperOf(caller, declared);
      // A known sell-out is answered here, before any Redis call or rejected promise.
      const soldOut = knownSoldOut(deps, promotionId, userId);
      if (soldOut) {
        sendError(res, soldOut);
        return;
      }
      await limits['join-user'].consume(shopperKey(caller, promotionId, userId, req.ip));
      const { message, state } = await joinLine(deps, promotionId, userId, caller, altcha);
      sendOk(res, message, state);
    },
  );

  route(
    {
      method: 'get',
      path: '/api/coupon/queue/status',
      tag: 'shopper',
      access: 'shopper',
      summary: 'A shopper’s status and position (the code and the hold only to the shopper)',
      description:
        'Called by the shopper page when the live socket is unavailable (polling), and by the ' +
        'shop’s backend. Without the shopper’s proof the coupon code and the hold are left out.',
      query: shopperInput,
      example: { query: { promotionId: '1', userId: 'shopper-42' } },
      response: {
        description: 'The shopper’s state',
        data: shopperStateSchema,
        example: { message: 'Status: WAITING.', data: waitingExample },
      },
      errors: [ErrorCode.PromotionNotFound, ErrorCode.RateLimited],
      before: [perIp(limits['status-ip'])],
      hot: true,
    },
    async ({ query: { promotionId, userId: declared }, caller }, req, res) => {
      const userId = shopperOf(caller, declared);
      await limits['status-user'].consume(shopperKey(caller, promotionId, userId, req.ip));
      const state = await shopperStatus(deps, promotionId, userId, caller);
      sendOk(res, `Status: ${state.status}.`, state);
    },
  );

  route(
    {
      method: 'post',
      path: '/api/coupon/queue/init-stock',
      tag: 'admin',
      access: 'admin',
      summary: 'Create a promotion if new and set its total stock',
      description:
        'The seed API, called by an operator or a script; the console uses /api/promotions. ' +
        'Refused when the new stock is below the units already issued or held.',
      body: initStockInput,
      example: { body: { promotionId: 1, stock: 100 } },
      response: {
        description: 'The promotion after the change',
        data: promotionInfoSchema,
        example: {
          message: 'Set stock of promotion 1: 100 in total, 60 left.',
          data: promotionInfoExample,
        },
      },
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
      access: 'admin',
      summary: 'A promotion’s counters: stock, issued, queue size, processing',
      description: 'The seed API, called by an operator or a script to read the live counters.',
      query: promotionInput,
      example: { query: { promotionId: '1' } },
      response: {
        description: 'The promotion',
        data: promotionInfoSchema,
        example: { message: 'Queue info.', data: promotionInfoExample },
      },
      errors: [ErrorCode.PromotionNotFound, ErrorCode.RateLimited],
    },
    async ({ query: { promotionId } }, _req, res) => {
      sendOk(res, 'Queue info.', await promotionInfo(deps, promotionId));
    },
  );
}

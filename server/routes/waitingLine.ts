// The seed's API, exactly: join, status (shoppers); init-stock, info (admin).
import { z } from 'zod';
import { AppError, ErrorCode, promotionNotFound } from '../../core/platform/errors';
import { promotionIdSchema, stockSchema, userIdSchema } from '../../core/model/ids';
import type { Metrics } from '../../core/metrics/metrics';
import type { QueueTokens } from '../../core/live/queueToken';
import { initStock } from '../../core/useCases/promotions';
import { rehydrate } from '../../core/useCases/rehydrate';
import type { Services } from '../../core/services';
import { describeShopper, shopperStateSchema } from '../../core/model/shopperState';
import { promotionInfoSchema } from '../../core/room/waitingRoom';
import type { RouteFn } from '../http/route';
import { sendError, sendOk } from '../http/envelope';
import { perIp, type Limiters } from '../http/rateLimit';
import type { SoldOutCache } from '../../core/room/soldOutCache';

const shopperInput = z.strictObject({ promotionId: promotionIdSchema, userId: userIdSchema });
const promotionInput = z.strictObject({ promotionId: promotionIdSchema });
const initStockInput = z.strictObject({ promotionId: promotionIdSchema, stock: stockSchema });

export interface QueueRouteDeps {
  route: RouteFn;
  services: Services;
  limits: Limiters;
  metrics: Metrics;
  /** Signs the queueToken a page presents to the live socket. */
  tokens: QueueTokens;
  /** Joins go through it: a known sell-out is answered without Redis. */
  joins: SoldOutCache;
}

/** Runs a Redis read or decision; if Redis lost the promotion, rebuilds it from the database once. */
async function withRehydration<T>(
  s: Services,
  promotionId: number,
  attempt: () => Promise<T | null>,
): Promise<T> {
  const first = await attempt().catch((err: unknown) => {
    if (err instanceof AppError && err.code === ErrorCode.PromotionNotFound) return null;
    throw err;
  });
  if (first !== null) return first;
  if (!(await rehydrate(s, promotionId))) throw promotionNotFound(promotionId);
  const second = await attempt();
  if (second === null) throw promotionNotFound(promotionId);
  return second;
}

/** The join outcome as a metrics label; unknown promotions are left out (unbounded ids). */
function joinResult(err: unknown): string | undefined {
  if (!(err instanceof AppError) || err.code === ErrorCode.PromotionNotFound) return undefined;
  return err.code.toLowerCase();
}

export function queueRoutes({
  route,
  services,
  limits,
  metrics,
  tokens,
  joins,
}: QueueRouteDeps): void {
  const { room } = services;
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
      const count = (result: string) => {
        metrics.joins.inc({ promotion: promotionId, result });
      };
      // A known sell-out is answered here, before any await: no Redis, no rejected promise.
      const soldOut = joins.refusal(promotionId, userId);
      if (soldOut) {
        count('sold_out');
        sendError(res, soldOut);
        return;
      }
      await limits['join-user'].consume(userId);
      const { record, served, joinedNow } = await withRehydration(services, promotionId, () =>
        joins.join(promotionId, userId),
      ).catch((err: unknown) => {
        const result = joinResult(err);
        if (result) count(result);
        throw err;
      });
      const state = describeShopper(promotionId, userId, record, served);
      // Also on a repeated join and on 409, so a reloaded page can subscribe and see its result.
      const queueToken = tokens.sign({ promotionId, userId, ticket: record.ticket });
      if (state.status !== 'WAITING') {
        count('already_processed');
        throw new AppError(
          ErrorCode.AlreadyProcessed,
          `Shopper ${userId} has already been through promotion ${promotionId}: ${state.status}.`,
          { ...state, queueToken },
        );
      }
      count(joinedNow ? 'joined' : 'duplicate');
      const message = joinedNow
        ? `Joined the queue at position ${state.position}.`
        : `Already in the queue at position ${state.position}.`;
      sendOk(res, message, { ...state, queueToken });
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
      const view = await withRehydration(services, promotionId, async () => {
        const found = await room.shopper(promotionId, userId);
        return found.exists ? found : null;
      });
      const state = describeShopper(promotionId, userId, view.record, view.served);
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
      const { created, promotion } = await initStock(services, promotionId, stock);
      joins.forget(promotionId);
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
      const info = await withRehydration(services, promotionId, () => room.info(promotionId));
      sendOk(res, 'Queue info.', info);
    },
  );
}

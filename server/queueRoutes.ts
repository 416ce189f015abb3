// The seed's API, exactly: join, status (shoppers); init-stock, info (admin).
import { z } from 'zod';
import type { Queue } from 'bullmq';
import { AppError, ErrorCode } from '../core/errors';
import { scheduleDrain, type DrainJob } from '../core/drainQueue';
import { promotionIdSchema, stockSchema, userIdSchema } from '../core/ids';
import type { Metrics } from '../core/metrics';
import { describeShopper, shopperStateSchema } from '../core/status';
import { promotionInfoSchema, type WaitingRoom } from '../core/waitingRoom';
import type { RouteFn } from './apiRoute';
import { sendOk } from './http';
import { perIp, type Limiters } from './rateLimit';

const shopperInput = z.strictObject({ promotionId: promotionIdSchema, userId: userIdSchema });
const promotionInput = z.strictObject({ promotionId: promotionIdSchema });
const initStockInput = z.strictObject({ promotionId: promotionIdSchema, stock: stockSchema });

export interface QueueRouteDeps {
  route: RouteFn;
  room: WaitingRoom;
  drainQueue: Queue<DrainJob>;
  limits: Limiters;
  metrics: Metrics;
  defaults: { batchSize: number; intervalMs: number };
}

/** The join outcome as a metrics label; unknown promotions are left out (unbounded ids). */
function joinResult(err: unknown): string | undefined {
  if (!(err instanceof AppError) || err.code === ErrorCode.PromotionNotFound) return undefined;
  return err.code.toLowerCase();
}

export function queueRoutes({
  route,
  room,
  drainQueue,
  limits,
  metrics,
  defaults,
}: QueueRouteDeps): void {
  route(
    {
      method: 'post',
      path: '/api/coupon/queue/join',
      tag: 'shopper',
      summary: 'Join a promotion’s waiting room (a retry is answered with the same ticket)',
      body: shopperInput,
      response: { description: 'Waiting, with ticket and position', data: shopperStateSchema },
      errors: [
        ErrorCode.PromotionNotFound,
        ErrorCode.AlreadyProcessed,
        ErrorCode.SoldOut,
        ErrorCode.PromotionClosed,
        ErrorCode.RateLimited,
      ],
      before: [perIp(limits['join-ip'])],
    },
    async ({ body: { promotionId, userId } }, _req, res) => {
      await limits['join-user'].consume(userId);
      const count = (result: string) => {
        metrics.joins.inc({ promotion: promotionId, result });
      };
      const { record, served, joinedNow } = await room
        .join(promotionId, userId)
        .catch((err: unknown) => {
          const result = joinResult(err);
          if (result) count(result);
          throw err;
        });
      const state = describeShopper(promotionId, userId, record, served);
      if (state.status !== 'WAITING') {
        count('already_processed');
        throw new AppError(
          ErrorCode.AlreadyProcessed,
          `Shopper ${userId} has already been through promotion ${promotionId}: ${state.status}.`,
          { ...state },
        );
      }
      count(joinedNow ? 'joined' : 'duplicate');
      const message = joinedNow
        ? `Joined the queue at position ${state.position}.`
        : `Already in the queue at position ${state.position}.`;
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
      const view = await room.shopper(promotionId, userId);
      if (!view.exists) {
        throw new AppError(ErrorCode.PromotionNotFound, `Promotion ${promotionId} does not exist.`);
      }
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
      const result = await room.setStock(promotionId, stock, defaults);
      const info = await room.info(promotionId);
      // Upserting every time is idempotent and repairs a schedule lost to an earlier failure.
      if (info) await scheduleDrain(drainQueue, promotionId, info.intervalMs);
      const verb = result.created ? 'Created promotion' : 'Set stock of promotion';
      sendOk(
        res,
        `${verb} ${promotionId}: ${stock} in total, ${info?.currentStock ?? 0} left.`,
        info,
      );
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
      const info = await room.info(promotionId);
      if (!info) {
        throw new AppError(ErrorCode.PromotionNotFound, `Promotion ${promotionId} does not exist.`);
      }
      sendOk(res, 'Queue info.', info);
    },
  );
}

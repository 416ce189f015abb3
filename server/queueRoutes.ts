// The seed's API, exactly: join, status (shoppers); init-stock, info (admin).
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { Queue } from 'bullmq';
import { AppError, ErrorCode } from '../core/errors';
import { scheduleDrain, type DrainJob } from '../core/drainQueue';
import { promotionIdSchema, stockSchema, userIdSchema } from '../core/ids';
import { describeShopper } from '../core/status';
import type { WaitingRoom } from '../core/waitingRoom';
import { sendError, sendOk, validate } from './http';
import type { SoldOutCache } from './soldOutCache';

const shopperInput = z.strictObject({ promotionId: promotionIdSchema, userId: userIdSchema });
const promotionInput = z.strictObject({ promotionId: promotionIdSchema });
const initStockInput = z.strictObject({ promotionId: promotionIdSchema, stock: stockSchema });

export interface QueueRouteDeps {
  room: WaitingRoom;
  /** Joins go through it: a known sell-out is answered without Redis. */
  joins: SoldOutCache;
  drainQueue: Queue<DrainJob>;
  adminOnly: RequestHandler;
  defaults: { batchSize: number; intervalMs: number };
}

export function queueRoutes({
  room,
  joins,
  drainQueue,
  adminOnly,
  defaults,
}: QueueRouteDeps): Router {
  const router = Router();

  router.post('/api/coupon/queue/join', async (req, res) => {
    const { promotionId, userId } = validate(shopperInput, req.body);
    // A known sell-out is answered here, before any await: no Redis, no rejected promise.
    const soldOut = joins.refusal(promotionId, userId);
    if (soldOut) {
      sendError(res, soldOut);
      return;
    }
    const { record, served, joinedNow } = await joins.join(promotionId, userId);
    const state = describeShopper(promotionId, userId, record, served);
    if (state.status !== 'WAITING') {
      throw new AppError(
        ErrorCode.AlreadyProcessed,
        `Shopper ${userId} has already been through promotion ${promotionId}: ${state.status}.`,
        { ...state },
      );
    }
    const message = joinedNow
      ? `Joined the queue at position ${state.position}.`
      : `Already in the queue at position ${state.position}.`;
    sendOk(res, message, state);
  });

  router.get('/api/coupon/queue/status', async (req, res) => {
    const { promotionId, userId } = validate(shopperInput, req.query);
    const view = await room.shopper(promotionId, userId);
    if (!view.exists) {
      throw new AppError(ErrorCode.PromotionNotFound, `Promotion ${promotionId} does not exist.`);
    }
    const state = describeShopper(promotionId, userId, view.record, view.served);
    sendOk(res, `Status: ${state.status}.`, state);
  });

  router.post('/api/coupon/queue/init-stock', adminOnly, async (req, res) => {
    const { promotionId, stock } = validate(initStockInput, req.body);
    const result = await room.setStock(promotionId, stock, defaults);
    joins.forget(promotionId);
    const info = await room.info(promotionId);
    // Upserting every time is idempotent and repairs a schedule lost to an earlier failure.
    if (info) await scheduleDrain(drainQueue, promotionId, info.intervalMs);
    const verb = result.created ? 'Created promotion' : 'Set stock of promotion';
    sendOk(
      res,
      `${verb} ${promotionId}: ${stock} in total, ${info?.currentStock ?? 0} left.`,
      info,
    );
  });

  router.get('/api/coupon/queue/info', adminOnly, async (req, res) => {
    const { promotionId } = validate(promotionInput, req.query);
    const info = await room.info(promotionId);
    if (!info) {
      throw new AppError(ErrorCode.PromotionNotFound, `Promotion ${promotionId} does not exist.`);
    }
    sendOk(res, 'Queue info.', info);
  });

  return router;
}

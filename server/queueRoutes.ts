// The seed's API, exactly: join, status (shoppers); init-stock, info (admin).
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { AppError, ErrorCode } from '../core/errors';
import { promotionIdSchema, stockSchema, userIdSchema } from '../core/ids';
import { initStock } from '../core/promotions';
import { rehydrate } from '../core/rehydrate';
import type { Services } from '../core/services';
import { describeShopper } from '../core/status';
import { sendOk, validate } from './http';

const shopperInput = z.strictObject({ promotionId: promotionIdSchema, userId: userIdSchema });
const promotionInput = z.strictObject({ promotionId: promotionIdSchema });
const initStockInput = z.strictObject({ promotionId: promotionIdSchema, stock: stockSchema });

function notFound(promotionId: number): AppError {
  return new AppError(ErrorCode.PromotionNotFound, `Promotion ${promotionId} does not exist.`);
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
  if (!(await rehydrate(s, promotionId))) throw notFound(promotionId);
  const second = await attempt();
  if (second === null) throw notFound(promotionId);
  return second;
}

export function queueRoutes(s: Services, adminOnly: RequestHandler): Router {
  const router = Router();
  const { room } = s;

  router.post('/api/coupon/queue/join', async (req, res) => {
    const { promotionId, userId } = validate(shopperInput, req.body);
    const { record, served, joinedNow } = await withRehydration(s, promotionId, () =>
      room.join(promotionId, userId),
    );
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
    const view = await withRehydration(s, promotionId, async () => {
      const found = await room.shopper(promotionId, userId);
      return found.exists ? found : null;
    });
    const state = describeShopper(promotionId, userId, view.record, view.served);
    sendOk(res, `Status: ${state.status}.`, state);
  });

  router.post('/api/coupon/queue/init-stock', adminOnly, async (req, res) => {
    const { promotionId, stock } = validate(initStockInput, req.body);
    const { created, promotion } = await initStock(s, promotionId, stock);
    const verb = created ? 'Created promotion' : 'Set stock of promotion';
    const left = promotion.live?.currentStock ?? stock;
    sendOk(res, `${verb} ${promotionId}: ${stock} in total, ${left} left.`, promotion.live);
  });

  router.get('/api/coupon/queue/info', adminOnly, async (req, res) => {
    const { promotionId } = validate(promotionInput, req.query);
    const info = await withRehydration(s, promotionId, () => room.info(promotionId));
    sendOk(res, 'Queue info.', info);
  });

  return router;
}

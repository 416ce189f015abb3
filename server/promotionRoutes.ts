// Marketer and operator API (admin token): promotions CRUD, pause/resume/close,
// consistency report and resync.
import { Router } from 'express';
import { z } from 'zod';
import { checkConsistency, resync } from '../core/consistency';
import { promotionIdSchema, stockSchema } from '../core/ids';
import {
  changeState,
  createPromotion,
  deletePromotion,
  updatePromotionSettings,
  viewPromotion,
  viewPromotions,
  type StateAction,
} from '../core/promotions';
import type { Services } from '../core/services';
import { sendOk, validate } from './http';

const dateSchema = z.iso
  .datetime({ offset: true, error: 'must be an ISO 8601 date-time, e.g. 2026-11-27T09:00:00Z' })
  .transform((value) => new Date(value));

const settingFields = {
  name: z.string().trim().min(1, 'must not be empty').max(200),
  totalStock: stockSchema,
  batchSize: z.number().int().min(1).max(10000),
  intervalMs: z.number().int().min(10).max(3_600_000),
  startsAt: dateSchema.nullable(),
  endsAt: dateSchema.nullable(),
};

const startsBeforeEnd = (v: { startsAt?: Date | null; endsAt?: Date | null }) =>
  !v.startsAt || !v.endsAt || v.startsAt < v.endsAt;
const endAfterStart = { message: 'must be after startsAt', path: ['endsAt'] };

const createInput = z
  .strictObject({
    name: settingFields.name,
    totalStock: settingFields.totalStock,
    batchSize: settingFields.batchSize.optional(),
    intervalMs: settingFields.intervalMs.optional(),
    startsAt: settingFields.startsAt.optional(),
    endsAt: settingFields.endsAt.optional(),
  })
  .refine(startsBeforeEnd, endAfterStart);

const updateInput = z
  .strictObject({
    version: z.number().int().positive(),
    ...z.object(settingFields).partial().shape,
  })
  .refine(startsBeforeEnd, endAfterStart)
  .refine((v) => Object.keys(v).length > 1, 'give at least one field to change besides version');

const idParams = z.strictObject({ id: promotionIdSchema });
const deleteQuery = z.strictObject({
  coupons: z.enum(['keep', 'delete'], {
    error: "must be 'keep' or 'delete': say what happens to the promotion's coupons",
  }),
});

export function promotionRoutes(s: Services): Router {
  const router = Router();
  const id = (params: unknown) => validate(idParams, params).id;

  router.get('/api/promotions', async (_req, res) => {
    sendOk(res, 'Promotions.', await viewPromotions(s));
  });

  router.post('/api/promotions', async (req, res) => {
    const input = validate(createInput, req.body);
    const promotion = await createPromotion(s, {
      name: input.name,
      totalStock: input.totalStock,
      batchSize: input.batchSize ?? s.config.drainBatchSize,
      intervalMs: input.intervalMs ?? s.config.drainIntervalMs,
      startsAt: input.startsAt ?? null,
      endsAt: input.endsAt ?? null,
    });
    sendOk(res, `Created promotion ${promotion.id}.`, promotion, 201);
  });

  router.get('/api/promotions/:id', async (req, res) => {
    sendOk(res, 'Promotion.', await viewPromotion(s, id(req.params)));
  });

  router.patch('/api/promotions/:id', async (req, res) => {
    const promotionId = id(req.params);
    const { version, ...change } = validate(updateInput, req.body);
    const promotion = await updatePromotionSettings(s, promotionId, version, change);
    sendOk(res, `Updated promotion ${promotionId}.`, promotion);
  });

  for (const action of ['pause', 'resume', 'close'] as StateAction[]) {
    router.post(`/api/promotions/:id/${action}`, async (req, res) => {
      const promotion = await changeState(s, id(req.params), action);
      sendOk(res, `Promotion ${promotion.id} is ${promotion.state}.`, promotion);
    });
  }

  router.delete('/api/promotions/:id', async (req, res) => {
    const promotionId = id(req.params);
    const { coupons } = validate(deleteQuery, req.query);
    const result = await deletePromotion(s, promotionId, coupons);
    const kept =
      coupons === 'keep' ? 'its coupons are kept' : `${result.couponsDeleted} coupons deleted`;
    sendOk(res, `Deleted promotion ${promotionId}; ${kept}.`, result);
  });

  router.get('/api/promotions/:id/consistency', async (req, res) => {
    const report = await checkConsistency(s, id(req.params));
    sendOk(
      res,
      report.clean ? 'Redis and the database agree.' : 'Redis and the database differ.',
      report,
    );
  });

  router.post('/api/promotions/:id/resync', async (req, res) => {
    const result = await resync(s, id(req.params));
    sendOk(res, result.after.clean ? 'Resynced; clean.' : 'Resynced; differences remain.', result);
  });

  return router;
}

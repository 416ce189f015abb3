// Marketer and operator API (admin token): promotions CRUD, pause/resume/close,
// consistency report and resync.
import { z } from 'zod';
import { checkConsistency, resync } from '../../core/useCases/consistency';
import { ErrorCode } from '../../core/platform/errors';
import { promotionIdSchema, stockSchema } from '../../core/model/ids';
import {
  challengeCostRange,
  challengeKinds,
  promotionModes,
  queueingOrders,
  transitions,
  type StateAction,
} from '../../core/model/promotion';
import {
  changeState,
  createPromotion,
  deletePromotion,
  updatePromotionSettings,
  viewPromotion,
  viewPromotions,
} from '../../core/useCases/promotions';
import type { ServerDeps } from '../../core/useCases/deps';
import type { RouteFn } from '../http/route';
import { sendOk } from '../http/envelope';
import { consistencySchema, promotionSchema } from '../http/responseSchemas';
import * as sample from '../http/apiExamples';
import { pageSettingFields } from './pageFields';

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
  mode: z.enum(promotionModes, { error: "must be 'instant' or 'hold'" }).meta({
    description: 'instant: admission issues the coupon; hold: admission holds a unit to confirm',
  }),
  holdSeconds: z.number().int().min(1).max(86_400).meta({
    description: 'hold mode: seconds an admitted shopper has to confirm (required with hold)',
  }),
  prequeueAt: dateSchema.nullable().meta({
    description: 'From then until startsAt joins enter the pre-queue (must be before startsAt)',
  }),
  queueing: z.enum(queueingOrders, { error: "must be 'fifo' or 'random'" }).meta({
    description: "The pre-queue's order at startsAt: fifo (arrival) or random (a fair draw)",
  }),
  standby: z.boolean({ error: 'must be true or false' }).meta({
    description:
      'Shoppers failed SOLD_OUT get returned units first, in ticket order (default true)',
  }),
  challenge: z.enum(challengeKinds, { error: "must be 'none' or 'pow'" }).meta({
    description:
      'pow: a join carries a solved proof-of-work challenge (GET /api/coupon/queue/challenge)',
  }),
  challengeCost: z.number().int().min(challengeCostRange.min).max(challengeCostRange.max).meta({
    description:
      'pow: the largest secret number (ALTCHA maxnumber); a solver tries half on average, one SHA-256 each',
  }),
  ...pageSettingFields,
};

const startsBeforeEnd = (v: { startsAt?: Date | null; endsAt?: Date | null }) =>
  !v.startsAt || !v.endsAt || v.startsAt < v.endsAt;
const endAfterStart = { message: 'must be after startsAt', path: ['endsAt'] };
const prequeueBeforeStart = (v: { prequeueAt?: Date | null; startsAt?: Date | null }) =>
  !v.prequeueAt || !v.startsAt || v.prequeueAt < v.startsAt;
const prequeueFirst = { message: 'must be before startsAt', path: ['prequeueAt'] };

const createInput = z
  .strictObject({
    ...z.object(settingFields).partial().shape,
    name: settingFields.name,
    totalStock: settingFields.totalStock,
  })
  .refine(startsBeforeEnd, endAfterStart)
  .refine(prequeueBeforeStart, prequeueFirst);

const updateInput = z
  .strictObject({
    version: z.number().int().positive(),
    ...z.object(settingFields).partial().shape,
  })
  .refine(startsBeforeEnd, endAfterStart)
  .refine(prequeueBeforeStart, prequeueFirst)
  .refine((v) => Object.keys(v).length > 1, 'give at least one field to change besides version');

const idParams = z.strictObject({ id: promotionIdSchema });
const deleteQuery = z.strictObject({
  coupons: z.enum(['keep', 'delete'], {
    error: "must be 'keep' or 'delete': say what happens to the promotion's coupons",
  }),
});
const admin = { tag: 'promotions', access: 'admin' } as const;
const one = (message: string) => ({
  description: 'The promotion',
  data: promotionSchema,
  example: { message, data: sample.promotionExample },
});
const idExample = { params: { id: '1' } };

export function promotionRoutes(route: RouteFn, s: ServerDeps): void {
  route(
    {
      ...admin,
      method: 'get',
      path: '/api/promotions',
      summary: 'Every promotion with its live figures',
      description:
        'Called by the console: each promotion’s settings and its live counters (null when Redis has none).',
      response: {
        description: 'Promotions',
        data: z.array(promotionSchema),
        example: { message: 'Promotions.', data: [sample.promotionExample] },
      },
    },
    async (_input, _req, res) => {
      sendOk(res, 'Promotions.', await viewPromotions(s));
    },
  );

  route(
    {
      ...admin,
      method: 'post',
      path: '/api/promotions',
      summary: 'Create a promotion (open at once unless startsAt is later)',
      description:
        'Called by the console (or the shop’s backend) to start a sale: the promotion goes to the ' +
        'database, its room to Redis. Only name and totalStock are required. 400 also when ' +
        'endsAt is not after startsAt or prequeueAt not before it.',
      body: createInput,
      example: { body: sample.createPromotionExample },
      response: { ...one('Created promotion 1.'), status: 201 },
      errors: [ErrorCode.BadRequest],
    },
    async ({ body }, _req, res) => {
      const promotion = await createPromotion(s, body);
      sendOk(res, `Created promotion ${promotion.id}.`, promotion, 201);
    },
  );

  route(
    {
      ...admin,
      method: 'get',
      path: '/api/promotions/:id',
      summary: 'One promotion with its live figures',
      description:
        'Called by the console’s detail view and edit form (PATCH sends its version back).',
      params: idParams,
      example: idExample,
      response: one('Promotion.'),
      errors: [ErrorCode.PromotionNotFound],
    },
    async ({ params }, _req, res) => {
      sendOk(res, 'Promotion.', await viewPromotion(s, params.id));
    },
  );

  route(
    {
      ...admin,
      method: 'patch',
      path: '/api/promotions/:id',
      summary: 'Change settings; send the version you read (optimistic update)',
      description:
        'Called by the console’s edit form: changes only the fields sent, in the database and ' +
        'the live room at once.',
      params: idParams,
      body: updateInput,
      example: { params: { id: '1' }, body: { version: 3, totalStock: 120, batchSize: 50 } },
      response: one('Updated promotion 1.'),
      errors: [
        ErrorCode.PromotionNotFound,
        ErrorCode.VersionConflict,
        ErrorCode.StockBelowIssued,
        ErrorCode.PrequeueOpen,
      ],
    },
    async ({ params, body: { version, ...change } }, _req, res) => {
      const promotion = await updatePromotionSettings(s, params.id, version, change);
      sendOk(res, `Updated promotion ${params.id}.`, promotion);
    },
  );

  const actions: Record<StateAction, string> = {
    pause: 'Stop admissions; joins are still taken and keep their place',
    resume: 'Resume admissions',
    close: 'Refuse joins; everyone still waiting ends FAILED (CLOSED)',
  };
  for (const [action, summary] of Object.entries(actions) as [StateAction, string][]) {
    route(
      {
        ...admin,
        method: 'post',
        path: `/api/promotions/:id/${action}`,
        summary,
        description: `Called by the console’s ${action} button. ${summary}.`,
        params: idParams,
        example: idExample,
        response: one(`Promotion 1 is ${transitions[action].to}.`),
        errors: [ErrorCode.PromotionNotFound, ErrorCode.VersionConflict],
      },
      async ({ params }, _req, res) => {
        const promotion = await changeState(s, params.id, action);
        sendOk(res, `Promotion ${promotion.id} is ${promotion.state}.`, promotion);
      },
    );
  }

  route(
    {
      ...admin,
      method: 'delete',
      path: '/api/promotions/:id',
      summary: 'Delete a promotion: its Redis keys go; its coupons are kept or deleted, as asked',
      description:
        'Called by the console after the marketer confirms. The caller must say what happens ' +
        'to the coupons (coupons=keep or coupons=delete): there is no default for a loss.',
      params: idParams,
      query: deleteQuery,
      example: { params: { id: '1' }, query: { coupons: 'keep' } },
      response: {
        description: 'Deleted',
        data: z.object({ couponsDeleted: z.number().int() }),
        example: sample.deletedExample,
      },
      errors: [ErrorCode.PromotionNotFound, ErrorCode.BadRequest],
    },
    async ({ params, query }, _req, res) => {
      const result = await deletePromotion(s, params.id, query.coupons);
      const kept =
        query.coupons === 'keep'
          ? 'its coupons are kept'
          : `${result.couponsDeleted} coupons deleted`;
      sendOk(res, `Deleted promotion ${params.id}; ${kept}.`, result);
    },
  );

  route(
    {
      ...admin,
      method: 'get',
      path: '/api/promotions/:id/consistency',
      summary: 'Compare Redis with the database: stock, state, issued, every shopper’s coupon',
      description:
        'Called by an operator (or the console’s health view) to check that Redis and the ' +
        'database agree; changes nothing. drift counts the facts that differ.',
      params: idParams,
      example: idExample,
      response: {
        description: 'The report',
        data: consistencySchema,
        example: { message: 'Redis and the database agree.', data: sample.consistencyExample },
      },
      errors: [ErrorCode.PromotionNotFound],
    },
    async ({ params }, _req, res) => {
      const report = await checkConsistency(s, params.id);
      const message = report.clean
        ? 'Redis and the database agree.'
        : 'Redis and the database differ.';
      sendOk(res, message, report);
    },
  );

  route(
    {
      ...admin,
      method: 'post',
      path: '/api/promotions/:id/resync',
      summary: 'Repair Redis with the database as the record; reports before and after',
      description:
        'Called by an operator when the consistency report shows drift (the reconciler does ' +
        'it on its own with RECONCILE_REPAIR=auto): rewrites Redis from the database.',
      params: idParams,
      example: idExample,
      response: {
        description: 'Reports',
        data: z.object({ before: consistencySchema, after: consistencySchema }),
        example: { message: 'Resynced; clean.', data: sample.resyncExample },
      },
      errors: [ErrorCode.PromotionNotFound],
    },
    async ({ params }, _req, res) => {
      const result = await resync(s, params.id);
      sendOk(
        res,
        result.after.clean ? 'Resynced; clean.' : 'Resynced; differences remain.',
        result,
      );
    },
  );
}

// The coupon ledger (admin): a promotion's coupons in keyset pages, and all of
// them as CSV streamed with backpressure (flat memory however many there are).
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { promotionIdSchema } from '../../core/model/ids';
import { ErrorCode } from '../../core/platform/errors';
import type { ServerDeps } from '../../core/useCases/deps';
import { couponsCsv, listCoupons } from '../../core/useCases/ledger';
import type { RouteFn } from '../http/route';
import { sendOk } from '../http/envelope';
import { ledgerPageSchema } from '../http/responseSchemas';

const idParams = z.strictObject({ id: promotionIdSchema });

const pageQuery = z.strictObject({
  state: z.enum(['ISSUED', 'USED', 'CANCELLED', 'REVOKED']).optional(),
  userId: z.string().min(1).max(64).optional(),
  cursor: z
    .string()
    .regex(/^\d{1,18}$/, 'must be the nextCursor of the previous page')
    .optional()
    .meta({ description: "The previous page's nextCursor" }),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

const pageExample = {
  coupons: [
    {
      id: 57,
      code: '1-57-K7M3Q9XZ2A',
      userId: 'shopper-42',
      ticket: 57,
      state: 'USED' as const,
      issuedAt: '2026-12-01T09:00:42.000Z',
      changedAt: '2026-12-01T09:12:00.000Z',
    },
  ],
  nextCursor: '57',
  counts: { issued: 40, unused: 37, used: 3, cancelled: 0, revoked: 0 },
};

export function ledgerRoutes(route: RouteFn, s: ServerDeps): void {
  route(
    {
      method: 'get',
      path: '/api/promotions/:id/coupons',
      tag: 'coupons',
      access: 'admin',
      summary: "A promotion's coupons, oldest first, one keyset page at a time, with its totals",
      description:
        'Called by the console’s coupon ledger (search by state or userId, next page by ' +
        'cursor) and by the shop’s support staff looking up a shopper’s coupon.',
      params: idParams,
      query: pageQuery,
      example: { params: { id: '1' }, query: { state: 'USED', limit: '100' } },
      response: {
        description: 'A page of the ledger',
        data: ledgerPageSchema,
        example: { message: '1 coupon(s).', data: pageExample },
      },
      errors: [ErrorCode.PromotionNotFound],
    },
    async ({ params, query }, _req, res) => {
      const page = await listCoupons(s, params.id, query);
      sendOk(res, `${page.coupons.length} coupon(s).`, page);
    },
  );

  route(
    {
      method: 'get',
      path: '/api/promotions/:id/coupons.csv',
      tag: 'coupons',
      access: 'admin',
      summary:
        'Every coupon of a promotion as CSV: code, userId, ticket, state, issuedAt, changedAt',
      description:
        'Called by the console’s export button: every coupon as a CSV file, streamed in ' +
        'batches, so memory stays flat however many there are.',
      params: idParams,
      example: { params: { id: '1' } },
      response: {
        description: 'CSV, streamed',
        contentType: 'text/csv',
        example:
          'code,userId,ticket,state,issuedAt,changedAt\n' +
          '1-57-K7M3Q9XZ2A,shopper-42,57,USED,2026-12-01T09:00:42.000Z,2026-12-01T09:12:00.000Z\n',
      },
      errors: [ErrorCode.PromotionNotFound],
    },
    async ({ params }, _req, res) => {
      const chunks = await couponsCsv(s, params.id);
      res.status(200);
      res.setHeader('content-type', 'text/csv; charset=utf-8');
      res.setHeader('content-disposition', `attachment; filename="coupons-${params.id}.csv"`);
      // pipeline waits for the socket to drain before the next batch is read.
      await pipeline(Readable.from(chunks), res);
    },
  );
}

// Coupon lifecycle: use and cancel (the coupon's owner, or the shop's backend
// with the admin token), revoke (admin). The code alone proves nothing.
import { z } from 'zod';
import { changeCoupon, type CouponAction } from '../../core/useCases/coupons';
import { couponCodePattern } from '../../core/model/couponCode';
import { ErrorCode } from '../../core/platform/errors';
import type { ServerDeps } from '../../core/useCases/deps';
import type { RouteFn } from '../http/route';
import type { RequestHandler } from 'express';
import { perIp, type Limiters } from '../http/rateLimit';
import { isAdminToken } from '../http/adminAuth';
import { bearerOf } from '../http/shopperAuth';
import { sendOk } from '../http/envelope';
import { couponSchema } from '../http/responseSchemas';
import { couponExample } from '../http/apiExamples';

const codeParams = z.strictObject({
  code: z.string().regex(couponCodePattern, 'is not a coupon code (like 42-17-K7M3Q9XZ2A)'),
});

const lifecycle: Record<
  CouponAction,
  { access: 'owner' | 'admin'; summary: string; description: string; state: string }
> = {
  use: {
    access: 'owner',
    summary: 'Use an issued coupon (its owner, or the shop’s backend)',
    description:
      'Called by the shop’s checkout (admin token) or the shopper’s page (their proof) when ' +
      'the coupon is spent. The code alone proves nothing: the caller must own it.',
    state: 'USED',
  },
  cancel: {
    access: 'owner',
    summary:
      'Cancel an issued coupon (its owner, or the shop’s backend); one unit returns to stock',
    description:
      'Called by the shopper who no longer wants the coupon, or the shop’s backend: the unit ' +
      'goes back to stock (standby line first).',
    state: 'CANCELLED',
  },
  revoke: {
    access: 'admin',
    summary: 'Revoke an issued coupon; one unit returns to stock',
    description:
      'Called by an operator to take back a coupon (fraud, a duplicate account): the unit goes ' +
      'back to stock (standby line first).',
    state: 'REVOKED',
  },
};

export function couponRoutes(route: RouteFn, s: ServerDeps, limits: Limiters): void {
  // Per IP for shoppers (and guessers), before any proof is checked; the shop's
  // checkout backend, calling with the admin token, is not held to it.
  const isAdmin = isAdminToken(s.config.adminToken);
  const shopperIpLimit = perIp(limits['coupon-ip']);
  const limitShoppers: RequestHandler = (req, res, next) => {
    const bearer = bearerOf(req);
    if (bearer && isAdmin(bearer)) next();
    else shopperIpLimit(req, res, next);
  };
  for (const [action, { access, summary, description, state }] of Object.entries(lifecycle) as [
    CouponAction,
    (typeof lifecycle)[CouponAction],
  ][]) {
    route(
      {
        method: 'post',
        path: `/api/coupons/:code/${action}`,
        tag: 'coupons',
        access,
        summary,
        description,
        params: codeParams,
        example: { params: { code: couponExample.code } },
        response: {
          description: 'The coupon after the change',
          data: couponSchema,
          example: {
            message: `Coupon ${couponExample.code} is ${state}.`,
            data: { ...couponExample, state, unitReturned: action !== 'use' },
          },
        },
        errors: [ErrorCode.CouponNotFound, ErrorCode.CouponStateConflict, ErrorCode.RateLimited],
        before: access === 'owner' ? [limitShoppers] : [],
      },
      async ({ params: { code }, caller }, _req, res) => {
        // Per shopper: the owner's proof names them (the shop's backend is not limited here).
        if (caller.kind === 'shopper') await limits['coupon-user'].consume(caller.userId);
        if (caller.kind === 'holder') await limits['coupon-user'].consume(caller.claims.userId);
        const { coupon, unitReturned } = await changeCoupon(s, code, action, caller);
        const stock = unitReturned ? ' One unit went back to stock.' : '';
        sendOk(res, `Coupon ${code} is ${coupon.state}.${stock}`, { ...coupon, unitReturned });
      },
    );
  }
}

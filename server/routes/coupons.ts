// Coupon lifecycle: use and cancel (the code is the shopper's credential),
// revoke (admin).
import { z } from 'zod';
import { changeCoupon, type CouponAction } from '../../core/useCases/coupons';
import { couponCodePattern } from '../../core/model/couponCode';
import { ErrorCode } from '../../core/platform/errors';
import type { ServerDeps } from '../../core/useCases/deps';
import type { RouteFn } from '../http/route';
import { sendOk } from '../http/envelope';
import { couponSchema } from '../http/responseSchemas';

const codeParams = z.strictObject({
  code: z.string().regex(couponCodePattern, 'is not a coupon code (like 42-17-K7M3Q9XZ2A)'),
});

const lifecycle: Record<CouponAction, { admin: boolean; summary: string }> = {
  use: { admin: false, summary: 'Use an issued coupon (the code is the credential)' },
  cancel: { admin: false, summary: 'Cancel an issued coupon; one unit returns to stock' },
  revoke: { admin: true, summary: 'Revoke an issued coupon; one unit returns to stock' },
};

export function couponRoutes(route: RouteFn, s: ServerDeps): void {
  for (const [action, { admin, summary }] of Object.entries(lifecycle) as [
    CouponAction,
    (typeof lifecycle)[CouponAction],
  ][]) {
    route(
      {
        method: 'post',
        path: `/api/coupons/:code/${action}`,
        tag: 'coupons',
        admin,
        summary,
        params: codeParams,
        response: { description: 'The coupon after the change', data: couponSchema },
        errors: [ErrorCode.CouponNotFound, ErrorCode.CouponStateConflict],
      },
      async ({ params: { code } }, _req, res) => {
        const { coupon, unitReturned } = await changeCoupon(s, code, action);
        const stock = unitReturned ? ' One unit went back to stock.' : '';
        sendOk(res, `Coupon ${code} is ${coupon.state}.${stock}`, { ...coupon, unitReturned });
      },
    );
  }
}

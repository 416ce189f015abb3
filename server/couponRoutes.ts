// Coupon lifecycle: use and cancel (the code is the shopper's credential),
// revoke (admin), and the dead letters of the write-behind (admin).
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { changeCoupon, couponCodePattern, type CouponAction } from '../core/coupons';
import { AppError, ErrorCode } from '../core/errors';
import type { Services } from '../core/services';
import { sendOk, validate } from './http';

const codeParams = z.strictObject({
  code: z.string().regex(couponCodePattern, 'is not a coupon code (like 42-17-K7M3Q9XZ2A)'),
});
const letterParams = z.strictObject({ id: z.string().regex(/^[A-Za-z0-9_.:@-]{1,160}$/) });

export function couponRoutes(s: Services, adminOnly: RequestHandler): Router {
  const router = Router();

  const lifecycle = (action: CouponAction) => {
    const handler: RequestHandler = async (req, res) => {
      const { code } = validate(codeParams, req.params);
      const { coupon, unitReturned } = await changeCoupon(s, code, action);
      const stock = unitReturned ? ' One unit went back to stock.' : '';
      sendOk(res, `Coupon ${code} is ${coupon.state}.${stock}`, { ...coupon, unitReturned });
    };
    return handler;
  };
  router.post('/api/coupons/:code/use', lifecycle('use'));
  router.post('/api/coupons/:code/cancel', lifecycle('cancel'));
  router.post('/api/coupons/:code/revoke', adminOnly, lifecycle('revoke'));

  router.get('/api/dead-letters', adminOnly, async (_req, res) => {
    const letters = await s.deadLetters.list();
    sendOk(res, `${letters.length} dead letter(s).`, letters);
  });

  /** Replays one dead letter: its decision goes back on the log, or its persist job runs again. */
  router.post('/api/dead-letters/:id/replay', adminOnly, async (req, res) => {
    const { id } = validate(letterParams, req.params);
    const letter = await s.deadLetters.take(id);
    if (!letter) throw new AppError(ErrorCode.NotFound, `No dead letter ${id}.`);
    if (letter.kind === 'decision') {
      await s.log.append(letter.promotionId, [
        { ...letter.decision, issuedAt: new Date(letter.decision.issuedAt) },
      ]);
    }
    await s.requestPersist(letter.promotionId);
    sendOk(
      res,
      `Replayed ${id}; persistence for promotion ${letter.promotionId} is queued.`,
      letter,
    );
  });

  return router;
}

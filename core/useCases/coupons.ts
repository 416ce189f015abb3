// Shopper and operator use cases on issued coupons: use, cancel (the owner or
// the shop's backend), revoke (admin).
// The database row changes first (the record); then the shopper's Redis record
// takes the new state (status stays a Redis read) and their pages hear it, and a
// cancelled or revoked unit goes back to Redis stock exactly once per code. If
// Redis is away at that moment, reconciliation returns the unit (and the state)
// later from the record.
import { findCoupon, transitionCoupon, type Coupon } from '../db/couponsRepo';
import { AppError, ErrorCode } from '../platform/errors';
import { promotionOfCode } from '../model/couponCode';
import { describeShopper } from '../model/shopperState';
import type { LivePublisher } from '../live/publisher';
import { persistPending } from '../writeBehind/persistence';
import type { Services } from '../services';
import type { StockWatch } from './deps';
import { requireOwner, type Caller } from './callers';

/** What the coupon lifecycle touches: the record, the write-behind, the unit going back. */
export type CouponDeps = Pick<Services, 'db' | 'room' | 'log' | 'deadLetters' | 'logger'> & {
  /** Tells the owner's pages the coupon's new state; a process without pages has none. */
  publisher?: Pick<LivePublisher, 'state' | 'flush'>;
};

export type CouponAction = 'use' | 'cancel' | 'revoke';

const target = { use: 'USED', cancel: 'CANCELLED', revoke: 'REVOKED' } as const;

async function lookUp(s: CouponDeps, code: string): Promise<Coupon> {
  const found = await findCoupon(s.db, code);
  if (found) return found;
  // Decided in Redis but not yet written: write it now, then look again.
  const promotionId = promotionOfCode(code);
  if (promotionId === null)
    throw new AppError(ErrorCode.CouponNotFound, `No coupon has code ${code}.`);
  await persistPending(s.db, s.log, s.deadLetters, promotionId);
  const persisted = await findCoupon(s.db, code);
  if (!persisted) throw new AppError(ErrorCode.CouponNotFound, `No coupon has code ${code}.`);
  return persisted;
}

/**
 * The shopper's record and pages learn the committed state. A failure here loses
 * nothing: the database holds the state and reconciliation writes it back.
 */
async function tellShopper(
  s: CouponDeps,
  coupon: Coupon,
  state: (typeof target)[CouponAction],
): Promise<void> {
  try {
    if (!(await s.room.markCoupon(coupon.promotionId, coupon, state))) return;
    const { promotionId, userId, ticket, code } = coupon;
    const record = { status: 'COMPLETED', ticket, couponCode: code, couponState: state } as const;
    s.publisher?.state(describeShopper(promotionId, userId, record, 0));
    await s.publisher?.flush();
  } catch (err) {
    s.logger.warn(
      { err: (err as Error).message, code: coupon.code, state },
      'coupon state not written to Redis yet; reconciliation will write it',
    );
  }
}

export async function changeCoupon(
  s: CouponDeps & StockWatch,
  code: string,
  action: CouponAction,
  caller: Caller,
): Promise<{ coupon: Coupon; unitReturned: boolean }> {
  const coupon = await lookUp(s, code);
  // The code alone is no credential: its owner's proof, or the admin token.
  requireOwner(caller, coupon);
  if (!(await transitionCoupon(s.db, coupon, target[action]))) {
    const now = (await findCoupon(s.db, code)) ?? coupon;
    throw new AppError(
      ErrorCode.CouponStateConflict,
      `Coupon ${code} is ${now.state}; only an ISSUED coupon can be ${target[action].toLowerCase()}.`,
      { state: now.state },
    );
  }
  await tellShopper(s, coupon, target[action]);
  let unitReturned = false;
  if (action !== 'use') {
    try {
      unitReturned = await s.room.returnUnit(coupon.promotionId, code);
      if (unitReturned) {
        s.joins?.forget(coupon.promotionId); // stock came back: joins reopen
        s.logger.info(
          { promotionId: coupon.promotionId, code, state: target[action] },
          'unit returned to stock',
        );
      }
    } catch (err) {
      s.logger.warn(
        { err: (err as Error).message, code },
        'unit not returned to Redis yet; reconciliation will return it',
      );
    }
  }
  return { coupon: { ...coupon, state: target[action] }, unitReturned };
}

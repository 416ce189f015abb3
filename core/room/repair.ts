// Repair paths (recovery, reconciliation, coupon returns): set counters from the
// database's record, put shoppers and returned units back, and visit every shopper.
import type { PromotionState } from '../model/promotion';
import {
  couponStateSuffix,
  encodeRecord,
  parseRecord,
  type CouponState,
  type ShopperRecord,
} from '../model/shopperRecord';
import { keysOf, type RoomContext } from './context';
import { asReply } from './replies';

/** Redis commands per pipeline or variadic call, so no single call grows unbounded. */
const chunk = 1000;

/** Puts a coupon's unit back into stock; true only the first time for a code. */
export async function returnUnit(
  ctx: RoomContext,
  promotionId: number,
  code: string,
): Promise<boolean> {
  const k = keysOf(ctx, promotionId);
  return (await ctx.scripts.returnUnit(k.meta, k.returned, code)) === 1;
}

/** The shopper's record says what the database committed: used, cancelled or revoked. */
export async function markCoupon(
  ctx: RoomContext,
  promotionId: number,
  coupon: { userId: string; code: string },
  state: CouponState,
): Promise<boolean> {
  const k = keysOf(ctx, promotionId);
  const suffix = couponStateSuffix(state);
  return (await ctx.scripts.markCoupon(k.users, coupon.userId, coupon.code, suffix)) === 1;
}

/** Sets total, state and issued from the database's record (see resyncCounts). */
export async function resyncCounts(
  ctx: RoomContext,
  promotionId: number,
  totalStock: number,
  state: PromotionState,
  holdingInDb: number,
): Promise<{ issuedBefore: number; issuedAfter: number }> {
  const k = keysOf(ctx, promotionId);
  const [before, after] = asReply(
    await ctx.scripts.resyncCounts(k.meta, k.decisions, k.holds, totalStock, state, holdingInDb),
  ).map(Number);
  return { issuedBefore: Number(before), issuedAfter: Number(after) };
}

/** A coupon as the database records it; `state` unset: ISSUED (a decision not yet persisted). */
export interface RestoredCoupon {
  userId: string;
  ticket: number;
  code: string;
  state?: CouponState;
}

/** Marks shoppers as holding their coupon (in its recorded state), and notes codes already returned. */
export async function restoreShoppers(
  ctx: RoomContext,
  promotionId: number,
  completed: RestoredCoupon[],
  returnedCodes: string[],
  { overwrite = false } = {},
): Promise<void> {
  const k = keysOf(ctx, promotionId);
  for (let i = 0; i < completed.length; i += chunk) {
    const pipeline = ctx.redis.pipeline();
    for (const c of completed.slice(i, i + chunk)) {
      const record = encodeRecord({
        status: 'COMPLETED',
        ticket: c.ticket,
        couponCode: c.code,
        couponState: c.state ?? 'ISSUED',
      });
      if (overwrite) pipeline.hset(k.users, c.userId, record);
      else pipeline.hsetnx(k.users, c.userId, record);
    }
    await pipeline.exec();
  }
  for (let i = 0; i < returnedCodes.length; i += chunk) {
    await ctx.redis.sadd(k.returned, ...returnedCodes.slice(i, i + chunk));
  }
}

/** Visits every shopper record (HSCAN, in chunks): O(shoppers), for repair paths only. */
export async function scanShoppers(
  ctx: RoomContext,
  promotionId: number,
  visit: (userId: string, record: ShopperRecord) => void,
): Promise<void> {
  const { users } = keysOf(ctx, promotionId);
  let cursor = '0';
  do {
    const [next, flat] = await ctx.redis.hscan(users, cursor, 'COUNT', chunk);
    cursor = next;
    for (let i = 0; i + 1 < flat.length; i += 2) {
      visit(String(flat[i]), parseRecord(String(flat[i + 1])));
    }
  } while (cursor !== '0');
}

/** One page of the shoppers Redis knows (HSCAN: bounded work per call; cursor "0" ends). */
export async function scanShopperIds(
  ctx: RoomContext,
  promotionId: number,
  cursor: string,
  count = chunk,
): Promise<{ cursor: string; userIds: string[] }> {
  const [next, flat] = await ctx.redis.hscan(
    keysOf(ctx, promotionId).users,
    cursor,
    'COUNT',
    count,
  );
  const userIds: string[] = [];
  for (let i = 0; i < flat.length; i += 2) userIds.push(flat[i] ?? '');
  return { cursor: next, userIds };
}

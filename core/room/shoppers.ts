// The shopper-facing decisions: join the line, read one's own state, and in
// hold mode confirm or release the held unit.
import type { ShopperRecord } from '../model/shopperRecord';
import { parseRecord } from '../model/shopperRecord';
import { keysOf, type RoomContext } from './context';
import { Refusal, refusalError } from './refusals';
import { holdOutcome, joinOutcome, type HoldOutcome, type JoinOutcome } from './replies';

export interface ShopperView {
  /** False when the promotion does not exist. */
  exists: boolean;
  record: ShopperRecord | null;
  served: number;
}

export async function join(
  ctx: RoomContext,
  promotionId: number,
  userId: string,
): Promise<JoinOutcome | null> {
  const k = keysOf(ctx, promotionId);
  const reply = await ctx.scripts.joinQueue(k.meta, k.users, k.waiting, userId, Date.now());
  // No state: the caller rebuilds it from the database and asks again (useCases/rehydrate).
  if (reply === Refusal.PromotionNotFound) return null;
  if (typeof reply === 'number') throw refusalError(reply, promotionId);
  return joinOutcome(reply);
}

export async function shopper(
  ctx: RoomContext,
  promotionId: number,
  userId: string,
): Promise<ShopperView> {
  const k = keysOf(ctx, promotionId);
  const [record, [state, served]] = await Promise.all([
    ctx.redis.hget(k.users, userId),
    ctx.redis.hmget(k.meta, 'state', 'served'),
  ]);
  return {
    exists: state !== null && state !== undefined,
    record: record === null ? null : parseRecord(record),
    served: Number(served ?? 0),
  };
}

/** HELD -> COMPLETED with the code fixed at admission, unless the deadline passed (then EXPIRED). */
export async function confirmHold(
  ctx: RoomContext,
  promotionId: number,
  userId: string,
): Promise<HoldOutcome> {
  const k = keysOf(ctx, promotionId);
  return holdOutcome(await ctx.scripts.confirmHold(k.meta, k.users, k.holds, k.decisions, userId));
}

/** HELD -> RELEASED (EXPIRED if past the deadline): the unit goes back to stock. */
export async function releaseHold(
  ctx: RoomContext,
  promotionId: number,
  userId: string,
): Promise<HoldOutcome> {
  const k = keysOf(ctx, promotionId);
  return holdOutcome(await ctx.scripts.releaseHold(k.meta, k.users, k.holds, userId));
}

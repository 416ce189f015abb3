// A promotion's state in Redis as a whole: create or update its settings,
// rebuild it after a loss, delete it, and read its counters.
import { defaultChallengeCost, type PromotionMode, type RoomSettings } from '../model/promotion';
import { keysOf, type RoomContext } from './context';
import { promotionIndexKey } from './keys';
import { infoFromMeta, type PromotionInfo } from './promotionInfo';
import { Refusal, refusalError } from './refusals';
import { asReply } from './replies';

const msOrEmpty = (date: Date | null) => (date ? date.getTime() : '');

/** The settings' ARGV, in the order savePromotion and restorePromotion both take them. */
function settingArgs(s: RoomSettings): (string | number)[] {
  const mode: PromotionMode = s.mode ?? 'instant';
  return [
    s.state,
    s.batchSize,
    s.intervalMs,
    msOrEmpty(s.startsAt),
    msOrEmpty(s.endsAt),
    mode,
    (s.holdSeconds ?? 0) * 1000,
    msOrEmpty(s.prequeueAt ?? null),
    s.queueing ?? 'fifo',
    s.standby === false ? 0 : 1,
    s.challenge ?? 'none',
    s.challengeCost ?? defaultChallengeCost,
  ];
}

/** Creates the promotion's state if new, or updates its settings; refuses stock below issued. */
export async function save(
  ctx: RoomContext,
  promotionId: number,
  settings: RoomSettings,
): Promise<{ created: boolean; totalStock: number; issued: number }> {
  const k = keysOf(ctx, promotionId);
  const [flag, total, issued] = asReply(
    await ctx.scripts.savePromotion(k.meta, settings.totalStock, ...settingArgs(settings)),
  ).map(Number);
  const counts = { total: Number(total), issued: Number(issued) };
  if (flag === Refusal.StockBelowIssued)
    throw refusalError(Refusal.StockBelowIssued, promotionId, counts);
  await ctx.redis.sadd(promotionIndexKey(ctx.prefix), promotionId);
  return { created: flag === 1, totalStock: counts.total, issued: counts.issued };
}

/** Rebuilds lost counters (see restorePromotion); false when the state was already there. */
export async function restore(
  ctx: RoomContext,
  promotionId: number,
  settings: RoomSettings,
  counts: { issued: number; lastTicket: number },
): Promise<boolean> {
  const k = keysOf(ctx, promotionId);
  const rebuilt = await ctx.scripts.restorePromotion(
    k.meta,
    settings.totalStock,
    counts.issued,
    counts.lastTicket,
    ...settingArgs(settings),
  );
  await ctx.redis.sadd(promotionIndexKey(ctx.prefix), promotionId);
  return rebuilt === 1;
}

/** Removes every key of a promotion and its index entry. */
export async function deleteState(ctx: RoomContext, promotionId: number): Promise<void> {
  await ctx.redis.del(...(Object.values(keysOf(ctx, promotionId)) as string[]));
  await ctx.redis.srem(promotionIndexKey(ctx.prefix), promotionId);
}

export async function promotionIds(ctx: RoomContext): Promise<number[]> {
  const ids = await ctx.redis.smembers(promotionIndexKey(ctx.prefix));
  return ids.map(Number).sort((a, b) => a - b);
}

export async function info(ctx: RoomContext, promotionId: number): Promise<PromotionInfo | null> {
  const k = keysOf(ctx, promotionId);
  const [meta, queueSize, processingCount, pendingPersist, pendingHolds, prequeued, standbyLine] =
    await Promise.all([
      ctx.redis.hgetall(k.meta),
      ctx.redis.llen(k.waiting),
      ctx.redis.zcard(k.processing),
      ctx.redis.xlen(k.decisions),
      ctx.redis.xlen(k.holdLog),
      ctx.redis.zcard(k.prequeue),
      ctx.redis.zcard(k.standby),
    ]);
  return infoFromMeta(promotionId, meta, {
    queueSize,
    processingCount,
    // Hold changes wait for the same persist job (their events), so they count too.
    pendingPersist: pendingPersist + pendingHolds,
    prequeued,
    standbyLine,
  });
}

/** The held counter and the holds index, read at one instant (MULTI): equal unless something is broken. */
export async function holdCounts(
  ctx: RoomContext,
  promotionId: number,
): Promise<{ held: number; indexed: number }> {
  const k = keysOf(ctx, promotionId);
  const replies = await ctx.redis.multi().hget(k.meta, 'held').zcard(k.holds).exec();
  const [held, indexed] = (replies ?? []).map(([err, value]) => {
    if (err) throw err;
    return Number(value ?? 0);
  });
  return { held: held ?? 0, indexed: indexed ?? 0 };
}

/** The admitted-per-second rate the worker last stored, or null (none, or unreadable). */
export async function storedRate(ctx: RoomContext, promotionId: number): Promise<number | null> {
  return parseRate(await ctx.redis.get(keysOf(ctx, promotionId).drainRate));
}

/** The stored drain rate as a number, or null (none, or unreadable). */
export function parseRate(stored: string | null | undefined): number | null {
  const rate = stored === null || stored === undefined ? NaN : Number(stored);
  return Number.isFinite(rate) ? rate : null;
}

/** Tickets handed out so far. Only joins add shoppers, and every one moves it. */
export async function joinedCount(ctx: RoomContext, promotionId: number): Promise<number> {
  return Number((await ctx.redis.hget(keysOf(ctx, promotionId).meta, 'seq')) ?? 0);
}

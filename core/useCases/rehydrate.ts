// Rebuilds a promotion's Redis state from the database when Redis lost it (a
// restart with no persistence, a flush), before any join or drain touches it:
// remaining = total - coupons holding a unit; every shopper who ever got a coupon
// is restored, so nobody can win twice. Never treated as zero or as full stock.
// Holds (hold mode) live only in Redis: lost with it, their units are available
// again and their shoppers, unknown now, may join again.
import type { Db } from '../db/connection';
import { couponsOf } from '../db/couponsRepo';
import { getPromotion } from '../db/promotionsRepo';
import { roomSettings } from '../model/promotion';
import { promotionNotFound } from '../platform/errors';
import type { DecisionLog } from '../writeBehind/decisionLog';
import type { WaitingRoom } from '../room/waitingRoom';
import type { Logger } from '../platform/logger';
import type { UnknownPromotions } from './unknownPromotions';

export interface RehydrateDeps {
  db: Db;
  room: WaitingRoom;
  log: DecisionLog;
  /** Says when a lost state (stock key and all) is rebuilt; processes pass theirs. */
  logger?: Pick<Logger, 'warn'>;
  /** Re-creates the drain schedule (BullMQ's keys went with the rest of Redis). */
  schedule: (promotionId: number, intervalMs: number) => Promise<void>;
  /** Ids the database recently said do not exist (a server has one; the worker none). */
  unknown?: UnknownPromotions;
}

/**
 * The one way to touch a promotion's Redis state: run `attempt` (a read or a
 * decision that answers null when Redis has no state for the promotion); if it
 * does, rebuild the state from the database once and run it again. Null means
 * the promotion does not exist (unknown or deleted).
 */
export async function withRebuild<T>(
  deps: RehydrateDeps,
  promotionId: number,
  attempt: () => Promise<T | null>,
): Promise<T | null> {
  const first = await attempt();
  if (first !== null) return first;
  if (!(await rehydrate(deps, promotionId))) return null;
  return attempt();
}

/** withRebuild for callers that answer a person: an unknown promotion is a 404. */
export async function requireRebuilt<T>(
  deps: RehydrateDeps,
  promotionId: number,
  attempt: () => Promise<T | null>,
): Promise<T> {
  const result = await withRebuild(deps, promotionId, attempt);
  if (result === null) throw promotionNotFound(promotionId);
  return result;
}

/** Makes sure Redis holds the promotion's state (rebuilt if lost); false if it does not exist. */
export async function ensureRoomState(deps: RehydrateDeps, promotionId: number): Promise<boolean> {
  return (await withRebuild(deps, promotionId, () => deps.room.info(promotionId))) !== null;
}

/** True if the promotion exists (rebuilt now or already there); false if unknown or deleted. */
async function rehydrate(deps: RehydrateDeps, promotionId: number): Promise<boolean> {
  const { db, room, log, unknown } = deps;
  if (unknown?.has(promotionId)) return false;
  const promotion = await getPromotion(db, promotionId);
  if (!promotion || promotion.state === 'DELETED') {
    unknown?.add(promotionId);
    return false;
  }
  if (await room.info(promotionId)) return true;

  const coupons = await couponsOf(db, promotionId);
  const recorded = new Set(coupons.map((c) => c.code));
  // Decisions still in the write-behind log (if it survived) hold units too.
  const unpersisted = (await log.pending(promotionId, promotion.totalStock + 1)).filter(
    (d) => !recorded.has(d.code),
  );
  await room.restoreShoppers(
    promotionId,
    [...coupons, ...unpersisted],
    coupons.filter((c) => c.state === 'CANCELLED' || c.state === 'REVOKED').map((c) => c.code),
  );
  let lastTicket = 0;
  await room.scanShoppers(promotionId, (_user, record) => {
    lastTicket = Math.max(lastTicket, record.ticket);
  });
  const holding = coupons.filter((c) => c.state === 'ISSUED' || c.state === 'USED').length;
  const issued = holding + unpersisted.length;
  if (await room.restore(promotionId, roomSettings(promotion), { issued, lastTicket })) {
    deps.logger?.warn(
      { promotionId, totalStock: promotion.totalStock, issued, lastTicket },
      'stock key missing in Redis: rebuilt from the database',
    );
  }
  await deps.schedule(promotionId, promotion.intervalMs);
  return true;
}

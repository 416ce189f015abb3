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
import type { DecisionLog } from '../writeBehind/decisionLog';
import type { WaitingRoom } from '../room/waitingRoom';

export interface RehydrateDeps {
  db: Db;
  room: WaitingRoom;
  log: DecisionLog;
  /** Re-creates the drain schedule (BullMQ's keys went with the rest of Redis). */
  schedule: (promotionId: number, intervalMs: number) => Promise<void>;
}

/** True if the promotion exists (rebuilt now or already there); false if unknown or deleted. */
export async function rehydrate(deps: RehydrateDeps, promotionId: number): Promise<boolean> {
  const { db, room, log } = deps;
  const promotion = await getPromotion(db, promotionId);
  if (!promotion || promotion.state === 'DELETED') return false;
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
  await room.restore(promotionId, roomSettings(promotion), {
    issued: holding + unpersisted.length,
    lastTicket,
  });
  await deps.schedule(promotionId, promotion.intervalMs);
  return true;
}

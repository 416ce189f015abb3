// A promotion's progress message, built in one place: by the worker after each
// tick (with the rate it measured) and by a server when a page (re)connects
// (with the rate the worker last stored).
import type { PromotionProgress } from './contract';
import { nominalRate } from './drainRate';
import { reachOf } from './contract';
import type { PromotionInfo, WaitingRoom } from '../room/waitingRoom';

export function progressOf(info: PromotionInfo, drainRate: number, at: number): PromotionProgress {
  const rate = Math.round(drainRate * 100) / 100;
  const reach = reachOf({
    total: info.totalStock,
    issued: info.issued,
    processing: info.processingCount,
    standbyLine: info.standby && info.state !== 'CLOSED' ? info.standbyLine : 0,
  });
  return {
    promotionId: info.promotionId,
    state: info.state,
    served: info.served,
    joined: info.joined,
    remainingStock: info.currentStock,
    queueSize: info.queueSize,
    drainRate: rate,
    etaSeconds: rate > 0 ? Math.ceil(info.queueSize / rate) : null,
    // Held units may still come back to the line: not sold out while any is held.
    soldOut: info.currentStock === 0 && info.held === 0,
    reach,
    beyondStock: info.queueSize > reach,
    at,
  };
}

/** The progress a (re)connecting page sees first; null when the promotion does not exist. */
export async function currentProgress(
  room: WaitingRoom,
  promotionId: number,
): Promise<PromotionProgress | null> {
  const [info, stored] = await Promise.all([room.info(promotionId), room.storedRate(promotionId)]);
  if (!info) return null;
  return progressOf(info, stored ?? nominalRate(info), Date.now());
}

// A promotion's progress message, built in one place: by the worker after each
// tick (with the rate it measured) and by a server when a page (re)connects
// (with the rate the worker last stored).
import type { RedisClient } from '../platform/redis';
import type { PromotionProgress } from './contract';
import { promotionKeys } from '../room/keys';
import type { PromotionInfo, WaitingRoom } from '../room/waitingRoom';

/** The configured rate, used until the worker has measured one. */
export function nominalRate(info: PromotionInfo): number {
  return info.intervalMs > 0 ? (info.batchSize * 1000) / info.intervalMs : 0;
}

export function progressOf(info: PromotionInfo, drainRate: number, at: number): PromotionProgress {
  const rate = Math.round(drainRate * 100) / 100;
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
    at,
  };
}

export async function saveDrainRate(
  redis: RedisClient,
  prefix: string,
  promotionId: number,
  rate: number,
): Promise<void> {
  await redis.set(promotionKeys(prefix, promotionId).drainRate, rate.toFixed(3));
}

/** The progress a (re)connecting page sees first; null when the promotion does not exist. */
export async function currentProgress(
  room: WaitingRoom,
  redis: RedisClient,
  prefix: string,
  promotionId: number,
): Promise<PromotionProgress | null> {
  const [info, stored] = await Promise.all([
    room.info(promotionId),
    redis.get(promotionKeys(prefix, promotionId).drainRate),
  ]);
  if (!info) return null;
  const measured = stored === null ? NaN : Number(stored);
  return progressOf(info, Number.isFinite(measured) ? measured : nominalRate(info), Date.now());
}

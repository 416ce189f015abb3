// What the line says: a shopper's own state and a promotion's counters, read
// from Redis (rebuilt from the database first if Redis lost the promotion).
import type { ShopperState } from '../model/shopperState';
import type { PromotionInfo } from '../room/waitingRoom';
import { describeLine } from './line';
import { requireRebuilt, type RehydrateDeps } from './rehydrate';

export async function shopperStatus(
  deps: RehydrateDeps,
  promotionId: number,
  userId: string,
): Promise<ShopperState> {
  const view = await requireRebuilt(deps, promotionId, async () => {
    const found = await deps.room.shopper(promotionId, userId);
    return found.exists ? found : null;
  });
  return describeLine(promotionId, userId, view, await deps.room.storedRate(promotionId));
}

export async function promotionInfo(
  deps: RehydrateDeps,
  promotionId: number,
): Promise<PromotionInfo> {
  return requireRebuilt(deps, promotionId, () => deps.room.info(promotionId));
}

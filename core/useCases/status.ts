// What the line says: a shopper's state (private fields to the shopper only) and a promotion's counters, read
// from Redis (rebuilt from the database first if Redis lost the promotion). A status read is one Redis round
// trip: the record, the counters and the drain rate come back from one script.
import type { ShopperState } from '../model/shopperState';
import type { PromotionInfo } from '../room/waitingRoom';
import { describeLine } from './line';
import { requireRebuilt, type RehydrateDeps } from './rehydrate';
import { viewFor, type Caller } from './callers';

export async function shopperStatus(
  deps: RehydrateDeps,
  promotionId: number,
  userId: string,
  caller: Caller,
): Promise<ShopperState> {
  const view = await requireRebuilt(deps, promotionId, async () => {
    const found = await deps.room.shopper(promotionId, userId);
    return found.exists ? found : null;
  });
  // The code and the hold are the shopper's own; anyone else sees the public fields.
  return viewFor(caller, describeLine(promotionId, userId, view, view.drainRate));
}

export async function promotionInfo(
  deps: RehydrateDeps,
  promotionId: number,
): Promise<PromotionInfo> {
  return requireRebuilt(deps, promotionId, () => deps.room.info(promotionId));
}

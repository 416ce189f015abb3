// What a shopper is told about their place beyond their record: the pre-queue
// (no place until startsAt), the stock outlook and ETA while waiting, and the
// standby line once failed SOLD_OUT.
import { outlookOf, reachOf } from '../live/contract';
import { describeShopper, type ShopperState } from '../model/shopperState';
import type { ShopperView } from '../room/waitingRoom';

const iso = (ms: number | null) => (ms === null ? undefined : new Date(ms).toISOString());

export function describeLine(
  promotionId: number,
  userId: string,
  view: ShopperView,
  drainRate: number | null,
  now: number = Date.now(),
): ShopperState {
  const { line } = view;
  if (view.prequeued) {
    return {
      promotionId,
      userId,
      status: 'WAITING',
      prequeued: true,
      startsAt: iso(line.startsAt),
    };
  }
  const standby = {
    position: view.standbyPosition,
    ended: line.closed || !line.standby || (line.endsAt !== null && now >= line.endsAt),
  };
  const state = describeShopper(promotionId, userId, view.record, view.served, now, standby);
  if (state.status === 'WAITING' && state.position !== undefined) {
    const standbyLine = line.standby && !line.closed ? line.standbyLine : 0;
    const reach = reachOf({ ...line, standbyLine });
    const { beyondStock, etaSeconds } = outlookOf(state.position, reach, drainRate ?? 0);
    return { ...state, beyondStock, etaSeconds };
  }
  return state;
}

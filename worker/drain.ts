// One drain tick for one promotion: claim a batch in join order, decide it, and
// once stock is gone, fail everyone still waiting in bounded chunks. Holds past
// their deadline end first, so the units they free go to this tick's batch; the
// standby line gets free units before anyone new. Once the sale starts, the
// pre-queue is placed in the line first, a bounded chunk per Lua call.
import type { Decision, ExpiredHold, WaitingRoom } from '../core/room/waitingRoom';

/** Shoppers failed per Lua call once sold out: bounded, so Redis never blocks on a long list. */
export const soldOutChunk = 1000;
/**
 * Pre-queued shoppers placed per Lua call: about 5 µs of Redis CPU each on a loaded
 * 2-core machine, so a call costs about 0.5 ms and at most about 2 ms, well inside
 * the 5 ms no call may block Redis for (npm run bench: prequeue).
 */
export const openChunk = 100;

export interface TickReport {
  promotionId: number;
  /** False when Redis has no state for the promotion (lost, or deleted). */
  found: boolean;
  claimed: number;
  decided: Decision[];
  /** Returned units this tick gave to the standby line (COMPLETED, or HELD in hold mode). */
  fromStandby: Decision[];
  /** Holds this tick ended at their deadline (EXPIRED, unit back to stock). */
  expired: ExpiredHold[];
  /** Decisions waiting for the database when the tick started. */
  pendingPersist: number;
  /** How many of `decided`, from the first, were already handed to the tick's onDecided. */
  announced: number;
}

/**
 * Hears a sold-out sweep's decisions a chunk at a time, as soon as Redis made them
 * (the tick's own batch first), so pages learn FAILED while the rest is still decided.
 */
export type OnDecided = (batch: Decision[]) => Promise<void>;

/** Decides every claimed shopper (this tick's and any a crashed tick left), lowest ticket first. */
async function decideClaimed(room: WaitingRoom, promotionId: number, chunk: number) {
  const decided: Decision[] = [];
  for (;;) {
    const batch = await room.issue(promotionId, chunk);
    decided.push(...batch);
    if (batch.length === 0) return decided;
  }
}

/** Places the whole pre-queue in the line once started; a worker that dies mid-way leaves the rest to the next tick. */
async function openPrequeue(room: WaitingRoom, promotionId: number): Promise<void> {
  for (;;) {
    const left = await room.openPrequeue(promotionId, openChunk);
    if (left === null || left === 0) return;
  }
}

/** Ends every hold past its deadline, a bounded chunk per Lua call. */
async function expireDue(room: WaitingRoom, promotionId: number): Promise<ExpiredHold[]> {
  const expired: ExpiredHold[] = [];
  for (;;) {
    const batch = await room.expireHolds(promotionId, soldOutChunk);
    expired.push(...batch);
    if (batch.length < soldOutChunk) return expired;
  }
}

export async function drainTick(
  room: WaitingRoom,
  promotionId: number,
  onDecided?: OnDecided,
): Promise<TickReport> {
  const info = await room.info(promotionId);
  const idle = { promotionId, claimed: 0, decided: [], fromStandby: [], announced: 0 };
  if (!info) return { ...idle, found: false, expired: [], pendingPersist: 0 };
  // A paused promotion admits nobody, but its holds still end on time.
  const expired = info.held > 0 ? await expireDue(room, promotionId) : [];
  const { pendingPersist } = info;
  if (info.state === 'PAUSED') return { ...idle, found: true, expired, pendingPersist };
  if (info.prequeued > 0) await openPrequeue(room, promotionId);
  const fromStandby =
    info.standbyLine > 0 ? await room.serveStandby(promotionId, soldOutChunk) : [];

  // A closed promotion fails everyone still waiting, in chunks, at once.
  const batchSize = info.state === 'CLOSED' ? soldOutChunk : info.batchSize;
  let claimed = (await room.claim(promotionId, batchSize)).length;
  const decided = await decideClaimed(room, promotionId, batchSize);

  // A FAILED decision means stock ran out (or the promotion closed): tell everyone
  // still waiting now rather than one batch per tick. Stop if stock came back.
  // While units are held nobody fails SOLD_OUT (issueBatch leaves them waiting for
  // a unit that may come back), so this sweep only runs once issued >= total.
  let soldOut = decided.some((d) => d.outcome === 'FAILED');
  let announced = 0;
  while (soldOut) {
    const chunk = await room.claim(promotionId, soldOutChunk);
    if (chunk.length === 0) break;
    if (onDecided && announced === 0) {
      await onDecided(decided);
      announced = decided.length;
    }
    claimed += chunk.length;
    const batch = await decideClaimed(room, promotionId, soldOutChunk);
    decided.push(...batch);
    if (onDecided) {
      await onDecided(batch);
      announced += batch.length;
    }
    soldOut = batch.every((d) => d.outcome === 'FAILED');
  }
  return {
    promotionId,
    found: true,
    claimed,
    decided,
    fromStandby,
    expired,
    pendingPersist,
    announced,
  };
}

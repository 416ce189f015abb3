// One drain tick for one promotion: claim a batch in join order, decide it, and
// once stock is gone, fail everyone still waiting in bounded chunks.
import type { Decision, WaitingRoom } from '../core/waitingRoom';

/** Shoppers failed per Lua call once sold out: bounded, so Redis never blocks on a long list. */
export const soldOutChunk = 1000;

export interface TickReport {
  promotionId: number;
  claimed: number;
  decided: Decision[];
}

/** Decides every claimed shopper (this tick's and any a crashed tick left), lowest ticket first. */
async function decideClaimed(room: WaitingRoom, promotionId: number, chunk: number) {
  const decided: Decision[] = [];
  for (;;) {
    const batch = await room.issue(promotionId, chunk);
    decided.push(...batch);
    if (batch.length === 0) return decided;
  }
}

export async function drainTick(room: WaitingRoom, promotionId: number): Promise<TickReport> {
  const info = await room.info(promotionId);
  if (!info || info.state !== 'OPEN') return { promotionId, claimed: 0, decided: [] };

  let claimed = (await room.claim(promotionId, info.batchSize)).length;
  const decided = await decideClaimed(room, promotionId, info.batchSize);

  // A FAILED decision means stock ran out: tell everyone still waiting now rather
  // than one batch per tick. Stop if stock came back (a cancel) mid-sweep.
  let soldOut = decided.some((d) => d.outcome === 'FAILED');
  while (soldOut) {
    const chunk = await room.claim(promotionId, soldOutChunk);
    if (chunk.length === 0) break;
    claimed += chunk.length;
    const batch = await decideClaimed(room, promotionId, soldOutChunk);
    decided.push(...batch);
    soldOut = batch.every((d) => d.outcome === 'FAILED');
  }
  return { promotionId, claimed, decided };
}

// The drain's decisions, called by the worker each tick: claim waiting shoppers
// in ticket order, decide them, and end holds past their deadline.
import { keysOf, type RoomContext } from './context';
import {
  decisions,
  ticketHolders,
  type Decision,
  type ExpiredHold,
  type TicketHolder,
} from './replies';

/** WAITING -> PROCESSING for up to `count` shoppers, in ticket order. */
export async function claim(
  ctx: RoomContext,
  promotionId: number,
  count: number,
): Promise<TicketHolder[]> {
  const k = keysOf(ctx, promotionId);
  return ticketHolders(
    await ctx.scripts.claimBatch(k.meta, k.users, k.waiting, k.processing, count),
  );
}

/** Decides up to `count` claimed shoppers, lowest ticket first. */
export async function issue(
  ctx: RoomContext,
  promotionId: number,
  count: number,
): Promise<Decision[]> {
  const k = keysOf(ctx, promotionId);
  const suffixes = Array.from({ length: count }, () => ctx.codeSuffix());
  const reply = await ctx.scripts.issueBatch(
    k.meta,
    k.users,
    k.processing,
    k.decisions,
    k.holds,
    count,
    promotionId,
    ...suffixes,
  );
  return decisions(reply, Date.now());
}

/** Ends up to `limit` holds past their deadline (Redis clock); their units go back to stock. */
export async function expireHolds(
  ctx: RoomContext,
  promotionId: number,
  limit: number,
): Promise<ExpiredHold[]> {
  const k = keysOf(ctx, promotionId);
  return ticketHolders(await ctx.scripts.expireHolds(k.meta, k.users, k.holds, limit));
}

// The drain's decisions, called by the worker each tick: open the pre-queue,
// give returned units to the standby line, claim waiting shoppers in ticket
// order, decide them, and end holds past their deadline.
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
    await ctx.scripts.claimBatch(
      k.meta,
      k.users,
      k.waiting,
      k.processing,
      k.prequeue,
      k.standby,
      count,
    ),
  );
}

/** Decides up to `count` claimed shoppers, lowest ticket first. */
export async function issue(
  ctx: RoomContext,
  promotionId: number,
  count: number,
): Promise<Decision[]> {
  const k = keysOf(ctx, promotionId);
  const reply = await ctx.scripts.issueBatch(
    k.meta,
    k.users,
    k.processing,
    k.decisions,
    k.holds,
    k.standby,
    k.holdLog,
    count,
    promotionId,
    ...suffixes(ctx, count),
  );
  return decisions(reply, Date.now());
}

const suffixes = (ctx: RoomContext, count: number) =>
  Array.from({ length: count }, () => ctx.codeSuffix());

/**
 * Places up to `count` pre-queued shoppers in the line once the sale started;
 * answers how many are left to place (0: open), or null before startsAt.
 */
export async function openPrequeue(
  ctx: RoomContext,
  promotionId: number,
  count: number,
): Promise<number | null> {
  const k = keysOf(ctx, promotionId);
  const left = Number(
    await ctx.scripts.openPrequeue(k.meta, k.users, k.waiting, k.prequeue, count, Date.now()),
  );
  return left < 0 ? null : left;
}

/** Gives free units to up to `count` shoppers on the standby line, first ticket first. */
export async function serveStandby(
  ctx: RoomContext,
  promotionId: number,
  count: number,
): Promise<Decision[]> {
  const k = keysOf(ctx, promotionId);
  const reply = await ctx.scripts.serveStandby(
    k.meta,
    k.users,
    k.standby,
    k.decisions,
    k.holds,
    k.holdLog,
    count,
    promotionId,
    Date.now(),
    ...suffixes(ctx, count),
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
  return ticketHolders(await ctx.scripts.expireHolds(k.meta, k.users, k.holds, k.holdLog, limit));
}

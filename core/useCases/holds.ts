// Hold mode, the shopper's side: confirm a held unit (it becomes the coupon) or
// give it up early. The caller's proof (queue token, or the JWT in signed mode) says who is asking; each
// answer is one Lua decision, so a confirm racing the expiry sweep gets exactly
// one outcome, and every tab of the shopper hears it.
import type { LivePublisher } from '../live/publisher';
import type { QueueTokenClaims, QueueTokens } from '../live/queueToken';
import { describeShopper, type ShopperState } from '../model/shopperState';
import { AppError, ErrorCode } from '../platform/errors';
import type { HoldOutcome, WaitingRoom } from '../room/waitingRoom';
import { provenHolder, shopperOf, type Caller } from './callers';

export interface HoldDeps {
  room: Pick<WaitingRoom, 'confirmHold' | 'releaseHold'>;
  /** Tells the shopper's pages (all tabs) their new state. */
  publisher: Pick<LivePublisher, 'state' | 'flush'>;
  requestPersist: (promotionId: number) => Promise<void>;
}

/**
 * Every tab of the shopper learns the outcome too. The answer does not wait for
 * the pages: a lost publish is logged by the publisher and caught up by the page.
 */
function announce(deps: HoldDeps, state: ShopperState): void {
  deps.publisher.state({ ...state, decidedAt: Date.now() });
  void deps.publisher.flush();
}

export interface HoldAnswer {
  message: string;
  state: ShopperState;
}

/**
 * Whose hold this is: the queue token's shopper (open mode; the HTTP layer
 * verified it), or the JWT's subject (signed mode) in the promotion its queue
 * token or promotionId names. Anyone else (the admin token included) gets 403.
 */
export function holderOf(
  tokens: QueueTokens,
  caller: Caller,
  given: { queueToken?: string; promotionId?: number },
): QueueTokenClaims {
  if (caller.kind === 'holder') return caller.claims;
  if (caller.kind !== 'shopper') {
    throw new AppError(ErrorCode.NotOwner, 'Only the shopper can confirm or release their hold.');
  }
  if (given.queueToken !== undefined) {
    const claims = provenHolder(tokens, given.queueToken);
    shopperOf(caller, claims.userId); // 403 IDENTITY_MISMATCH for another shopper's token
    return claims;
  }
  if (given.promotionId === undefined) {
    throw new AppError(ErrorCode.BadRequest, 'promotionId: required without a queueToken');
  }
  return { promotionId: given.promotionId, userId: caller.userId, ticket: 0 };
}

/** The shopper's state after a hold decision; served is irrelevant past WAITING. */
function stateOf(claims: QueueTokenClaims, outcome: HoldOutcome): ShopperState {
  return describeShopper(claims.promotionId, claims.userId, outcome.record, 0);
}

function notHeld(state: ShopperState): AppError {
  if (state.status === 'EXPIRED') {
    return new AppError(
      ErrorCode.HoldExpired,
      'The hold ran out before it was confirmed; the unit went back to the line.',
      state,
    );
  }
  return new AppError(ErrorCode.NotHeld, `Nothing is held for this shopper: ${state.status}.`, {
    ...state,
  });
}

/** HELD -> COMPLETED with the code fixed at admission; retry-safe. */
export async function confirmHold(deps: HoldDeps, claims: QueueTokenClaims): Promise<HoldAnswer> {
  const outcome = await deps.room.confirmHold(claims.promotionId, claims.userId);
  const state = stateOf(claims, outcome);
  if (outcome.changed) {
    announce(deps, state);
    await deps.requestPersist(claims.promotionId);
    return { message: `Confirmed: your coupon is ${state.couponCode ?? ''}.`, state };
  }
  if (state.status === 'EXPIRED') {
    announce(deps, state);
    await deps.requestPersist(claims.promotionId); // the coupon.expired event
  }
  if (state.status !== 'COMPLETED') throw notHeld(state);
  return { message: `Already confirmed: your coupon is ${state.couponCode ?? ''}.`, state };
}

/** HELD -> RELEASED (EXPIRED if past the deadline): the unit goes back to the line; retry-safe. */
export async function releaseHold(deps: HoldDeps, claims: QueueTokenClaims): Promise<HoldAnswer> {
  const outcome = await deps.room.releaseHold(claims.promotionId, claims.userId);
  const state = stateOf(claims, outcome);
  if (outcome.changed) {
    announce(deps, state);
    await deps.requestPersist(claims.promotionId); // the coupon.released (or expired) event
  }
  if (state.status !== 'RELEASED' && state.status !== 'EXPIRED') throw notHeld(state);
  return { message: `The hold ended: ${state.status}.`, state };
}

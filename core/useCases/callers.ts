// Who is calling, as the HTTP layer proved it, and what that caller may see or
// change. The proof is checked once (server/http/shopperAuth.ts); the use cases
// only compare it with the data it asks about.
import type { QueueTokenClaims, QueueTokens } from '../live/queueToken';
import type { ShopperState } from '../model/shopperState';
import { AppError, ErrorCode } from '../platform/errors';

export type Caller =
  /** No proof (open mode's public reads). */
  | { kind: 'anonymous' }
  /** The admin token: the marketer, or the shop's checkout backend. */
  | { kind: 'admin' }
  /** A JWT the shop signed (signed mode): `sub` is the userId. */
  | { kind: 'shopper'; userId: string }
  /** A queue token this room signed (open mode): it names one shopper of one promotion. */
  | { kind: 'holder'; claims: QueueTokenClaims };

export const anonymous: Caller = { kind: 'anonymous' };

/**
 * The shopper a request is about: the verified `sub` in signed mode (a declared
 * userId must agree, else 403 IDENTITY_MISMATCH), the declared one in open mode.
 */
export function shopperOf(caller: Caller, declared: string | undefined): string {
  if (caller.kind === 'shopper') {
    if (declared !== undefined && declared !== caller.userId) {
      throw new AppError(
        ErrorCode.IdentityMismatch,
        'userId differs from the signed token’s subject; leave it out or send the same one.',
      );
    }
    return caller.userId;
  }
  if (declared === undefined) {
    throw new AppError(ErrorCode.BadRequest, 'userId: required without a signed shopper token');
  }
  return declared;
}

/** True when the caller has proved to be this shopper of this promotion. */
export function isShopper(caller: Caller, promotionId: number, userId: string): boolean {
  if (caller.kind === 'shopper') return caller.userId === userId;
  if (caller.kind === 'holder') {
    return caller.claims.promotionId === promotionId && caller.claims.userId === userId;
  }
  return false;
}

/**
 * What anyone may read of a shopper: status, place and wait (ticket, position,
 * ETA, the pre-queue and standby line), the reason; no code, no coupon state, no hold.
 */
export function publicView(state: ShopperState): ShopperState {
  const open = { ...state };
  delete open.couponCode;
  delete open.couponState;
  delete open.expiresAt;
  delete open.msLeft;
  return open;
}

/** The shopper's own view for them, the public one for anybody else. */
export function viewFor(caller: Caller, state: ShopperState): ShopperState {
  return isShopper(caller, state.promotionId, state.userId) ? state : publicView(state);
}

/** A coupon may be used or cancelled by its owner, or by the admin token (the shop's backend). */
export function requireOwner(
  caller: Caller,
  coupon: { promotionId: number; userId: string; code: string },
): void {
  if (caller.kind === 'admin' || isShopper(caller, coupon.promotionId, coupon.userId)) return;
  throw new AppError(
    ErrorCode.NotOwner,
    `Coupon ${coupon.code} belongs to another shopper; only its owner or the shop can change it.`,
  );
}

/** The shopper a queue token names, or a 401 (SHOPPER_TOKEN_INVALID/EXPIRED) naming queueToken. */
export function provenHolder(tokens: QueueTokens, token: string): QueueTokenClaims {
  const check = tokens.verify(token);
  if (check.ok) return check.claims;
  const code =
    check.code === 'TOKEN_EXPIRED' ? ErrorCode.ShopperTokenExpired : ErrorCode.ShopperTokenInvalid;
  throw new AppError(code, `queueToken: ${check.message}`);
}

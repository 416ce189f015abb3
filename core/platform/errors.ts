// One error type with stable codes; the HTTP layer maps it to a status and the
// { success: false, message, code } envelope. Redis outages stay plain Errors.

export const ErrorCode = {
  BadRequest: 'BAD_REQUEST',
  Unauthorized: 'UNAUTHORIZED',
  ShopperTokenMissing: 'SHOPPER_TOKEN_MISSING',
  ShopperTokenInvalid: 'SHOPPER_TOKEN_INVALID',
  ShopperTokenExpired: 'SHOPPER_TOKEN_EXPIRED',
  IdentityMismatch: 'IDENTITY_MISMATCH',
  NotOwner: 'NOT_OWNER',
  PromotionNotFound: 'PROMOTION_NOT_FOUND',
  PromotionClosed: 'PROMOTION_CLOSED',
  SoldOut: 'SOLD_OUT',
  AlreadyProcessed: 'ALREADY_PROCESSED',
  StockBelowIssued: 'STOCK_BELOW_ISSUED',
  NotFound: 'NOT_FOUND',
  NotStarted: 'NOT_STARTED',
  Ended: 'ENDED',
  VersionConflict: 'VERSION_CONFLICT',
  CouponNotFound: 'COUPON_NOT_FOUND',
  CouponStateConflict: 'COUPON_STATE_CONFLICT',
  RateLimited: 'RATE_LIMITED',
  NotHeld: 'NOT_HELD',
  HoldExpired: 'HOLD_EXPIRED',
  Unavailable: 'UNAVAILABLE',
  /** queueing or prequeueAt changed once the pre-queue opened. */
  PrequeueOpen: 'PREQUEUE_OPEN',
  ChallengeRequired: 'CHALLENGE_REQUIRED',
  ChallengeInvalid: 'CHALLENGE_INVALID',
  ChallengeReused: 'CHALLENGE_REUSED',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const httpStatus: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  SHOPPER_TOKEN_MISSING: 401,
  SHOPPER_TOKEN_INVALID: 401,
  SHOPPER_TOKEN_EXPIRED: 401,
  IDENTITY_MISMATCH: 403,
  NOT_OWNER: 403,
  PROMOTION_NOT_FOUND: 404,
  NOT_FOUND: 404,
  PROMOTION_CLOSED: 409,
  SOLD_OUT: 409,
  ALREADY_PROCESSED: 409,
  STOCK_BELOW_ISSUED: 409,
  NOT_STARTED: 409,
  ENDED: 409,
  VERSION_CONFLICT: 409,
  COUPON_NOT_FOUND: 404,
  COUPON_STATE_CONFLICT: 409,
  RATE_LIMITED: 429,
  NOT_HELD: 409,
  HOLD_EXPIRED: 409,
  UNAVAILABLE: 503,
  PREQUEUE_OPEN: 409,
  CHALLENGE_REQUIRED: 403,
  CHALLENGE_INVALID: 403,
  CHALLENGE_REUSED: 403,
};

/** What each refusal means, in words: the API docs list these under every operation. */
export const errorMeaning: Record<ErrorCode, string> = {
  BAD_REQUEST: 'the input is malformed; the message names the bad field',
  UNAUTHORIZED: 'the admin (or metrics) token is missing or wrong',
  SHOPPER_TOKEN_MISSING: 'no shopper proof was sent (the shop’s JWT, or the queue token)',
  SHOPPER_TOKEN_INVALID: 'the shopper proof is not genuine',
  SHOPPER_TOKEN_EXPIRED: 'the shopper proof has expired',
  IDENTITY_MISMATCH: 'the userId sent is not the one the proof names',
  NOT_OWNER: 'the coupon or hold belongs to another shopper',
  PROMOTION_NOT_FOUND: 'no promotion has this id',
  NOT_FOUND: 'nothing has this id',
  PROMOTION_CLOSED: 'the promotion is closed and takes no joins',
  SOLD_OUT:
    'no unit is left for a new shopper (issued, held or owed to the standby line); data has the shopper’s status',
  ALREADY_PROCESSED: 'the shopper’s turn already came; data has the outcome',
  STOCK_BELOW_ISSUED: 'the stock asked for is below the units already issued or held',
  NOT_STARTED: 'the sale has not opened yet (nor its pre-queue)',
  ENDED: 'the sale’s end time has passed',
  VERSION_CONFLICT: 'the promotion changed since it was read: read it again and resend',
  COUPON_NOT_FOUND: 'no coupon has this code',
  COUPON_STATE_CONFLICT: 'the coupon is not ISSUED (already used, cancelled or revoked)',
  RATE_LIMITED: 'too many requests; Retry-After says when to try again',
  NOT_HELD: 'the shopper holds no unit (never admitted, or already decided)',
  HOLD_EXPIRED: 'the hold ran out and the unit went back',
  UNAVAILABLE: 'Redis (or the database) is unreachable; retry shortly',
  PREQUEUE_OPEN: 'queueing and prequeueAt cannot change once the pre-queue opened',
  CHALLENGE_REQUIRED: 'the promotion asks for a solved proof-of-work challenge (altcha)',
  CHALLENGE_INVALID: 'the challenge solution is wrong, expired or for another promotion',
  CHALLENGE_REUSED: 'this challenge solution was already used',
};

export function errorStatus(code: ErrorCode): number {
  return httpStatus[code];
}

export class AppError extends Error {
  override readonly name = 'AppError';
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Extra facts for the response's data field (e.g. the shopper's current status). */
    readonly data: Record<string, unknown> | null = null,
  ) {
    super(message);
    this.status = httpStatus[code];
  }
}

/** The one wording of "no such promotion", wherever it is found out. */
export function promotionNotFound(promotionId: number): AppError {
  return new AppError(ErrorCode.PromotionNotFound, `Promotion ${promotionId} does not exist.`);
}

/** A process cannot start (bad config, Redis or the database away): one line that says why, no stack. */
export class StartupError extends Error {}

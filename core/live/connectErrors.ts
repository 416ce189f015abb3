// The codes a refused Socket.IO handshake carries (`connect_error`'s
// `err.data.code`) and what each means. No zod: the shopper page imports it
// through core/live/contract.ts.

/** `connect_error` carries `err.data = { code }` with one of these. */
export const ConnectErrorCode = {
  TokenMissing: 'TOKEN_MISSING',
  TokenInvalid: 'TOKEN_INVALID',
  TokenExpired: 'TOKEN_EXPIRED',
  /** The token is genuine but its ticket is no longer in this queue (the promotion was reset). */
  NotInQueue: 'NOT_IN_QUEUE',
  Unavailable: 'UNAVAILABLE',
} as const;
export type ConnectErrorCode = (typeof ConnectErrorCode)[keyof typeof ConnectErrorCode];

/** What each code means and what a page does about it (the AsyncAPI document lists these). */
export const connectErrorMeaning: Record<ConnectErrorCode, string> = {
  TOKEN_MISSING: 'no auth.token was sent: join first',
  TOKEN_INVALID:
    'the token is malformed, not a string, over 1024 characters, edited or signed with another secret (or, signed mode, the JWT is refused or promotionId is missing): join again',
  TOKEN_EXPIRED:
    'the queue token is older than QUEUE_TOKEN_TTL_SECONDS (or the JWT expired): join again for a fresh token (same ticket)',
  NOT_IN_QUEUE:
    'the token is genuine but its ticket is no longer in the queue (the promotion was reset): join again',
  UNAVAILABLE: 'Redis did not answer during the handshake: retry later',
};

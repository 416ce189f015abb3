// The live queue's wire contract, shared by the server, the worker's emitter and
// the web page: typed Socket.IO event maps, room names, connect_error codes, and
// the small rules a page applies to what it receives. No Node imports here.
import { positionOf } from '../model/position';
import type { PromotionState } from '../model/promotion';
import type { ShopperState, ShopperStatus } from '../model/shopperState';

/** What a shopper is told about themselves; the same shape as GET /status answers. */
export interface ShopperUpdate extends ShopperState {
  /** COMPLETED/FAILED/HELD pushed by a worker: when Redis decided it (ms since the epoch). */
  decidedAt?: number;
}

/** One message per drain tick per promotion: every waiting page derives its place from it. */
export interface PromotionProgress {
  promotionId: number;
  state: PromotionState;
  /** Tickets taken off the waiting list so far: a waiting shopper's position is ticket - served. */
  served: number;
  /** Last ticket handed out. */
  joined: number;
  remainingStock: number;
  /** Shoppers still waiting. */
  queueSize: number;
  /** Shoppers admitted per second, measured over the last ticks (the configured rate until measured). */
  drainRate: number;
  /** Seconds until the last shopper now waiting is admitted; null when the rate is 0. */
  etaSeconds: number | null;
  /** Stock is gone and none is held: everyone still waiting will be FAILED (SOLD_OUT). */
  soldOut: boolean;
  /** Units that can still reach the waiting line: available plus held, less those being decided or owed to the standby line. */
  reach: number;
  /** The last shopper waiting is beyond what stock can reach: served only if units come back. */
  beyondStock: boolean;
  /** When this was read (ms since the epoch). */
  at: number;
}

/** The marketer's live notice on a promotion, to every page watching it. */
export interface PromotionNotice {
  promotionId: number;
  /** The text to show; null takes the notice down. */
  notice: string | null;
  /** When it was posted (ms since the epoch). */
  at: number;
}

export interface ServerToClientEvents {
  /** The shopper's own status: on (re)connect, then on every change. */
  state: (update: ShopperUpdate) => void;
  /** The promotion's progress: on (re)connect, then once per drain tick that changed it. */
  progress: (progress: PromotionProgress) => void;
  /** The promotion's notice, each time the marketer changes it (the page reads the current one on load). */
  notice: (notice: PromotionNotice) => void;
}

/** Pages only listen: the token says who they are, so there is nothing to send. */
export type ClientToServerEvents = Record<string, never>;

export type InterServerEvents = Record<string, never>;

/** What the handshake proved, kept on the socket. */
export interface SocketData {
  promotionId: number;
  userId: string;
  ticket: number;
}

/** Sent as `{ auth: { token } }` when connecting. */
export interface HandshakeAuth {
  token: string;
}

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

export interface ConnectErrorData {
  code: ConnectErrorCode;
}

/** Room names, built only here. userIds cannot contain '#', which the Redis channel uses. */
export const rooms = {
  shopper: (promotionId: number, userId: string) => `s:${promotionId}:${userId}`,
  promotion: (promotionId: number) => `p:${promotionId}`,
};

const rank: Record<ShopperStatus, number> = {
  NOT_IN_QUEUE: 0,
  WAITING: 1,
  PROCESSING: 2,
  HELD: 3,
  COMPLETED: 4,
  FAILED: 4,
  EXPIRED: 4,
  RELEASED: 4,
};

/**
 * A status never moves backwards. A page keeps the update with the higher rank:
 * a reconnect snapshot can race an event in flight, and several workers or
 * servers give no order between each other.
 */
export function isNewerState(current: ShopperState | undefined, next: ShopperState): boolean {
  return current === undefined || rankOf(next) >= rankOf(current);
}

/** FAILED on the standby line is not final yet: a unit that comes back makes it HELD or COMPLETED. */
const rankOf = (state: ShopperState) =>
  state.status === 'FAILED' && state.standby === true ? rank.HELD : rank[state.status];

/** The served counter only grows; an older progress message is ignored. */
export function isNewerProgress(
  current: PromotionProgress | undefined,
  next: PromotionProgress,
): boolean {
  return current === undefined || next.served >= current.served;
}

/** The counts stock reach is told from. */
export interface StockCounts {
  total: number;
  issued: number;
  /** Claimed shoppers being decided: they take units first. */
  processing: number;
  /** Shoppers on the standby line: returned units are theirs first. */
  standbyLine: number;
}

/** Units that can still reach the waiting line: available plus held (total - issued), less those ahead of it. */
export function reachOf(c: StockCounts): number {
  return Math.max(0, c.total - c.issued - c.processing - c.standbyLine);
}

/** A place in line and what it can expect: no ETA to nowhere when stock can't reach it. */
export function outlookOf(
  position: number,
  reach: number,
  drainRate: number,
): { position: number; beyondStock: boolean; etaSeconds: number | null } {
  const beyondStock = position > reach;
  const etaSeconds = !beyondStock && drainRate > 0 ? Math.ceil(position / drainRate) : null;
  return { position, beyondStock, etaSeconds };
}

/** A waiting shopper's place, stock outlook and expected wait, from their ticket and the latest progress. */
export function placeInQueue(
  ticket: number,
  progress: PromotionProgress,
): { position: number; beyondStock: boolean; etaSeconds: number | null } {
  return outlookOf(positionOf(ticket, progress.served), progress.reach, progress.drainRate);
}

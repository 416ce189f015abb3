// The live queue's wire contract, shared by the server, the worker's emitter and
// the web page: typed Socket.IO event maps, room names, connect_error codes, and
// the small rules a page applies to what it receives. No Node imports here, and
// only types from zod modules: the payloads' shapes live as zod schemas in
// contractSchemas.ts, and the page's bundle must stay free of zod.
import type { z } from 'zod';
import { positionOf } from '../model/position';
import type { ShopperState, ShopperStatus } from '../model/shopperState';
import type {
  ConnectErrorData,
  HandshakeAuth,
  PromotionNotice,
  PromotionProgress,
  ShopperUpdate,
  serverToClientEvents,
} from './contractSchemas';

export { ConnectErrorCode } from './connectErrors';

export type { ShopperUpdate, PromotionProgress, PromotionNotice, HandshakeAuth, ConnectErrorData };

/** The events a page receives, derived from the payload schemas in contractSchemas.ts. */
export type ServerToClientEvents = {
  [E in keyof typeof serverToClientEvents]: (
    payload: z.infer<(typeof serverToClientEvents)[E]>,
  ) => void;
};

/** Pages only listen: the token says who they are, so there is nothing to send. */
export type ClientToServerEvents = Record<string, never>;

export type InterServerEvents = Record<string, never>;

/** What the handshake proved, kept on the socket. */
export interface SocketData {
  promotionId: number;
  userId: string;
  ticket: number;
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

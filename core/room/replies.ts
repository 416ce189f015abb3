// Decoding the Lua scripts' replies into typed values. A reply of an unexpected
// shape is a bug, thrown as a plain Error; refusals are decoded in refusals.ts.
import {
  parseRecord,
  recordLetters,
  type DecidedStatus,
  type ShopperRecord,
} from '../model/shopperRecord';

export type Reply = (string | number)[];

export function asReply(value: unknown): Reply {
  if (!Array.isArray(value)) throw new Error(`Unexpected script reply: ${String(value)}`);
  return value as Reply;
}

export interface JoinOutcome {
  /** A pre-queued shopper's is WAITING with their draw key as ticket until the order is fixed. */
  record: ShopperRecord;
  served: number;
  joinedNow: boolean;
  /** In the pre-queue, the order not yet fixed: no place yet. */
  prequeued: boolean;
}

/**
 * A record as the scripts answer it: "Q:<draw key>" (pre-queued, see
 * lua/includes/prequeued.lua) or a stored one; "" is no record.
 */
export function lineRecord(raw: string): { record: ShopperRecord | null; prequeued: boolean } {
  const draw = /^Q:(\d+)$/.exec(raw);
  if (draw) return { record: { status: 'WAITING', ticket: Number(draw[1]) }, prequeued: true };
  return { record: raw === '' ? null : parseRecord(raw), prequeued: false };
}

/** joinQueue's {record, served, joinedNow} (a refusal, a number, is handled before). */
export function joinOutcome(value: unknown): JoinOutcome {
  const [raw, served, joinedNow] = asReply(value);
  const { record, prequeued } = lineRecord(String(raw));
  if (!record) throw new Error('joinQueue answered no record');
  return { record, served: Number(served), joinedNow: joinedNow === 1, prequeued };
}

/** A shopper and their ticket: what claimBatch and expireHolds answer, flattened. */
export interface TicketHolder {
  userId: string;
  ticket: number;
}

/** A hold the worker ended at its deadline. */
export type ExpiredHold = TicketHolder;

export function ticketHolders(value: unknown): TicketHolder[] {
  const flat = asReply(value);
  const holders: TicketHolder[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) {
    holders.push({ userId: String(flat[i]), ticket: Number(flat[i + 1]) });
  }
  return holders;
}

export interface Decision {
  userId: string;
  ticket: number;
  outcome: DecidedStatus;
  /** Coupon code when COMPLETED, reason when FAILED, deadline (ms) when HELD. */
  detail: string;
  /** When Redis answered with this decision (ms since the epoch), for live-event latency. */
  decidedAt: number;
  /** FAILED SOLD_OUT: 1-based place on the standby line it was put on; null if not put on it. */
  standbyPosition: number | null;
}

/** issueBatch's and serveStandby's {userId, ticket, outcome letter, detail, standbyRank, ...}. */
export function decisions(value: unknown, decidedAt: number): Decision[] {
  const flat = asReply(value);
  const decided: Decision[] = [];
  for (let i = 0; i + 4 < flat.length; i += 5) {
    const rank = Number(flat[i + 4]);
    decided.push({
      userId: String(flat[i]),
      ticket: Number(flat[i + 1]),
      outcome: recordLetters[flat[i + 2] as 'C' | 'F' | 'H'],
      detail: String(flat[i + 3]),
      decidedAt,
      standbyPosition: rank >= 0 ? rank + 1 : null,
    });
  }
  return decided;
}

/** A shopper's hold ending: what the record became, and whether this call changed it. */
export interface HoldOutcome {
  changed: boolean;
  record: ShopperRecord | null;
}

export function holdOutcome(value: unknown): HoldOutcome {
  const [changed, record] = asReply(value);
  return { changed: changed === 1, record: record ? parseRecord(String(record)) : null };
}

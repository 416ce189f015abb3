// The one key builder. Every key of a promotion shares the hash tag {p<id>} so
// multi-key Lua scripts stay on one Redis Cluster slot.

export interface PromotionKeys {
  /** hash: total, issued, held, seq, served, state, batchSize, intervalMs, mode, holdMs */
  readonly meta: string;
  /** hash: userId -> status record */
  readonly users: string;
  /** list: userIds waiting, in ticket order */
  readonly waiting: string;
  /** sorted set: claimed userIds scored by ticket */
  readonly processing: string;
  /** stream: coupons issued and not yet persisted, the write-behind log */
  readonly decisions: string;
  /** stream: hold changes (held, confirmed, expired, released) not yet in the event outbox */
  readonly holdLog: string;
  /** set: codes of cancelled/revoked coupons whose unit went back to stock */
  readonly returned: string;
  /** sorted set: HELD userIds scored by their deadline (ms, Redis clock): what expiry sweeps */
  readonly holds: string;
  /** string: admitted shoppers per second as the worker last measured it (a cache; losing it is harmless) */
  readonly drainRate: string;
  /** list: the last hour of per-tick figures, newest first, capped (core/metrics/figureHistory.ts) */
  readonly history: string;
  /** sorted set: pre-queued userIds scored by draw key, until openPrequeue places them */
  readonly prequeue: string;
  /** sorted set: userIds failed SOLD_OUT, scored by ticket: first in line for a returned unit */
  readonly standby: string;
}

export function promotionKeys(prefix: string, promotionId: number): PromotionKeys {
  const base = `${prefix}:{p${promotionId}}`;
  return {
    meta: `${base}:meta`,
    users: `${base}:users`,
    waiting: `${base}:waiting`,
    processing: `${base}:processing`,
    decisions: `${base}:decisions`,
    holdLog: `${base}:holdLog`,
    returned: `${base}:returned`,
    holds: `${base}:holds`,
    drainRate: `${base}:drainRate`,
    history: `${base}:history`,
    prequeue: `${base}:prequeue`,
    standby: `${base}:standby`,
  };
}

/**
 * string, with the challenge's own expiry: an ALTCHA solution already used for a
 * join (a replay guard, set NX; not state: losing it only reopens replays until expiry).
 */
export function usedSolutionKey(prefix: string, promotionId: number, signature: string): string {
  return `${prefix}:{p${promotionId}}:altcha:${signature}`;
}

/** Set of every promotion id, so workers can find the promotions to drain. */
export function promotionIndexKey(prefix: string): string {
  return `${prefix}:promotions`;
}

/** Hash of dead letters: decisions or persist jobs that could not reach the database. */
export function deadLetterKey(prefix: string): string {
  return `${prefix}:deadletters`;
}

/** Hash promotionId -> drift found by the last reconciliation. */
export function driftKey(prefix: string): string {
  return `${prefix}:drift`;
}

/** BullMQ key prefix, hash-tagged so each queue's keys share a slot on a cluster. */
export function bullPrefix(prefix: string): string {
  return `{${prefix}:bull}`;
}

/** Redis channel prefix of the Socket.IO adapter (servers) and emitter (workers): one per deployment. */
export function socketChannelKey(prefix: string): string {
  return `${prefix}:sio`;
}

/**
 * Channel of a promotion's batched shopper updates (worker -> servers). It sits
 * under the adapter's pattern, so each server's one subscription hears it in
 * order with the adapter's own messages, and the adapter ignores it (no socket
 * joins a room of that name).
 */
export function stateBatchChannel(prefix: string, promotionId: number): string {
  return `${socketChannelKey(prefix)}#/#${stateBatchRoom}${promotionId}#`;
}
export const stateBatchRoom = 'batch:';

/** Stream of domain events (coupon.*, promotion.*) other services read with consumer groups. */
export function eventStreamKey(prefix: string): string {
  return `${prefix}:events`;
}

// The shopper-facing decisions: join the line (or the pre-queue), read one's own
// state, and in hold mode confirm or release the held unit.
import { randomFillSync } from 'node:crypto';
import type { ShopperRecord } from '../model/shopperRecord';
import { keysOf, type RoomContext } from './context';
import { parseRate } from './promotionState';
import { notStartedError, Refusal, refusalError } from './refusals';
import {
  asReply,
  holdOutcome,
  joinOutcome,
  lineRecord,
  type HoldOutcome,
  type JoinOutcome,
} from './replies';

/** The promotion's counters and dates a shopper's status is told from. */
export interface LineFacts {
  total: number;
  issued: number;
  held: number;
  /** Shoppers claimed and being decided. */
  processing: number;
  startsAt: number | null;
  prequeueAt: number | null;
  endsAt: number | null;
  /** The promotion keeps a standby line. */
  standby: boolean;
  /** Shoppers on the standby line. */
  standbyLine: number;
  closed: boolean;
}

export interface ShopperView {
  /** False when the promotion does not exist. */
  exists: boolean;
  /** A pre-queued shopper's is WAITING with their draw key as ticket until the order is fixed. */
  record: ShopperRecord | null;
  served: number;
  /** In the pre-queue, the order not yet fixed: no place yet. */
  prequeued: boolean;
  /** 1-based place on the standby line, null when not on it. */
  standbyPosition: number | null;
  line: LineFacts;
  /** Admitted shoppers per second as the worker last stored it (for the ETA), or null. */
  drainRate: number | null;
}

/**
 * Cryptographically random bytes taken from a pool filled 4 kB at a time: every
 * join draws a key (used only while a pre-queue is open), and a randomBytes call
 * of its own per join cost about 2% of a join's CPU. The same source, batched,
 * as crypto.randomUUID does; each byte is used once.
 */
const entropy = Buffer.alloc(4096);
let entropyAt = entropy.length;

/** A fair draw: 52 cryptographically random bits, plus one (a key is never 0). */
export function drawKey(): number {
  if (entropyAt + 8 > entropy.length) {
    randomFillSync(entropy);
    entropyAt = 0;
  }
  // The top 52 of 64 bits: the high word shifted up 20, the low word's top 20 bits.
  const key =
    entropy.readUInt32BE(entropyAt) * 2 ** 20 + (entropy.readUInt32BE(entropyAt + 4) >>> 12);
  entropyAt += 8;
  return key + 1;
}

export async function join(
  ctx: RoomContext,
  promotionId: number,
  userId: string,
): Promise<JoinOutcome | null> {
  const k = keysOf(ctx, promotionId);
  const reply = await ctx.scripts.joinQueue(
    k.meta,
    k.users,
    k.waiting,
    k.prequeue,
    k.standby,
    userId,
    Date.now(),
    drawKey(),
  );
  // No state: the caller rebuilds it from the database and asks again (useCases/rehydrate).
  if (reply === Refusal.PromotionNotFound) return null;
  if (reply === Refusal.NotStarted) {
    const [startsAt, prequeueAt] = await ctx.redis.hmget(k.meta, 'startsAt', 'prequeueAt');
    throw notStartedError(promotionId, { startsAt: iso(startsAt), prequeueAt: iso(prequeueAt) });
  }
  if (typeof reply === 'number') throw refusalError(reply, promotionId);
  return joinOutcome(reply);
}

const iso = (ms: string | null | undefined) => (ms ? new Date(Number(ms)).toISOString() : null);
const msOrNull = (ms: string | number | undefined) => (ms ? Number(ms) : null);

export async function shopper(
  ctx: RoomContext,
  promotionId: number,
  userId: string,
): Promise<ShopperView> {
  const k = keysOf(ctx, promotionId);
  const reply = asReply(
    await ctx.scripts.readShopper(
      k.meta,
      k.users,
      k.prequeue,
      k.standby,
      k.processing,
      k.drainRate,
      userId,
    ),
  );
  const [raw, standbyRank, processing, state, served, total, issued, held] = reply;
  const [startsAt, prequeueAt, endsAt, standby, standbyLine, rate] = reply.slice(8);
  const { record, prequeued } = lineRecord(String(raw));
  return {
    exists: state !== '',
    record,
    served: Number(served || 0),
    prequeued,
    standbyPosition: Number(standbyRank) >= 0 ? Number(standbyRank) + 1 : null,
    line: {
      total: Number(total || 0),
      issued: Number(issued || 0),
      held: Number(held || 0),
      processing: Number(processing),
      startsAt: msOrNull(startsAt),
      prequeueAt: msOrNull(prequeueAt),
      endsAt: msOrNull(endsAt),
      standby: standby !== '0',
      standbyLine: Number(standbyLine),
      closed: state === 'CLOSED',
    },
    drainRate: parseRate(rate === '' ? null : String(rate)),
  };
}

/** HELD -> COMPLETED with the code fixed at admission, unless the deadline passed (then EXPIRED). */
export async function confirmHold(
  ctx: RoomContext,
  promotionId: number,
  userId: string,
): Promise<HoldOutcome> {
  const k = keysOf(ctx, promotionId);
  return holdOutcome(
    await ctx.scripts.confirmHold(k.meta, k.users, k.holds, k.decisions, k.holdLog, userId),
  );
}

/** HELD -> RELEASED (EXPIRED if past the deadline): the unit goes back to stock. */
export async function releaseHold(
  ctx: RoomContext,
  promotionId: number,
  userId: string,
): Promise<HoldOutcome> {
  const k = keysOf(ctx, promotionId);
  return holdOutcome(await ctx.scripts.releaseHold(k.meta, k.users, k.holds, k.holdLog, userId));
}

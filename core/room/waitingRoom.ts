// The typed face of the Lua scripts: one short method per decision. Callers
// never see KEYS/ARGV; business refusals come back as AppError.
import { randomInt } from 'node:crypto';
import type { RedisClient } from '../platform/redis';
import { z } from 'zod';
import {
  promotionModes,
  promotionStates,
  type PromotionMode,
  type PromotionState,
  type RoomSettings,
} from '../model/promotion';
import { AppError, ErrorCode, promotionNotFound } from '../platform/errors';
import { promotionIndexKey, promotionKeys } from './keys';
import { loadScripts, type Scripts } from './scripts';
import { parseRecord, type ShopperRecord } from '../model/shopperState';

/** Crockford base32: no I, L, O, U, so codes read aloud and typed back survive. */
const codeAlphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** An unguessable 10-character code suffix (50 bits). */
export function randomCodeSuffix(): string {
  let out = '';
  for (let i = 0; i < 10; i++) out += codeAlphabet.charAt(randomInt(codeAlphabet.length));
  return out;
}

/** A promotion's counters as the admin API reports them; also the API docs. */
export const promotionInfoSchema = z
  .object({
    promotionId: z.number().int(),
    state: z.enum(promotionStates),
    totalStock: z.number().int(),
    issued: z.number().int(),
    held: z
      .number()
      .int()
      .meta({ description: 'Units held for admitted shoppers who have not confirmed yet' }),
    currentStock: z.number().int().meta({ description: 'Available: totalStock - issued - held' }),
    mode: z.enum(promotionModes),
    holdSeconds: z.number().int().meta({ description: 'hold mode: time to confirm' }),
    queueSize: z.number().int(),
    processingCount: z.number().int(),
    joined: z.number().int().meta({ description: 'Tickets handed out so far (the last ticket)' }),
    served: z.number().int().meta({ description: 'Tickets taken off the waiting list so far' }),
    pendingPersist: z
      .number()
      .int()
      .meta({ description: 'Coupons decided in Redis and not yet written to the database' }),
    batchSize: z.number().int(),
    intervalMs: z.number().int(),
    startsAt: z.iso.datetime().nullable(),
    endsAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'PromotionInfo' });
export type PromotionInfo = z.infer<typeof promotionInfoSchema>;

export interface ShopperView {
  /** False when the promotion does not exist. */
  exists: boolean;
  record: ShopperRecord | null;
  served: number;
}

export interface JoinOutcome {
  record: ShopperRecord;
  served: number;
  joinedNow: boolean;
}

export interface Decision {
  userId: string;
  ticket: number;
  outcome: 'COMPLETED' | 'FAILED' | 'HELD';
  /** Coupon code when COMPLETED, reason when FAILED, deadline (ms) when HELD. */
  detail: string;
  /** When Redis answered with this decision (ms since the epoch), for live-event latency. */
  decidedAt: number;
}

/** A shopper's hold ending: what the record became, and whether this call changed it. */
export interface HoldOutcome {
  changed: boolean;
  record: ShopperRecord | null;
}

/** A hold the worker ended at its deadline. */
export interface ExpiredHold {
  userId: string;
  ticket: number;
}

const outcomes = { C: 'COMPLETED', F: 'FAILED', H: 'HELD' } as const;

const msOrEmpty = (date: Date | null) => (date ? date.getTime() : '');
const isoOrNull = (ms: string | undefined) => (ms ? new Date(Number(ms)).toISOString() : null);

type Reply = (string | number)[];

/** The settings' ARGV, in the order savePromotion and restorePromotion both take them. */
function settingArgs(s: RoomSettings): (string | number)[] {
  const mode: PromotionMode = s.mode ?? 'instant';
  return [
    s.state,
    s.batchSize,
    s.intervalMs,
    msOrEmpty(s.startsAt),
    msOrEmpty(s.endsAt),
    mode,
    (s.holdSeconds ?? 0) * 1000,
  ];
}

function asReply(value: unknown): Reply {
  if (!Array.isArray(value)) throw new Error(`Unexpected script reply: ${String(value)}`);
  return value as Reply;
}

function holdOutcome(value: unknown): HoldOutcome {
  const [changed, record] = asReply(value);
  return { changed: changed === 1, record: record ? parseRecord(String(record)) : null };
}

export function soldOutError(promotionId: number): AppError {
  return new AppError(ErrorCode.SoldOut, `Promotion ${promotionId} is sold out.`);
}

function refusal(code: number, promotionId: number): AppError {
  switch (code) {
    case -1:
      return promotionNotFound(promotionId);
    case -2:
      return new AppError(
        ErrorCode.PromotionClosed,
        `Promotion ${promotionId} is closed to new shoppers.`,
      );
    case -3:
      return soldOutError(promotionId);
    case -4:
      return new AppError(ErrorCode.NotStarted, `Promotion ${promotionId} has not started yet.`);
    case -5:
      return new AppError(ErrorCode.Ended, `Promotion ${promotionId} has ended.`);
    default:
      return new AppError(ErrorCode.BadRequest, `Refused with code ${code}.`);
  }
}

export class WaitingRoom {
  private readonly scripts: Scripts;

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly codeSuffix: () => string = randomCodeSuffix,
  ) {
    this.scripts = loadScripts(redis);
  }

  keys(promotionId: number) {
    return promotionKeys(this.prefix, promotionId);
  }

  /** Null when Redis has no state for the promotion (lost, or never created). */
  async join(promotionId: number, userId: string): Promise<JoinOutcome | null> {
    const k = this.keys(promotionId);
    const reply = await this.scripts.joinQueue(k.meta, k.users, k.waiting, userId, Date.now());
    if (reply === -1) return null;
    if (typeof reply === 'number') throw refusal(reply, promotionId);
    const [record, served, joinedNow] = asReply(reply);
    return {
      record: parseRecord(String(record)),
      served: Number(served),
      joinedNow: joinedNow === 1,
    };
  }

  /** WAITING -> PROCESSING for up to `count` shoppers, in ticket order. */
  async claim(promotionId: number, count: number): Promise<{ userId: string; ticket: number }[]> {
    const k = this.keys(promotionId);
    const flat = asReply(
      await this.scripts.claimBatch(k.meta, k.users, k.waiting, k.processing, count),
    );
    const claimed: { userId: string; ticket: number }[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) {
      claimed.push({ userId: String(flat[i]), ticket: Number(flat[i + 1]) });
    }
    return claimed;
  }

  /** Decides up to `count` claimed shoppers, lowest ticket first. */
  async issue(promotionId: number, count: number): Promise<Decision[]> {
    const k = this.keys(promotionId);
    const suffixes = Array.from({ length: count }, () => this.codeSuffix());
    const flat = asReply(
      await this.scripts.issueBatch(
        k.meta,
        k.users,
        k.processing,
        k.decisions,
        k.holds,
        count,
        promotionId,
        ...suffixes,
      ),
    );
    const decidedAt = Date.now();
    const decided: Decision[] = [];
    for (let i = 0; i + 3 < flat.length; i += 4) {
      decided.push({
        userId: String(flat[i]),
        ticket: Number(flat[i + 1]),
        outcome: outcomes[flat[i + 2] as keyof typeof outcomes],
        detail: String(flat[i + 3]),
        decidedAt,
      });
    }
    return decided;
  }

  /** Creates the promotion's state if new, or updates its settings; refuses stock below issued. */
  async save(
    promotionId: number,
    settings: RoomSettings,
  ): Promise<{ created: boolean; totalStock: number; issued: number }> {
    const k = this.keys(promotionId);
    const [flag, total, issued] = asReply(
      await this.scripts.savePromotion(k.meta, settings.totalStock, ...settingArgs(settings)),
    ).map(Number);
    if (flag === -1) {
      throw new AppError(
        ErrorCode.StockBelowIssued,
        `Stock ${settings.totalStock} is below the ${issued} coupons already issued or held for promotion ${promotionId}.`,
        { issued },
      );
    }
    await this.redis.sadd(promotionIndexKey(this.prefix), promotionId);
    return { created: flag === 1, totalStock: Number(total), issued: Number(issued) };
  }

  /** Rebuilds lost counters (see restorePromotion); false when the state was already there. */
  async restore(
    promotionId: number,
    settings: RoomSettings,
    counts: { issued: number; lastTicket: number },
  ): Promise<boolean> {
    const k = this.keys(promotionId);
    const rebuilt = await this.scripts.restorePromotion(
      k.meta,
      settings.totalStock,
      counts.issued,
      counts.lastTicket,
      ...settingArgs(settings),
    );
    await this.redis.sadd(promotionIndexKey(this.prefix), promotionId);
    return rebuilt === 1;
  }

  /** HELD -> COMPLETED with the code fixed at admission, unless the deadline passed (then EXPIRED). */
  async confirmHold(promotionId: number, userId: string): Promise<HoldOutcome> {
    const k = this.keys(promotionId);
    return holdOutcome(
      await this.scripts.confirmHold(k.meta, k.users, k.holds, k.decisions, userId),
    );
  }

  /** HELD -> RELEASED (EXPIRED if past the deadline): the unit goes back to stock. */
  async releaseHold(promotionId: number, userId: string): Promise<HoldOutcome> {
    const k = this.keys(promotionId);
    return holdOutcome(await this.scripts.releaseHold(k.meta, k.users, k.holds, userId));
  }

  /** Ends up to `limit` holds past their deadline (Redis clock); their units go back to stock. */
  async expireHolds(promotionId: number, limit: number): Promise<ExpiredHold[]> {
    const k = this.keys(promotionId);
    const flat = asReply(await this.scripts.expireHolds(k.meta, k.users, k.holds, limit));
    const expired: ExpiredHold[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) {
      expired.push({ userId: String(flat[i]), ticket: Number(flat[i + 1]) });
    }
    return expired;
  }

  /** Puts a coupon's unit back into stock; true only the first time for a code. */
  async returnUnit(promotionId: number, code: string): Promise<boolean> {
    const k = this.keys(promotionId);
    return (await this.scripts.returnUnit(k.meta, k.returned, code)) === 1;
  }

  /** Sets total, state and issued from the database's record (see resyncCounts). */
  async resyncCounts(
    promotionId: number,
    totalStock: number,
    state: PromotionState,
    holdingInDb: number,
  ): Promise<{ issuedBefore: number; issuedAfter: number }> {
    const k = this.keys(promotionId);
    const [before, after] = asReply(
      await this.scripts.resyncCounts(k.meta, k.decisions, k.holds, totalStock, state, holdingInDb),
    ).map(Number);
    return { issuedBefore: Number(before), issuedAfter: Number(after) };
  }

  /** Marks shoppers as holding their coupon, and notes codes already returned. */
  async restoreShoppers(
    promotionId: number,
    completed: { userId: string; ticket: number; code: string }[],
    returnedCodes: string[],
    { overwrite = false } = {},
  ): Promise<void> {
    const k = this.keys(promotionId);
    for (let i = 0; i < completed.length; i += 1000) {
      const pipeline = this.redis.pipeline();
      for (const c of completed.slice(i, i + 1000)) {
        const record = `C:${c.ticket}:${c.code}`;
        if (overwrite) pipeline.hset(k.users, c.userId, record);
        else pipeline.hsetnx(k.users, c.userId, record);
      }
      await pipeline.exec();
    }
    for (let i = 0; i < returnedCodes.length; i += 1000) {
      await this.redis.sadd(k.returned, ...returnedCodes.slice(i, i + 1000));
    }
  }

  /** Visits every shopper record (HSCAN, in chunks): O(shoppers), for repair paths only. */
  async scanShoppers(
    promotionId: number,
    visit: (userId: string, record: ShopperRecord) => void,
  ): Promise<void> {
    const { users } = this.keys(promotionId);
    let cursor = '0';
    do {
      const [next, flat] = await this.redis.hscan(users, cursor, 'COUNT', 1000);
      cursor = next;
      for (let i = 0; i + 1 < flat.length; i += 2) {
        visit(String(flat[i]), parseRecord(String(flat[i + 1])));
      }
    } while (cursor !== '0');
  }

  /** Removes every key of a promotion and its index entry. */
  async deleteState(promotionId: number): Promise<void> {
    await this.redis.del(...(Object.values(this.keys(promotionId)) as string[]));
    await this.redis.srem(promotionIndexKey(this.prefix), promotionId);
  }

  async shopper(promotionId: number, userId: string): Promise<ShopperView> {
    const k = this.keys(promotionId);
    const [record, [state, served]] = await Promise.all([
      this.redis.hget(k.users, userId),
      this.redis.hmget(k.meta, 'state', 'served'),
    ]);
    return {
      exists: state !== null && state !== undefined,
      record: record === null ? null : parseRecord(record),
      served: Number(served ?? 0),
    };
  }

  async info(promotionId: number): Promise<PromotionInfo | null> {
    const k = this.keys(promotionId);
    const [meta, queueSize, processingCount, pendingPersist] = await Promise.all([
      this.redis.hgetall(k.meta),
      this.redis.llen(k.waiting),
      this.redis.zcard(k.processing),
      this.redis.xlen(k.decisions),
    ]);
    if (meta.state === undefined) return null;
    const num = (field: string) => Number(meta[field] ?? 0);
    // One HGETALL: total, issued and held are read at one instant, so the identity
    // available + held + issued = total holds in every answer.
    return {
      promotionId,
      state: meta.state as PromotionState,
      totalStock: num('total'),
      issued: num('issued'),
      held: num('held'),
      currentStock: Math.max(0, num('total') - num('issued') - num('held')),
      mode: meta.mode === 'hold' ? 'hold' : 'instant',
      holdSeconds: Math.round(num('holdMs') / 1000),
      queueSize,
      processingCount,
      joined: num('seq'),
      served: num('served'),
      batchSize: num('batchSize'),
      intervalMs: num('intervalMs'),
      startsAt: isoOrNull(meta.startsAt),
      endsAt: isoOrNull(meta.endsAt),
      pendingPersist,
    };
  }

  /** The held counter and the holds index, read at one instant (MULTI): equal unless something is broken. */
  async holdCounts(promotionId: number): Promise<{ held: number; indexed: number }> {
    const k = this.keys(promotionId);
    const replies = await this.redis.multi().hget(k.meta, 'held').zcard(k.holds).exec();
    const [held, indexed] = (replies ?? []).map(([err, value]) => {
      if (err) throw err;
      return Number(value ?? 0);
    });
    return { held: held ?? 0, indexed: indexed ?? 0 };
  }

  /** Tickets handed out so far. Only joins add shoppers, and every one moves it. */
  async joinedCount(promotionId: number): Promise<number> {
    return Number((await this.redis.hget(this.keys(promotionId).meta, 'seq')) ?? 0);
  }

  /** One page of the shoppers Redis knows (HSCAN: bounded work per call; cursor "0" ends). */
  async scanShopperIds(
    promotionId: number,
    cursor: string,
    count = 1000,
  ): Promise<{ cursor: string; userIds: string[] }> {
    const [next, flat] = await this.redis.hscan(
      this.keys(promotionId).users,
      cursor,
      'COUNT',
      count,
    );
    const userIds: string[] = [];
    for (let i = 0; i < flat.length; i += 2) userIds.push(flat[i] ?? '');
    return { cursor: next, userIds };
  }

  async promotionIds(): Promise<number[]> {
    const ids = await this.redis.smembers(promotionIndexKey(this.prefix));
    return ids.map(Number).sort((a, b) => a - b);
  }
}

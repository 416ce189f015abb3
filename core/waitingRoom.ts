// The typed face of the Lua scripts: one short method per decision. Callers
// never see KEYS/ARGV; business refusals come back as AppError.
import { randomInt } from 'node:crypto';
import type { Redis } from 'ioredis';
import { AppError, ErrorCode } from './errors';
import { promotionIndexKey, promotionKeys } from './keys';
import { loadScripts, type Scripts } from './scripts';
import { parseRecord, type ShopperRecord } from './status';

/** Crockford base32: no I, L, O, U, so codes read aloud and typed back survive. */
const codeAlphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** An unguessable 10-character code suffix (50 bits). */
export function randomCodeSuffix(): string {
  let out = '';
  for (let i = 0; i < 10; i++) out += codeAlphabet.charAt(randomInt(codeAlphabet.length));
  return out;
}

export type PromotionState = 'OPEN' | 'PAUSED' | 'CLOSED';

export interface PromotionInfo {
  promotionId: number;
  state: PromotionState;
  totalStock: number;
  issued: number;
  currentStock: number;
  queueSize: number;
  processingCount: number;
  /** Tickets handed out so far (the last ticket number). */
  joined: number;
  /** Tickets taken off the waiting list so far. */
  served: number;
  batchSize: number;
  intervalMs: number;
}

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
  outcome: 'COMPLETED' | 'FAILED';
  /** Coupon code when COMPLETED, reason when FAILED. */
  detail: string;
}

export interface StockSettings {
  batchSize: number;
  intervalMs: number;
}

type Reply = (string | number)[];

function asReply(value: unknown): Reply {
  if (!Array.isArray(value)) throw new Error(`Unexpected script reply: ${String(value)}`);
  return value as Reply;
}

export function soldOutError(promotionId: number): AppError {
  return new AppError(ErrorCode.SoldOut, `Promotion ${promotionId} is sold out.`);
}

function refusal(code: number, promotionId: number): AppError {
  switch (code) {
    case -1:
      return new AppError(ErrorCode.PromotionNotFound, `Promotion ${promotionId} does not exist.`);
    case -2:
      return new AppError(
        ErrorCode.PromotionClosed,
        `Promotion ${promotionId} is closed to new shoppers.`,
      );
    case -3:
      return soldOutError(promotionId);
    default:
      return new AppError(ErrorCode.BadRequest, `Refused with code ${code}.`);
  }
}

export class WaitingRoom {
  private readonly scripts: Scripts;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly codeSuffix: () => string = randomCodeSuffix,
  ) {
    this.scripts = loadScripts(redis);
  }

  keys(promotionId: number) {
    return promotionKeys(this.prefix, promotionId);
  }

  async join(promotionId: number, userId: string): Promise<JoinOutcome> {
    const k = this.keys(promotionId);
    const reply = await this.scripts.joinQueue(k.meta, k.users, k.waiting, userId);
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
        count,
        promotionId,
        ...suffixes,
      ),
    );
    const decided: Decision[] = [];
    for (let i = 0; i + 3 < flat.length; i += 4) {
      decided.push({
        userId: String(flat[i]),
        ticket: Number(flat[i + 1]),
        outcome: flat[i + 2] === 'C' ? 'COMPLETED' : 'FAILED',
        detail: String(flat[i + 3]),
      });
    }
    return decided;
  }

  /** Creates the promotion if new and sets its total stock. */
  async setStock(
    promotionId: number,
    totalStock: number,
    settings: StockSettings,
  ): Promise<{ created: boolean; totalStock: number; issued: number }> {
    const k = this.keys(promotionId);
    const [flag, total, issued] = asReply(
      await this.scripts.setStock(k.meta, totalStock, settings.batchSize, settings.intervalMs),
    ).map(Number);
    if (flag === -1) {
      throw new AppError(
        ErrorCode.StockBelowIssued,
        `Stock ${totalStock} is below the ${issued} coupons already issued for promotion ${promotionId}.`,
        { issued },
      );
    }
    await this.redis.sadd(promotionIndexKey(this.prefix), promotionId);
    return { created: flag === 1, totalStock: Number(total), issued: Number(issued) };
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
    const [meta, queueSize, processingCount] = await Promise.all([
      this.redis.hgetall(k.meta),
      this.redis.llen(k.waiting),
      this.redis.zcard(k.processing),
    ]);
    if (meta.state === undefined) return null;
    const num = (field: string) => Number(meta[field] ?? 0);
    return {
      promotionId,
      state: meta.state as PromotionState,
      totalStock: num('total'),
      issued: num('issued'),
      currentStock: Math.max(0, num('total') - num('issued')),
      queueSize,
      processingCount,
      joined: num('seq'),
      served: num('served'),
      batchSize: num('batchSize'),
      intervalMs: num('intervalMs'),
    };
  }

  /** Tickets handed out so far. Only joins add shoppers, and every one moves it. */
  async joinedCount(promotionId: number): Promise<number> {
    return Number((await this.redis.hget(this.keys(promotionId).meta, 'seq')) ?? 0);
  }

  /** One page of the shoppers Redis knows (HSCAN: bounded work per call; cursor "0" ends). */
  async scanShoppers(
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

// The sold-out fast path: once a join has been refused SOLD_OUT by Redis, later
// joins to that promotion are refused here, without a Redis round trip, for up to
// SOLD_OUT_CACHE_MS. It never tells a shopper Redis knows "sold out":
//
// - A repeated join returns the shopper's own record (a winner must hear about
//   their coupon), so the cached refusal goes only to shoppers that a Bloom filter
//   of the promotion's known shoppers says never joined. A "maybe" (a real
//   shopper, or a ~1% false positive) takes the normal path through Redis.
// - The filter is trusted only if the promotion's ticket counter, read after the
//   sell-out was seen, equals the counter it was built at: only joins add
//   shoppers, and every one of them moves the counter.
//
// What may be stale, bounded by the window: a restock (init-stock raising stock,
// or a cancel) made elsewhere reopens joins here at most SOLD_OUT_CACHE_MS later.
// A join that succeeds, or an init-stock, through this process ends the window at once.
import { AppError, ErrorCode } from '../platform/errors';
import { soldOutError } from './refusals';
import type { JoinOutcome, WaitingRoom } from './waitingRoom';
import { BloomFilter } from './bloomFilter';

/** Above this many known shoppers the filter would cost too much to build: no fast path. */
const maxKnownShoppers = 10_000_000;
/** Entries idle this long are forgotten, so memory follows the promotions in play. */
const forgetAfterMs = 60_000;

type Room = Pick<WaitingRoom, 'join' | 'joinedCount' | 'scanShopperIds'>;

interface Entry {
  /** Shoppers known when the ticket counter was `seq`; null until built. */
  known: BloomFilter | null;
  seq: number;
  /** The latest sell-out seen from Redis: when the join that saw it started. */
  seenAt: number;
  /** Joins may be refused here before this time. */
  trustedUntil: number;
  /** The refusal, made once when first trusted: a stack trace per refused join costs more than the answer. */
  refusal: AppError | null;
  /** The refresh in flight, if any: one at a time per promotion. */
  refreshing: Promise<void> | null;
  /** Stock may have changed at this time: sell-outs seen by joins started before it are old news. */
  resetAt: number;
}

export interface SoldOutCacheOptions {
  now?: () => number;
  /** A failed refresh only delays the fast path; the caller decides whether to log it. */
  onError?: (err: unknown) => void;
}

export class SoldOutCache {
  private readonly entries = new Map<number, Entry>();
  private readonly now: () => number;
  private readonly onError: (err: unknown) => void;

  constructor(
    private readonly room: Room,
    private readonly windowMs: number,
    { now = Date.now, onError = () => undefined }: SoldOutCacheOptions = {},
  ) {
    this.now = now;
    this.onError = onError;
  }

  /** room.join, answered here when the promotion is known to be sold out and the shopper new. */
  async join(promotionId: number, userId: string): Promise<JoinOutcome | null> {
    const refusal = this.refusal(promotionId, userId);
    if (refusal) throw refusal;
    const startedAt = this.now();
    try {
      const outcome = await this.room.join(promotionId, userId);
      if (outcome?.joinedNow) this.forget(promotionId); // open again: trust nothing
      return outcome;
    } catch (err) {
      if (err instanceof AppError && err.code === ErrorCode.SoldOut) {
        this.sawSoldOut(promotionId, startedAt);
      }
      throw err;
    }
  }

  /**
   * The SOLD_OUT refusal for this join when the sell-out is trusted and the shopper
   * surely new, else null. Synchronous by design: it cannot touch Redis.
   */
  refusal(promotionId: number, userId: string): AppError | null {
    const entry = this.entries.get(promotionId);
    if (!entry?.known || this.now() >= entry.trustedUntil) return null;
    return entry.known.mightContain(userId) ? null : (entry.refusal ??= soldOutError(promotionId));
  }

  /** Stock changed through this process (init-stock, or a join got in): stop trusting at once. */
  forget(promotionId: number): void {
    if (this.windowMs === 0) return;
    const entry = this.entries.get(promotionId);
    // Every successful join comes here: reuse an idle entry rather than allocate one.
    if (entry && !entry.known && !entry.refreshing) entry.resetAt = this.now();
    else this.entries.set(promotionId, this.newEntry(this.now()));
  }

  /** Settles when every refresh in flight has (for tests). */
  async settled(): Promise<void> {
    await Promise.all(
      [...this.entries.values()].map((entry) => entry.refreshing ?? Promise.resolve()),
    );
  }

  private sawSoldOut(promotionId: number, seenAt: number): void {
    if (this.windowMs === 0) return;
    this.forgetIdle(seenAt);
    const entry = this.entries.get(promotionId) ?? this.newEntry(-1);
    this.entries.set(promotionId, entry);
    if (seenAt <= entry.resetAt) return;
    entry.seenAt = Math.max(entry.seenAt, seenAt);
    // At most one refresh at a time, and only when it would extend trust by half a
    // window or more: filter false positives keep arriving here while trusted.
    if (entry.refreshing || entry.trustedUntil - seenAt > this.windowMs / 2) return;
    entry.refreshing = this.refresh(promotionId, entry)
      .catch(this.onError)
      .finally(() => {
        entry.refreshing = null;
      });
  }

  private async refresh(promotionId: number, entry: Entry): Promise<void> {
    const seenAt = entry.seenAt;
    const seq = await this.room.joinedCount(promotionId);
    if (entry.seq !== seq || !entry.known) {
      const known = await this.knownShoppers(promotionId, seq);
      if (!known) return;
      entry.known = known;
      entry.seq = seq;
    }
    if (this.entries.get(promotionId) === entry) entry.trustedUntil = seenAt + this.windowMs;
  }

  /** Every shopper Redis knows, or null if someone joined meanwhile (then it is not sold out). */
  private async knownShoppers(promotionId: number, seq: number): Promise<BloomFilter | null> {
    if (seq > maxKnownShoppers) return null;
    const known = new BloomFilter(seq);
    let cursor = '0';
    // HSCAN ends when the cursor returns to 0; the bound only guards against a bug.
    for (let page = 0; page < maxKnownShoppers; page++) {
      const scanned = await this.room.scanShopperIds(promotionId, cursor);
      for (const userId of scanned.userIds) known.add(userId);
      cursor = scanned.cursor;
      if (cursor === '0') break;
    }
    return (await this.room.joinedCount(promotionId)) === seq ? known : null;
  }

  private newEntry(resetAt: number): Entry {
    return {
      known: null,
      seq: -1,
      seenAt: 0,
      trustedUntil: 0,
      refusal: null,
      refreshing: null,
      resetAt,
    };
  }

  private forgetIdle(now: number): void {
    for (const [promotionId, entry] of this.entries) {
      const lastNews = Math.max(entry.trustedUntil, entry.seenAt, entry.resetAt);
      if (!entry.refreshing && lastNews + forgetAfterMs < now) {
        this.entries.delete(promotionId);
      }
    }
  }
}

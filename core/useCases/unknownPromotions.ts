// A bounded, short-lived memory of promotion ids the database said do not exist,
// so a stream of joins or status reads for made-up ids costs the database one
// query per id per window instead of one per request. Forgotten when this server
// creates a promotion with that id; another server's create is seen here at most
// `ttlMs` later, and only if Redis lacks the promotion's state (a created
// promotion's state is in Redis at once, which every server reads first).

/** At most this many ids are remembered; the least recently added goes first. */
export const maxUnknownPromotions = 10_000;

export class UnknownPromotions {
  /** id -> when it stops being trusted; Map order is insertion order (oldest first). */
  private readonly until = new Map<number, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly max = maxUnknownPromotions,
    private readonly now: () => number = Date.now,
  ) {}

  /** True while the database's "no such promotion" for `id` is fresh. */
  has(id: number): boolean {
    const until = this.until.get(id);
    if (until === undefined) return false;
    if (until > this.now()) return true;
    this.until.delete(id);
    return false;
  }

  add(id: number): void {
    if (this.ttlMs <= 0) return;
    this.until.delete(id); // re-added ids move to the young end
    this.until.set(id, this.now() + this.ttlMs);
    if (this.until.size > this.max) {
      const oldest = this.until.keys().next();
      if (!oldest.done) this.until.delete(oldest.value);
    }
  }

  forget(id: number): void {
    this.until.delete(id);
  }

  get size(): number {
    return this.until.size;
  }
}

// Rows of the coupons table: every issued coupon and its lifecycle.
import type { Db } from './connection';
import { bumpCounters, holdCouponWrites } from './couponCounters';
import { appendEvents, couponEvent, promotionEvent, type DomainEvent } from './eventsRepo';
import { toDate } from './dates';

import type { CouponState } from '../model/shopperRecord';

export type { CouponState };

export interface Coupon {
  id: number;
  promotionId: number;
  userId: string;
  ticket: number;
  code: string;
  state: CouponState;
  issuedAt: Date;
}

/** A decision the issue script made, as the write-behind carries it to the database. */
export interface IssuedDecision {
  promotionId: number;
  userId: string;
  ticket: number;
  code: string;
  issuedAt: Date;
}

interface Row {
  id: number | string;
  promotion_id: number | string;
  user_id: string;
  ticket: number | string;
  code: string;
  state: CouponState;
  issued_at: Date | string | number;
}

function fromRow(row: Row): Coupon {
  return {
    id: Number(row.id),
    promotionId: Number(row.promotion_id),
    userId: row.user_id,
    ticket: Number(row.ticket),
    code: row.code,
    state: row.state,
    issuedAt: toDate(row.issued_at),
  };
}

export interface InsertOutcome {
  inserted: number;
  alreadyThere: number;
  /** Decisions that clash with a different coupon already recorded for the shopper. */
  conflicts: { decision: IssuedDecision; existingCode: string }[];
}

/**
 * Records decisions idempotently: a decision already recorded (same shopper, same
 * code) is skipped, so a re-run after a crash writes nothing twice. One transaction.
 */
export async function insertDecisions(
  db: Db,
  promotionId: number,
  decisions: IssuedDecision[],
): Promise<InsertOutcome> {
  if (decisions.length === 0) return { inserted: 0, alreadyThere: 0, conflicts: [] };
  return db.transaction(async (trx) => {
    // Two writers of one promotion (the persist job, a lookup, a resync) queue
    // here, so the second sees what the first wrote and inserts nothing twice.
    await holdCouponWrites(trx, promotionId);
    const existing = await trx<Row>('coupons')
      .select('user_id', 'code')
      .where({ promotion_id: promotionId })
      .whereIn(
        'user_id',
        decisions.map((d) => d.userId),
      );
    const codeByUser = new Map(existing.map((row) => [row.user_id, row.code]));
    const fresh: IssuedDecision[] = [];
    const outcome: InsertOutcome = { inserted: 0, alreadyThere: 0, conflicts: [] };
    for (const decision of decisions) {
      const code = codeByUser.get(decision.userId);
      if (code === undefined) {
        fresh.push(decision);
        codeByUser.set(decision.userId, decision.code); // a decision logged twice is written once
      } else if (code === decision.code) outcome.alreadyThere++;
      else outcome.conflicts.push({ decision, existingCode: code });
    }
    if (fresh.length > 0) {
      const after = await bumpCounters(trx, promotionId, { issued: fresh.length });
      const events: DomainEvent[] = fresh.map((d) => couponEvent('coupon.issued', d, d.issuedAt));
      // Sold out is what the record proves: this transaction issued the last unit.
      // Redis' own view can flip back (a cancel returns a unit); this one is
      // exactly once per crossing, and the issued count tells crossings apart.
      if (after.holding >= after.totalStock && after.holding - fresh.length < after.totalStock) {
        const last = fresh[fresh.length - 1]?.issuedAt ?? new Date();
        events.push(
          promotionEvent('promotion.sold_out', { id: promotionId, ...after }, after.issued, last, {
            totalStock: after.totalStock,
            issued: after.issued,
          }),
        );
      }
      await trx.batchInsert(
        'coupons',
        fresh.map((d) => ({
          promotion_id: d.promotionId,
          user_id: d.userId,
          ticket: d.ticket,
          code: d.code,
          state: 'ISSUED',
          issued_at: d.issuedAt,
        })),
        500,
      );
      await appendEvents(trx, events);
    }
    outcome.inserted = fresh.length;
    return outcome;
  });
}

export async function findCoupon(db: Db, code: string): Promise<Coupon | null> {
  const row = await db<Row>('coupons').where({ code }).first();
  return row ? fromRow(row) : null;
}

const stampColumn: Record<Exclude<CouponState, 'ISSUED'>, string> = {
  USED: 'used_at',
  CANCELLED: 'cancelled_at',
  REVOKED: 'revoked_at',
};

const eventOf = {
  USED: 'coupon.used',
  CANCELLED: 'coupon.cancelled',
  REVOKED: 'coupon.revoked',
} as const;

const counterOf = { USED: 'used', CANCELLED: 'cancelled', REVOKED: 'revoked' } as const;

/** ISSUED -> to, only if still ISSUED, with its event; true when this call made the change. */
export async function transitionCoupon(
  db: Db,
  coupon: Coupon,
  to: Exclude<CouponState, 'ISSUED'>,
): Promise<boolean> {
  return db.transaction(async (trx) => {
    // The promotion's row first, as the persist job takes it: locked in one order,
    // a cancel and a persist of the same promotion queue instead of deadlocking.
    await holdCouponWrites(trx, coupon.promotionId);
    const now = new Date();
    const changed = await trx('coupons')
      .where({ code: coupon.code, state: 'ISSUED' })
      .update({ state: to, [stampColumn[to]]: now });
    if (changed !== 1) return false;
    await bumpCounters(trx, coupon.promotionId, { [counterOf[to]]: 1 });
    await appendEvents(trx, [couponEvent(eventOf[to], coupon, now)]);
    return true;
  });
}

export interface CouponCounts {
  /** Every row: coupons ever issued. */
  issued: number;
  /** ISSUED + USED: the units stock is short of. */
  holding: number;
  used: number;
  cancelled: number;
  revoked: number;
}

export async function couponCounts(db: Db, promotionId: number): Promise<CouponCounts> {
  const rows = await db('coupons')
    .select('state')
    .count<{ state: CouponState; n: number | string }[]>({ n: '*' })
    .where({ promotion_id: promotionId })
    .groupBy('state');
  const by = (state: CouponState) => Number(rows.find((r) => r.state === state)?.n ?? 0);
  const used = by('USED');
  const issuedOnly = by('ISSUED');
  return {
    issued: issuedOnly + used + by('CANCELLED') + by('REVOKED'),
    holding: issuedOnly + used,
    used,
    cancelled: by('CANCELLED'),
    revoked: by('REVOKED'),
  };
}

/** Which of these codes the database holds. */
export async function recordedCodes(db: Db, codes: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < codes.length; i += 1000) {
    const rows = await db<Row>('coupons')
      .select('code')
      .whereIn('code', codes.slice(i, i + 1000));
    for (const row of rows) found.add(row.code);
  }
  return found;
}

export async function couponsOf(db: Db, promotionId: number): Promise<Coupon[]> {
  const rows = await db<Row>('coupons').where({ promotion_id: promotionId }).orderBy('ticket');
  return rows.map(fromRow);
}

export async function deleteCouponsOf(db: Db, promotionId: number): Promise<number> {
  return db('coupons').where({ promotion_id: promotionId }).delete();
}

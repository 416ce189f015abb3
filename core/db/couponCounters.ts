// Per-promotion coupon counters on the promotions row, moved in the same
// transaction as the coupon rows they count: the ledger's totals without a
// COUNT(*) over a million rows, and an exact, locked view of when stock is
// all issued (the sell-out event). The UPDATE also locks the promotion's row
// for the rest of the transaction, which serializes its coupon writes.
import type { Knex } from 'knex';
import type { Db } from './connection';
import { toDate } from './dates';

export interface CouponCounters {
  totalStock: number;
  createdAt: Date;
  /** Every coupon ever issued. */
  issued: number;
  used: number;
  cancelled: number;
  revoked: number;
  /** ISSUED + USED: the units stock is short of. */
  holding: number;
}

type Counted = 'issued' | 'used' | 'cancelled' | 'revoked';

interface Row {
  id: number | string;
  total_stock: number | string;
  created_at: Date | string | number;
  coupons_issued: number | string;
  coupons_used: number | string;
  coupons_cancelled: number | string;
  coupons_revoked: number | string;
}

export async function readCounters(db: Db | Knex.Transaction, id: number) {
  const row = await db<Row>('promotions')
    .select(
      'total_stock',
      'created_at',
      'coupons_issued',
      'coupons_used',
      'coupons_cancelled',
      'coupons_revoked',
    )
    .where({ id })
    .first();
  if (!row) return null;
  const [issued, used, cancelled, revoked] = [
    row.coupons_issued,
    row.coupons_used,
    row.coupons_cancelled,
    row.coupons_revoked,
  ].map(Number) as [number, number, number, number];
  return {
    totalStock: Number(row.total_stock),
    createdAt: toDate(row.created_at),
    issued,
    used,
    cancelled,
    revoked,
    holding: issued - cancelled - revoked,
  } satisfies CouponCounters;
}

/** Adds to counters inside `trx` (locking the row) and returns them after the change. */
export async function bumpCounters(
  trx: Knex.Transaction,
  id: number,
  by: Partial<Record<Counted, number>>,
): Promise<CouponCounters> {
  const change: Record<string, Knex.Raw> = {};
  for (const [name, n] of Object.entries(by)) {
    change[`coupons_${name}`] = trx.raw('?? + ?', [`coupons_${name}`, n]);
  }
  await trx('promotions').where({ id }).update(change);
  const after = await readCounters(trx, id);
  if (!after) throw new Error(`Promotion ${id} has no row for its coupon counters`);
  return after;
}

/**
 * Locks the promotion's row for the rest of `trx`: coupon inserts and
 * transitions move the counters on it, so they wait (MySQL row lock; SQLite's
 * write lock). As the first statement of a transaction, it also makes the
 * transaction's reads see whatever the previous holder committed.
 */
export async function holdCouponWrites(trx: Knex.Transaction, id: number): Promise<void> {
  await trx('promotions')
    .where({ id })
    .update({ coupons_issued: trx.raw('??', ['coupons_issued']) });
}

/** Runs `work` in a transaction while no coupon of the promotion can be written or change state. */
export async function withCouponWritesHeld<T>(
  db: Db,
  id: number,
  work: (trx: Knex.Transaction) => Promise<T>,
): Promise<T> {
  return db.transaction(async (trx) => {
    await holdCouponWrites(trx, id);
    return work(trx);
  });
}

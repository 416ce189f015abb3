// The coupon ledger: a promotion's coupons in keyset pages on id (never OFFSET:
// page N costs the same as page 1, even at a million rows).
import type { Db } from './connection';
import type { CouponState } from './couponsRepo';
import { toDate } from './dates';

export interface LedgerEntry {
  id: number;
  code: string;
  userId: string;
  ticket: number;
  state: CouponState;
  issuedAt: Date;
  /** When it last changed state (its issue time while ISSUED). */
  changedAt: Date;
}

export interface LedgerFilter {
  state?: CouponState;
  userId?: string;
  /** Rows with an id above this one (the previous page's last id). */
  after?: number;
}

type Stamp = Date | string | number;

interface Row {
  id: number | string;
  promotion_id: number | string;
  code: string;
  user_id: string;
  ticket: number | string;
  state: CouponState;
  issued_at: Stamp;
  used_at: Stamp | null;
  cancelled_at: Stamp | null;
  revoked_at: Stamp | null;
}

const columns = [
  'id',
  'code',
  'user_id',
  'ticket',
  'state',
  'issued_at',
  'used_at',
  'cancelled_at',
  'revoked_at',
];

function fromRow(row: Row): LedgerEntry {
  const issuedAt = toDate(row.issued_at);
  const changed = row.used_at ?? row.cancelled_at ?? row.revoked_at;
  return {
    id: Number(row.id),
    code: row.code,
    userId: row.user_id,
    ticket: Number(row.ticket),
    state: row.state,
    issuedAt,
    changedAt: changed === null ? issuedAt : toDate(changed),
  };
}

/** Up to `limit` coupons in id order after `filter.after`; served by (promotion_id, id) or (promotion_id, state). */
export async function ledgerPage(
  db: Db,
  promotionId: number,
  filter: LedgerFilter,
  limit: number,
): Promise<LedgerEntry[]> {
  const query = db<Row>('coupons')
    .select<Row[]>(columns)
    .where({ promotion_id: promotionId })
    .andWhere('id', '>', filter.after ?? 0);
  if (filter.state) void query.andWhere({ state: filter.state });
  if (filter.userId !== undefined) void query.andWhere({ user_id: filter.userId });
  const rows = await query.orderBy('id').limit(limit);
  return rows.map(fromRow);
}

/** Every coupon of a promotion, one keyset batch at a time: memory stays flat. */
export async function* ledgerBatches(
  db: Db,
  promotionId: number,
  batchSize = 1000,
): AsyncGenerator<LedgerEntry[]> {
  let after = 0;
  for (;;) {
    const batch = await ledgerPage(db, promotionId, { after }, batchSize);
    if (batch.length > 0) yield batch;
    if (batch.length < batchSize) return;
    after = batch[batch.length - 1]?.id ?? after;
  }
}

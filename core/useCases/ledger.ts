// The coupon ledger (seed 001): a promotion's issued codes and their use, in
// keyset pages or as one CSV streamed batch by batch. Totals come from the
// counters kept in the same transactions as the coupon rows, not from COUNT(*).
import { readCounters } from '../db/couponCounters';
import type { CouponState } from '../db/couponsRepo';
import { ledgerBatches, ledgerPage, type LedgerEntry, type LedgerFilter } from '../db/ledgerRepo';
import { promotionNotFound } from '../platform/errors';
import type { Services } from '../services';
import type { LedgerCounts } from '../model/figures';

export type LedgerDeps = Pick<Services, 'db'>;

export interface LedgerPage {
  coupons: LedgerEntry[];
  /** Pass as `cursor` for the next page; null on the last one. */
  nextCursor: string | null;
  /** The promotion's totals, unfiltered. */
  counts: LedgerCounts;
}

async function counts(s: LedgerDeps, promotionId: number): Promise<LedgerCounts> {
  const c = await readCounters(s.db, promotionId);
  if (!c) throw promotionNotFound(promotionId);
  const { issued, used, cancelled, revoked } = c;
  return { issued, unused: issued - used - cancelled - revoked, used, cancelled, revoked };
}

export async function listCoupons(
  s: LedgerDeps,
  promotionId: number,
  query: { state?: CouponState; userId?: string; cursor?: string; limit: number },
): Promise<LedgerPage> {
  const totals = await counts(s, promotionId);
  const filter: LedgerFilter = {
    state: query.state,
    userId: query.userId,
    after: query.cursor === undefined ? 0 : Number(query.cursor),
  };
  // One row more than asked says whether another page exists.
  const rows = await ledgerPage(s.db, promotionId, filter, query.limit + 1);
  const coupons = rows.slice(0, query.limit);
  const last = coupons[coupons.length - 1];
  const nextCursor = rows.length > query.limit && last ? String(last.id) : null;
  return { coupons, nextCursor, counts: totals };
}

export const csvHeader = 'code,userId,ticket,state,issuedAt,changedAt\r\n';

/** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. */
const field = (value: string | number) => {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** The CSV of every coupon, as chunks of one batch each; 404 before the first chunk. */
export async function couponsCsv(
  s: LedgerDeps,
  promotionId: number,
): Promise<AsyncIterable<string>> {
  await counts(s, promotionId);
  return (async function* () {
    yield csvHeader;
    for await (const batch of ledgerBatches(s.db, promotionId)) {
      yield (
        batch
          .map((c) =>
            [
              c.code,
              c.userId,
              c.ticket,
              c.state,
              c.issuedAt.toISOString(),
              c.changedAt.toISOString(),
            ]
              .map(field)
              .join(','),
          )
          .join('\r\n') + '\r\n'
      );
    }
  })();
}

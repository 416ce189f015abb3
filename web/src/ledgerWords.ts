// The coupon ledger in a marketer's words, with no page: each coupon state, the
// sale's totals as one sentence, and the API path of a page of the ledger.
import type { LedgerCounts } from '../../core/model/figures';
import type { CouponState } from '../../core/model/shopperRecord';

export type { CouponState, LedgerCounts };

export const couponStateWords: Record<CouponState, string> = {
  ISSUED: 'Not used yet',
  USED: 'Used',
  CANCELLED: 'Cancelled by the shopper',
  REVOKED: 'Taken back by you',
};

const coupons = (n: number) => `${n.toLocaleString()} coupon${n === 1 ? '' : 's'}`;

/** "3 coupons given so far: 1 not used yet, 1 used, 1 cancelled by the shopper." */
export function countsSentence(c: LedgerCounts): string {
  if (c.issued === 0) return 'No coupons given yet: winners appear here as they get theirs.';
  const parts = [
    [c.unused, couponStateWords.ISSUED],
    [c.used, couponStateWords.USED],
    [c.cancelled, couponStateWords.CANCELLED],
    [c.revoked, couponStateWords.REVOKED],
  ] as const;
  const said = parts
    .filter(([n]) => n > 0)
    .map(([n, words]) => `${n.toLocaleString()} ${words.toLowerCase()}`);
  return `${coupons(c.issued)} given so far: ${said.join(', ')}.`;
}

export interface LedgerSearch {
  /** Empty: every state. */
  state: CouponState | '';
  /** Empty: every shopper. */
  userId: string;
}

/** The API path of one page: filters only when given, the cursor after the first page. */
export function ledgerPath(
  promotionId: number,
  search: LedgerSearch,
  limit: number,
  cursor: string | null = null,
): string {
  const query = new URLSearchParams();
  if (search.state) query.set('state', search.state);
  const userId = search.userId.trim();
  if (userId) query.set('userId', userId);
  if (cursor) query.set('cursor', cursor);
  query.set('limit', String(limit));
  return `/api/promotions/${promotionId}/coupons?${query.toString()}`;
}

/** Under the table: how much of the search is shown. */
export function shownSentence(shown: number, more: boolean, searched: boolean): string {
  if (shown === 0) return searched ? 'No coupon matches this search.' : '';
  if (more) return `The first ${coupons(shown)} shown; More shows the next.`;
  return shown === 1 ? '1 coupon shown.' : `All ${coupons(shown)} shown.`;
}

// The compact record Redis keeps per shopper, read and written here only (the
// Lua side writes the same format from lua/includes/shopperRecord.lua):
// "W:<ticket>", "P:<ticket>", "C:<ticket>:<code>" (an ISSUED coupon; used,
// cancelled or revoked since: "C:<ticket>:<code>:<U|C|R>", written when the
// database committed the change), "F:<ticket>:<reason>", and in
// hold mode "H:<ticket>:<deadlineMs>:<code>" (the code is fixed, shown only once
// confirmed), "X:<ticket>" (the hold expired), "R:<ticket>" (the shopper released it).

export type FailureReason = 'SOLD_OUT' | 'CLOSED';

/** A coupon's life; the database is its record, the shopper's Redis record a copy for status. */
export const couponStates = ['ISSUED', 'USED', 'CANCELLED', 'REVOKED'] as const;
export type CouponState = (typeof couponStates)[number];

/** The letter a used, cancelled or revoked coupon's record ends with (none: ISSUED). */
const stateLetters = { USED: 'U', CANCELLED: 'C', REVOKED: 'R' } as const;
const stateOfLetter: Record<string, CouponState | undefined> = {
  U: 'USED',
  C: 'CANCELLED',
  R: 'REVOKED',
};

/** The record's last part for a coupon in this state ("" while ISSUED). */
export function couponStateSuffix(state: CouponState): string {
  return state === 'ISSUED' ? '' : `:${stateLetters[state]}`;
}

export type ShopperRecord =
  | { status: 'WAITING' | 'PROCESSING'; ticket: number }
  | { status: 'COMPLETED'; ticket: number; couponCode: string; couponState: CouponState }
  | { status: 'FAILED'; ticket: number; reason: FailureReason }
  | { status: 'HELD'; ticket: number; deadline: number; couponCode: string }
  | { status: 'EXPIRED' | 'RELEASED'; ticket: number };

/** The record's first letter per status; issueBatch also answers its outcomes with C, F and H. */
export const recordLetters = {
  W: 'WAITING',
  P: 'PROCESSING',
  C: 'COMPLETED',
  F: 'FAILED',
  H: 'HELD',
  X: 'EXPIRED',
  R: 'RELEASED',
} as const;
type Letter = keyof typeof recordLetters;

const letterOf = Object.fromEntries(
  Object.entries(recordLetters).map(([letter, status]) => [status, letter]),
) as Record<ShopperRecord['status'], Letter>;

export function parseRecord(record: string): ShopperRecord {
  const match = /^([WPCFHXR]):(\d+)(?::(.+))?$/.exec(record);
  const letter = match?.[1] as Letter | undefined;
  if (!match || !letter) throw new Error(`Malformed shopper record: ${record}`);
  const status = recordLetters[letter];
  const ticket = Number(match[2]);
  const detail = match[3] ?? '';
  if (status === 'COMPLETED') {
    // Codes hold no ':' (couponCode.ts), so a last part after one is the state letter.
    const [couponCode = '', letter = ''] = detail.split(':');
    return { status, ticket, couponCode, couponState: stateOfLetter[letter] ?? 'ISSUED' };
  }
  if (status === 'FAILED') return { status, ticket, reason: detail as FailureReason };
  if (status === 'HELD') {
    const [deadline = '', ...code] = detail.split(':');
    return { status, ticket, deadline: Number(deadline), couponCode: code.join(':') };
  }
  return { status, ticket };
}

export function encodeRecord(record: ShopperRecord): string {
  const head = `${letterOf[record.status]}:${record.ticket}`;
  switch (record.status) {
    case 'COMPLETED':
      return `${head}:${record.couponCode}${couponStateSuffix(record.couponState)}`;
    case 'FAILED':
      return `${head}:${record.reason}`;
    case 'HELD':
      return `${head}:${record.deadline}:${record.couponCode}`;
    default:
      return head;
  }
}

export type DecidedStatus = 'COMPLETED' | 'FAILED' | 'HELD';

/**
 * The record a drain decision left, from issueBatch's detail: the coupon code,
 * the failure reason or the hold's deadline (a held code is not the page's
 * until confirmed, so it is left empty).
 */
export function decidedRecord(
  status: DecidedStatus,
  ticket: number,
  detail: string,
): ShopperRecord {
  switch (status) {
    case 'COMPLETED':
      return { status, ticket, couponCode: detail, couponState: 'ISSUED' };
    case 'HELD':
      return { status, ticket, deadline: Number(detail), couponCode: '' };
    case 'FAILED':
      return { status, ticket, reason: detail === 'CLOSED' ? 'CLOSED' : 'SOLD_OUT' };
  }
}

// What the shopper page keeps in localStorage (so a reload resumes) and what it
// says in words: refusal reasons and the expected wait.

/** What survives a reload, per promotion. */
export interface Session {
  userId: string;
  /** Position when first seen: the progress bar's 0 %. */
  firstPosition: number;
  /** Open mode: the queue token join handed out; sent with later joins, it proves this is them. */
  queueToken?: string;
}

const userKey = 'wr.userId';
const sessionKey = (promotionId: number) => `wr.session.${promotionId}`;

export function readSession(id: number): Session | undefined {
  try {
    const raw = localStorage.getItem(sessionKey(id));
    return raw ? (JSON.parse(raw) as Session) : undefined;
  } catch {
    return undefined;
  }
}

/** Keeps the first position ever seen (the progress bar measures from it) and the latest token. */
export function rememberSession(
  id: number,
  userId: string,
  position: number,
  queueToken?: string,
): void {
  const before = readSession(id);
  const session: Session = {
    userId,
    firstPosition: before?.firstPosition ?? position,
    queueToken: queueToken ?? before?.queueToken,
  };
  localStorage.setItem(sessionKey(id), JSON.stringify(session));
  localStorage.setItem(userKey, userId);
}

export function forgetSession(id: number): void {
  localStorage.removeItem(sessionKey(id));
}

/** The user id last used on this browser, to fill the form. */
export function storedUserId(): string {
  return localStorage.getItem(userKey) ?? '';
}

export /** Why there is no coupon, in words, by refusal code or FAILED reason. */
const failures: Record<string, { title: string; text: string }> = {
  SOLD_OUT: { title: 'Sold out', text: 'Every coupon of this sale has been given out.' },
  CLOSED: { title: 'This sale is closed', text: 'The sale was closed before your turn came.' },
  PROMOTION_CLOSED: { title: 'This sale is closed', text: 'It no longer takes new shoppers.' },
  NOT_STARTED: {
    title: 'Not started yet',
    text: 'This sale has not opened yet; this page joins by itself when it does.',
  },
  ENDED: { title: 'This sale has ended', text: 'It no longer takes new shoppers.' },
  PROMOTION_NOT_FOUND: { title: 'No such sale', text: 'Check the promotion number.' },
  SHOPPER_TOKEN_MISSING: {
    title: 'Please come from the shop',
    text: 'This sale is for signed-in customers: open it from the shop’s link.',
  },
  SHOPPER_TOKEN_EXPIRED: {
    title: 'Your link has expired',
    text: 'Go back to the shop and open the sale again.',
  },
  SHOPPER_TOKEN_INVALID: {
    title: 'This link is not valid',
    text: 'Go back to the shop and open the sale again.',
  },
  EXPIRED: {
    title: 'Your time ran out',
    text: 'The held coupon was not confirmed in time and went to the next shopper.',
  },
  RELEASED: { title: 'You gave up your place', text: 'The coupon went to the next shopper.' },
  COMPLETED: {
    title: 'This user id already has a coupon',
    text: 'It is shown on the device that joined the sale with it.',
  },
};

export function formatEta(seconds: number | null, paused: boolean): string {
  if (seconds === null) return paused ? 'paused' : '–';
  // Short enough for one line on a phone; the label already says it is an estimate.
  if (seconds < 60) return `${Math.max(1, seconds)} s`;
  return `${Math.ceil(seconds / 60)} min`;
}

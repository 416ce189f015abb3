// What the shopper page keeps in localStorage (so a reload resumes) and what it
// says in words: refusal reasons and the expected wait.

/** What survives a reload, per promotion. */
export interface Session {
  userId: string;
  /** Position when first seen: the progress bar's 0 %. */
  firstPosition: number;
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

/** Keeps the first position ever seen: the progress bar measures from it. */
export function rememberSession(id: number, userId: string, position: number): void {
  const session: Session = { userId, firstPosition: readSession(id)?.firstPosition ?? position };
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
  EXPIRED: {
    title: 'Your time ran out',
    text: 'The held coupon was not confirmed in time and went to the next shopper.',
  },
  RELEASED: { title: 'You gave up your place', text: 'The coupon went to the next shopper.' },
};

export function formatEta(seconds: number | null, paused: boolean): string {
  if (seconds === null) return paused ? 'paused' : '–';
  // Short enough for one line on a phone; the label already says it is an estimate.
  if (seconds < 60) return `${Math.max(1, seconds)} s`;
  return `${Math.ceil(seconds / 60)} min`;
}

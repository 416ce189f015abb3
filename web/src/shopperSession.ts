// What the shopper page keeps in localStorage (so a reload resumes) and what it
// says in words: refusal reasons and the expected wait.
import { hasKey, t } from './i18n';

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

/** Why there is no coupon, in words, by refusal code or FAILED reason; undefined for a code without words. */
export function failureWords(code: string): { title: string; text: string } | undefined {
  const title = `${code}_title`;
  const text = `${code}_text`;
  return hasKey(title) && hasKey(text) ? { title: t(title), text: t(text) } : undefined;
}

export function formatEta(seconds: number | null, paused: boolean): string {
  if (seconds === null) return paused ? t('etaPaused') : '–';
  // Short enough for one line on a phone; the label already says it is an estimate.
  if (seconds < 60) return t('etaSeconds', { n: Math.max(1, seconds) });
  return t('etaMinutes', { n: Math.ceil(seconds / 60) });
}

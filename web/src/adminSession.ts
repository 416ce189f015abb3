// The console's session: the admin token, asked once and kept for the tab; every
// admin call (a 401 sends the marketer back to the token form); and the polls of
// the promotion list and the selected one's history (every second) and the coupons
// not yet saved to the database, polled while signed in.
import { callApi, type ApiResult } from './api';
import { banner, els } from './adminElements';
import { updateCharts } from './promotionCharts';
import { selectedPromotionId, showPromotions, type ListedPromotion } from './promotionTable';
import { renderDeadLetters, type DeadLetter } from './reports';

const tokenKey = 'wr.adminToken';
const pollMs = 1000;
const deadLetterPollMs = 5000;

let token = sessionStorage.getItem(tokenKey) ?? '';
let pollTimer: number | undefined;
let deadTimer: number | undefined;

/** Every admin call: a 401 sends the marketer back to the token form. */
export async function admin<T>(
  method: string,
  path: string,
  body?: unknown,
): Promise<ApiResult<T>> {
  const result = await callApi<T>(method, path, { body, token });
  if (result.kind === 'unreachable') banner(result.message);
  else banner(null);
  if (result.kind === 'refused' && result.status === 401) signOut(result.message);
  return result;
}

/**
 * A file the API sends (the coupons CSV), fetched with the token: a plain link
 * cannot carry the Authorization header. A message in words when it fails.
 */
export async function adminFile(path: string): Promise<{ blob: Blob } | { message: string }> {
  let res: Response;
  try {
    res = await fetch(path, { headers: { authorization: `Bearer ${token}` } });
    if (res.ok) return { blob: await res.blob() };
  } catch {
    return { message: 'The server cannot be reached, or the download broke off. Try again.' };
  }
  const body = (await res.json().catch(() => null)) as { message?: string } | null;
  const message = body?.message ?? `The server answered ${res.status}.`;
  if (res.status === 401) signOut(message);
  return { message };
}

/** Reads the promotion list now, then again every second. */
export async function poll(): Promise<void> {
  window.clearTimeout(pollTimer);
  const result = await admin<ListedPromotion[]>('GET', '/api/promotions');
  if (!token) return;
  if (result.kind === 'ok') showPromotions(result.data);
  await updateCharts(selectedPromotionId(), (path) => admin('GET', path));
  if (!token) return;
  pollTimer = window.setTimeout(() => void poll(), pollMs);
}

async function pollDeadLetters(): Promise<void> {
  window.clearTimeout(deadTimer);
  const result = await admin<DeadLetter[]>('GET', '/api/dead-letters');
  if (!token) return;
  if (result.kind === 'ok') {
    renderDeadLetters(result.data, (letter) => {
      void admin('POST', `/api/dead-letters/${encodeURIComponent(letter.id)}/replay`).then(
        (replayed) => {
          if (replayed.kind !== 'unreachable') els.deadMessage.textContent = replayed.message;
          return pollDeadLetters();
        },
      );
    });
  }
  deadTimer = window.setTimeout(() => void pollDeadLetters(), deadLetterPollMs);
}

function signIn(): void {
  els.login.hidden = true;
  els.console.hidden = false;
  els.signOut.hidden = false;
  void poll();
  void pollDeadLetters();
}

function signOut(message = ''): void {
  token = '';
  sessionStorage.removeItem(tokenKey);
  window.clearTimeout(pollTimer);
  window.clearTimeout(deadTimer);
  els.console.hidden = true;
  els.signOut.hidden = true;
  els.login.hidden = false;
  els.loginError.textContent = message;
  els.token.value = '';
  els.token.focus();
}

/** The token form and Sign out; a token kept from earlier in the tab signs in at once. */
export function startSession(): void {
  els.login.addEventListener('submit', (event) => {
    event.preventDefault();
    const entered = els.token.value.trim();
    if (!entered) {
      els.loginError.textContent = 'Enter the admin token.';
      return;
    }
    token = entered;
    void callApi('GET', '/api/promotions', { token }).then((result) => {
      if (result.kind === 'ok') {
        sessionStorage.setItem(tokenKey, token);
        els.loginError.textContent = '';
        signIn();
      } else {
        token = '';
        // The API's 401 message speaks to programs (the header to send); say it for a person.
        els.loginError.textContent =
          result.kind === 'refused' && result.status === 401
            ? 'That token was not accepted. Check it and try again.'
            : result.message;
      }
    });
  });
  els.signOut.addEventListener('click', () => {
    signOut();
  });
  if (token) signIn();
  else els.token.focus();
}

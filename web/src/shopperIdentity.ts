// How this page proves who the shopper is, as the server says (GET
// /api/coupon/queue/config). signed: the shop sends the shopper to
// /p/<id>#token=<jwt>; the fragment never reaches a server log, and the page
// moves it to sessionStorage (this tab only) and out of the address bar.
// open: the shopper types a user id, and the queue token join hands back is
// kept with the session and sent with later joins (it unlocks their coupon).
import { callApi } from './api';

export type ShopperAuth = 'open' | 'signed';

const jwtKey = 'wr.shopperJwt';

/** Moves a `#token=<jwt>` fragment into sessionStorage and drops it from the address bar. */
export function takeFragmentToken(): void {
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  if (!token) return;
  sessionStorage.setItem(jwtKey, token);
  history.replaceState(null, '', location.pathname + location.search);
}

/** The shop's JWT for this tab, if it sent one. */
export function shopperJwt(): string | undefined {
  return sessionStorage.getItem(jwtKey) ?? undefined;
}

/** The server's mode; a page that cannot ask yet assumes signed only if it holds a JWT. */
export async function shopperAuth(): Promise<ShopperAuth> {
  const result = await callApi<{ shopperAuth: ShopperAuth }>('GET', '/api/coupon/queue/config');
  if (result.kind === 'ok') return result.data.shopperAuth;
  return shopperJwt() ? 'signed' : 'open';
}

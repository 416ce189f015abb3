// How the shopper page draws each status: waiting or processing (the live panel),
// held (the countdown), a coupon or the reason there is none, and the join form.
// Drawing only: the flow (shopperFlow.ts) decides what to show and owns the socket.
import { placeInQueue, type PromotionProgress, type ShopperUpdate } from '../../core/live/contract';
import type { ShopperState } from '../../core/model/shopperState';
import { banner, els, show } from './shopperElements';
import { failures, formatEta, readSession } from './shopperSession';

let holdTimer: number | undefined;

function setProgress(percent: number): void {
  const clamped = Math.min(100, Math.max(0, Math.round(percent)));
  els.barFill.style.width = `${clamped}%`;
  els.bar.setAttribute('aria-valuenow', String(clamped));
}

/** WAITING or PROCESSING: place, people ahead, wait and stock, from the latest progress. */
export function renderLive(
  current: ShopperUpdate | undefined,
  progress: PromotionProgress | undefined,
  promotionId: number | undefined,
): void {
  // A held or standby shopper's panel stays up: progress messages keep coming for the others.
  if (!current || promotionId === undefined) return;
  if (current.status !== 'WAITING' && current.status !== 'PROCESSING') return;
  show(els.hold, false);
  show(els.form, false);
  show(els.result, false);
  show(els.live, true);
  show(els.leave, true);
  if (progress) els.stock.textContent = String(progress.remainingStock);
  if (current.status === 'PROCESSING') {
    els.liveTitle.textContent = 'It is your turn';
    els.liveNote.textContent = 'Your coupon is being issued…';
    els.position.textContent = '1';
    els.ahead.textContent = '0';
    els.eta.textContent = 'now';
    setProgress(100);
    return;
  }
  const ticket = current.ticket;
  let position = current.position ?? 1;
  let eta: number | null = null;
  let beyondStock = current.beyondStock ?? false;
  if (ticket !== undefined && progress)
    ({ position, etaSeconds: eta, beyondStock } = placeInQueue(ticket, progress));
  const first = readSession(promotionId)?.firstPosition ?? position;
  els.liveTitle.textContent = 'You are in the queue';
  els.liveNote.textContent = beyondStock
    ? beyondStockWords(progress?.reach ?? 0, position - 1)
    : progress?.state === 'PAUSED'
      ? 'The sale is paused for a moment; you keep your place.'
      : 'Keep this page open: it updates by itself.';
  els.position.textContent = String(position);
  els.ahead.textContent = String(position - 1);
  els.eta.textContent = beyondStock
    ? 'only if coupons come back'
    : formatEta(eta, progress?.state === 'PAUSED');
  setProgress(first > 1 ? ((first - position) / (first - 1)) * 100 : 0);
}

/** Said instead of an ETA to nowhere: the stock can't reach this place. */
function beyondStockWords(left: number, ahead: number): string {
  const coupons = left === 1 ? '1 coupon' : `${left} coupons`;
  const people = ahead === 1 ? '1 person' : `${ahead} people`;
  return `${coupons} left for ${people} ahead of you: you get one only if some come back. You keep your place.`;
}

/** HELD (hold mode): a countdown from the server's msLeft, and confirm / give up. */
export function renderHold(state: ShopperUpdate): void {
  show(els.form, false);
  show(els.live, false);
  show(els.result, false);
  show(els.hold, true);
  window.clearInterval(holdTimer);
  const endsAt = Date.now() + (state.msLeft ?? 0);
  const tick = () => {
    const left = Math.max(0, Math.ceil((endsAt - Date.now()) / 1000));
    els.holdLeft.textContent = `${left} s left`;
  };
  tick();
  holdTimer = window.setInterval(tick, 250);
  els.confirm.focus();
}

/** A final status: the coupon code, or why there is none. */
export function renderResult(state: ShopperState, note = ''): void {
  window.clearInterval(holdTimer);
  show(els.hold, false);
  show(els.form, false);
  show(els.live, false);
  show(els.result, true);
  show(els.leave, true);
  banner(null);
  if (state.status === 'COMPLETED' && state.couponCode) {
    show(els.lose, false);
    show(els.win, true);
    els.code.textContent = state.couponCode;
    els.winNote.textContent = note;
    els.copy.focus();
    return;
  }
  // COMPLETED without the code: another device joined, and only its token shows the code.
  const final =
    state.status === 'EXPIRED' || state.status === 'RELEASED' || state.status === 'COMPLETED'
      ? state.status
      : null;
  renderFailure(final ?? state.reason ?? 'CLOSED');
}

/** 1st, 2nd, 3rd, 4th, ..., 11th, 12th, 13th, ..., 21st. */
function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/** FAILED SOLD_OUT on the standby line: not over yet, a returned coupon is theirs in turn. */
export function renderStandby(state: ShopperState): void {
  renderFailure('SOLD_OUT');
  els.loseTitle.textContent = 'Sold out, but you are on the standby line';
  const place = state.standbyPosition ? `, ${ordinal(state.standbyPosition)}` : '';
  els.loseText.textContent =
    `You're on the standby line${place}: if a coupon comes back it's yours. ` +
    'Keep this page open: it updates by itself.';
}

/** No coupon, by refusal code or FAILED reason; the server's message for a code without words. */
export function renderFailure(code: string, serverMessage?: string): void {
  const failure = failures[code] ?? { title: 'No coupon', text: serverMessage ?? '' };
  show(els.form, false);
  show(els.live, false);
  show(els.result, true);
  show(els.win, false);
  show(els.lose, true);
  show(els.leave, true);
  banner(null);
  els.loseTitle.textContent = failure.title;
  els.loseText.textContent = failure.text;
  // Only a sale that has not started can still take this shopper later.
  show(els.retry, code === 'NOT_STARTED');
  if (code === 'NOT_STARTED') els.retry.focus();
}

export function renderForm(): void {
  show(els.hold, false);
  show(els.form, true);
  show(els.live, false);
  show(els.result, false);
  show(els.leave, false);
}

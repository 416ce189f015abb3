// How the shopper page draws each status: waiting or processing (the live panel),
// held (the countdown), a coupon or the reason there is none, and the join form.
// Drawing only: the flow (shopperFlow.ts) decides what to show and owns the socket.
import { placeInQueue, type PromotionProgress, type ShopperUpdate } from '../../core/live/contract';
import type { ShopperState } from '../../core/model/shopperState';
import { banner, els, show } from './shopperElements';
import { failureWords, formatEta, readSession } from './shopperSession';
import { showRedeem } from './shopperFace';
import { t } from './i18n';

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
    els.liveTitle.textContent = t('yourTurn');
    els.liveNote.textContent = t('issuing');
    els.position.textContent = '1';
    els.ahead.textContent = '0';
    els.eta.textContent = t('etaNow');
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
  els.liveTitle.textContent = t('queueTitle');
  els.liveNote.textContent = beyondStock
    ? beyondStockWords(progress?.reach ?? 0, position - 1)
    : progress?.state === 'PAUSED'
      ? t('paused')
      : t('keepOpen');
  els.position.textContent = String(position);
  els.ahead.textContent = String(position - 1);
  els.eta.textContent = beyondStock
    ? t('etaBeyondStock')
    : formatEta(eta, progress?.state === 'PAUSED');
  setProgress(first > 1 ? ((first - position) / (first - 1)) * 100 : 0);
}

/** Said instead of an ETA to nowhere: the stock can't reach this place. */
function beyondStockWords(left: number, ahead: number): string {
  const coupons = left === 1 ? t('couponsOne') : t('couponsMany', { n: left });
  const people = ahead === 1 ? t('peopleOne') : t('peopleMany', { n: ahead });
  return t('beyondStock', { coupons, people });
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
    els.holdLeft.textContent = t('holdLeft', { s: left });
  };
  tick();
  holdTimer = window.setInterval(tick, 250);
  els.confirm.focus();
}

const spentWords = {
  USED: 'couponUsed',
  CANCELLED: 'couponCancelled',
  REVOKED: 'couponRevoked',
} as const;

/** A final status: the coupon code (and what became of it), or why there is none. */
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
    els.copied.textContent = '';
    // A used, cancelled or revoked code is shown struck through, without copy or redeem.
    const { couponState } = state;
    const spentKey = couponState && couponState !== 'ISSUED' ? spentWords[couponState] : null;
    const spent = spentKey !== null;
    els.code.classList.toggle('spent', spent);
    els.couponState.textContent = spentKey ? t(spentKey) : '';
    show(els.couponState, spent);
    show(els.copy, !spent);
    if (spent) show(els.redeem, false);
    else {
      showRedeem();
      els.copy.focus();
    }
    return;
  }
  // COMPLETED without the code: another device joined, and only its token shows the code.
  const final =
    state.status === 'EXPIRED' || state.status === 'RELEASED' || state.status === 'COMPLETED'
      ? state.status
      : null;
  renderFailure(final ?? state.reason ?? 'CLOSED');
}

/** FAILED SOLD_OUT on the standby line: not over yet, a returned coupon is theirs in turn. */
export function renderStandby(state: ShopperState): void {
  renderFailure('SOLD_OUT');
  els.loseTitle.textContent = t('standbyTitle');
  els.loseText.textContent = state.standbyPosition
    ? t('standbyTextAt', { n: state.standbyPosition })
    : t('standbyText');
}

/** No coupon, by refusal code or FAILED reason; the server's message for a code without words. */
export function renderFailure(code: string, serverMessage?: string): void {
  const failure = failureWords(code) ?? { title: t('noCoupon'), text: serverMessage ?? '' };
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

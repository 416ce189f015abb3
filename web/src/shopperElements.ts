// The shopper page's elements, found once; a page and script that disagree fail at load.
import { $, showText } from './dom';

export const els = {
  name: $('#promotion-name'),
  label: $('#promotion-label'),
  description: $('#description'),
  notice: $('#notice'),
  noticeText: $('#notice-text'),
  banner: $('#banner'),
  form: $('#join-form', HTMLFormElement),
  promotionField: $('#promotion-field'),
  promotionId: $('#promotion-id', HTMLInputElement),
  userField: $('#user-field'),
  userId: $('#user-id', HTMLInputElement),
  join: $('#join', HTMLButtonElement),
  joinError: $('#join-error'),
  pow: $('#pow'),
  powShare: $('#pow-share'),
  powProgress: $('#pow-progress', HTMLProgressElement),
  live: $('#live'),
  liveTitle: $('#live-title'),
  liveNote: $('#live-note'),
  position: $('#position'),
  ahead: $('#ahead'),
  eta: $('#eta'),
  stock: $('#stock'),
  bar: $('#bar'),
  barFill: $('#bar-fill'),
  hold: $('#hold'),
  holdLeft: $('#hold-left'),
  confirm: $('#confirm', HTMLButtonElement),
  release: $('#release', HTMLButtonElement),
  holdError: $('#hold-error'),
  result: $('#result'),
  win: $('#win'),
  winNote: $('#win-note'),
  code: $('#coupon-code'),
  couponState: $('#coupon-state'),
  copy: $('#copy', HTMLButtonElement),
  copied: $('#copied'),
  redeem: $('#redeem'),
  redeemNote: $('#redeem-note'),
  redeemLink: $('#redeem-link', HTMLAnchorElement),
  lose: $('#lose'),
  loseTitle: $('#lose-title'),
  loseText: $('#lose-text'),
  retry: $('#retry', HTMLButtonElement),
  leave: $('#leave', HTMLButtonElement),
};

export function show(el: HTMLElement, visible: boolean): void {
  el.hidden = !visible;
}

/** The connection line at the top; null hides it. */
export function banner(text: string | null): void {
  showText(els.banner, text);
}

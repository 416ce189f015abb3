// The sale's public face on the shopper page: its name and description in the
// header, the marketer's notice (read on load, then pushed live), and after a
// win what to do with the coupon (the redeem link and instructions).
import { callApi } from './api';
import { els, show } from './shopperElements';
import { t } from './i18n';
import type { PublicFace } from '../../core/model/promotion';

let face: PublicFace | undefined;
/** Notices pushed so far: a read that started before one must not undo it. */
let pushed = 0;

function setNotice(text: string | null): void {
  els.noticeText.textContent = text ?? '';
  show(els.notice, Boolean(text));
}

/** A notice pushed live: shown at once; null (or empty) takes it down. */
export function showNotice(text: string | null): void {
  pushed++;
  setNotice(text);
}

/** The header before the face is known (or if it cannot be read): the promotion's number. */
export function showPromotionNumber(id: number): void {
  els.label.textContent = t('promotionFallback', { id });
}

/** Reads promotion `id`'s public face and shows it; the number stays if it cannot be read. */
export async function loadFace(id: number): Promise<void> {
  if (face?.id !== id) showPromotionNumber(id);
  const before = pushed;
  const result = await callApi<PublicFace>('GET', `/api/promotions/${id}/public`);
  if (result.kind !== 'ok') return;
  face = result.data;
  els.name.textContent = face.name;
  document.title = `${face.name} · ${t('pageTitle')}`;
  show(els.label, false);
  els.description.textContent = face.description ?? '';
  show(els.description, Boolean(face.description));
  if (pushed === before) setNotice(face.notice);
  showRedeem();
}

/**
 * Reads the face again (the notice may have changed while no socket was
 * there to tell): on each live (re)connect, and now and then while not live.
 */
export function refreshFace(): void {
  if (face) void loadFace(face.id);
}

/** After a win: the redeem instructions and link, if the marketer set them. */
export function showRedeem(): void {
  const note = face?.redeemNote ?? '';
  const url = face?.redeemUrl ?? '';
  els.redeemNote.textContent = note;
  show(els.redeemNote, note !== '');
  // The server accepts only http(s) URLs; checked again so no other scheme becomes a link.
  const safe = /^https?:\/\//i.test(url);
  if (safe) els.redeemLink.href = url;
  else els.redeemLink.removeAttribute('href');
  show(els.redeemLink, safe);
  show(els.redeem, note !== '' || safe);
}

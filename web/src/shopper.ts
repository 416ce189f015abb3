// The shopper's page: join a promotion, then follow the live queue over Socket.IO
// until the coupon code (or the reason there is none) arrives. This entry wires the
// form and buttons; the ticket is kept in localStorage, so a reload repeats the join.
// With the shop's token (signed mode) there is no user-id box: the token says who.
import { els, show } from './shopperElements';
import { decideHold, joinAs, leave, rejoin, useShopperAuth } from './shopperFlow';
import { shopperAuth, shopperJwt, takeFragmentToken, type ShopperAuth } from './shopperIdentity';
import { readSession, storedUserId } from './shopperSession';
import { loadFace, refreshFace } from './shopperFace';
import { isLive } from './liveSocket';
import { t, translatePage } from './i18n';

const userIdPattern = /^[A-Za-z0-9_.:@-]{1,64}$/;

const pathMatch = /^\/p\/(\d+)\/?$/.exec(location.pathname);
const fixedPromotion = pathMatch?.[1] ? Number(pathMatch[1]) : undefined;
let signed = false;
translatePage();
takeFragmentToken();
if (fixedPromotion !== undefined) void loadFace(fixedPromotion);

els.form.addEventListener('submit', (event) => {
  event.preventDefault();
  els.joinError.textContent = '';
  const id = fixedPromotion ?? Number(els.promotionId.value.trim());
  const user = els.userId.value.trim();
  if (!Number.isSafeInteger(id) || id < 1) {
    els.joinError.textContent = t('badPromotionNumber');
    els.promotionId.focus();
    return;
  }
  if (!signed && !userIdPattern.test(user)) {
    els.joinError.textContent = t('badUserId');
    els.userId.focus();
    return;
  }
  if (!fixedPromotion) {
    history.replaceState(null, '', `/p/${id}${location.search}`);
    void loadFace(id);
  }
  joinAs(id, user);
});

els.copy.addEventListener('click', () => {
  const code = els.code.textContent;
  navigator.clipboard.writeText(code).then(
    () => (els.copied.textContent = t('copied')),
    () => {
      // No clipboard (an insecure origin): select the code so the shopper can copy it.
      getSelection()?.selectAllChildren(els.code);
      els.copied.textContent = t('copyByHand');
    },
  );
});

els.confirm.addEventListener('click', () => void decideHold('confirm'));
els.release.addEventListener('click', () => void decideHold('release'));
els.retry.addEventListener('click', rejoin);
els.leave.addEventListener('click', leave);

// Start: a promotion in the address fills the form; a stored session (or, in
// signed mode, the shop's token) joins at once.
function start(mode: ShopperAuth): void {
  useShopperAuth(mode);
  signed = mode === 'signed';
  if (signed) {
    show(els.userField, false);
    if (fixedPromotion === undefined) els.label.textContent = t('introSigned');
    els.leave.remove(); // the shop's token, not the page, says who this is
  } else {
    els.userId.value = storedUserId();
  }
  if (fixedPromotion === undefined) return;
  show(els.promotionField, false);
  const session = readSession(fixedPromotion);
  if (signed && shopperJwt()) {
    show(els.form, false);
    joinAs(fixedPromotion, '');
  } else if (!signed && session) {
    els.userId.value = session.userId;
    show(els.form, false);
    joinAs(fixedPromotion, session.userId);
  }
}

void shopperAuth().then(start);

// A page without a live socket (the form, the countdown) hears no notice pushed:
// it reads the face now and then (the server keeps it a moment, so this is cheap).
const faceRefreshMs = 30_000;
window.setInterval(() => {
  if (!document.hidden && !isLive()) refreshFace();
}, faceRefreshMs);

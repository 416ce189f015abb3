// The shopper's page: join a promotion, then follow the live queue over Socket.IO
// until the coupon code (or the reason there is none) arrives. The ticket is kept
// in localStorage: a reload repeats the join, which is idempotent and hands back
// the same ticket with a fresh socket token.
import { io, type Socket } from 'socket.io-client';
import {
  ConnectErrorCode,
  isNewerProgress,
  isNewerState,
  placeInQueue,
  type ClientToServerEvents,
  type ConnectErrorData,
  type PromotionProgress,
  type ServerToClientEvents,
  type ShopperUpdate,
} from '../../core/live/contract';
import type { ShopperState } from '../../core/model/shopperState';
import { callApi } from './api';
import { $ } from './dom';
import {
  failures,
  formatEta,
  readSession,
  rememberSession,
  storedUserId,
  forgetSession,
} from './shopperSession';

type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type Joined = ShopperState & { queueToken: string };

const userIdPattern = /^[A-Za-z0-9_.:@-]{1,64}$/;

const els = {
  label: $('#promotion-label'),
  banner: $('#banner'),
  form: $('#join-form', HTMLFormElement),
  promotionField: $('#promotion-field'),
  promotionId: $('#promotion-id', HTMLInputElement),
  userId: $('#user-id', HTMLInputElement),
  join: $('#join', HTMLButtonElement),
  joinError: $('#join-error'),
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
  copy: $('#copy', HTMLButtonElement),
  copied: $('#copied'),
  lose: $('#lose'),
  loseTitle: $('#lose-title'),
  loseText: $('#lose-text'),
  retry: $('#retry', HTMLButtonElement),
  leave: $('#leave', HTMLButtonElement),
};

const pathMatch = /^\/p\/(\d+)\/?$/.exec(location.pathname);
const fixedPromotion = pathMatch?.[1] ? Number(pathMatch[1]) : undefined;

let promotionId: number | undefined = fixedPromotion;
let userId = '';
let current: ShopperUpdate | undefined;
let progress: PromotionProgress | undefined;
let socket: LiveSocket | undefined;
let retryTimer: number | undefined;
let retryDelayMs = 1000;
let queueToken = '';
let holdTimer: number | undefined;

function show(el: HTMLElement, visible: boolean): void {
  el.hidden = !visible;
}

function banner(text: string | null): void {
  els.banner.textContent = text ?? '';
  show(els.banner, text !== null);
}

function setProgress(percent: number): void {
  const clamped = Math.min(100, Math.max(0, Math.round(percent)));
  els.barFill.style.width = `${clamped}%`;
  els.bar.setAttribute('aria-valuenow', String(clamped));
}

function renderLive(): void {
  // A held shopper's panel stays up: progress messages keep coming for the others.
  if (!current || promotionId === undefined || current.status === 'HELD') return;
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
  if (ticket !== undefined && progress)
    ({ position, etaSeconds: eta } = placeInQueue(ticket, progress));
  const first = readSession(promotionId)?.firstPosition ?? position;
  els.liveTitle.textContent = 'You are in the queue';
  els.liveNote.textContent =
    progress?.state === 'PAUSED'
      ? 'The sale is paused for a moment; you keep your place.'
      : 'Keep this page open: it updates by itself.';
  els.position.textContent = String(position);
  els.ahead.textContent = String(position - 1);
  els.eta.textContent = formatEta(eta, progress?.state === 'PAUSED');
  setProgress(first > 1 ? ((first - position) / (first - 1)) * 100 : 0);
}

/** HELD (hold mode): a countdown from the server's msLeft, and confirm / give up. */
function renderHold(state: ShopperUpdate): void {
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

async function decideHold(action: 'confirm' | 'release'): Promise<void> {
  els.confirm.disabled = els.release.disabled = true;
  const result = await callApi<ShopperState>('POST', `/api/coupon/queue/${action}`, {
    body: { queueToken },
  });
  els.confirm.disabled = els.release.disabled = false;
  if (result.kind === 'unreachable') {
    els.holdError.textContent = result.message;
    return;
  }
  const state = result.kind === 'ok' ? result.data : (result.data as ShopperState | null);
  if (state?.status) onState(state);
  else els.holdError.textContent = result.kind === 'refused' ? result.message : '';
}

function renderResult(state: ShopperState, note = ''): void {
  stopSocket();
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
  const final = state.status === 'EXPIRED' || state.status === 'RELEASED' ? state.status : null;
  renderFailure(final ?? state.reason ?? 'CLOSED');
}

function renderFailure(code: string, serverMessage?: string): void {
  stopSocket();
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

function stopSocket(): void {
  socket?.disconnect();
  socket = undefined;
}

function retryLater(what: () => void): void {
  window.clearTimeout(retryTimer);
  retryTimer = window.setTimeout(what, retryDelayMs);
  retryDelayMs = Math.min(retryDelayMs * 2, 10_000);
}

function onState(update: ShopperUpdate): void {
  if (!isNewerState(current, update)) return;
  current = update;
  const final = ['COMPLETED', 'FAILED', 'EXPIRED', 'RELEASED'].includes(update.status);
  if (final) renderResult(update);
  else if (update.status === 'HELD') renderHold(update);
  else renderLive();
}

function onProgress(next: PromotionProgress): void {
  if (!isNewerProgress(progress, next)) return;
  progress = next;
  renderLive();
}

function connect(token: string): void {
  stopSocket();
  const live: LiveSocket = io({ auth: { token }, reconnectionDelayMax: 5000 });
  socket = live;
  live.on('connect', () => {
    retryDelayMs = 1000;
    banner(null);
  });
  live.on('disconnect', (reason) => {
    if (reason === 'io client disconnect') return;
    banner('Connection lost. Reconnecting…');
    // A server shutting down drops its pages on purpose, and Socket.IO leaves those to the page.
    if (reason === 'io server disconnect') retryLater(() => live.connect());
  });
  live.on('connect_error', (err: Error & { data?: Partial<ConnectErrorData> }) => {
    const code = err.data?.code;
    if (code && code !== ConnectErrorCode.Unavailable && !live.active) {
      // The server refused the token (expired, or the queue was reset): join again for a new one.
      stopSocket();
      retryLater(() => void join());
      return;
    }
    banner('The server cannot be reached. Reconnecting…');
  });
  live.on('state', onState);
  live.on('progress', onProgress);
}

async function join(): Promise<void> {
  if (promotionId === undefined) return;
  const id = promotionId;
  els.join.disabled = true;
  const result = await callApi<Joined>('POST', '/api/coupon/queue/join', {
    body: { promotionId: id, userId },
  });
  els.join.disabled = false;
  if (result.kind === 'unreachable') {
    banner(result.message);
    retryLater(() => void join());
    return;
  }
  retryDelayMs = 1000;
  banner(null);
  if (result.kind === 'refused') {
    const data = result.data as Partial<Joined> | null;
    if (result.code === 'ALREADY_PROCESSED' && data?.status && data.queueToken) {
      rememberSession(id, userId, data.position ?? 1);
      const state = data as Joined;
      queueToken = state.queueToken;
      if (state.status === 'PROCESSING' || state.status === 'HELD') {
        current = undefined;
        onState(state);
        connect(state.queueToken);
      } else {
        renderResult(state, 'You had already joined this sale: here is your coupon.');
      }
      return;
    }
    if (failures[result.code]) {
      renderFailure(result.code, result.message);
      return;
    }
    // Bad input or too many tries: say so by the form.
    showForm();
    els.joinError.textContent = result.message;
    return;
  }
  rememberSession(id, userId, result.data.position ?? 1);
  queueToken = result.data.queueToken;
  current = undefined;
  onState(result.data);
  connect(result.data.queueToken);
}

function showForm(): void {
  stopSocket();
  show(els.hold, false);
  show(els.form, true);
  show(els.live, false);
  show(els.result, false);
  show(els.leave, false);
}

els.form.addEventListener('submit', (event) => {
  event.preventDefault();
  els.joinError.textContent = '';
  const id = fixedPromotion ?? Number(els.promotionId.value.trim());
  const user = els.userId.value.trim();
  if (!Number.isSafeInteger(id) || id < 1) {
    els.joinError.textContent = 'Promotion number: enter a whole number from 1.';
    els.promotionId.focus();
    return;
  }
  if (!userIdPattern.test(user)) {
    els.joinError.textContent = 'User id: use 1 to 64 letters, digits or _ . : @ -';
    els.userId.focus();
    return;
  }
  promotionId = id;
  userId = user;
  if (!fixedPromotion) history.replaceState(null, '', `/p/${id}`);
  els.label.textContent = `Promotion #${id}`;
  void join();
});

els.copy.addEventListener('click', () => {
  const code = els.code.textContent;
  navigator.clipboard.writeText(code).then(
    () => (els.copied.textContent = 'Copied.'),
    () => {
      // No clipboard (an insecure origin): select the code so the shopper can copy it.
      getSelection()?.selectAllChildren(els.code);
      els.copied.textContent = 'Select and copy the code above.';
    },
  );
});

els.confirm.addEventListener('click', () => void decideHold('confirm'));
els.release.addEventListener('click', () => void decideHold('release'));

els.retry.addEventListener('click', () => {
  void join();
});

els.leave.addEventListener('click', () => {
  if (promotionId !== undefined) forgetSession(promotionId);
  current = undefined;
  progress = undefined;
  window.clearTimeout(retryTimer);
  banner(null);
  els.userId.value = '';
  showForm();
  els.userId.focus();
});

// Start: a promotion in the address fills the form; a stored session resumes at once.
els.userId.value = storedUserId();
if (fixedPromotion !== undefined) {
  show(els.promotionField, false);
  els.label.textContent = `Promotion #${fixedPromotion}`;
  const session = readSession(fixedPromotion);
  if (session) {
    userId = session.userId;
    els.userId.value = session.userId;
    show(els.form, false);
    void join();
  }
}

// The shopper's join and status flow: join (again after a reload or a refused
// token), follow the states and progress that arrive, and confirm or give up a
// held coupon. Joining is idempotent: it hands back the same ticket with a fresh
// token to the shopper who proves it is them (the shop's JWT, or the last token).
import {
  isNewerProgress,
  isNewerState,
  type PromotionProgress,
  type ShopperUpdate,
} from '../../core/live/contract';
import type { ShopperState, ShopperStatus } from '../../core/model/shopperState';
import { callApi } from './api';
import { connectLive, stopLive, type LiveHandlers } from './liveSocket';
import { cancelRetry, retryLater, retrySucceeded } from './retry';
import { renderCountdown, stopCountdown } from './shopperOpening';
import { banner, els, show } from './shopperElements';
import {
  renderFailure,
  renderForm,
  renderHold,
  renderLive,
  renderResult,
  renderStandby,
} from './shopperRender';
import { failureWords, forgetSession, readSession, rememberSession } from './shopperSession';
import { refreshFace, showNotice } from './shopperFace';
import { t } from './i18n';
import { shopperJwt, type ShopperAuth } from './shopperIdentity';
import { proveWork } from './proofOfWork';

type Joined = ShopperState & { queueToken?: string };

const finalStatuses: readonly ShopperStatus[] = ['COMPLETED', 'FAILED', 'EXPIRED', 'RELEASED'];

let promotionId: number | undefined;
let userId = '';
let current: ShopperUpdate | undefined;
let progress: PromotionProgress | undefined;
let queueToken = '';
let mode: ShopperAuth = 'open';

/** How the server identifies shoppers (shopperIdentity.ts); set once at start. */
export function useShopperAuth(next: ShopperAuth): void {
  mode = next;
}

/** Signed mode: the shop's JWT; open mode: this shopper's last queue token, if kept. */
function proof(id: number): string | undefined {
  if (mode === 'signed') return shopperJwt();
  const session = readSession(id);
  return session?.userId === userId ? session.queueToken : undefined;
}

/** Follows the shopper's state, live when the server handed a token for the socket. */
function follow(state: Joined): void {
  current = undefined;
  onState(state);
  if (state.queueToken) connectLive(state.queueToken, live);
}
/** The shopper waited in the pre-queue: a decision found at the opening is news, not a repeat. */
let drawn = false;
const live: LiveHandlers = {
  state: onState,
  progress: onProgress,
  connected: refreshFace,
  notice: (n) => {
    showNotice(n.notice);
  },
  rejoin: () => void join(),
};

/** Not open yet: count down to the pre-queue (or the start) and join then, by itself. */
function awaitOpening(
  data: { prequeueAt?: string | null; startsAt?: string | null } | null,
): boolean {
  const opensAt = Date.parse(data?.prequeueAt ?? data?.startsAt ?? '');
  if (Number.isNaN(opensAt)) return false;
  stopLive();
  const queue = Boolean(data?.prequeueAt);
  renderCountdown(
    opensAt,
    t(queue ? 'queueOpensSoon' : 'saleOpensSoon'),
    (slots) => t(queue ? 'queueOpensAt' : 'saleOpensAt', slots),
    () => void join(),
    t('joinsByItself'),
  );
  return true;
}

/** In the pre-queue: the place is drawn at startsAt; join again then to learn it. */
function awaitDraw(state: Joined): void {
  const startsAt = Date.parse(state.startsAt ?? '');
  drawn = true;
  renderCountdown(
    startsAt,
    t('inPrequeue'),
    (slots) => t('saleOpensAt', slots),
    () => void join(),
    t('drawNote'),
  );
}

function finish(state: ShopperState, note?: string): void {
  stopLive();
  stopCountdown();
  renderResult(state, note);
}

function refuse(code: string, serverMessage?: string): void {
  stopLive();
  renderFailure(code, serverMessage);
}

function showForm(): void {
  stopLive();
  renderForm();
}

/** Failed SOLD_OUT but first in line for a coupon that comes back: the page stays live. */
const onStandby = (state: ShopperState | undefined) =>
  state?.status === 'FAILED' && state.standby === true;

function onState(update: ShopperUpdate): void {
  if (!isNewerState(current, update)) return;
  const fromStandby = onStandby(current);
  current = update;
  if (onStandby(update)) renderStandby(update);
  else if (finalStatuses.includes(update.status)) {
    finish(update, fromStandby ? t('cameBack') : undefined);
  } else if (update.status === 'HELD') renderHold(update);
  else renderLive(current, progress, promotionId);
}

function onProgress(next: PromotionProgress): void {
  if (!isNewerProgress(progress, next)) return;
  progress = next;
  renderLive(current, progress, promotionId);
}

/** Shows how far the proof of work is (null: done, hidden). */
function showWork(share: number | null): void {
  show(els.pow, share !== null);
  const percent = Math.round((share ?? 0) * 100);
  els.powProgress.value = percent;
  els.powShare.textContent = `${percent}%`;
}

async function join(): Promise<void> {
  if (promotionId === undefined) return;
  const id = promotionId;
  els.join.disabled = true;
  const work = await proveWork(id, showWork);
  if (work.kind !== 'proof') {
    els.join.disabled = false;
    showWork(null);
    if (work.kind === 'unreachable') {
      banner(t('retrying'));
      retryLater(() => void join());
    } else {
      refuse(work.code, work.message);
    }
    return;
  }
  const token = proof(id);
  const who = mode === 'signed' ? { promotionId: id } : { promotionId: id, userId };
  const result = await callApi<Joined>('POST', '/api/coupon/queue/join', {
    body: work.altcha ? { ...who, altcha: work.altcha } : who,
    token,
  });
  els.join.disabled = false;
  showWork(null); // shown at 100% until the join is answered
  if (result.kind === 'unreachable') {
    banner(t('retrying'));
    retryLater(() => void join());
    return;
  }
  retrySucceeded();
  banner(null);
  if (result.kind === 'refused') {
    const data = result.data as Partial<Joined> | null;
    if (mode === 'open' && token && result.status === 401) {
      // A kept token that expired or was signed with a retired secret: join without it.
      forgetSession(id);
      void join();
      return;
    }
    if (result.code === 'ALREADY_PROCESSED' && data?.status && data.userId) {
      const state = data as Joined;
      userId = state.userId;
      rememberSession(id, userId, data.position ?? 1, state.queueToken);
      queueToken = state.queueToken ?? '';
      if (state.status === 'PROCESSING' || state.status === 'HELD' || onStandby(state)) {
        follow(state);
      } else {
        finish(state, drawn ? t('drawnWin') : t('alreadyJoined'));
      }
      return;
    }
    if (result.code === 'NOT_STARTED' && awaitOpening(result.data as Record<string, string>)) {
      return;
    }
    if (failureWords(result.code)) {
      refuse(result.code, result.message);
      return;
    }
    // Bad input or too many tries: say so by the form.
    showForm();
    els.joinError.textContent = result.message;
    return;
  }
  userId = result.data.userId; // signed mode: the shop's token says who this is
  if (result.data.prequeued) {
    // Kept with its token: the join at the opening proves it is this shopper's.
    rememberSession(id, userId, 1, result.data.queueToken);
    awaitDraw(result.data);
    return;
  }
  stopCountdown();
  rememberSession(id, userId, result.data.position ?? 1, result.data.queueToken);
  queueToken = result.data.queueToken ?? '';
  follow(result.data);
}

/** Joins promotion `id` as `user`: the form's submit, or a stored session on load. */
export function joinAs(id: number, user: string): void {
  promotionId = id;
  userId = user;
  void join();
}

/** The same join again (a sale that had not started yet). */
export function rejoin(): void {
  void join();
}

/** Hold mode: the shopper confirms the held coupon or gives the place up. */
export async function decideHold(action: 'confirm' | 'release'): Promise<void> {
  els.confirm.disabled = els.release.disabled = true;
  const result = await callApi<ShopperState>('POST', `/api/coupon/queue/${action}`, {
    body: { queueToken },
    token: mode === 'signed' ? shopperJwt() : undefined,
  });
  els.confirm.disabled = els.release.disabled = false;
  if (result.kind === 'unreachable') {
    els.holdError.textContent = t('cannotReach');
    return;
  }
  const state = result.kind === 'ok' ? result.data : (result.data as ShopperState | null);
  if (state?.status) onState(state);
  else els.holdError.textContent = result.kind === 'refused' ? result.message : '';
}

/** Another user id: forget this session and go back to the form. */
export function leave(): void {
  if (promotionId !== undefined) forgetSession(promotionId);
  current = undefined;
  progress = undefined;
  drawn = false;
  cancelRetry();
  stopCountdown();
  banner(null);
  els.userId.value = '';
  showForm();
  els.userId.focus();
}

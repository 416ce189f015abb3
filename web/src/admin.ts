// The marketer's console: the admin token is asked once and kept for the tab;
// the promotion list is polled every second and its figures feed the charts.
import { callApi, type ApiResult } from './api';
import { drawLine, recordFigures, type FigureHistory } from './chart';
import { $, actionCell, cell } from './dom';
import {
  renderConsistency,
  renderDeadLetters,
  type ConsistencyReport,
  type DeadLetter,
} from './reports';

interface LiveInfo {
  currentStock: number;
  issued: number;
  /** Hold mode: units held for admitted shoppers until they confirm. */
  held: number;
  mode: 'instant' | 'hold';
  queueSize: number;
  processingCount: number;
  pendingPersist: number;
}

interface Promotion {
  id: number;
  name: string;
  totalStock: number;
  state: 'OPEN' | 'PAUSED' | 'CLOSED' | 'DELETED';
  batchSize: number;
  intervalMs: number;
  version: number;
  live: LiveInfo | null;
}

const tokenKey = 'wr.adminToken';
const pollMs = 1000;
const deadLetterPollMs = 5000;
/** Charts show the last five minutes; older samples are dropped. */
const windowMs = 5 * 60_000;

const els = {
  banner: $('#banner'),
  signOut: $('#sign-out', HTMLButtonElement),
  login: $('#login', HTMLFormElement),
  token: $('#admin-token', HTMLInputElement),
  loginError: $('#login-error'),
  console: $('#console'),
  promotions: $('#promotions'),
  empty: $('#empty'),
  detail: $('#detail'),
  detailTitle: $('#detail-title'),
  detailFigures: $('#detail-figures'),
  detailMessage: $('#detail-message'),
  settings: $('#settings', HTMLFormElement),
  setStock: $('#set-stock', HTMLInputElement),
  setBatch: $('#set-batch', HTMLInputElement),
  setInterval: $('#set-interval', HTMLInputElement),
  consistency: $('#consistency'),
  create: $('#create', HTMLFormElement),
  newName: $('#new-name', HTMLInputElement),
  newStock: $('#new-stock', HTMLInputElement),
  newBatch: $('#new-batch', HTMLInputElement),
  newInterval: $('#new-interval', HTMLInputElement),
  createMessage: $('#create-message'),
  deadMessage: $('#dead-message'),
  charts: {
    queue: $('#chart-queue', SVGSVGElement),
    rate: $('#chart-rate', SVGSVGElement),
    stock: $('#chart-stock', SVGSVGElement),
  },
  now: { queue: $('#now-queue'), rate: $('#now-rate'), stock: $('#now-stock') },
};

let token = sessionStorage.getItem(tokenKey) ?? '';
let promotions: Promotion[] = [];
let selectedId: number | undefined;
let pollTimer: number | undefined;
let deadTimer: number | undefined;
const histories = new Map<number, FigureHistory>();

function banner(text: string | null): void {
  els.banner.textContent = text ?? '';
  els.banner.hidden = text === null;
}

/** Every admin call: a 401 sends the marketer back to the token form. */
async function admin<T>(method: string, path: string, body?: unknown): Promise<ApiResult<T>> {
  const result = await callApi<T>(method, path, { body, token });
  if (result.kind === 'unreachable') banner(result.message);
  else banner(null);
  if (result.kind === 'refused' && result.status === 401) signOut(result.message);
  return result;
}

function renderList(): void {
  els.promotions.replaceChildren(
    ...promotions.map((p) => {
      const tr = document.createElement('tr');
      tr.dataset.id = String(p.id);
      if (p.id === selectedId) tr.className = 'selected';
      const live = p.live;
      tr.append(
        cell(String(p.id)),
        cell(p.name),
        cell(p.state, `state-${p.state}`),
        cell(`${live ? live.currentStock : '–'} / ${p.totalStock}`),
        cell(live ? String(live.issued) : '–'),
        cell(live ? String(live.queueSize) : '–'),
        cell(live && live.mode === 'hold' ? String(live.held) : '–'),
        cell(`${p.batchSize} / ${p.intervalMs} ms`),
      );
      tr.append(
        actionCell('Manage', `Manage promotion ${p.id} ${p.name}`, () => {
          select(p.id);
        }),
      );
      return tr;
    }),
  );
  els.empty.hidden = promotions.length > 0;
}

function renderDetail(): void {
  const p = promotions.find((x) => x.id === selectedId);
  els.detail.hidden = !p;
  if (!p) return;
  els.detailTitle.textContent = `#${p.id} ${p.name}`;
  const live = p.live;
  els.detailFigures.textContent = live
    ? `${p.state} · ${live.currentStock} of ${p.totalStock} left · ${live.issued} issued · ` +
      (live.mode === 'hold' ? `${live.held} held · ` : '') +
      `${live.queueSize} waiting · ${live.pendingPersist} not yet in the database`
    : p.state;
  $('#pause', HTMLButtonElement).disabled = p.state !== 'OPEN';
  $('#resume', HTMLButtonElement).disabled = p.state !== 'PAUSED';
  $('#close', HTMLButtonElement).disabled = p.state === 'CLOSED' || p.state === 'DELETED';
  const h = histories.get(p.id);
  if (!h) return;
  drawLine(els.charts.queue, h.queue, windowMs);
  drawLine(els.charts.rate, h.rate, windowMs);
  drawLine(els.charts.stock, h.stock, windowMs);
  els.now.queue.textContent = String(h.queue.at(-1)?.value ?? '–');
  els.now.rate.textContent = (h.rate.at(-1)?.value ?? 0).toFixed(1);
  els.now.stock.textContent = String(h.stock.at(-1)?.value ?? '–');
}

function fillSettings(p: Promotion): void {
  els.setStock.value = String(p.totalStock);
  els.setBatch.value = String(p.batchSize);
  els.setInterval.value = String(p.intervalMs);
}

function select(id: number): void {
  selectedId = id;
  const p = promotions.find((x) => x.id === id);
  if (p) fillSettings(p);
  els.detailMessage.textContent = '';
  els.consistency.hidden = true;
  renderList();
  renderDetail();
  els.detailTitle.tabIndex = -1;
  els.detailTitle.focus();
}

async function poll(): Promise<void> {
  window.clearTimeout(pollTimer);
  const result = await admin<Promotion[]>('GET', '/api/promotions');
  if (!token) return;
  if (result.kind === 'ok') {
    const at = Date.now();
    promotions = result.data.filter((p) => p.state !== 'DELETED');
    for (const p of promotions) {
      if (p.live) histories.set(p.id, recordFigures(histories.get(p.id), p.live, at, windowMs));
    }
    renderList();
    renderDetail();
  }
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

/** A whole number from a field, or undefined when left empty; NaN says it is not a number. */
function numberField(input: HTMLInputElement): number | undefined {
  const text = input.value.trim();
  return text === '' ? undefined : Number(text);
}

async function changeState(action: 'pause' | 'resume' | 'close'): Promise<void> {
  if (selectedId === undefined) return;
  const result = await admin<Promotion>('POST', `/api/promotions/${selectedId}/${action}`);
  els.detailMessage.textContent = result.kind === 'unreachable' ? '' : result.message;
  await poll();
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

els.create.addEventListener('submit', (event) => {
  event.preventDefault();
  const body = {
    name: els.newName.value.trim(),
    totalStock: numberField(els.newStock),
    batchSize: numberField(els.newBatch),
    intervalMs: numberField(els.newInterval),
  };
  void admin<Promotion>('POST', '/api/promotions', body).then(async (result) => {
    if (result.kind === 'unreachable') return;
    els.createMessage.textContent = result.message;
    if (result.kind === 'ok') {
      els.create.reset();
      await poll();
      select(result.data.id);
    }
  });
});

els.settings.addEventListener('submit', (event) => {
  event.preventDefault();
  const p = promotions.find((x) => x.id === selectedId);
  if (!p) return;
  const change: Record<string, number> = {};
  const fields = {
    totalStock: numberField(els.setStock),
    batchSize: numberField(els.setBatch),
    intervalMs: numberField(els.setInterval),
  };
  const current = { totalStock: p.totalStock, batchSize: p.batchSize, intervalMs: p.intervalMs };
  for (const [key, value] of Object.entries(fields) as [
    keyof typeof fields,
    number | undefined,
  ][]) {
    if (value !== undefined && value !== current[key]) change[key] = value;
  }
  if (Object.keys(change).length === 0) {
    els.detailMessage.textContent = 'Nothing changed.';
    return;
  }
  void admin<Promotion>('PATCH', `/api/promotions/${p.id}`, { version: p.version, ...change }).then(
    async (result) => {
      if (result.kind === 'unreachable') return;
      els.detailMessage.textContent =
        result.kind === 'refused' && result.code === 'VERSION_CONFLICT'
          ? `${result.message} The form now shows the latest settings; check and save again.`
          : result.message;
      await poll();
      const fresh = promotions.find((x) => x.id === p.id);
      if (fresh && (result.kind === 'ok' || result.code === 'VERSION_CONFLICT'))
        fillSettings(fresh);
    },
  );
});

for (const action of ['pause', 'resume', 'close'] as const) {
  $(`#${action}`, HTMLButtonElement).addEventListener('click', () => void changeState(action));
}

$('#check', HTMLButtonElement).addEventListener('click', () => {
  if (selectedId === undefined) return;
  void admin<ConsistencyReport>('GET', `/api/promotions/${selectedId}/consistency`).then(
    renderConsistency,
  );
});

if (token) signIn();
else els.token.focus();

// The console's promotion list and the selected promotion's detail: the latest
// poll's promotions, which one is selected, and the table and panel drawn from them.
import {
  transitions,
  type Promotion,
  type PromotionInfo,
  type StateAction,
} from '../../core/model/promotion';
import { saleStatus, saleStatusMeaning } from '../../core/model/saleStatus';
import { els } from './adminElements';
import { copyBox } from './copyLink';
import { actionCell, cell } from './dom';

/** The live figures the console reads of a promotion. */
export type LiveFigures = Pick<
  PromotionInfo,
  | 'currentStock'
  | 'issued'
  | 'held'
  | 'mode'
  | 'queueSize'
  | 'processingCount'
  | 'pendingPersist'
  | 'prequeued'
  | 'standbyLine'
>;

/** A promotion as GET /api/promotions lists it (times as ISO strings), and live. */
export type ListedPromotion = Pick<
  Promotion,
  | 'id'
  | 'name'
  | 'totalStock'
  | 'state'
  | 'batchSize'
  | 'intervalMs'
  | 'version'
  | 'mode'
  | 'holdSeconds'
  | 'queueing'
  | 'standby'
  | 'challenge'
  | 'challengeCost'
  | 'description'
  | 'redeemUrl'
  | 'redeemNote'
  | 'notice'
> & {
  startsAt: string | null;
  endsAt: string | null;
  prequeueAt: string | null;
  live: LiveFigures | null;
};

/** The marketer's state changes, in the order of their buttons. */
export const stateActions = Object.keys(transitions) as StateAction[];

let promotions: ListedPromotion[] = [];
let selectedId: number | undefined;
const showDetailLink = copyBox('detail');

export function findPromotion(id: number | undefined): ListedPromotion | undefined {
  return promotions.find((x) => x.id === id);
}

export function selectedPromotionId(): number | undefined {
  return selectedId;
}

/** One poll's answer: deleted promotions are left out. */
export function showPromotions(listed: ListedPromotion[]): void {
  promotions = listed.filter((p) => p.state !== 'DELETED');
  renderList();
  renderDetail();
}

/** The sale's status in words, as of now. */
export const statusOf = (p: ListedPromotion) => saleStatus(p, p.live, Date.now());

/** "1 every 250 ms (4 a second)": the pace the settings give. */
function pace(p: ListedPromotion): string {
  const perSecond = (p.batchSize * 1000) / p.intervalMs;
  const rate = perSecond >= 10 ? Math.round(perSecond) : Number(perSecond.toFixed(1));
  return `${p.batchSize} every ${p.intervalMs} ms (${rate} a second)`;
}

function renderList(): void {
  els.promotions.replaceChildren(
    ...promotions.map((p) => {
      const tr = document.createElement('tr');
      tr.dataset.id = String(p.id);
      if (p.id === selectedId) tr.className = 'selected';
      const live = p.live;
      const status = statusOf(p);
      const state = cell(status, `pill status-${status.replace(' ', '-')}`);
      state.title = saleStatusMeaning[status];
      tr.append(
        cell(String(p.id)),
        cell(p.name),
        state,
        cell(`${live ? live.currentStock : '–'} / ${p.totalStock}`),
        cell(live ? String(live.issued) : '–'),
        cell(live ? String(live.queueSize) : '–'),
        cell(live && live.mode === 'hold' ? String(live.held) : '–'),
        cell(pace(p)),
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
  const p = findPromotion(selectedId);
  els.detail.hidden = !p;
  if (!p) return;
  els.detailTitle.textContent = `#${p.id} ${p.name}`;
  const status = statusOf(p);
  els.detailState.textContent = status;
  els.detailState.className = `pill status-${status.replace(' ', '-')}`;
  const times = [
    p.prequeueAt ? `line opens ${new Date(p.prequeueAt).toLocaleString()}` : '',
    p.startsAt ? `starts ${new Date(p.startsAt).toLocaleString()}` : '',
    p.endsAt ? `ends ${new Date(p.endsAt).toLocaleString()}` : '',
  ].filter(Boolean);
  els.detailMeaning.textContent =
    saleStatusMeaning[status] + (times.length ? ` (${times.join(', ')})` : '');
  showDetailLink(p.id);
  const live = p.live;
  els.detailFigures.textContent = live
    ? `${live.currentStock} of ${p.totalStock} coupons left · ${live.issued} issued · ` +
      (live.mode === 'hold' ? `${live.held} held for shoppers to confirm · ` : '') +
      (status === 'PRE-QUEUE' || live.prequeued > 0
        ? `${live.prequeued} in the early line · `
        : '') +
      `${live.queueSize} waiting · ${live.processingCount} being decided · ` +
      (live.standbyLine > 0
        ? `${live.standbyLine} missed out, first for a returned coupon · `
        : '') +
      `${live.pendingPersist} not yet saved to the database`
    : 'No live figures: they come back at the next use of the sale.';
  // A button is enabled in the states its change is allowed from.
  els.pause.disabled = !transitions.pause.from.includes(p.state);
  els.resume.disabled = !transitions.resume.from.includes(p.state);
  els.close.disabled = !transitions.close.from.includes(p.state);
}

export function select(id: number): void {
  selectedId = id;
  els.detailMessage.textContent = '';
  els.consistency.hidden = true;
  renderList();
  renderDetail();
  selectionListeners.forEach((listener) => {
    listener(id);
  });
  els.detailTitle.tabIndex = -1;
  els.detailTitle.focus();
}

const selectionListeners: ((id: number) => void)[] = [];

/** Called with the promotion's id whenever the marketer selects one. */
export function onSelect(listener: (id: number) => void): void {
  selectionListeners.push(listener);
}

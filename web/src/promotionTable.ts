// The console's promotion list and the selected promotion's detail: the latest
// poll's promotions, which one is selected, and the table and panel drawn from them.
import {
  transitions,
  type Promotion,
  type PromotionInfo,
  type StateAction,
} from '../../core/model/promotion';
import { els } from './adminElements';
import { actionCell, cell } from './dom';
import { drawCharts, recordPoll } from './promotionCharts';

/** The live counters the API gives a promotion Redis holds, those the console reads. */
/** The live figures the console reads of a promotion. */
export type LiveFigures = Pick<
  PromotionInfo,
  'currentStock' | 'issued' | 'held' | 'mode' | 'queueSize' | 'processingCount' | 'pendingPersist'
>;

/** A promotion as GET /api/promotions lists it: the record's fields the console reads, and live. */
export type ListedPromotion = Pick<
  Promotion,
  'id' | 'name' | 'totalStock' | 'state' | 'batchSize' | 'intervalMs' | 'version'
> & { live: LiveFigures | null };

/** The marketer's state changes, in the order of their buttons. */
export const stateActions = Object.keys(transitions) as StateAction[];

let promotions: ListedPromotion[] = [];
let selectedId: number | undefined;

export function findPromotion(id: number | undefined): ListedPromotion | undefined {
  return promotions.find((x) => x.id === id);
}

export function selectedPromotionId(): number | undefined {
  return selectedId;
}

/** One poll's answer: deleted promotions are left out; the figures feed the charts. */
export function showPromotions(listed: ListedPromotion[], at: number): void {
  promotions = listed.filter((p) => p.state !== 'DELETED');
  for (const p of promotions) {
    if (p.live) recordPoll(p.id, p.live, at);
  }
  renderList();
  renderDetail();
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
  const p = findPromotion(selectedId);
  els.detail.hidden = !p;
  if (!p) return;
  els.detailTitle.textContent = `#${p.id} ${p.name}`;
  const live = p.live;
  els.detailFigures.textContent = live
    ? `${p.state} · ${live.currentStock} of ${p.totalStock} left · ${live.issued} issued · ` +
      (live.mode === 'hold' ? `${live.held} held · ` : '') +
      `${live.queueSize} waiting · ${live.pendingPersist} not yet in the database`
    : p.state;
  // A button is enabled in the states its change is allowed from.
  for (const action of stateActions) {
    els.stateButtons[action].disabled = !transitions[action].from.includes(p.state);
  }
  drawCharts(p.id);
}

export function fillSettings(p: ListedPromotion): void {
  els.setStock.value = String(p.totalStock);
  els.setBatch.value = String(p.batchSize);
  els.setInterval.value = String(p.intervalMs);
}

export function select(id: number): void {
  selectedId = id;
  const p = findPromotion(id);
  if (p) fillSettings(p);
  els.detailMessage.textContent = '';
  els.consistency.hidden = true;
  renderList();
  renderDetail();
  els.detailTitle.tabIndex = -1;
  els.detailTitle.focus();
}

// "Winners and their coupons": the selected sale's coupon ledger, a page at a
// time (More follows the API's cursor), searched by state and by shopper, and
// exported as CSV through a fetch with the admin token (a link can't carry it).
import { adminFile, admin } from './adminSession';
import { els } from './adminElements';
import { cell } from './dom';
import {
  countsSentence,
  couponStateWords,
  ledgerPath,
  shownSentence,
  type CouponState,
  type LedgerCounts,
  type LedgerSearch,
} from './ledgerWords';
import { findPromotion } from './promotionTable';

/** Rows a page: enough to scan, short enough for a phone. */
export const ledgerPageSize = 25;

interface LedgerCoupon {
  code: string;
  userId: string;
  ticket: number;
  state: CouponState;
  issuedAt: string;
  changedAt: string;
}

interface LedgerPage {
  coupons: LedgerCoupon[];
  nextCursor: string | null;
  counts: LedgerCounts;
}

const ui = els.ledger;
let promotionId: number | undefined;
let search: LedgerSearch = { state: '', userId: '' };
let cursor: string | null = null;
let shown = 0;
/** Answers to an older request (another sale, an earlier search) are dropped. */
let generation = 0;

function row(c: LedgerCoupon): HTMLTableRowElement {
  const tr = document.createElement('tr');
  const state = cell(couponStateWords[c.state]);
  state.title = c.state; // the CSV's word, for whoever reads both
  tr.append(
    cell(c.code, 'code'),
    cell(c.userId),
    cell(String(c.ticket)),
    state,
    cell(new Date(c.issuedAt).toLocaleString()),
    cell(c.state === 'ISSUED' ? '–' : new Date(c.changedAt).toLocaleString()),
  );
  return tr;
}

/** Loads the first page of the search (`more`: the next page, added below). */
async function load(more = false): Promise<void> {
  const id = promotionId;
  if (id === undefined) return;
  const mine = ++generation;
  ui.more.disabled = true;
  const result = await admin<LedgerPage>(
    'GET',
    ledgerPath(id, search, ledgerPageSize, more ? cursor : null),
  );
  if (mine !== generation) return;
  ui.more.disabled = false;
  if (result.kind !== 'ok') {
    ui.message.textContent = result.kind === 'refused' ? result.message : '';
    return;
  }
  const page = result.data;
  if (!more) {
    ui.rows.replaceChildren();
    shown = 0;
  }
  ui.rows.append(...page.coupons.map(row));
  shown += page.coupons.length;
  cursor = page.nextCursor;
  ui.counts.textContent = countsSentence(page.counts);
  const searched = search.state !== '' || search.userId.trim() !== '';
  ui.shown.textContent = shownSentence(shown, cursor !== null, searched);
  ui.more.hidden = cursor === null;
  ui.message.textContent = `As of ${new Date().toLocaleTimeString()}; Search again for the latest.`;
}

/** Shows the ledger of the sale just selected, from its first page, unsearched. */
export function showLedger(id: number): void {
  promotionId = id;
  const p = findPromotion(id);
  ui.title.textContent = `Winners and their coupons${p ? `: #${p.id} ${p.name}` : ''}`;
  ui.panel.hidden = false;
  ui.state.value = '';
  ui.user.value = '';
  search = { state: '', userId: '' };
  ui.rows.replaceChildren();
  ui.counts.textContent = '';
  ui.shown.textContent = '';
  ui.more.hidden = true;
  void load();
}

async function exportCsv(): Promise<void> {
  const id = promotionId;
  if (id === undefined) return;
  ui.exportCsv.disabled = true;
  ui.message.textContent = 'Preparing the CSV…';
  const file = await adminFile(`/api/promotions/${id}/coupons.csv`);
  ui.exportCsv.disabled = false;
  if ('message' in file) {
    ui.message.textContent = `The CSV could not be made: ${file.message}`;
    return;
  }
  const url = URL.createObjectURL(file.blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `coupons-${id}.csv`;
  document.body.append(a);
  a.click();
  a.remove();
  // The download has taken the data by then; the URL would otherwise hold it for the tab's life.
  window.setTimeout(() => {
    URL.revokeObjectURL(url);
  }, 60_000);
  ui.message.textContent = `Downloaded coupons-${id}.csv (every coupon of the sale).`;
}

export function wireLedger(): void {
  ui.filter.addEventListener('submit', (event) => {
    event.preventDefault();
    search = { state: ui.state.value as CouponState | '', userId: ui.user.value };
    void load();
  });
  ui.more.addEventListener('click', () => void load(true));
  ui.exportCsv.addEventListener('click', () => void exportCsv());
}

// The console's forms and buttons on promotions: create one, change the selected
// one's settings (with its version, so two marketers cannot overwrite each other),
// pause / resume / close it, and check its consistency.
import type { StateAction } from '../../core/model/promotion';
import { els } from './adminElements';
import { admin, poll } from './adminSession';
import {
  fillSettings,
  findPromotion,
  select,
  selectedPromotionId,
  stateActions,
  type ListedPromotion,
} from './promotionTable';
import { renderConsistency, type ConsistencyReport } from './reports';

/** A whole number from a field, or undefined when left empty; NaN says it is not a number. */
function numberField(input: HTMLInputElement): number | undefined {
  const text = input.value.trim();
  return text === '' ? undefined : Number(text);
}

async function changeState(action: StateAction): Promise<void> {
  const id = selectedPromotionId();
  if (id === undefined) return;
  const result = await admin<ListedPromotion>('POST', `/api/promotions/${id}/${action}`);
  els.detailMessage.textContent = result.kind === 'unreachable' ? '' : result.message;
  await poll();
}

function create(): void {
  const body = {
    name: els.newName.value.trim(),
    totalStock: numberField(els.newStock),
    batchSize: numberField(els.newBatch),
    intervalMs: numberField(els.newInterval),
  };
  void admin<ListedPromotion>('POST', '/api/promotions', body).then(async (result) => {
    if (result.kind === 'unreachable') return;
    els.createMessage.textContent = result.message;
    if (result.kind === 'ok') {
      els.create.reset();
      await poll();
      select(result.data.id);
    }
  });
}

/** Sends only the fields that changed; nothing changed is said, not sent. */
function saveSettings(): void {
  const p = findPromotion(selectedPromotionId());
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
  const body = { version: p.version, ...change };
  void admin<ListedPromotion>('PATCH', `/api/promotions/${p.id}`, body).then(async (result) => {
    if (result.kind === 'unreachable') return;
    els.detailMessage.textContent =
      result.kind === 'refused' && result.code === 'VERSION_CONFLICT'
        ? `${result.message} The form now shows the latest settings; check and save again.`
        : result.message;
    await poll();
    const fresh = findPromotion(p.id);
    if (fresh && (result.kind === 'ok' || result.code === 'VERSION_CONFLICT')) fillSettings(fresh);
  });
}

export function wirePromotionForms(): void {
  els.create.addEventListener('submit', (event) => {
    event.preventDefault();
    create();
  });
  els.settings.addEventListener('submit', (event) => {
    event.preventDefault();
    saveSettings();
  });
  for (const action of stateActions) {
    els.stateButtons[action].addEventListener('click', () => void changeState(action));
  }
  els.check.addEventListener('click', () => {
    const id = selectedPromotionId();
    if (id === undefined) return;
    void admin<ConsistencyReport>('GET', `/api/promotions/${id}/consistency`).then(
      renderConsistency,
    );
  });
}

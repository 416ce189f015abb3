// The console's forms and buttons on promotions: create one (then its shopper
// link), change the selected one's settings (with its version, so two marketers
// cannot overwrite each other), pause / resume, close after asking, and check
// that Redis and the database agree.
import type { StateAction } from '../../core/model/promotion';
import { els } from './adminElements';
import { admin, poll } from './adminSession';
import { copyBox } from './copyLink';
import {
  findPromotion,
  onSelect,
  select,
  selectedPromotionId,
  type ListedPromotion,
} from './promotionTable';
import { renderConsistency, type ConsistencyReport } from './reports';
import type { SettingKey } from './settingFields';
import { sameMinute } from './settingRules';
import { SettingsForm } from './settingsForm';

const createForm = new SettingsForm(els.createFields, 'new-', true);
const editForm = new SettingsForm(els.settingsFields, 'set-', false);
const showCreatedLink = copyBox('created');

async function changeState(action: StateAction): Promise<void> {
  const id = selectedPromotionId();
  if (id === undefined) return;
  const result = await admin<ListedPromotion>('POST', `/api/promotions/${id}/${action}`);
  els.detailMessage.textContent = result.kind === 'unreachable' ? '' : result.message;
  await poll();
}

function create(): void {
  els.createMessage.textContent = '';
  const { values, problems } = createForm.read();
  if (problems > 0) {
    els.createMessage.textContent = 'Check the fields marked above.';
    return;
  }
  void admin<ListedPromotion>('POST', '/api/promotions', values).then(async (result) => {
    if (result.kind === 'unreachable') return;
    if (result.kind === 'refused') {
      els.createMessage.textContent = createForm.showRefusal(result.message, result.code);
      return;
    }
    const p = result.data;
    createForm.reset();
    els.createdTitle.textContent = `Created #${p.id} ${p.name}`;
    showCreatedLink(p.id);
    els.created.hidden = false;
    await poll();
    select(p.id);
    els.created.scrollIntoView({ block: 'nearest' });
  });
}

/** Sends only the fields that changed; nothing changed is said, not sent. */
function saveSettings(): void {
  const p = findPromotion(selectedPromotionId());
  if (!p) return;
  els.settingsMessage.textContent = '';
  const { values, problems } = editForm.read();
  if (problems > 0) {
    els.settingsMessage.textContent = 'Check the fields marked above.';
    return;
  }
  const change: Partial<Record<SettingKey, unknown>> = {};
  for (const [key, value] of Object.entries(values) as [SettingKey, unknown][]) {
    const same =
      key === 'startsAt' || key === 'endsAt' || key === 'prequeueAt'
        ? sameMinute(value as string | null, p[key])
        : value === p[key];
    if (!same) change[key] = value;
  }
  if (Object.keys(change).length === 0) {
    els.settingsMessage.textContent = 'Nothing changed.';
    return;
  }
  const body = { version: p.version, ...change };
  void admin<ListedPromotion>('PATCH', `/api/promotions/${p.id}`, body).then(async (result) => {
    if (result.kind === 'unreachable') return;
    await poll();
    const fresh = findPromotion(p.id);
    if (result.kind === 'ok') {
      els.settingsMessage.textContent = '';
      els.detailMessage.textContent = result.message;
      if (fresh) editForm.fill(fresh);
    } else if (result.code === 'VERSION_CONFLICT') {
      if (fresh) editForm.fill(fresh);
      els.settingsMessage.textContent =
        'Someone else changed this sale meanwhile. The form now shows the latest settings; check and save again.';
    } else {
      els.settingsMessage.textContent = editForm.showRefusal(result.message, result.code);
    }
  });
}

/** Close ends the sale for everyone waiting: it asks first, in words. */
function askToClose(): void {
  const p = findPromotion(selectedPromotionId());
  if (!p) return;
  const waiting = p.live ? p.live.queueSize + p.live.processingCount : 0;
  els.closeWhat.textContent = `#${p.id} ${p.name}: ${waiting} shopper${waiting === 1 ? ' is' : 's are'} waiting now.`;
  els.closeDialog.returnValue = '';
  els.closeDialog.showModal();
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
  onSelect((id) => {
    const p = findPromotion(id);
    if (p) editForm.fill(p);
    els.settingsMessage.textContent = '';
    void poll(); // the charts of the newly selected sale at once
  });
  els.pause.addEventListener('click', () => void changeState('pause'));
  els.resume.addEventListener('click', () => void changeState('resume'));
  els.close.addEventListener('click', askToClose);
  els.closeDialog.addEventListener('close', () => {
    if (els.closeDialog.returnValue === 'close') void changeState('close');
    else els.detailMessage.textContent = 'Not closed: the sale goes on.';
  });
  els.check.addEventListener('click', () => {
    const id = selectedPromotionId();
    if (id === undefined) return;
    void admin<ConsistencyReport>('GET', `/api/promotions/${id}/consistency`).then(
      renderConsistency,
    );
  });
}

// Before the sale opens: the start time and a live countdown in the live panel,
// then `onOpen` once the moment comes, so the page joins by itself (no "try again").
import { els, show } from './shopperElements';
import { lang, t } from './i18n';

let timer: number | undefined;

function inWords(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  if (h > 0) return t('hoursMinutes', { h, m: pad(m) });
  return m > 0 ? t('minutesSeconds', { m, s: pad(s % 60) }) : t('seconds', { s });
}

/** The place figures mean nothing before the opening: only the countdown shows. */
function showFigures(visible: boolean): void {
  const figures = els.position.closest('dl');
  // Not `hidden`: the stylesheet's display: grid would win over it.
  if (figures instanceof HTMLElement) figures.style.display = visible ? '' : 'none';
  show(els.bar, visible);
}

/**
 * Counts down to `at` (ms since the epoch): `title` says where the shopper is,
 * `line` what happens then, given the time and what is left ("The queue opens
 * at 09:00, in 4 min 05 s."), `detail` anything to add.
 */
export function renderCountdown(
  at: number,
  title: string,
  line: (slots: { time: string; left: string }) => string,
  onOpen: () => void,
  detail = '',
): void {
  stopCountdown();
  show(els.form, false);
  show(els.result, false);
  show(els.hold, false);
  show(els.live, true);
  show(els.leave, true);
  showFigures(false);
  els.liveTitle.textContent = title;
  const time = new Date(at).toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit' });
  const tick = () => {
    const left = at - Date.now();
    els.liveNote.textContent = `${line({ time, left: inWords(left) })} ${detail}`.trim();
    if (left <= 0) {
      stopCountdown();
      onOpen();
    }
  };
  tick();
  timer = window.setInterval(tick, 250);
}

export function stopCountdown(): void {
  window.clearInterval(timer);
  showFigures(true);
}

// Before the sale opens: the start time and a live countdown in the live panel,
// then `onOpen` once the moment comes, so the page joins by itself (no "try again").
import { els, show } from './shopperElements';

let timer: number | undefined;

function inWords(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h} h ${pad(m)} min ${pad(s % 60)} s` : `${m} min ${pad(s % 60)} s`;
}

/** Counts down to `at` (ms since the epoch); `title` says what happens then. */
export function renderCountdown(at: number, title: string, onOpen: () => void): void {
  stopCountdown();
  show(els.form, false);
  show(els.result, false);
  show(els.hold, false);
  show(els.live, true);
  show(els.leave, true);
  els.liveTitle.textContent = title;
  els.position.textContent = els.ahead.textContent = '–';
  const when = new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const tick = () => {
    const left = at - Date.now();
    els.eta.textContent = inWords(left);
    els.liveNote.textContent = `Opens at ${when}: in ${inWords(left)}. This page joins by itself.`;
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
}

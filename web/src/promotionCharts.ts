// The console's charts: each promotion's figures recorded at every poll, and the
// selected one's drawn (queue, issued per second, stock) over the last five minutes.
import { drawLine, recordFigures, type FigureHistory } from './chart';
import { els } from './adminElements';

/** Charts show the last five minutes; older samples are dropped. */
const windowMs = 5 * 60_000;

const histories = new Map<number, FigureHistory>();

export function recordPoll(
  id: number,
  live: { queueSize: number; currentStock: number; issued: number },
  at: number,
): void {
  histories.set(id, recordFigures(histories.get(id), live, at, windowMs));
}

/** Draws promotion `id`'s charts and latest figures; nothing before its first poll. */
export function drawCharts(id: number): void {
  const h = histories.get(id);
  if (!h) return;
  drawLine(els.charts.queue, h.queue, windowMs);
  drawLine(els.charts.rate, h.rate, windowMs);
  drawLine(els.charts.stock, h.stock, windowMs);
  els.now.queue.textContent = String(h.queue.at(-1)?.value ?? '–');
  els.now.rate.textContent = (h.rate.at(-1)?.value ?? 0).toFixed(1);
  els.now.stock.textContent = String(h.stock.at(-1)?.value ?? '–');
}

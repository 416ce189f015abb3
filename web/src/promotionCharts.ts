// The selected promotion's last hour, from the history the server keeps (so a
// fresh tab or a phone shows the sale so far): admissions a second, the line's
// length, and coupons left / held / issued over time; and how long admitted
// shoppers waited. The first read takes the whole hour, each poll only what is new.
import type { ApiResult } from './api';
import { els } from './adminElements';
import { round, timeChart, type TimeChart } from './chart';
import { waitBuckets, waitDistribution, type FigureSample } from '../../core/model/figures';

interface History {
  windowMs: number;
  samples: FigureSample[];
}

export type HistoryReader = (path: string) => Promise<ApiResult<History>>;

let charts: { rate: TimeChart; queue: TimeChart; stock: TimeChart } | undefined;
let shownId: number | undefined;
let samples: FigureSample[] = [];

function makeCharts() {
  return (charts ??= {
    rate: timeChart(els.charts.rate, 'a second', [{ label: 'Admitted', color: '#1f5fd1' }]),
    queue: timeChart(els.charts.queue, 'shoppers', [{ label: 'Waiting', color: '#9a6700' }]),
    stock: timeChart(els.charts.stock, 'coupons', [
      { label: 'Left', color: '#13794b' },
      { label: 'Held', color: '#9a6700' },
      { label: 'Issued', color: '#1f5fd1' },
    ]),
  });
}

/** Reads what is new of promotion `id`'s history (all of it when `id` changed) and draws it. */
export async function updateCharts(id: number | undefined, read: HistoryReader): Promise<void> {
  if (id === undefined) return;
  if (id !== shownId) {
    shownId = id;
    samples = [];
  }
  const since = samples.at(-1)?.at;
  const path = `/api/promotions/${id}/history${since === undefined ? '' : `?since=${since}`}`;
  const result = await read(path);
  if (result.kind !== 'ok' || id !== shownId) return;
  const from = Date.now() - result.data.windowMs;
  samples = [...samples, ...result.data.samples].filter((s) => s.at >= from);
  draw();
}

/** Admissions a second between each sample and the one before it. */
function ratesOf(list: FigureSample[]): (number | null)[] {
  return list.map((s, i) => {
    const before = list[i - 1];
    return before && s.at > before.at ? (s.admitted * 1000) / (s.at - before.at) : null;
  });
}

function draw(): void {
  const c = makeCharts();
  const times = samples.map((s) => s.at);
  const rates = ratesOf(samples);
  c.rate.show(times, [rates]);
  c.queue.show(times, [samples.map((s) => s.queueSize)]);
  c.stock.show(times, [
    samples.map((s) => s.stock),
    samples.map((s) => s.held),
    samples.map((s) => s.issued),
  ]);
  const last = samples.at(-1);
  els.now.rate.textContent = `${round(rates.at(-1) ?? 0)} a second`;
  els.now.queue.textContent = last ? `${last.queueSize} now` : '';
  els.now.stock.textContent = last ? `${last.stock} left` : '';
  drawWaits();
}

const duration = (ms: number) =>
  ms < 1000
    ? 'a second'
    : ms < 60_000
      ? `${Math.round(ms / 1000)} s`
      : `${(ms / 60_000).toFixed(1)} min`;

function drawWaits(): void {
  const d = waitDistribution(samples);
  const known = d.counts.reduce((n, c) => n + c, 0);
  els.waitsSummary.textContent =
    known === 0
      ? 'Nobody admitted in the last hour yet.'
      : `Half were admitted within ${duration(d.medianMs ?? 0)} of joining, 9 in 10 within ` +
        `${duration(d.p90Ms ?? 0)} (${known} shopper${known === 1 ? '' : 's'}).` +
        (d.unknown > 0
          ? ` ${d.unknown} more joined before this hour: their wait is not known.`
          : '');
  els.waitsRows.replaceChildren(
    ...waitBuckets.map((b, i) => {
      const n = d.counts[i] ?? 0;
      const tr = document.createElement('tr');
      const share = known > 0 ? Math.round((n / known) * 100) : 0;
      const bar = document.createElement('td');
      const fill = document.createElement('span');
      fill.className = 'share';
      fill.style.width = `${share}%`;
      bar.append(fill, ` ${share}%`);
      const label = document.createElement('td');
      label.textContent = b.label;
      const count = document.createElement('td');
      count.textContent = String(n);
      tr.append(label, count, bar);
      return tr;
    }),
  );
  els.waitsLeft.textContent =
    `Left without a coupon: ${d.failed} reached the front after the coupons ran out or the ` +
    `sale closed; ${d.expired} let their hold run out.`;
}

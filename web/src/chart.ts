// The console's recent figures per promotion, and a line of them drawn into an
// inline SVG: enough for a console, no chart library.

export interface Sample {
  at: number;
  value: number;
}

const svgNs = 'http://www.w3.org/2000/svg';

/** A short history still fills the width; the axis grows to `windowMs` and then slides. */
const minSpanMs = 10_000;

/** Draws the samples of the last `windowMs` into `svg` (viewBox 0 0 300 100). */
export function drawLine(svg: SVGSVGElement, samples: readonly Sample[], windowMs: number): void {
  const now = samples.at(-1)?.at ?? Date.now();
  const shown = samples.filter((s) => s.at >= now - windowMs);
  const span = Math.min(windowMs, Math.max(minSpanMs, now - (shown[0]?.at ?? now)));
  const max = Math.max(1, ...shown.map((s) => s.value));
  const points = shown
    .map((s) => {
      const x = 300 - ((now - s.at) / span) * 300;
      const y = 96 - (s.value / max) * 92;
      return `${x.toFixed(1)},${y.toFixed(1)}`;
    })
    .join(' ');
  let line = svg.querySelector('polyline');
  if (!line) {
    line = document.createElementNS(svgNs, 'polyline');
    svg.append(line);
  }
  line.setAttribute('points', points);
  svg.dataset.max = String(max);
  svg.dataset.points = String(shown.length);
}

/** What the charts show of one promotion, sampled at each poll. */
export interface FigureHistory {
  queue: Sample[];
  rate: Sample[];
  stock: Sample[];
  last?: { at: number; issued: number };
}

/** Adds one poll's figures; issuance per second is the issued delta over the time between polls. */
export function recordFigures(
  history: FigureHistory | undefined,
  live: { queueSize: number; currentStock: number; issued: number },
  at: number,
  windowMs: number,
): FigureHistory {
  const h = history ?? { queue: [], rate: [], stock: [] };
  h.queue.push({ at, value: live.queueSize });
  h.stock.push({ at, value: live.currentStock });
  if (h.last && at > h.last.at) {
    const perSecond = ((live.issued - h.last.issued) * 1000) / (at - h.last.at);
    h.rate.push({ at, value: Math.max(0, perSecond) });
  }
  h.last = { at, issued: live.issued };
  for (const series of [h.queue, h.rate, h.stock]) {
    while (series.length > 0 && (series[0]?.at ?? at) < at - windowMs) series.shift();
  }
  return h;
}

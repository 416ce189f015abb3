// A time chart of the console (uPlot): a time axis in the browser's time zone, a
// value axis labelled with its unit, a legend with each series' latest value, and
// the width of its box (followed as the layout changes, e.g. a phone turned).
import uPlot from 'uplot';

export interface SeriesSpec {
  label: string;
  color: string;
}

export interface TimeChart {
  /** Times in ms since the epoch; one array of values per series (null: no value then). */
  show(times: readonly number[], values: readonly (readonly (number | null)[])[]): void;
}

const height = 180;
const minSpanS = 60;

export function timeChart(box: HTMLElement, unit: string, series: SeriesSpec[]): TimeChart {
  const holder = document.createElement('div');
  box.append(holder);
  const width = () => Math.max(240, Math.floor(box.clientWidth));
  const fmt = (v: number | null) => (v === null ? '–' : `${round(v)} ${unit}`);
  const plot = new uPlot(
    {
      width: width(),
      height,
      scales: {
        // At least a minute wide, so a young sale's axis reads in seconds, not milliseconds.
        x: { time: true, range: (_u, min, max) => [Math.min(min, max - minSpanS), max] },
        y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] },
      },
      series: [
        {},
        ...series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 2,
          value: (_u: uPlot, v: number | null) => fmt(v),
        })),
      ],
      legend: { live: false },
      axes: [
        { space: 70, values: (u, ticks) => ticks.map((t) => clock(t, u)) },
        { label: unit, size: 56, values: (_u, ticks) => ticks.map(round) },
      ],
    },
    [[], ...series.map(() => [])],
    holder,
  );
  new ResizeObserver(() => {
    if (width() !== plot.width) plot.setSize({ width: width(), height });
  }).observe(box);
  return {
    show(times, values) {
      plot.setData([times.map((t) => t / 1000), ...values.map((v) => [...v])]);
      box.dataset.points = String(times.length);
    },
  };
}

/** A tick's time of day: with seconds while the chart spans under ten minutes. */
function clock(seconds: number, u: uPlot): string {
  const span = (u.scales.x?.max ?? 0) - (u.scales.x?.min ?? 0);
  const withSeconds = span < 600 ? { second: '2-digit' as const } : {};
  return new Date(seconds * 1000).toLocaleTimeString([], {
    hour: '2-digit',
    minute: '2-digit',
    ...withSeconds,
  });
}

/** A readable number: whole when large, one decimal when small. */
export function round(v: number): string {
  return Math.abs(v) >= 10 || Number.isInteger(v) ? String(Math.round(v)) : v.toFixed(1);
}

// A promotion's figures after a drain tick, as the worker keeps them for the last
// hour (core/metrics/figureHistory.ts) and the console charts them; and what they
// tell about waits. Pure: no I/O, no zod, so the console shares it.

/** One sample: counters as Redis held them after a tick, and what happened since the last one. */
export interface FigureSample {
  /** When (ms since the epoch). */
  at: number;
  /** Tickets handed out so far (shoppers who ever joined). */
  joined: number;
  /** Tickets taken off the waiting line so far (admitted or failed). */
  served: number;
  /** Shoppers waiting. */
  queueSize: number;
  /** Coupons issued. */
  issued: number;
  /** Units held for admitted shoppers who have not confirmed yet (hold mode). */
  held: number;
  /** Units still available: total - issued - held. */
  stock: number;
  /** Shoppers admitted (coupon issued or unit held) since this worker's previous sample. */
  admitted: number;
  /** Shoppers whose turn ended without a coupon (sold out or closed) since then. */
  failed: number;
  /** Holds that ran out since then (hold mode). */
  expired: number;
}

/** The stored order of the fields: a sample is kept as a JSON array, a third of an object's size. */
export const figureFields = [
  'at',
  'joined',
  'served',
  'queueSize',
  'issued',
  'held',
  'stock',
  'admitted',
  'failed',
  'expired',
] as const satisfies readonly (keyof FigureSample)[];

export function encodeSample(sample: FigureSample): string {
  return JSON.stringify(figureFields.map((f) => sample[f]));
}

/** A stored sample, or null when it is not one (a foreign or older entry is skipped, not fatal). */
export function decodeSample(text: string): FigureSample | null {
  let values: unknown;
  try {
    values = JSON.parse(text);
  } catch {
    return null;
  }
  if (!Array.isArray(values) || values.length !== figureFields.length) return null;
  if (!values.every((v) => typeof v === 'number' && Number.isFinite(v))) return null;
  const numbers = values as number[];
  const sample = {} as FigureSample;
  figureFields.forEach((f, i) => {
    sample[f] = numbers[i] ?? 0;
  });
  return sample;
}

/** The wait ranges the console shows, upper bounds in ms. */
export const waitBuckets = [
  { upToMs: 10_000, label: 'under 10 s' },
  { upToMs: 30_000, label: '10–30 s' },
  { upToMs: 60_000, label: '30 s – 1 min' },
  { upToMs: 120_000, label: '1–2 min' },
  { upToMs: 300_000, label: '2–5 min' },
  { upToMs: 900_000, label: '5–15 min' },
  { upToMs: Infinity, label: '15 min or more' },
] as const;

export interface WaitDistribution {
  /** Admitted shoppers per wait range (waitBuckets' order). */
  counts: number[];
  /** Admitted shoppers who joined before the history starts: their wait is not known. */
  unknown: number;
  medianMs: number | null;
  p90Ms: number | null;
  /** Shoppers who reached the front with nothing left for them (sold out or closed). */
  failed: number;
  /** Admitted shoppers whose hold ran out before they confirmed. */
  expired: number;
}

/** The first sample (by index) whose joined counter reached `ticket`, or -1. */
function joinedBy(samples: readonly FigureSample[], ticket: number): number {
  let lo = 0;
  let hi = samples.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((samples[mid]?.joined ?? 0) >= ticket) {
      found = mid;
      hi = mid - 1;
    } else lo = mid + 1;
  }
  return found;
}

/**
 * How long admitted shoppers waited, from the samples alone: tickets are handed
 * out in order, so ticket t joined by the first sample whose `joined` reached t,
 * and a sample's admitted shoppers are the tickets just below its `served` (the
 * failed ones, if any, come after them). Each wait is known to within the time
 * between samples (about a second) and never overstated.
 */
export function waitDistribution(given: readonly FigureSample[]): WaitDistribution {
  const samples = [...given].sort((a, b) => a.at - b.at);
  const counts = waitBuckets.map(() => 0);
  const waits: { ms: number; n: number }[] = [];
  let unknown = 0;
  const firstJoined = samples[0]?.joined ?? 0;
  for (const s of samples) {
    let lo = s.served - s.admitted - s.failed;
    const hi = lo + s.admitted;
    if (lo < firstJoined) {
      const before = Math.min(hi, firstJoined) - lo;
      unknown += before;
      lo += before;
    }
    while (lo < hi) {
      const k = joinedBy(samples, lo + 1);
      const joinedAt = samples[k];
      if (!joinedAt) {
        unknown += hi - lo;
        break;
      }
      const upTo = Math.min(hi, joinedAt.joined);
      const ms = Math.max(0, s.at - joinedAt.at);
      const bucket = waitBuckets.findIndex((b) => ms < b.upToMs);
      counts[bucket] = (counts[bucket] ?? 0) + upTo - lo;
      waits.push({ ms, n: upTo - lo });
      lo = upTo;
    }
  }
  const sum = (f: 'failed' | 'expired') => samples.reduce((n, s) => n + s[f], 0);
  return {
    counts,
    unknown,
    medianMs: quantile(waits, 0.5),
    p90Ms: quantile(waits, 0.9),
    failed: sum('failed'),
    expired: sum('expired'),
  };
}

function quantile(waits: { ms: number; n: number }[], q: number): number | null {
  const total = waits.reduce((n, w) => n + w.n, 0);
  if (total === 0) return null;
  const sorted = [...waits].sort((a, b) => a.ms - b.ms);
  let seen = 0;
  for (const w of sorted) {
    seen += w.n;
    if (seen >= q * total) return w.ms;
  }
  return sorted.at(-1)?.ms ?? null;
}

/** A promotion's coupons by state, unfiltered (the ledger's totals, kept as counters). */
export interface LedgerCounts {
  /** Every coupon ever issued, whatever its state now. */
  issued: number;
  /** Still ISSUED (neither used, cancelled nor revoked). */
  unused: number;
  used: number;
  cancelled: number;
  revoked: number;
}

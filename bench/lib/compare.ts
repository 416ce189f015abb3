// Side by side: a subject endpoint against the bare baseline, in alternating
// rounds of the same run, so machine noise hits both alike.
import type { BenchCase, Row } from '../cases/types';
import { loadRound, type LoadSpec, type Round } from './load';
import { fixed, grouped, median } from './stats';
import type { BenchSystem } from './system';

export interface Comparison {
  name: string;
  /** The subject's throughput must be at least this share of the baseline's. */
  goalRatio: number;
  subject: LoadSpec;
  baseline: LoadSpec;
}

/** An HTTP case: prepares state, then says what to load (bench:profile reuses `prepare`). */
export interface HttpCase extends BenchCase {
  prepare(system: BenchSystem): Promise<Comparison>;
}

export function httpCase(id: string, prepare: HttpCase['prepare']): HttpCase {
  return {
    id,
    prepare,
    async run(system) {
      return [await compare(system, await prepare(system))];
    },
  };
}

async function compare(system: BenchSystem, c: Comparison): Promise<Row> {
  const { BENCH_SECONDS: seconds, BENCH_ROUNDS: rounds, BENCH_CONNECTIONS } = system.settings;
  const options = { seconds, connections: BENCH_CONNECTIONS, redis: system.redis };
  // Warm-up (JIT, connection pools, caches), not recorded.
  await loadRound(c.baseline, { ...options, seconds: 1 });
  await loadRound(c.subject, { ...options, seconds: 1 });

  const baseline: Round[] = [];
  const subject: Round[] = [];
  for (let r = 0; r < rounds; r++) {
    // Alternate which goes first, so a drift in machine load favours neither.
    const order =
      r % 2 === 0 ? ([c.baseline, c.subject] as const) : ([c.subject, c.baseline] as const);
    for (const spec of order) {
      const round = await loadRound(spec, options);
      (spec === c.baseline ? baseline : subject).push(round);
    }
  }
  // Median of the per-round ratios: each pair ran back to back on the same machine state.
  const ratio = median(subject.map((s, i) => s.rps / (baseline[i]?.rps ?? Number.NaN)));
  const subjectCpu = median(subject.map((s) => s.cpuUsPerRequest));
  const baselineCpu = median(baseline.map((b) => b.cpuUsPerRequest));
  const redisCpu = median(subject.map((s) => s.redisUsPerRequest));
  return {
    case: c.name,
    figure: `${grouped(median(subject.map((s) => s.rps)))} req/s`,
    p99: `${fixed(median(subject.map((s) => s.p99)))} ms (bare ${fixed(median(baseline.map((b) => b.p99)))})`,
    baseline: `${grouped(median(baseline.map((b) => b.rps)))} req/s`,
    ratio: `${fixed(ratio, 2)}x`,
    cpu: Number.isNaN(subjectCpu)
      ? '-'
      : `${fixed(subjectCpu)} us (bare ${fixed(baselineCpu)}): ${fixed(baselineCpu / subjectCpu, 2)}x; Redis ${fixed(redisCpu)} us`,
    goal: `>= ${fixed(c.goalRatio, 2)}x bare`,
    met: ratio >= c.goalRatio,
  };
}

// What a bench case is: something that measures and returns rows of the table.
import type { BenchSystem } from '../lib/system';

export interface Row {
  case: string;
  /** The measured figure (median over rounds), with its unit. */
  figure: string;
  /** p99 latency (median over rounds), when the case is HTTP load. */
  p99: string;
  /** The same-run baseline's figure, or a dash. */
  baseline: string;
  /** CPU time the serving process spent per request vs the baseline's, when HTTP load. */
  cpu: string;
  /** figure / baseline, or a dash. */
  ratio: string;
  goal: string;
  met: boolean | null;
}

export interface BenchCase {
  /** Short id for BENCH_CASES and bench:profile. */
  id: string;
  run(system: BenchSystem): Promise<Row[]>;
}

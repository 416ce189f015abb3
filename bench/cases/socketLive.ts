// Socket.IO at scale: decision-to-page latency and memory per connection with
// BENCH_SOCKETS pages on one server process (bench/socket.ts does the work and
// prints its detailed table; the summary rows join the main table).
import { socketBench } from '../socket';
import { adminToken } from '../lib/system';
import { fixed } from '../lib/stats';
import type { BenchCase } from './types';

export const socketLive: BenchCase = {
  id: 'socket',
  async run({ settings }) {
    const figures = await socketBench(settings, adminToken);
    process.stderr.write(`${figures.detail}\n`);
    const dash = { p99: '-', baseline: '-', cpu: '-', ratio: '-', goal: '-', met: null };
    return [
      {
        ...dash,
        case: `socket: ${settings.BENCH_SOCKETS} pages, decision -> page (COMPLETED, probe)`,
        figure: `p50 ${fixed(figures.completedP50)} ms`,
        p99: `${fixed(figures.completedP99)} ms`,
        goal: 'p99 <= 100 ms',
        met: figures.completedP99 <= 100,
      },
      {
        ...dash,
        case: `socket: ${settings.BENCH_SOCKETS} pages, sold-out sweep FAILED -> page (probe)`,
        figure: `p50 ${fixed(figures.sweepP50)} ms`,
        p99: `${fixed(figures.sweepP99)} ms`,
        goal: 'p50 <= 200 ms, p99 <= 1000 ms',
        met: figures.sweepP50 <= 200 && figures.sweepP99 <= 1000,
      },
      {
        ...dash,
        case: 'socket: server memory per connection',
        figure: `${fixed(figures.perConnectionKb, 1)} KB`,
      },
    ];
  },
};

// Issue 17's crowd, without k6 (no k6 binary on this machine): new shoppers
// joining at a constant 4,000 a second (BENCH_CROWD_RATE) (autocannon's overallRate, on the same
// two cores as the server, as k6 would be) for one unit, with a real worker
// draining. Figures: joins answered a second, requests not sent on time (k6's
// dropped iterations), join p50/p99 (goal p99 < 250 ms), and after the drain
// exactly one COMPLETED and nobody left waiting or processing.
import { waitFor } from '../../tests/helpers/wait';
import { loadRound } from '../lib/load';
import { fixed, grouped } from '../lib/stats';
import type { BenchCase } from './types';

const promotionId = 9;

export const crowd: BenchCase = {
  id: 'crowd',
  async run(system) {
    const { BENCH_CROWD_SECONDS: seconds, BENCH_CROWD_RATE: rate } = system.settings;
    await system.admin('/api/coupon/queue/init-stock', { promotionId, stock: 1 });
    const stopWorker = await system.startWorker();
    try {
      let n = 0;
      const round = await loadRound(
        {
          label: 'crowd join',
          method: 'POST',
          origin: system.serverOrigin,
          pid: system.serverPid,
          next: () => ({
            path: '/api/coupon/queue/join',
            body: { promotionId, userId: `c${++n}` },
          }),
          // Joined (200) or refused once the unit is gone (409 SOLD_OUT).
          expectStatus: (status) => status === 200 || status === 409,
        },
        { seconds, connections: 200, redis: system.redis, rate },
      );
      const after = await waitFor(
        () => system.room.info(promotionId),
        (info) => info !== null && info.queueSize === 0 && info.processingCount === 0,
        { timeoutMs: 60_000, what: 'every crowd shopper decided' },
      );
      const target = rate * seconds;
      const dropped = Math.max(0, target - round.sent);
      const winners = after?.issued ?? Number.NaN;
      const met = round.p99 < 250 && dropped === 0 && round.failed === 0 && winners === 1;
      return [
        {
          case: `crowd: ${grouped(rate)} new shoppers/s for one unit, ${seconds} s`,
          figure: `${grouped(round.rps)} joins/s answered; ${grouped(dropped)} of ${grouped(target)} not sent; ${round.failed} failed; ${winners} winner, ${after?.queueSize ?? '?'} waiting`,
          p99: `${fixed(round.p99)} ms (p50 ${fixed(round.p50)})`,
          baseline: '-',
          ratio: '-',
          cpu: `${fixed(round.cpuUsPerRequest)} us; Redis ${fixed(round.redisUsPerRequest)} us`,
          goal: 'p99 < 250 ms, 0 dropped, 1 winner, 0 waiting',
          met,
        },
      ];
    } finally {
      await stopWorker();
    }
  },
};

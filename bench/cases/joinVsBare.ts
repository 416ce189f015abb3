// Join throughput: distinct shoppers queued (one Lua call each) vs bare Express;
// once on the plain server, once with every rate limiter on (limits never
// reached), so the difference between the two rows is what the limiters cost.
import { httpCase } from '../lib/compare';
import type { LoadSpec } from '../lib/load';
import type { BenchSystem } from '../lib/system';

const promotionId = 1;

/** The baseline of every join row: bare Express answering the same JSON body. */
export function bareJoin(system: BenchSystem, id: string): LoadSpec {
  let n = 0;
  return {
    label: 'bare POST',
    method: 'POST',
    origin: system.bareOrigin,
    pid: system.barePid,
    next: () => ({ path: '/bare', body: { promotionId, userId: `${id}${++n}` } }),
    expectStatus: (status) => status === 200,
  };
}

function joinAgainstBare(
  id: string,
  name: string,
  target: (s: BenchSystem) => [string, number | undefined],
) {
  return httpCase(id, async (system) => {
    await system.admin('/api/coupon/queue/init-stock', { promotionId, stock: 1_000_000_000 });
    const [origin, pid] = target(system);
    let n = 0;
    return {
      name,
      goalRatio: 0.9,
      subject: {
        label: id,
        method: 'POST',
        origin,
        pid,
        next: () => ({
          path: '/api/coupon/queue/join',
          body: { promotionId, userId: `${id}${++n}` },
        }),
        expectStatus: (status) => status === 200,
      },
      baseline: bareJoin(system, id),
    };
  });
}

export const joinVsBare = joinAgainstBare('join', 'POST /join, distinct shoppers queued', (s) => [
  s.serverOrigin,
  s.serverPid,
]);

export const joinLimited = joinAgainstBare(
  'join-limited',
  'POST /join with rate limiters on (never reached)',
  (s) => [s.limitedOrigin, s.limitedPid],
);

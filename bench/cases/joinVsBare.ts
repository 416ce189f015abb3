// Join throughput: distinct shoppers queued (one Lua call each) vs bare Express.
import { httpCase } from '../lib/compare';

const promotionId = 1;

export const joinVsBare = httpCase('join', async (system) => {
  await system.admin('/api/coupon/queue/init-stock', { promotionId, stock: 1_000_000_000 });
  let n = 0;
  return {
    name: 'POST /join, distinct shoppers queued',
    goalRatio: 0.9,
    subject: {
      label: 'join',
      method: 'POST',
      origin: system.serverOrigin,
      pid: system.serverPid,
      next: () => ({ path: '/api/coupon/queue/join', body: { promotionId, userId: `j${++n}` } }),
      expectStatus: (status) => status === 200,
    },
    baseline: {
      label: 'bare POST',
      method: 'POST',
      origin: system.bareOrigin,
      pid: system.barePid,
      next: () => ({ path: '/bare', body: { promotionId, userId: `j${++n}` } }),
      expectStatus: (status) => status === 200,
    },
  };
});

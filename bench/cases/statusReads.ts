// Status reads: waiting shoppers asking for their place (one Redis round trip) vs bare Express GET.
import { joinMany } from '../lib/fill';
import { httpCase } from '../lib/compare';

const promotionId = 3;
const shoppers = 10_000;

export const statusReads = httpCase('status', async (system) => {
  await system.admin('/api/coupon/queue/init-stock', { promotionId, stock: 1_000_000_000 });
  await joinMany(system.room, promotionId, shoppers, (i) => `r${i}`);
  let n = 0;
  const query = () => `promotionId=${promotionId}&userId=r${++n % shoppers}`;
  return {
    name: 'GET /status of waiting shoppers',
    goalRatio: 0.9,
    subject: {
      label: 'status',
      method: 'GET',
      origin: system.serverOrigin,
      pid: system.serverPid,
      next: () => ({ path: `/api/coupon/queue/status?${query()}` }),
      expectStatus: (status) => status === 200,
    },
    baseline: {
      label: 'bare GET',
      method: 'GET',
      origin: system.bareOrigin,
      pid: system.barePid,
      next: () => ({ path: `/bare?${query()}` }),
      expectStatus: (status) => status === 200,
    },
  };
});

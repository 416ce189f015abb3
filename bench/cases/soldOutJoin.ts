// Join when sold out: new shoppers refused 409 by the server's sold-out fast path
// (no Redis round trip once the sell-out is known) vs bare Express.
import { httpCase } from '../lib/compare';

const promotionId = 2;

export const soldOutJoin = httpCase('sold-out', async (system) => {
  // Stock 0: sold out from the start. The warm-up round's first refusal arms the cache.
  await system.admin('/api/coupon/queue/init-stock', { promotionId, stock: 0 });
  let n = 0;
  return {
    name: 'POST /join when sold out (409)',
    goalRatio: 0.95,
    subject: {
      label: 'join sold out',
      method: 'POST',
      origin: system.serverOrigin,
      pid: system.serverPid,
      next: () => ({ path: '/api/coupon/queue/join', body: { promotionId, userId: `s${++n}` } }),
      expectStatus: (status) => status === 409,
    },
    baseline: {
      label: 'bare POST',
      method: 'POST',
      origin: system.bareOrigin,
      pid: system.barePid,
      next: () => ({ path: '/bare', body: { promotionId, userId: `s${++n}` } }),
      expectStatus: (status) => status === 200,
    },
  };
});

// Steps of a sale that several tests share.
import { inParallel, waitFor } from './wait';
import type { TestSystem } from './system';

export const shoppers = (n: number, tag = 's') =>
  Array.from({ length: n }, (_, i) => `${tag}${i + 1}`);

export async function joinAll(system: TestSystem, promotionId: number, users: string[]) {
  return inParallel(
    users.map((u) => () => system.api.join(promotionId, u)),
    50,
  );
}

/** Waits until nobody waits, nobody is mid-decision and every decision reached the database. */
export async function waitUntilSettled(system: TestSystem, promotionId: number, timeoutMs = 30000) {
  return waitFor(
    () => system.api.info(promotionId).then((r) => r.body.data),
    (info) => info.queueSize === 0 && info.processingCount === 0 && info.pendingPersist === 0,
    { what: `promotion ${promotionId} to settle`, timeoutMs },
  );
}

export async function couponRows(system: TestSystem, promotionId: number) {
  return system
    .db('coupons')
    .select('user_id', 'code', 'state')
    .where({ promotion_id: promotionId }) as Promise<
    { user_id: string; code: string; state: string }[]
  >;
}

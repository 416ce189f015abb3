// Recovery that does not depend on BullMQ (whose own keys vanish with a Redis
// flush): every promotion in the database gets its Redis state and its drain
// schedule back, and the reconciliation schedule exists.
import type { Queue } from 'bullmq';
import { listPromotions } from '../core/db/promotionsRepo';
import { drainSchedulerId } from '../core/jobs/drainJobs';
import { ensureRoomState, type RehydrateDeps } from '../core/useCases/rehydrate';
import type { Services } from '../core/services';

export const reconcileQueueName = 'reconcile';

type RecoveryDeps = RehydrateDeps & Pick<Services, 'config' | 'drainQueue'>;

export async function recoverAll(s: RecoveryDeps, reconcileQueue: Queue): Promise<void> {
  for (const promotion of await listPromotions(s.db)) {
    await ensureRoomState(s, promotion.id);
    const scheduler = await s.drainQueue.getJobScheduler(drainSchedulerId(promotion.id));
    // BullMQ schedules the next tick when a worker takes the current one; a worker
    // killed in between leaves the chain without a next tick until the stalled
    // check. An overdue `next` means exactly that: start the chain again.
    const overdue = Date.now() - (scheduler?.next ?? 0) > 2 * promotion.intervalMs + 2000;
    if (!scheduler || overdue) await s.schedule(promotion.id, promotion.intervalMs);
  }
  const every = s.config.reconcileIntervalMs;
  if (every > 0 && !(await reconcileQueue.getJobScheduler('reconcile'))) {
    await reconcileQueue.upsertJobScheduler(
      'reconcile',
      { every },
      { name: 'reconcile', opts: { removeOnComplete: true, removeOnFail: 100 } },
    );
  }
}

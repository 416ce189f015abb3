// The worker's BullMQ processors: drain ticks, persistence, reconciliation.
// Job data is validated first: a poisoned job fails without doing anything.
import { UnrecoverableError, type Job } from 'bullmq';
import type { z } from 'zod';
import { checkConsistency, repairDrift } from '../core/useCases/consistency';
import { listPromotions } from '../core/db/promotionsRepo';
import { drainJobSchema } from '../core/jobs/drainJobs';
import { persistJobSchema } from '../core/jobs/persistJobs';
import { persistPending } from '../core/writeBehind/persistence';
import { withRebuild } from '../core/useCases/rehydrate';
import type { Services } from '../core/services';
import type { ConsistencyDeps } from '../core/useCases/consistency';
import type { RehydrateDeps } from '../core/useCases/rehydrate';
import type { Metrics } from '../core/metrics/metrics';
import { drainTick, type TickReport } from './drain';
import type { TickNotifier } from './notify';

function jobData<S extends z.ZodType>(schema: S, job: Job): z.output<S> {
  const parsed = schema.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`Bad job data: ${parsed.error.message}`);
  return parsed.data;
}

type DrainDeps = RehydrateDeps & Pick<Services, 'unschedule' | 'requestPersist' | 'logger'>;

export function drainProcessor(s: DrainDeps, metrics: Metrics, notifier: TickNotifier) {
  return async (job: Job) => {
    const { promotionId } = jobData(drainJobSchema, job);
    const started = process.hrtime.bigint();
    const report = await withRebuild(s, promotionId, async () => {
      // A sold-out sweep's FAILED go to pages chunk by chunk, as Redis decides them.
      const tick = await drainTick(s.room, promotionId, (batch) =>
        notifier.announce(promotionId, batch),
      );
      return tick.found ? tick : null;
    });
    if (!report) {
      // Neither Redis nor the database knows it any more (deleted): stop draining it.
      await s.unschedule(promotionId);
      return { stopped: true };
    }
    // Units given from the standby line are decisions like the batch's: counted, and persisted now.
    const decided = [...report.decided, ...report.fromStandby];
    // Holds given or ended wait for it too: their events leave through the outbox.
    const logged = decided.some((d) => d.outcome === 'COMPLETED' || d.outcome === 'HELD');
    if (report.pendingPersist > 0 || logged || report.expired.length > 0) {
      await s.requestPersist(promotionId);
    }
    metrics.recordTick({ ...report, decided }, Number(process.hrtime.bigint() - started) / 1e9);
    await logStockChanges(s, report);
    // The decisions are already safe in Redis; a page that misses an event catches up on reconnect.
    await notifier.afterTick(report).catch((err: unknown) => {
      s.logger.warn({ err, promotionId }, 'live events failed');
    });
    return { claimed: report.claimed, decided: report.decided.length };
  };
}

/** Structured lines for operators: the tick that took the last unit, units back from holds. */
async function logStockChanges(s: DrainDeps, report: TickReport): Promise<void> {
  const { promotionId } = report;
  if (report.expired.length > 0) {
    s.logger.info(
      { promotionId, units: report.expired.length },
      'unit returned to stock (hold expired)',
    );
  }
  if (!report.decided.some((d) => d.outcome === 'COMPLETED' || d.outcome === 'HELD')) return;
  const info = await s.room.info(promotionId);
  if (info?.currentStock === 0) {
    const { totalStock, issued, held } = info;
    s.logger.info({ promotionId, totalStock, issued, held }, 'stock reached zero');
  }
}

export function persistProcessor(s: Pick<Services, 'db' | 'log' | 'deadLetters'>) {
  return async (job: Job) => {
    const { promotionId } = jobData(persistJobSchema, job);
    const report = await persistPending(s.db, s.log, s.deadLetters, promotionId);
    await s.deadLetters.clearJobFailure(promotionId); // the database is back: the alert clears
    return report;
  };
}

/**
 * Checks every promotion; drift is recorded for alerts. With RECONCILE_REPAIR=auto
 * drift is repaired at once (resync: the database is the record), one log line and
 * one waiting_room_repairs_total per fact it changed; with `report` it is logged.
 */
export function reconcileProcessor(
  s: ConsistencyDeps & Pick<Services, 'logger'>,
  metrics: Pick<Metrics, 'repairs'>,
) {
  return async () => {
    let drifting = 0;
    let repaired = 0;
    for (const promotion of await listPromotions(s.db)) {
      let report = await checkConsistency(s, promotion.id);
      if (report.clean) continue;
      drifting++;
      if (s.config.reconcileRepair === 'auto') {
        const { after, repairs } = await repairDrift(s, promotion.id);
        for (const { fact, before, after: now } of repairs) {
          s.logger.warn({ promotionId: promotion.id, fact, before, after: now }, 'drift repaired');
          metrics.repairs.inc({ promotion: String(promotion.id), fact });
        }
        repaired += repairs.length;
        report = after;
        if (report.clean) continue;
      }
      s.logger.warn(
        { promotionId: promotion.id, drift: report.drift, differences: report.differences },
        'Redis and the database disagree',
      );
    }
    return { drifting, repaired };
  };
}

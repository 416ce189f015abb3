// Write-behind: copy decisions from the Redis log to the coupons table, then ack.
// Idempotent end to end: a crash between insert and ack re-inserts nothing.
import type { Db } from '../db/connection';
import { insertDecisions } from '../db/couponsRepo';
import type { DeadLetters } from './deadLetters';
import type { DecisionLog } from './decisionLog';

export interface PersistReport {
  persisted: number;
  alreadyThere: number;
  deadLettered: number;
}

/** Chunk size and bound per call: a call never runs unbounded while decisions keep coming. */
const chunk = 1000;
const maxChunksPerCall = 200;

/** Persists every pending decision of a promotion; throws (to be retried) if the database fails. */
export async function persistPending(
  db: Db,
  log: DecisionLog,
  deadLetters: DeadLetters,
  promotionId: number,
): Promise<PersistReport> {
  const report: PersistReport = { persisted: 0, alreadyThere: 0, deadLettered: 0 };
  for (let i = 0; i < maxChunksPerCall; i++) {
    const entries = await log.pending(promotionId, chunk);
    if (entries.length === 0) break;
    const outcome = await insertDecisions(db, promotionId, entries);
    for (const { decision, existingCode } of outcome.conflicts) {
      await deadLetters.addDecision(
        decision,
        `shopper ${decision.userId} already holds coupon ${existingCode} in the database`,
      );
    }
    await log.ack(
      promotionId,
      entries.map((e) => e.entryId),
    );
    report.persisted += outcome.inserted;
    report.alreadyThere += outcome.alreadyThere;
    report.deadLettered += outcome.conflicts.length;
    if (entries.length < chunk) break;
  }
  return report;
}

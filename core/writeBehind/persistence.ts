// Write-behind: copy decisions from the Redis log to the coupons table, and hold
// changes from the hold log to the event outbox, then ack. Idempotent end to end:
// a crash between insert and ack re-inserts nothing.
import type { Db } from '../db/connection';
import { insertDecisions } from '../db/couponsRepo';
import { appendEventsOnce } from '../db/eventsRepo';
import type { DeadLetters } from './deadLetters';
import type { DecisionLog } from './decisionLog';
import type { HoldLog } from './holdLog';

export interface PersistReport {
  persisted: number;
  alreadyThere: number;
  deadLettered: number;
  /** Hold changes written to the outbox as coupon.held/confirmed/expired/released. */
  holdEvents: number;
}

/** Chunk size and bound per call: a call never runs unbounded while decisions keep coming. */
const chunk = 1000;
const maxChunksPerCall = 200;

/** Writes every pending hold change as its event (a known id is skipped), then acks. */
async function persistHolds(db: Db, holds: HoldLog, promotionId: number): Promise<number> {
  let written = 0;
  for (let i = 0; i < maxChunksPerCall; i++) {
    const entries = await holds.pending(promotionId, chunk);
    if (entries.length === 0) break;
    await db.transaction((trx) =>
      appendEventsOnce(
        trx,
        entries.map((e) => e.event),
      ),
    );
    await holds.ack(
      promotionId,
      entries.map((e) => e.entryId),
    );
    written += entries.length;
    if (entries.length < chunk) break;
  }
  return written;
}

/** Persists every pending decision of a promotion; throws (to be retried) if the database fails. */
export async function persistPending(
  db: Db,
  log: DecisionLog,
  deadLetters: DeadLetters,
  promotionId: number,
): Promise<PersistReport> {
  const report: PersistReport = { persisted: 0, alreadyThere: 0, deadLettered: 0, holdEvents: 0 };
  for (let i = 0; i < maxChunksPerCall; i++) {
    const entries = await log.pending(promotionId, chunk);
    // Hold changes first, read after the decisions: a confirmed hold's entry was
    // logged in the same step as its coupon, so coupon.confirmed always precedes
    // that coupon's coupon.issued in the outbox (per-coupon order).
    report.holdEvents += await persistHolds(db, log.holds, promotionId);
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

// Redis against the database: a report of every difference, and a repair with the
// database as the record of issued coupons. Seeds 000-002's drift, made visible.
import { withCouponWritesHeld } from '../db/couponCounters';
import {
  couponCounts,
  couponsOf,
  recordedCodes,
  type Coupon,
  type CouponCounts,
  type CouponState,
} from '../db/couponsRepo';
import { getPromotion, type Promotion } from '../db/promotionsRepo';
import type { LoggedDecision } from '../writeBehind/decisionLog';
import { promotionNotFound } from '../platform/errors';
import { driftKey } from '../room/keys';
import { persistPending } from '../writeBehind/persistence';
import { ensureRoomState } from './rehydrate';
import type { Services } from '../services';
import type { StockWatch } from './deps';
import type { PromotionInfo } from '../room/waitingRoom';

/** What reconciliation reads and repairs: both sides, the write-behind, the drift gauge. */
export type ConsistencyDeps = Pick<
  Services,
  'config' | 'connections' | 'db' | 'room' | 'log' | 'deadLetters' | 'schedule'
>;

export interface ConsistencyReport {
  promotionId: number;
  clean: boolean;
  /** One number for alerts: how many facts disagree (0 when clean). */
  drift: number;
  differences: string[];
  redis: {
    present: boolean;
    totalStock: number | null;
    state: string | null;
    issued: number | null;
    /** Units held for shoppers (hold mode): Redis only, the database knows confirmed coupons. */
    held: number | null;
    /** Entries in the holds index the expiry works from; equals held. */
    holdsIndexed: number;
    pendingPersist: number;
  };
  database: { totalStock: number; state: string } & CouponCounts;
  shoppers: {
    /** Shoppers with a coupon in the database but not COMPLETED with it in Redis. */
    missingInRedis: string[];
    /** Shoppers COMPLETED in Redis with no coupon in the database nor on its way there. */
    missingInDatabase: string[];
  };
}

interface Snapshot {
  promotion: Promotion;
  info: PromotionInfo | null;
  pending: LoggedDecision[];
  completed: Map<string, { ticket: number; code: string; state: CouponState }>;
  coupons: Coupon[];
  counts: CouponCounts;
  holds: { held: number; indexed: number };
}

async function snapshot(s: ConsistencyDeps, id: number): Promise<Snapshot> {
  const promotion = await getPromotion(s.db, id);
  if (!promotion || promotion.state === 'DELETED') {
    throw promotionNotFound(id);
  }
  // Redis first, then the database: a decision persisted in between shows up in
  // the database and in neither Redis read, never twice.
  const info = await s.room.info(id);
  const holds = await s.room.holdCounts(id);
  const pending = await s.log.pending(id, promotion.totalStock + 1);
  const completed: Snapshot['completed'] = new Map();
  await s.room.scanShoppers(id, (userId, record) => {
    if (record.status === 'COMPLETED') {
      const { ticket, couponCode: code, couponState: state } = record;
      completed.set(userId, { ticket, code, state });
    }
  });
  const [coupons, counts] = await Promise.all([couponsOf(s.db, id), couponCounts(s.db, id)]);
  return { promotion, info, pending, completed, coupons, counts, holds };
}

function compare(snap: Snapshot): ConsistencyReport {
  const { promotion, info, pending, completed, coupons, counts, holds } = snap;
  const recorded = new Set(coupons.map((c) => c.code));
  const inFlight = pending.filter((d) => !recorded.has(d.code));
  const inFlightCodes = new Set(inFlight.map((d) => d.code));
  const differences: string[] = [];
  let drift = 0;
  const differ = (amount: number, text: string) => {
    if (amount === 0) return;
    drift += amount;
    differences.push(text);
  };

  // A record with the code but another state (a use whose Redis write failed) counts too.
  const missingInRedis = coupons
    .filter((c) => {
      const held = completed.get(c.userId);
      return held?.code !== c.code || held.state !== c.state;
    })
    .map((c) => c.userId);
  const missingInDatabase = [...completed.entries()]
    .filter(([, c]) => !recorded.has(c.code) && !inFlightCodes.has(c.code))
    .map(([userId]) => userId);
  const expectedIssued = counts.holding + inFlight.length;

  if (!info) {
    differ(
      1,
      'Redis has no state for this promotion (it is rebuilt from the database on next use).',
    );
  } else {
    differ(
      Math.abs(info.totalStock - promotion.totalStock),
      `Total stock: Redis ${info.totalStock}, database ${promotion.totalStock}.`,
    );
    differ(
      info.state === promotion.state ? 0 : 1,
      `State: Redis ${info.state}, database ${promotion.state}.`,
    );
    differ(
      Math.abs(info.issued - expectedIssued),
      `Issued: Redis ${info.issued}, database ${counts.holding} holding a unit + ${inFlight.length} on the way.`,
    );
    differ(
      Math.abs(holds.held - holds.indexed),
      `Held: counter ${holds.held}, holds index ${holds.indexed} (expiry would miss the difference).`,
    );
    differ(
      missingInRedis.length,
      `${missingInRedis.length} shopper(s) hold a coupon in the database that Redis lacks or shows in another state.`,
    );
  }
  differ(
    missingInDatabase.length,
    `${missingInDatabase.length} shopper(s) are COMPLETED in Redis with no coupon in the database.`,
  );

  return {
    promotionId: promotion.id,
    clean: drift === 0,
    drift,
    differences,
    redis: {
      present: info !== null,
      totalStock: info?.totalStock ?? null,
      state: info?.state ?? null,
      issued: info?.issued ?? null,
      held: info?.held ?? null,
      holdsIndexed: holds.indexed,
      pendingPersist: pending.length,
    },
    database: { totalStock: promotion.totalStock, state: promotion.state, ...counts },
    shoppers: { missingInRedis, missingInDatabase },
  };
}

export async function checkConsistency(s: ConsistencyDeps, id: number): Promise<ConsistencyReport> {
  const report = compare(await snapshot(s, id));
  await s.connections.redis.hset(driftKey(s.config.keyPrefix), id, report.drift);
  return report;
}

/**
 * Sets total, state and issued from the record in one Lua step, with the
 * promotion's coupon writes held: a decision persisted in between would else be
 * counted by neither side (issued too low: a unit sold twice). Decisions the
 * database holds but the log still lists (persisted, not yet acked) are acked
 * first, so none is counted twice either. A running drain is safe: the Lua step
 * counts the log atomically with its own issues.
 */
async function resyncIssued(s: ConsistencyDeps, id: number) {
  return withCouponWritesHeld(s.db, id, async (trx) => {
    const promotion = await getPromotion(trx, id);
    if (!promotion || promotion.state === 'DELETED') return null;
    const pending = await s.log.pending(id, promotion.totalStock + 1);
    const recorded = await recordedCodes(
      trx,
      pending.map((d) => d.code),
    );
    await s.log.ack(
      id,
      pending.filter((d) => recorded.has(d.code)).map((d) => d.entryId),
    );
    const { holding } = await couponCounts(trx, id);
    return s.room.resyncCounts(id, promotion.totalStock, promotion.state, holding);
  });
}

/**
 * Repairs Redis with the database as the record: pending decisions are written,
 * orphaned decisions are logged again so they get written too, shoppers with a
 * coupon are marked COMPLETED, returned codes noted, and total, state and issued
 * set from the record. Returns the reports before and after.
 */
export async function resync(
  s: ConsistencyDeps & StockWatch,
  id: number,
): Promise<{
  before: ConsistencyReport;
  after: ConsistencyReport;
  issued: { issuedBefore: number; issuedAfter: number } | null;
}> {
  const before = await checkConsistency(s, id);
  if (!before.redis.present) await ensureRoomState(s, id);
  await persistPending(s.db, s.log, s.deadLetters, id);

  const snap = await snapshot(s, id);
  // A decision the scan saw is, from then on, in the log or (persisted, acked)
  // in the database: read the log, then the database, after the scan. Reading
  // them earlier would take a live drain's fresh decision for an orphan and log
  // it twice.
  const completed = [...snap.completed.entries()];
  const inLog = new Set(
    (await s.log.pending(id, snap.promotion.totalStock + 1)).map((d) => d.code),
  );
  const candidates = completed.filter(([, c]) => !inLog.has(c.code));
  const inDb = await recordedCodes(
    s.db,
    candidates.map(([, c]) => c.code),
  );
  const orphans = candidates
    .filter(([, c]) => !inDb.has(c.code))
    .map(([userId, c]) => ({ promotionId: id, userId, ...c, issuedAt: new Date() }));
  await s.log.append(id, orphans);
  await persistPending(s.db, s.log, s.deadLetters, id);

  const coupons = await couponsOf(s.db, id);
  // Returned codes are noted before issued is set: a late returnUnit then changes nothing.
  await s.room.restoreShoppers(
    id,
    coupons,
    coupons.filter((c) => c.state === 'CANCELLED' || c.state === 'REVOKED').map((c) => c.code),
    { overwrite: true },
  );
  const issued = await resyncIssued(s, id);
  s.joins?.forget(id); // the repair may have put stock back
  return { before, after: await checkConsistency(s, id), issued };
}

/** One fact a repair changed, for the log line and waiting_room_repairs_total. */
export interface Repair {
  fact: 'rebuilt' | 'totalStock' | 'state' | 'issued' | 'held' | 'shoppers' | 'orphans';
  before: number | string | null;
  after: number | string | null;
}

/** The scheduled reconcile's repair (RECONCILE_REPAIR=auto): resync, then what changed. */
export async function repairDrift(
  s: ConsistencyDeps & StockWatch,
  id: number,
): Promise<{ after: ConsistencyReport; repairs: Repair[] }> {
  const { before, after, issued } = await resync(s, id);
  const repairs: Repair[] = [];
  const changed = (fact: Repair['fact'], was: Repair['before'], now: Repair['after']) => {
    if (was !== now) repairs.push({ fact, before: was, after: now });
  };
  changed('rebuilt', before.redis.present ? 1 : 0, after.redis.present ? 1 : 0);
  if (before.redis.present) {
    changed('totalStock', before.redis.totalStock, after.redis.totalStock);
    changed('state', before.redis.state, after.redis.state);
    changed('held', before.redis.held, after.redis.held);
  }
  if (issued) changed('issued', issued.issuedBefore, issued.issuedAfter);
  const missing = (r: ConsistencyReport) => r.shoppers.missingInRedis.length;
  if (missing(after) < missing(before)) changed('shoppers', missing(before), missing(after));
  const orphaned = (r: ConsistencyReport) => r.shoppers.missingInDatabase.length;
  if (orphaned(after) < orphaned(before)) changed('orphans', orphaned(before), orphaned(after));
  return { after, repairs };
}

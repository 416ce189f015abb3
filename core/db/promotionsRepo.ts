// Rows of the promotions table: the record of every promotion and its settings.
import {
  defaultChallengeCost,
  type ChallengeKind,
  type Promotion,
  type PromotionFields,
  type PromotionMode,
  type QueueingOrder,
  type RecordState,
} from '../model/promotion';
import type { Db } from './connection';
import { toDate } from './dates';
import { appendEvents, promotionEvent, type PromotionEventType } from './eventsRepo';

export type { Promotion, PromotionFields };

interface Row {
  id: number | string;
  name: string;
  total_stock: number | string;
  state: RecordState;
  batch_size: number | string;
  interval_ms: number | string;
  starts_at: Date | string | number | null;
  ends_at: Date | string | number | null;
  mode: PromotionMode;
  hold_seconds: number | string;
  prequeue_at: Date | string | number | null;
  queueing: QueueingOrder;
  /** MySQL and SQLite both answer booleans as 0/1. */
  standby: boolean | number;
  challenge: ChallengeKind;
  challenge_cost: number | string;
  description: string | null;
  redeem_url: string | null;
  redeem_note: string | null;
  notice: string | null;
  version: number | string;
  created_at: Date | string | number;
  updated_at: Date | string | number;
}

function fromRow(row: Row): Promotion {
  return {
    id: Number(row.id),
    name: row.name,
    totalStock: Number(row.total_stock),
    state: row.state,
    batchSize: Number(row.batch_size),
    intervalMs: Number(row.interval_ms),
    startsAt: row.starts_at === null ? null : toDate(row.starts_at),
    endsAt: row.ends_at === null ? null : toDate(row.ends_at),
    mode: row.mode,
    holdSeconds: Number(row.hold_seconds),
    prequeueAt: row.prequeue_at === null ? null : toDate(row.prequeue_at),
    queueing: row.queueing,
    standby: Boolean(row.standby),
    challenge: row.challenge,
    challengeCost: Number(row.challenge_cost),
    description: row.description ?? null,
    redeemUrl: row.redeem_url ?? null,
    redeemNote: row.redeem_note ?? null,
    notice: row.notice ?? null,
    version: Number(row.version),
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  };
}

function toRow(fields: Partial<PromotionFields>) {
  return {
    name: fields.name,
    total_stock: fields.totalStock,
    batch_size: fields.batchSize,
    interval_ms: fields.intervalMs,
    starts_at: fields.startsAt,
    ends_at: fields.endsAt,
    mode: fields.mode,
    hold_seconds: fields.holdSeconds,
    prequeue_at: fields.prequeueAt,
    queueing: fields.queueing,
    standby: fields.standby,
    challenge: fields.challenge,
    challenge_cost: fields.challengeCost,
    description: fields.description,
    redeem_url: fields.redeemUrl,
    redeem_note: fields.redeemNote,
    notice: fields.notice,
  };
}

/** Inserts an OPEN promotion and its promotion.opened event in one transaction. */
export async function insertPromotion(
  db: Db,
  fields: PromotionFields,
  id?: number,
): Promise<Promotion> {
  const now = new Date();
  return db.transaction(async (trx) => {
    const [insertedId] = await trx('promotions').insert({
      ...(id === undefined ? {} : { id }),
      ...toRow(fields),
      // Spelled out: SQLite writes a missing column as NULL, not as its default.
      mode: fields.mode ?? 'instant',
      hold_seconds: fields.holdSeconds ?? 0,
      prequeue_at: fields.prequeueAt ?? null,
      queueing: fields.queueing ?? 'fifo',
      standby: fields.standby ?? true,
      challenge: fields.challenge ?? 'none',
      challenge_cost: fields.challengeCost ?? defaultChallengeCost,
      description: fields.description ?? null,
      redeem_url: fields.redeemUrl ?? null,
      redeem_note: fields.redeemNote ?? null,
      notice: fields.notice ?? null,
      state: 'OPEN',
      version: 1,
      created_at: now,
      updated_at: now,
    });
    const created = await getPromotion(trx, id ?? Number(insertedId));
    if (!created) throw new Error('Inserted promotion not found');
    await appendEvents(trx, [
      promotionEvent('promotion.opened', created, created.version, now, {
        name: created.name,
        totalStock: created.totalStock,
        mode: created.mode,
      }),
    ]);
    return created;
  });
}

export async function getPromotion(db: Db, id: number): Promise<Promotion | null> {
  const row = await db<Row>('promotions').where({ id }).first();
  return row ? fromRow(row) : null;
}

export async function listPromotions(db: Db): Promise<Promotion[]> {
  const rows = await db<Row>('promotions').whereNot({ state: 'DELETED' }).orderBy('id');
  return rows.map(fromRow);
}

/**
 * Applies a change only if the row still has `version` (optimistic update), with
 * the `emit` event (if any) in the same transaction. Returns the updated
 * promotion, or null when someone else changed it first.
 */
export async function updatePromotion(
  db: Db,
  id: number,
  version: number,
  change: Partial<PromotionFields> & { state?: RecordState },
  emit?: PromotionEventType,
): Promise<Promotion | null> {
  return db.transaction(async (trx) => {
    const updated = await trx('promotions')
      .where({ id, version })
      .update({
        ...toRow(change),
        state: change.state,
        version: version + 1,
        updated_at: new Date(),
      });
    const promotion = updated === 1 ? await getPromotion(trx, id) : null;
    if (promotion && emit) {
      await appendEvents(trx, [
        promotionEvent(emit, promotion, promotion.version, promotion.updatedAt, {
          state: promotion.state,
        }),
      ]);
    }
    return promotion;
  });
}

export async function deletePromotionRow(db: Db, id: number): Promise<void> {
  await db('promotions').where({ id }).delete();
}

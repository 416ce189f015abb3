// Rows of the promotions table: the record of every promotion and its settings.
import {
  defaultChallengeCost,
  type ChallengeKind,
  type Promotion,
  type PromotionFields,
  type PromotionMode,
  type RecordState,
} from '../model/promotion';
import type { Db } from './connection';

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
  challenge: ChallengeKind;
  challenge_cost: number | string;
  version: number | string;
  created_at: Date | string | number;
  updated_at: Date | string | number;
}

/** MySQL gives Dates, SQLite gives epoch numbers: one reading for both. */
export function toDate(value: Date | string | number): Date {
  return value instanceof Date ? value : new Date(value);
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
    challenge: row.challenge,
    challengeCost: Number(row.challenge_cost),
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
    challenge: fields.challenge,
    challenge_cost: fields.challengeCost,
  };
}

export async function insertPromotion(
  db: Db,
  fields: PromotionFields,
  id?: number,
): Promise<Promotion> {
  const now = new Date();
  const [insertedId] = await db('promotions').insert({
    ...(id === undefined ? {} : { id }),
    ...toRow(fields),
    // Spelled out: SQLite writes a missing column as NULL, not as its default.
    mode: fields.mode ?? 'instant',
    hold_seconds: fields.holdSeconds ?? 0,
    challenge: fields.challenge ?? 'none',
    challenge_cost: fields.challengeCost ?? defaultChallengeCost,
    state: 'OPEN',
    version: 1,
    created_at: now,
    updated_at: now,
  });
  const created = await getPromotion(db, id ?? Number(insertedId));
  if (!created) throw new Error('Inserted promotion not found');
  return created;
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
 * Applies a change only if the row still has `version` (optimistic update).
 * Returns the updated promotion, or null when someone else changed it first.
 */
export async function updatePromotion(
  db: Db,
  id: number,
  version: number,
  change: Partial<PromotionFields> & { state?: RecordState },
): Promise<Promotion | null> {
  const updated = await db('promotions')
    .where({ id, version })
    .update({
      ...toRow(change),
      state: change.state,
      version: version + 1,
      updated_at: new Date(),
    });
  return updated === 1 ? getPromotion(db, id) : null;
}

export async function deletePromotionRow(db: Db, id: number): Promise<void> {
  await db('promotions').where({ id }).delete();
}

// The transactional outbox: a domain event is a row written in the same database
// transaction as the change it describes, so it exists exactly when the change
// committed (never for a rollback) and survives any crash. The relay moves rows
// out in `seq` order and marks them relayed.
import type { Knex } from 'knex';
import type { Db } from './connection';
import { toDate } from './dates';

/** Hold mode's changes, logged by the room's Lua in the same step (core/writeBehind/holdLog.ts). */
export const holdEventTypes = [
  'coupon.held',
  'coupon.confirmed',
  'coupon.expired',
  'coupon.released',
] as const;

export const couponEventTypes = [
  'coupon.issued',
  ...holdEventTypes,
  'coupon.used',
  'coupon.cancelled',
  'coupon.revoked',
] as const;

export const promotionEventTypes = [
  'promotion.opened',
  'promotion.sold_out',
  'promotion.paused',
  'promotion.resumed',
  'promotion.closed',
  'promotion.deleted',
] as const;

/** Every type a consumer can hear. */
export const eventTypes = [...couponEventTypes, ...promotionEventTypes] as const;
export type EventType = (typeof eventTypes)[number];
export type HoldEventType = (typeof holdEventTypes)[number];
export type PromotionEventType = (typeof promotionEventTypes)[number];

/** What other services receive, on the stream and in each webhook delivery. */
export interface DomainEvent {
  /** Stable across re-deliveries: consumers dedupe on it. */
  id: string;
  type: EventType;
  occurredAt: string;
  promotionId: number;
  data: Record<string, unknown>;
}

/** An outbox row read for relaying. */
export interface OutboxRow {
  seq: number;
  event: DomainEvent;
}

interface Row {
  seq: number | string;
  event_id: string;
  type: EventType;
  promotion_id: number | string;
  occurred_at: Date | string | number;
  data: string;
}

function toEvent(row: Row): DomainEvent {
  return {
    id: row.event_id,
    type: row.type,
    occurredAt: toDate(row.occurred_at).toISOString(),
    promotionId: Number(row.promotion_id),
    data: JSON.parse(row.data) as Record<string, unknown>,
  };
}

/** A coupon's event: one per coupon and type (a coupon leaves ISSUED at most once). */
export function couponEvent(
  type: (typeof couponEventTypes)[number],
  coupon: { promotionId: number; code: string; userId: string; ticket: number },
  at: Date,
): DomainEvent {
  const { promotionId, code, userId, ticket } = coupon;
  return {
    id: `${type}:${code}`,
    type,
    occurredAt: at.toISOString(),
    promotionId,
    data: { code, userId, ticket },
  };
}

/**
 * A promotion's event. `mark` makes the id unique for this change (the row's
 * version, or the issued count for a sell-out); `createdAt` tells apart two
 * promotions that reused one id after a delete.
 */
export function promotionEvent(
  type: PromotionEventType,
  promotion: { id: number; createdAt: Date },
  mark: number,
  at: Date,
  data: Record<string, unknown> = {},
): DomainEvent {
  return {
    id: `${type}:${promotion.id}:${promotion.createdAt.getTime()}:${mark}`,
    type,
    occurredAt: at.toISOString(),
    promotionId: promotion.id,
    data,
  };
}

/** Writes events inside the caller's transaction. */
export async function appendEvents(trx: Knex.Transaction, events: DomainEvent[]): Promise<void> {
  if (events.length === 0) return;
  await trx.batchInsert('events', events.map(toRow), 500);
}

function toRow(e: DomainEvent) {
  return {
    event_id: e.id,
    type: e.type,
    promotion_id: e.promotionId,
    occurred_at: new Date(e.occurredAt),
    data: JSON.stringify(e.data),
  };
}

/**
 * Writes events that may have been written before (a hold change persisted again
 * after a crash between the insert and the log's ack): a known id is skipped.
 */
export async function appendEventsOnce(
  trx: Knex.Transaction,
  events: DomainEvent[],
): Promise<void> {
  for (let i = 0; i < events.length; i += 500) {
    await trx('events')
      .insert(events.slice(i, i + 500).map(toRow))
      .onConflict('event_id')
      .ignore();
  }
}

/** The oldest committed events not yet relayed, in the order they were written. */
export async function unrelayedEvents(db: Db, limit: number): Promise<OutboxRow[]> {
  const rows = await db<Row>('events').whereNull('relayed_at').orderBy('seq').limit(limit);
  return rows.map((row) => ({ seq: Number(row.seq), event: toEvent(row) }));
}

export async function markRelayed(db: Db, seqs: number[]): Promise<void> {
  if (seqs.length > 0) await db('events').whereIn('seq', seqs).update({ relayed_at: new Date() });
}

/** Every event of a promotion, oldest first (tests, audits). */
export async function eventsOf(db: Db, promotionId: number): Promise<DomainEvent[]> {
  const rows = await db<Row>('events').where({ promotion_id: promotionId }).orderBy('seq');
  return rows.map(toEvent);
}

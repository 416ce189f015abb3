// Marketer use cases on promotions. The database keeps the record; Redis keeps
// what the Lua decisions read. Redis is changed first where it must check a live
// count (stock against issued), and put back if the database then refuses.
import { AppError, ErrorCode, promotionNotFound } from '../platform/errors';
import {
  deletePromotionRow,
  getPromotion,
  insertPromotion,
  listPromotions,
  updatePromotion,
} from '../db/promotionsRepo';
import {
  prequeueOpened,
  roomSettings,
  transitions,
  type Promotion,
  type PromotionFields,
  type RecordState,
  type StateAction,
} from '../model/promotion';
import { deleteCouponsOf } from '../db/couponsRepo';
import type { PromotionEventType } from '../db/eventsRepo';
import { persistPending } from '../writeBehind/persistence';
import { ensureRoomState } from './rehydrate';
import type { Services } from '../services';
import type { PromotionInfo } from '../room/waitingRoom';
import type { StockWatch } from './deps';
import type { LivePublisher } from '../live/publisher';

/** What the promotion use cases touch: the record, the room, the write-behind, the drain schedule. */
export type PromotionDeps = Pick<
  Services,
  'config' | 'db' | 'room' | 'log' | 'deadLetters' | 'schedule' | 'unschedule'
>;

/**
 * Changes that can put stock back or reopen joins also tell the sold-out fast
 * path; a changed notice is pushed to the promotion's open pages (a server has
 * a publisher; a script has none and the pages read it on their next load).
 */
export type ChangeDeps = PromotionDeps &
  StockWatch & { publisher?: Pick<LivePublisher, 'notice' | 'flush'> };

export interface PromotionView extends Promotion {
  /** Live figures from Redis; null if Redis has no state for it (rebuilt on next use). */
  live: PromotionInfo | null;
}

async function existing(s: PromotionDeps, id: number): Promise<Promotion> {
  const promotion = await getPromotion(s.db, id);
  if (!promotion || promotion.state === 'DELETED') throw promotionNotFound(id);
  return promotion;
}

export async function viewPromotion(s: PromotionDeps, id: number): Promise<PromotionView> {
  const promotion = await existing(s, id);
  return { ...promotion, live: await s.room.info(id) };
}

export async function viewPromotions(s: PromotionDeps): Promise<PromotionView[]> {
  const promotions = await listPromotions(s.db);
  return Promise.all(promotions.map(async (p) => ({ ...p, live: await s.room.info(p.id) })));
}

/** A hold needs a duration; refused before anything is written. */
function checkHold(fields: { mode?: string; holdSeconds?: number }): void {
  if (fields.mode === 'hold' && !(fields.holdSeconds && fields.holdSeconds > 0)) {
    throw new AppError(
      ErrorCode.BadRequest,
      'holdSeconds: give how long an admitted shopper has to confirm (hold mode).',
    );
  }
}

/** A pre-queue opens before the sale starts; refused before anything is written. */
function checkPrequeue(fields: Pick<PromotionFields, 'prequeueAt' | 'startsAt'>): void {
  if (fields.prequeueAt && !(fields.startsAt && fields.prequeueAt < fields.startsAt)) {
    throw new AppError(
      ErrorCode.BadRequest,
      'prequeueAt: must be before startsAt (give a startsAt for the pre-queue to open before).',
    );
  }
}

/** The pre-queue's order rules are fixed once it opened: shoppers joined under them. */
function checkOrderUnchanged(current: Promotion, change: Partial<PromotionFields>): void {
  const changes = (['queueing', 'prequeueAt'] as const).filter(
    (field) =>
      field in change &&
      String(change[field]?.valueOf() ?? null) !== String(current[field]?.valueOf() ?? null),
  );
  if (changes.length > 0 && prequeueOpened(current, Date.now())) {
    throw new AppError(
      ErrorCode.PrequeueOpen,
      `${changes.join(' and ')} cannot change: promotion ${current.id}'s pre-queue is already open and shoppers joined under its order.`,
      { prequeueAt: current.prequeueAt?.toISOString() ?? null, queueing: current.queueing },
    );
  }
}

/** What a marketer must give; the drain's pace, the dates and the order have defaults. */
export type NewPromotion = Pick<
  PromotionFields,
  'name' | 'totalStock' | 'mode' | 'holdSeconds' | 'challenge' | 'challengeCost'
> &
  Partial<
    Pick<
      PromotionFields,
      | 'batchSize'
      | 'intervalMs'
      | 'startsAt'
      | 'endsAt'
      | 'prequeueAt'
      | 'queueing'
      | 'standby'
      | 'description'
      | 'redeemUrl'
      | 'redeemNote'
      | 'notice'
    >
  >;

export async function createPromotion(
  s: ChangeDeps,
  given: NewPromotion,
  id?: number,
): Promise<PromotionView> {
  const fields: PromotionFields = {
    ...given,
    batchSize: given.batchSize ?? s.config.drainBatchSize,
    intervalMs: given.intervalMs ?? s.config.drainIntervalMs,
    startsAt: given.startsAt ?? null,
    endsAt: given.endsAt ?? null,
  };
  checkHold(fields);
  checkPrequeue(fields);
  if (id !== undefined && (await getPromotion(s.db, id))) {
    throw new AppError(ErrorCode.VersionConflict, `Promotion ${id} already exists.`);
  }
  const promotion = await insertPromotion(s.db, fields, id);
  await s.room.save(promotion.id, roomSettings(promotion));
  await s.schedule(promotion.id, promotion.intervalMs);
  s.joins?.forget(promotion.id); // an id reused after a delete starts with no sell-out
  s.unknown?.forget(promotion.id);
  s.challenges?.forget(promotion.id);
  s.faces?.forget(promotion.id);
  return viewPromotion(s, promotion.id);
}

/**
 * Applies a change to the record and to Redis together. Redis checks stock
 * against what is issued right now; if the database then refuses (someone else
 * changed the row) or fails, Redis is put back as it was.
 */
async function applyChange(
  s: ChangeDeps,
  current: Promotion,
  change: Partial<PromotionFields> & { state?: RecordState },
  emit?: PromotionEventType,
): Promise<PromotionView> {
  const next: Promotion = { ...current, ...change };
  checkHold(next);
  checkPrequeue(next);
  checkOrderUnchanged(current, change);
  await ensureRoomState(s, current.id);
  await s.room.save(current.id, roomSettings(next));
  let updated: Promotion | null;
  try {
    updated = await updatePromotion(s.db, current.id, current.version, change, emit);
  } catch (err) {
    await s.room.save(current.id, roomSettings(current));
    throw err;
  }
  if (!updated) {
    await s.room.save(current.id, roomSettings(current));
    throw new AppError(
      ErrorCode.VersionConflict,
      `Promotion ${current.id} was changed by someone else; reload it and try again.`,
    );
  }
  if (updated.intervalMs !== current.intervalMs) await s.schedule(updated.id, updated.intervalMs);
  if (s.publisher && updated.notice !== current.notice) {
    s.publisher.notice({ promotionId: updated.id, notice: updated.notice, at: Date.now() });
    await s.publisher.flush();
  }
  s.joins?.forget(updated.id); // stock or state may reopen joins
  s.challenges?.forget(updated.id);
  s.faces?.forget(updated.id);
  return viewPromotion(s, updated.id);
}

export async function updatePromotionSettings(
  s: ChangeDeps,
  id: number,
  version: number,
  change: Partial<PromotionFields>,
): Promise<PromotionView> {
  const current = await existing(s, id);
  if (current.version !== version) {
    throw new AppError(
      ErrorCode.VersionConflict,
      `Promotion ${id} is at version ${current.version}, not ${version}; reload it and try again.`,
      { version: current.version },
    );
  }
  return applyChange(s, current, change);
}

/** The seed's init-stock: creates the promotion if new, else sets its total stock. */
export async function initStock(
  s: ChangeDeps,
  id: number,
  totalStock: number,
): Promise<{ created: boolean; promotion: PromotionView }> {
  const current = await getPromotion(s.db, id);
  if (!current || current.state === 'DELETED') {
    if (current) await deletePromotionRow(s.db, id); // a deleted id is reused from scratch
    const fields = { name: `Promotion ${id}`, totalStock };
    return { created: true, promotion: await createPromotion(s, fields, id) };
  }
  return { created: false, promotion: await applyChange(s, current, { totalStock }) };
}

/** The event each marketer state change writes, with the change, to the outbox. */
const stateEvents = {
  pause: 'promotion.paused',
  resume: 'promotion.resumed',
  close: 'promotion.closed',
} as const satisfies Record<StateAction, PromotionEventType>;

export async function changeState(
  s: ChangeDeps,
  id: number,
  action: StateAction,
): Promise<PromotionView> {
  const current = await existing(s, id);
  const { from, to } = transitions[action];
  if (!from.includes(current.state)) {
    throw new AppError(
      ErrorCode.VersionConflict,
      `Cannot ${action} promotion ${id}: it is ${current.state}.`,
      { state: current.state },
    );
  }
  return applyChange(s, current, { state: to }, stateEvents[action]);
}

/**
 * Deletes a promotion: it is marked DELETED first (so nothing rebuilds it), joins
 * stop, decisions still in flight are persisted, the drain stops, every Redis key
 * goes. Coupons are kept (the row stays, marked DELETED) or removed with the row,
 * by the caller's explicit choice. Safe to repeat if a step failed.
 */
export async function deletePromotion(
  s: PromotionDeps & Pick<StockWatch, 'faces'>,
  id: number,
  coupons: 'keep' | 'delete',
): Promise<{ couponsDeleted: number }> {
  const current = await getPromotion(s.db, id);
  if (!current) throw promotionNotFound(id);
  if (current.state !== 'DELETED') {
    const marked = await updatePromotion(
      s.db,
      id,
      current.version,
      { state: 'DELETED' },
      'promotion.deleted',
    );
    if (!marked) throw new AppError(ErrorCode.VersionConflict, `Promotion ${id} changed; retry.`);
    if (await s.room.info(id)) {
      await s.room.save(id, { ...roomSettings(current), state: 'CLOSED' });
    }
  }
  s.faces?.forget(id);
  await persistPending(s.db, s.log, s.deadLetters, id);
  await s.unschedule(id);
  await s.room.deleteState(id);
  if (coupons === 'keep') return { couponsDeleted: 0 };
  const couponsDeleted = await deleteCouponsOf(s.db, id);
  await deletePromotionRow(s.db, id);
  return { couponsDeleted };
}

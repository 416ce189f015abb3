// A promotion as the domain knows it: its states, its modes, its settings and
// the marketer's state changes. Pure: no I/O and no zod, so the pages can import it.

/** States Redis holds and the drain reads. */
export const promotionStates = ['OPEN', 'PAUSED', 'CLOSED'] as const;
export type PromotionState = (typeof promotionStates)[number];

/** The record's states: the room's, and DELETED, which Redis never holds. */
export const recordStates = [...promotionStates, 'DELETED'] as const;
export type RecordState = (typeof recordStates)[number];

/** instant: admission issues the coupon; hold: admission holds a unit until confirmed or expired. */
export const promotionModes = ['instant', 'hold'] as const;
export type PromotionMode = (typeof promotionModes)[number];

/** fifo: the pre-queue keeps arrival order; random: a fair draw fixes it at startsAt. */
export const queueingOrders = ['fifo', 'random'] as const;
export type QueueingOrder = (typeof queueingOrders)[number];
/** none: anyone may join; pow: a join carries a solved proof-of-work (ALTCHA) challenge. */
export const challengeKinds = ['none', 'pow'] as const;
export type ChallengeKind = (typeof challengeKinds)[number];

/**
 * A pow challenge's cost: the largest secret number (ALTCHA's maxnumber), so a
 * solver tries half of it on average, one SHA-256 each: 250,000 is about a
 * second of a phone's browser and well under one of a bot's native hashing.
 */
export const defaultChallengeCost = 250_000;
export const challengeCostRange = { min: 1_000, max: 10_000_000 } as const;

/** What a marketer sets. */
export interface PromotionFields {
  name: string;
  totalStock: number;
  batchSize: number;
  intervalMs: number;
  startsAt: Date | null;
  endsAt: Date | null;
  /** instant when left out (the column's default). */
  mode?: PromotionMode;
  /** How long a HELD shopper has to confirm (hold mode only); 0 when left out. */
  holdSeconds?: number;
  /** From then until startsAt joins enter the pre-queue; null: joins wait for startsAt. */
  prequeueAt?: Date | null;
  /** The pre-queue's order at startsAt; fifo when left out. */
  queueing?: QueueingOrder;
  /** Shoppers failed SOLD_OUT get returned units first; true when left out. */
  standby?: boolean;
  /** none when left out. */
  challenge?: ChallengeKind;
  /** defaultChallengeCost when left out. */
  challengeCost?: number;
  /** What the shopper page says about the sale; null: nothing. */
  description?: string | null;
  /** Where a winner uses the coupon (http or https); the page links to it after a win. */
  redeemUrl?: string | null;
  /** How to use a won coupon, in plain text; the page shows it after a win. */
  redeemNote?: string | null;
  /** A live notice every open shopper page shows (pushed when it changes). */
  notice?: string | null;
}

/** The fields only the shopper page shows: Redis never holds them. */
export const pageFields = ['description', 'redeemUrl', 'redeemNote', 'notice'] as const;
export type PageField = (typeof pageFields)[number];

/** The record of a promotion. */
export interface Promotion extends PromotionFields {
  id: number;
  state: RecordState;
  mode: PromotionMode;
  holdSeconds: number;
  prequeueAt: Date | null;
  queueing: QueueingOrder;
  standby: boolean;
  challenge: ChallengeKind;
  challengeCost: number;
  description: string | null;
  redeemUrl: string | null;
  redeemNote: string | null;
  notice: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** A promotion's live counters as Redis holds them (GET /info, the console's figures). */
export interface PromotionInfo {
  promotionId: number;
  state: PromotionState;
  totalStock: number;
  issued: number;
  /** Units held for admitted shoppers who have not confirmed yet. */
  held: number;
  /** Available: totalStock - issued - held. */
  currentStock: number;
  mode: PromotionMode;
  holdSeconds: number;
  queueSize: number;
  processingCount: number;
  /** Tickets handed out so far (the last ticket). */
  joined: number;
  /** Tickets taken off the waiting list so far. */
  served: number;
  /** Coupons and hold changes (their events) decided in Redis and not yet written to the database. */
  pendingPersist: number;
  batchSize: number;
  intervalMs: number;
  startsAt: string | null;
  endsAt: string | null;
  prequeueAt: string | null;
  queueing: QueueingOrder;
  standby: boolean;
  /** Shoppers in the pre-queue not yet placed in the line. */
  prequeued: number;
  /** Shoppers failed SOLD_OUT waiting for a returned unit. */
  standbyLine: number;
}

/** What the shopper page shows of a promotion, to anyone (GET /api/promotions/:id/public). */
export interface PublicFace {
  id: number;
  name: string;
  description: string | null;
  notice: string | null;
  redeemUrl: string | null;
  redeemNote: string | null;
  startsAt: string | null;
  prequeueAt: string | null;
  endsAt: string | null;
  state: PromotionState;
}

/** What Redis keeps of a promotion's settings (the database keeps the record). */
export type RoomSettings = Omit<PromotionFields, 'name' | PageField> & { state: PromotionState };

/** The pre-queue is open (or the sale started): its order settings may no longer change. */
export function prequeueOpened(promotion: PromotionFields, now: number): boolean {
  const opensAt = promotion.prequeueAt ?? promotion.startsAt;
  return opensAt != null && opensAt.getTime() <= now;
}

export type StateAction = 'pause' | 'resume' | 'close';

/** The marketer's state changes: from which states each is allowed, and where it leads. */
export const transitions: Record<StateAction, { from: RecordState[]; to: PromotionState }> = {
  pause: { from: ['OPEN'], to: 'PAUSED' },
  resume: { from: ['PAUSED'], to: 'OPEN' },
  close: { from: ['OPEN', 'PAUSED'], to: 'CLOSED' },
};

/** The settings Redis keeps of a live promotion. */
export function roomSettings(promotion: Promotion): RoomSettings {
  if (promotion.state === 'DELETED') throw new Error('A deleted promotion has no Redis state');
  return {
    totalStock: promotion.totalStock,
    state: promotion.state,
    batchSize: promotion.batchSize,
    intervalMs: promotion.intervalMs,
    startsAt: promotion.startsAt,
    endsAt: promotion.endsAt,
    mode: promotion.mode,
    holdSeconds: promotion.holdSeconds,
    prequeueAt: promotion.prequeueAt,
    queueing: promotion.queueing,
    standby: promotion.standby,
    challenge: promotion.challenge,
    challengeCost: promotion.challengeCost,
  };
}

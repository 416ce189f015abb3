// The typed face of the Lua scripts: one short method per decision. Callers
// never see KEYS/ARGV; business refusals come back as AppError. Each method
// delegates to the module of its concern: shoppers.ts (join, holds),
// drainSteps.ts (the worker's tick), promotionState.ts (settings, counters) and
// repair.ts (recovery and reconciliation).
import type { PromotionState, RoomSettings } from '../model/promotion';
import { randomInt } from 'node:crypto';
import { codeSuffix } from '../model/couponCode';
import type { CouponState, ShopperRecord } from '../model/shopperRecord';
import type { RedisClient } from '../platform/redis';
import type { RoomContext } from './context';
import * as drain from './drainSteps';
import { promotionKeys, type PromotionKeys } from './keys';
import type { PromotionInfo } from './promotionInfo';
import * as state from './promotionState';
import * as repair from './repair';
import type { Decision, ExpiredHold, HoldOutcome, JoinOutcome, TicketHolder } from './replies';
import { loadScripts } from './scripts';
import * as shoppers from './shoppers';
import type { ShopperView } from './shoppers';

export { promotionInfoSchema, type PromotionInfo } from './promotionInfo';
export type { Decision, ExpiredHold, HoldOutcome, JoinOutcome } from './replies';
export type { LineFacts, ShopperView } from './shoppers';

/** An unguessable code suffix: the crypto module's uniform draw. */
const unguessableSuffix = () => codeSuffix((n) => randomInt(n));

export class WaitingRoom {
  private readonly ctx: RoomContext;

  constructor(redis: RedisClient, prefix: string, codeSuffix: () => string = unguessableSuffix) {
    this.ctx = { redis, prefix, scripts: loadScripts(redis), codeSuffix };
  }

  keys(promotionId: number): PromotionKeys {
    return promotionKeys(this.ctx.prefix, promotionId);
  }

  /** Null when Redis has no state for the promotion (lost, or never created). */
  join(promotionId: number, userId: string): Promise<JoinOutcome | null> {
    return shoppers.join(this.ctx, promotionId, userId);
  }

  shopper(promotionId: number, userId: string): Promise<ShopperView> {
    return shoppers.shopper(this.ctx, promotionId, userId);
  }

  /** HELD -> COMPLETED with the code fixed at admission, unless the deadline passed (then EXPIRED). */
  confirmHold(promotionId: number, userId: string): Promise<HoldOutcome> {
    return shoppers.confirmHold(this.ctx, promotionId, userId);
  }

  /** HELD -> RELEASED (EXPIRED if past the deadline): the unit goes back to stock. */
  releaseHold(promotionId: number, userId: string): Promise<HoldOutcome> {
    return shoppers.releaseHold(this.ctx, promotionId, userId);
  }

  /** WAITING -> PROCESSING for up to `count` shoppers, in ticket order. */
  claim(promotionId: number, count: number): Promise<TicketHolder[]> {
    return drain.claim(this.ctx, promotionId, count);
  }

  /** Decides up to `count` claimed shoppers, lowest ticket first. */
  issue(promotionId: number, count: number): Promise<Decision[]> {
    return drain.issue(this.ctx, promotionId, count);
  }

  /** Places up to `count` pre-queued shoppers once started; how many are left, null before startsAt. */
  openPrequeue(promotionId: number, count: number): Promise<number | null> {
    return drain.openPrequeue(this.ctx, promotionId, count);
  }

  /** Gives free units to up to `count` shoppers on the standby line, first ticket first. */
  serveStandby(promotionId: number, count: number): Promise<Decision[]> {
    return drain.serveStandby(this.ctx, promotionId, count);
  }

  /** The admitted-per-second rate the worker last stored, or null. */
  storedRate(promotionId: number): Promise<number | null> {
    return state.storedRate(this.ctx, promotionId);
  }

  /** Ends up to `limit` holds past their deadline (Redis clock); their units go back to stock. */
  expireHolds(promotionId: number, limit: number): Promise<ExpiredHold[]> {
    return drain.expireHolds(this.ctx, promotionId, limit);
  }

  /** Creates the promotion's state if new, or updates its settings; refuses stock below issued. */
  save(
    promotionId: number,
    settings: RoomSettings,
  ): Promise<{ created: boolean; totalStock: number; issued: number }> {
    return state.save(this.ctx, promotionId, settings);
  }

  /** Rebuilds lost counters (see restorePromotion); false when the state was already there. */
  restore(
    promotionId: number,
    settings: RoomSettings,
    counts: { issued: number; lastTicket: number },
  ): Promise<boolean> {
    return state.restore(this.ctx, promotionId, settings, counts);
  }

  /** Removes every key of a promotion and its index entry. */
  deleteState(promotionId: number): Promise<void> {
    return state.deleteState(this.ctx, promotionId);
  }

  info(promotionId: number): Promise<PromotionInfo | null> {
    return state.info(this.ctx, promotionId);
  }

  /** The held counter and the holds index, read at one instant (MULTI): equal unless something is broken. */
  holdCounts(promotionId: number): Promise<{ held: number; indexed: number }> {
    return state.holdCounts(this.ctx, promotionId);
  }

  /** Tickets handed out so far. Only joins add shoppers, and every one moves it. */
  joinedCount(promotionId: number): Promise<number> {
    return state.joinedCount(this.ctx, promotionId);
  }

  promotionIds(): Promise<number[]> {
    return state.promotionIds(this.ctx);
  }

  /** Puts a coupon's unit back into stock; true only the first time for a code. */
  /** The shopper's record says what the database committed: used, cancelled or revoked. */
  markCoupon(
    promotionId: number,
    coupon: { userId: string; code: string },
    state: CouponState,
  ): Promise<boolean> {
    return repair.markCoupon(this.ctx, promotionId, coupon, state);
  }

  returnUnit(promotionId: number, code: string): Promise<boolean> {
    return repair.returnUnit(this.ctx, promotionId, code);
  }

  /** Sets total, state and issued from the database's record (see resyncCounts). */
  resyncCounts(
    promotionId: number,
    totalStock: number,
    promotionState: PromotionState,
    holdingInDb: number,
  ): Promise<{ issuedBefore: number; issuedAfter: number }> {
    return repair.resyncCounts(this.ctx, promotionId, totalStock, promotionState, holdingInDb);
  }

  /** Marks shoppers as holding their coupon (in its recorded state), and notes codes already returned. */
  restoreShoppers(
    promotionId: number,
    completed: repair.RestoredCoupon[],
    returnedCodes: string[],
    options: { overwrite?: boolean } = {},
  ): Promise<void> {
    return repair.restoreShoppers(this.ctx, promotionId, completed, returnedCodes, options);
  }

  /** Visits every shopper record (HSCAN, in chunks): O(shoppers), for repair paths only. */
  scanShoppers(
    promotionId: number,
    visit: (userId: string, record: ShopperRecord) => void,
  ): Promise<void> {
    return repair.scanShoppers(this.ctx, promotionId, visit);
  }

  /** One page of the shoppers Redis knows (HSCAN: bounded work per call; cursor "0" ends). */
  scanShopperIds(
    promotionId: number,
    cursor: string,
    count?: number,
  ): Promise<{ cursor: string; userIds: string[] }> {
    return repair.scanShopperIds(this.ctx, promotionId, cursor, count);
  }
}

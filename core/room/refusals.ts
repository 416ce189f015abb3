// The business refusals the Lua scripts answer with, named once (the scripts name
// the same numbers in lua/includes/refusals.lua) and turned into AppError in one
// function. A Redis outage is not a refusal: it stays a thrown Error.
import { AppError, ErrorCode, promotionNotFound } from '../platform/errors';

export const Refusal = {
  PromotionNotFound: -1,
  PromotionClosed: -2,
  SoldOut: -3,
  NotStarted: -4,
  Ended: -5,
  StockBelowIssued: -6,
} as const;
export type Refusal = (typeof Refusal)[keyof typeof Refusal];

/** Counters savePromotion answers with its refusal. */
export interface StockFacts {
  total: number;
  issued: number;
}

export function soldOutError(promotionId: number): AppError {
  return new AppError(ErrorCode.SoldOut, `Promotion ${promotionId} is sold out.`);
}

/** When the sale opens: joins are taken from prequeueAt (into the pre-queue) or else from startsAt. */
export interface SaleTimes {
  startsAt: string | null;
  prequeueAt: string | null;
}

export function notStartedError(promotionId: number, times?: SaleTimes): AppError {
  const opens = times?.prequeueAt ?? times?.startsAt;
  const when = opens ? `; joins open at ${opens}` : '';
  return new AppError(
    ErrorCode.NotStarted,
    `Promotion ${promotionId} has not started yet${when}.`,
    times ? { ...times } : null,
  );
}

export function refusalError(code: number, promotionId: number, stock?: StockFacts): AppError {
  switch (code) {
    case Refusal.PromotionNotFound:
      return promotionNotFound(promotionId);
    case Refusal.PromotionClosed:
      return new AppError(
        ErrorCode.PromotionClosed,
        `Promotion ${promotionId} is closed to new shoppers.`,
      );
    case Refusal.SoldOut:
      return soldOutError(promotionId);
    case Refusal.NotStarted:
      return notStartedError(promotionId);
    case Refusal.Ended:
      return new AppError(ErrorCode.Ended, `Promotion ${promotionId} has ended.`);
    case Refusal.StockBelowIssued:
      return new AppError(
        ErrorCode.StockBelowIssued,
        `Stock ${stock?.total} is below the ${stock?.issued} coupons already issued or held for promotion ${promotionId}.`,
        { issued: stock?.issued },
      );
    default:
      return new AppError(ErrorCode.BadRequest, `Refused with code ${code}.`);
  }
}

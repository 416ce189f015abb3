-- Business refusals, answered as negative integers; core/room/refusals.ts names the same numbers.
local Refusal = { PromotionNotFound = -1, PromotionClosed = -2, SoldOut = -3, NotStarted = -4,
  Ended = -5, StockBelowIssued = -6 }

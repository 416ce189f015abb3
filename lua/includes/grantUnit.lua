--[[
  One unit goes to a shopper: HELD until a deadline (hold mode, deadline given)
  or COMPLETED with the coupon, logged for the write-behind (a hold goes into
  the hold log: its coupon.held event). The caller counts
  the unit (held or issued) and checked that one is free.
  Answers outcome ("H" or "C") and detail (deadline ms or coupon code).
]]
local function grantUnit(users, decisions, holds, holdLog, userId, ticket, code, deadline)
  if deadline then
    -- The code is fixed now, so a repeated confirm answers the same coupon.
    rcall('HSET', users, userId, heldRecord(ticket, deadline, code))
    rcall('ZADD', holds, deadline, userId)
    logHold(holdLog, 'held', userId, ticket, code)
    return 'H', deadline
  end
  rcall('HSET', users, userId, completedRecord(ticket, code))
  logCoupon(decisions, userId, ticket, code)
  return 'C', code
end

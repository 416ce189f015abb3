--[[
  A HELD shopper confirms: the held unit becomes an issued coupon, with the code
  fixed when the hold was given. Atomic with expireHolds and releaseHold, so of a
  confirm and an expiry racing for one hold exactly one wins. The deadline is
  checked here on the Redis clock: a confirm at or after it loses even if the
  sweep has not run yet, and ends the hold itself (EXPIRED, unit back to stock).

  Input:
    KEYS[1] meta       hash: issued +1, held -1
    KEYS[2] users      hash: userId -> "H:<ticket>:<deadlineMs>:<code>"
    KEYS[3] holds      sorted set: HELD userIds scored by deadline
    KEYS[4] decisions  stream: the write-behind log (as issueBatch)
    KEYS[5] holdLog    stream: hold changes for the outbox (confirmed, or expired)
    ARGV[1] userId

  Output:
    {1, record}  confirmed now; record is "C:<ticket>:<code>"
    {0, record}  nothing confirmed: record as it now stands ("" if unknown); an
                 expired hold is moved to "X:<ticket>" here
]]
local rcall = redis.call
--- @include "includes/endHold"
--- @include "includes/logCoupon"
--- @include "includes/logHold"
--- @include "includes/redisNowMs"
--- @include "includes/shopperRecord"
local meta, users, holds, decisions, holdLog = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local userId = ARGV[1]

local record = rcall('HGET', users, userId)
if not record then return {0, ''} end
local ticket, deadline, code = heldParts(record)
if not ticket then return {0, record} end

endHold(meta, holds, userId)
if redisNowMs() >= tonumber(deadline) then
  record = expiredRecord(ticket)
  rcall('HSET', users, userId, record)
  logHold(holdLog, 'expired', userId, ticket, code)
  return {0, record}
end
record = completedRecord(ticket, code)
rcall('HSET', users, userId, record)
rcall('HINCRBY', meta, 'issued', 1)
-- confirmed before the coupon's own entry: the outbox keeps held, confirmed, issued in order
logHold(holdLog, 'confirmed', userId, ticket, code)
logCoupon(decisions, userId, ticket, code)
return {1, record}

--[[
  A HELD shopper gives the unit up early: HELD -> RELEASED ("R:<ticket>"), and the
  unit goes back to stock. A hold already past its deadline ends EXPIRED instead.
  Exactly once: only a HELD record changes.

  Input:
    KEYS[1] meta   hash: held -1
    KEYS[2] users  hash: userId -> status record
    KEYS[3] holds  sorted set: HELD userIds scored by deadline
    KEYS[4] holdLog stream: hold changes for the outbox (released, or expired)
    ARGV[1] userId

  Output:
    {1, record}  released now; record is the new one
    {0, record}  the shopper was not HELD: record as stored ("" if unknown)
]]
local rcall = redis.call
--- @include "includes/endHold"
--- @include "includes/logHold"
--- @include "includes/redisNowMs"
--- @include "includes/shopperRecord"
local meta, users, holds, holdLog = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local userId = ARGV[1]

local record = rcall('HGET', users, userId)
if not record then return {0, ''} end
local ticket, deadline, code = heldParts(record)
if not ticket then return {0, record} end

if redisNowMs() >= tonumber(deadline) then
  record = expiredRecord(ticket)
  logHold(holdLog, 'expired', userId, ticket, code)
else
  record = releasedRecord(ticket)
  logHold(holdLog, 'released', userId, ticket, code)
end
rcall('HSET', users, userId, record)
endHold(meta, holds, userId)
return {1, record}

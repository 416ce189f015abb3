--[[
  End up to N holds whose deadline has passed (Redis clock): HELD -> EXPIRED
  ("X:<ticket>") and each unit back to stock, exactly once (only a HELD record
  changes; confirmHold and releaseHold remove their entry from the index).
  Called by every drain tick, so a worker that died with live holds leaves
  nothing behind: the next worker's ticks end them.

  Input:
    KEYS[1] meta   hash: held is lowered by the number expired
    KEYS[2] users  hash: userId -> status record
    KEYS[3] holds  sorted set: HELD userIds scored by deadline (ms)
    KEYS[4] holdLog stream: one coupon.expired entry per hold ended here, for the outbox
    ARGV[1] N, how many index entries to look at at most (> 0)

  Output:
    {userId1, ticket1, userId2, ticket2, ...} the shoppers expired now
]]
local rcall = redis.call
--- @include "includes/logHold"
--- @include "includes/redisNowMs"
--- @include "includes/shopperRecord"
local meta, users, holds, holdLog = KEYS[1], KEYS[2], KEYS[3], KEYS[4]

local nowMs = redisNowMs()
local due = rcall('ZRANGEBYSCORE', holds, '-inf', nowMs, 'LIMIT', 0, tonumber(ARGV[1]))
local expired, count = {}, 0
for _, userId in ipairs(due) do
  local ticket, deadline, code = heldParts(rcall('HGET', users, userId))
  if ticket and tonumber(deadline) <= nowMs then
    rcall('HSET', users, userId, expiredRecord(ticket))
    logHold(holdLog, 'expired', userId, ticket, code)
    count = count + 1
    expired[#expired + 1] = userId
    expired[#expired + 1] = ticket
  end
  -- A stale entry (the shopper is no longer HELD) only leaves the index.
  if not ticket or tonumber(deadline) <= nowMs then rcall('ZREM', holds, userId) end
end
if count > 0 then rcall('HINCRBY', meta, 'held', -count) end
return expired

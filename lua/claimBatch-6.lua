--[[
  Claim up to N waiting shoppers, in ticket order, for a decision: WAITING -> PROCESSING.
  Claimed shoppers sit in the processing set until issueBatch decides them, so a
  worker that dies after claiming loses nobody: the next tick decides them.
  While units are held (hold mode), stock may come back: only as many are
  claimed as there are units free for them, and the rest keep waiting.
  Nobody is claimed while the pre-queue is being placed (its shoppers go first)
  nor while a free unit belongs to the standby line (serveStandby gives it).

  Input:
    KEYS[1] meta        hash: total, issued, held (served is advanced by the number claimed)
    KEYS[2] users       hash: userId -> status record
    KEYS[3] waiting     list: userIds in ticket order
    KEYS[4] processing  sorted set: userId scored by ticket
    KEYS[5] prequeue    sorted set: pre-queued userIds not yet placed in the line
    KEYS[6] standby     sorted set: userId scored by ticket
    ARGV[1] N, how many to claim at most (> 0)

  Output:
    {userId1, ticket1, userId2, ticket2, ...} the shoppers claimed now (may be empty)
]]
local rcall = redis.call
--- @include "includes/readMeta"
--- @include "includes/shopperRecord"
--- @include "includes/standbyFirst"
local meta, users, waiting, processing = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local prequeue, standby = KEYS[5], KEYS[6]

local limit = tonumber(ARGV[1])
if rcall('EXISTS', prequeue) == 1 then return {} end
local m = readMeta(meta, 'total', 'issued', 'held', 'state', 'standby')
local free = m.total - m.issued - m.held - rcall('ZCARD', processing)
if free > 0 and standbyActive(m, standby) then return {} end
if m.held > 0 and m.state ~= 'CLOSED' then
  if free <= 0 then return {} end
  limit = math.min(limit, free)
end

local ids = rcall('LPOP', waiting, limit)
if not ids then return {} end

local claimed = {}
for _, userId in ipairs(ids) do
  local ticket = waitingTicket(rcall('HGET', users, userId))
  if ticket then
    rcall('HSET', users, userId, processingRecord(ticket))
    rcall('ZADD', processing, ticket, userId)
    claimed[#claimed + 1] = userId
    claimed[#claimed + 1] = ticket
  end
end
-- Every popped entry held one ticket, so served stays equal to tickets taken off the list.
rcall('HINCRBY', meta, 'served', #ids)
return claimed

--[[
  Join a promotion's waiting room: dedupe the shopper, give a ticket, queue them.

  Input:
    KEYS[1] meta     hash: total, issued, seq (last ticket), served (tickets claimed), state
    KEYS[2] users    hash: userId -> status record ("W:<ticket>", "P:<ticket>",
                     "C:<ticket>:<code>", "F:<ticket>:<reason>")
    KEYS[3] waiting  list: userIds in ticket order
    ARGV[1] userId
    ARGV[2] now, ms since epoch (for startsAt/endsAt)

  Output:
    {record, served, 1}  the shopper joined now; record is "W:<ticket>"
    {record, served, 0}  the shopper was already known (dedupe); record as stored
    -1  PromotionNotFound: promotion unknown
    -2  PromotionClosed: promotion not open for joins (closed)
    -3  SoldOut: issued >= total
    -4  NotStarted: now < startsAt
    -5  Ended: now >= endsAt
  A refusal changes nothing.
]]
local rcall = redis.call
--- @include "includes/readMeta"
--- @include "includes/refusals"
--- @include "includes/shopperRecord"
local meta, users, waiting = KEYS[1], KEYS[2], KEYS[3]
local userId = ARGV[1]

local m = readMeta(meta, 'state', 'total', 'issued', 'seq', 'served', 'startsAt', 'endsAt')
if not m.state then return Refusal.PromotionNotFound end
local served = m.served

-- A known shopper always gets their own record back, even after sell-out.
local ticket = m.seq + 1
local now = tonumber(ARGV[2])
local startsAt, endsAt = tonumber(m.startsAt), tonumber(m.endsAt)
local refusal = nil
if m.state == 'CLOSED' then
  refusal = Refusal.PromotionClosed
elseif startsAt and now < startsAt then
  refusal = Refusal.NotStarted
elseif endsAt and now >= endsAt then
  refusal = Refusal.Ended
elseif m.issued >= m.total then
  refusal = Refusal.SoldOut
end
if refusal then
  local existing = rcall('HGET', users, userId)
  if existing then return {existing, served, 0} end
  return refusal
end

local record = waitingRecord(ticket)
if rcall('HSETNX', users, userId, record) == 0 then
  return {rcall('HGET', users, userId), served, 0}
end
rcall('HSET', meta, 'seq', ticket)
rcall('RPUSH', waiting, userId)
return {record, served, 1}

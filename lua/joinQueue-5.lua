--[[
  Join a promotion's waiting room: dedupe the shopper, give a ticket, queue them.
  From prequeueAt to startsAt the shopper enters the pre-queue instead, with a
  draw key (random: the caller's cryptographic draw; fifo: arrival order); a
  repeated join keeps it. From startsAt a join lands behind the whole pre-queue.
  While the standby line holds shoppers, returned units are theirs: new shoppers
  are refused SOLD_OUT.

  Input:
    KEYS[1] meta      hash: total, issued, seq (last ticket), served (tickets claimed), state,
                      startsAt, endsAt, prequeueAt, queueing, standby, pqSeq, pqBase
    KEYS[2] users     hash: userId -> status record ("W:<ticket>", "P:<ticket>",
                      "C:<ticket>:<code>", "F:<ticket>:<reason>", ...)
    KEYS[3] waiting   list: userIds in ticket order
    KEYS[4] prequeue  sorted set: userId scored by draw key
    KEYS[5] standby   sorted set: userId scored by ticket (failed SOLD_OUT, first in line for returns)
    ARGV[1] userId
    ARGV[2] now, ms since epoch (for prequeueAt/startsAt/endsAt)
    ARGV[3] draw key: a random integer in [1, 2^52] (used when queueing is random)

  Output:
    {record, served, 1}  the shopper joined now; record is "W:<ticket>" or "Q:<draw key>"
    {record, served, 0}  the shopper was already known (dedupe); record as stored
                         ("Q:<draw key>" while pre-queued and the order not fixed)
    -1  PromotionNotFound: promotion unknown
    -2  PromotionClosed: promotion not open for joins (closed)
    -3  SoldOut: issued >= total, or the standby line is served first
    -4  NotStarted: before startsAt, and before prequeueAt if there is one
    -5  Ended: now >= endsAt
  A refusal changes nothing (but the first call after startsAt fixes the pre-queue's order).
]]
local rcall = redis.call
--- @include "includes/readMeta"
--- @include "includes/refusals"
--- @include "includes/shopperRecord"
--- @include "includes/prequeued"
--- @include "includes/fixPrequeue"
--- @include "includes/standbyFirst"
local meta, users, waiting, prequeue, standby = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local userId = ARGV[1]

local m = readMeta(meta, 'state', 'total', 'issued', 'served', 'startsAt', 'endsAt',
  'prequeueAt', 'queueing', 'standby', 'pqBase')
if not m.state then return Refusal.PromotionNotFound end
local served = m.served

local now = tonumber(ARGV[2])
local startsAt, endsAt = tonumber(m.startsAt), tonumber(m.endsAt)
local prequeueAt = tonumber(m.prequeueAt)
-- Once the pre-queue's order is fixed the sale has started, whatever this caller's clock says.
local started = m.pqBase or not startsAt or now >= startsAt
local prequeueOpen = not started and prequeueAt and now >= prequeueAt
-- The first join after startsAt fixes the order, so a pre-queued shopper asking again gets a place.
if started and prequeueAt and not m.pqBase then m.pqBase = fixPrequeue(meta, prequeue) end

-- A known shopper always gets their own record back, even after sell-out.
local existing = rcall('HGET', users, userId) or prequeuedRecord(prequeue, userId, m.pqBase)
if existing then return {existing, served, 0} end
local refusal = nil
if m.state == 'CLOSED' then
  refusal = Refusal.PromotionClosed
elseif not started and not prequeueOpen then
  refusal = Refusal.NotStarted
elseif endsAt and now >= endsAt then
  refusal = Refusal.Ended
elseif started and (m.issued >= m.total or standbyActive(m, standby)) then
  refusal = Refusal.SoldOut
end
if refusal then return refusal end

if prequeueOpen then
  local key = ARGV[3]
  if m.queueing ~= 'random' then key = rcall('HINCRBY', meta, 'pqSeq', 1) end
  rcall('ZADD', prequeue, key, userId)
  return {'Q:' .. key, served, 1}
end
local record = waitingRecord(rcall('HINCRBY', meta, 'seq', 1))
rcall('HSET', users, userId, record)
rcall('RPUSH', waiting, userId)
return {record, served, 1}

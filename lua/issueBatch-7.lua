--[[
  Decide up to N claimed shoppers, lowest ticket first: take one unit of stock and
  mark COMPLETED with a coupon code (instant mode) or HELD until a deadline (hold
  mode), or mark FAILED when stock is gone (or the promotion was closed).
  Deciding lowest tickets first keeps winners in join order even when two ticks
  overlap. Idempotent: a shopper no longer PROCESSING is only removed from the set.
  While units are held, none is free but some may come back: the rest stay
  PROCESSING (undecided) rather than fail; only issued >= total is sold out.
  A free unit while the standby line holds shoppers is theirs: the shopper
  decided here fails SOLD_OUT and, with standby on, joins the line's end.

  Input:
    KEYS[1] meta        hash: total, issued, held, state, mode, holdMs (issued/held advanced here)
    KEYS[2] users       hash: userId -> status record
    KEYS[3] processing  sorted set: userId scored by ticket
    KEYS[4] decisions   stream: one entry per coupon issued (the write-behind log)
    KEYS[5] holds       sorted set: HELD userIds scored by deadline (ms, Redis clock)
    KEYS[6] standby     sorted set: shoppers failed SOLD_OUT, scored by ticket (standby on)
    KEYS[7] holdLog     stream: one entry per hold change (coupon.held here), for the outbox
    ARGV[1] N, how many to decide at most (> 0)
    ARGV[2] promotionId, the first part of each coupon code
    ARGV[3..N+2] one random code suffix per shopper, from the caller's random source

  Output:
    {userId1, ticket1, outcome1, detail1, standbyRank1, ...} with outcome "C" (detail =
    coupon code), "H" (detail = deadline ms) or "F" (detail = reason, "SOLD_OUT" or
    "CLOSED"); standbyRank is the 0-based place on the standby line of a shopper just
    put on it, -1 for everyone else
]]
local rcall = redis.call
--- @include "includes/logCoupon"
--- @include "includes/logHold"
--- @include "includes/readMeta"
--- @include "includes/redisNowMs"
--- @include "includes/shopperRecord"
--- @include "includes/grantUnit"
--- @include "includes/standbyFirst"
local meta, users, processing, decisions, holds = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local standby, holdLog = KEYS[6], KEYS[7]
local limit = tonumber(ARGV[1])
local promotionId = ARGV[2]

local entries = rcall('ZRANGE', processing, 0, limit - 1)
if #entries == 0 then return {} end

local m = readMeta(meta, 'total', 'issued', 'state', 'held', 'mode', 'holdMs', 'standby')
local total, issued, held = m.total, m.issued, m.held
local closed = m.state == 'CLOSED'
local standbyFirst = standbyActive(m, standby)
local deadline = nil
if m.mode == 'hold' then deadline = redisNowMs() + m.holdMs end
local decided = {}
local removed = #entries
for i, userId in ipairs(entries) do
  local ticket = processingTicket(rcall('HGET', users, userId))
  if ticket then
    local outcome, detail, record
    local rank = -1
    if closed then
      outcome, detail = 'F', 'CLOSED'
      record = failedRecord(ticket, detail)
    elseif issued + held < total and not standbyFirst then
      local code = promotionId .. '-' .. ticket .. '-' .. ARGV[2 + i]
      outcome, detail = grantUnit(users, decisions, holds, holdLog, userId, ticket, code, deadline)
      if deadline then held = held + 1 else issued = issued + 1 end
    elseif held > 0 and not standbyFirst then
      removed = i - 1
      break
    else
      outcome, detail = 'F', 'SOLD_OUT'
      record = failedRecord(ticket, detail)
      if m.standby ~= '0' then
        rcall('ZADD', standby, ticket, userId)
        rank = rcall('ZRANK', standby, userId)
      end
    end
    if record then rcall('HSET', users, userId, record) end
    decided[#decided + 1] = userId
    decided[#decided + 1] = ticket
    decided[#decided + 1] = outcome
    decided[#decided + 1] = detail
    decided[#decided + 1] = rank
  end
end
-- The entries are the set's lowest ranks, so this removes exactly the ones looked at.
if removed > 0 then rcall('ZREMRANGEBYRANK', processing, 0, removed - 1) end
rcall('HSET', meta, 'issued', issued, 'held', held)
return decided

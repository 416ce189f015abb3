--[[
  Decide up to N claimed shoppers, lowest ticket first: take one unit of stock and
  mark COMPLETED with a coupon code (instant mode) or HELD until a deadline (hold
  mode), or mark FAILED when stock is gone (or the promotion was closed).
  Deciding lowest tickets first keeps winners in join order even when two ticks
  overlap. Idempotent: a shopper no longer PROCESSING is only removed from the set.
  While units are held, none is free but some may come back: the rest stay
  PROCESSING (undecided) rather than fail; only issued >= total is sold out.

  Input:
    KEYS[1] meta        hash: total, issued, held, state, mode, holdMs (issued/held advanced here)
    KEYS[2] users       hash: userId -> status record
    KEYS[3] processing  sorted set: userId scored by ticket
    KEYS[4] decisions   stream: one entry per coupon issued (the write-behind log)
    KEYS[5] holds       sorted set: HELD userIds scored by deadline (ms, Redis clock)
    ARGV[1] N, how many to decide at most (> 0)
    ARGV[2] promotionId, the first part of each coupon code
    ARGV[3..N+2] one random code suffix per shopper, from the caller's random source

  Output:
    {userId1, ticket1, outcome1, detail1, ...} with outcome "C" (detail = coupon code),
    "H" (detail = deadline ms) or "F" (detail = reason, "SOLD_OUT" or "CLOSED")
]]
local rcall = redis.call
--- @include "includes/logCoupon"
--- @include "includes/readMeta"
--- @include "includes/redisNowMs"
--- @include "includes/shopperRecord"
local meta, users, processing, decisions, holds = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local limit = tonumber(ARGV[1])
local promotionId = ARGV[2]

local entries = rcall('ZRANGE', processing, 0, limit - 1)
if #entries == 0 then return {} end

local m = readMeta(meta, 'total', 'issued', 'state', 'held', 'mode', 'holdMs')
local total, issued, held = m.total, m.issued, m.held
local closed = m.state == 'CLOSED'
local deadline = nil
if m.mode == 'hold' then deadline = redisNowMs() + m.holdMs end
local decided = {}
local removed = #entries
for i, userId in ipairs(entries) do
  local ticket = processingTicket(rcall('HGET', users, userId))
  if ticket then
    local outcome, detail, record
    if closed then
      outcome, detail = 'F', 'CLOSED'
      record = failedRecord(ticket, detail)
    elseif issued + held < total then
      local code = promotionId .. '-' .. ticket .. '-' .. ARGV[2 + i]
      if deadline then
        -- The code is fixed now, so a repeated confirm answers the same coupon.
        held = held + 1
        outcome, detail = 'H', deadline
        record = heldRecord(ticket, deadline, code)
        rcall('ZADD', holds, deadline, userId)
      else
        issued = issued + 1
        outcome, detail, record = 'C', code, completedRecord(ticket, code)
        logCoupon(decisions, userId, ticket, code)
      end
    elseif held > 0 then
      removed = i - 1
      break
    else
      outcome, detail = 'F', 'SOLD_OUT'
      record = failedRecord(ticket, detail)
    end
    rcall('HSET', users, userId, record)
    decided[#decided + 1] = userId
    decided[#decided + 1] = ticket
    decided[#decided + 1] = outcome
    decided[#decided + 1] = detail
  end
end
-- The entries are the set's lowest ranks, so this removes exactly the ones looked at.
if removed > 0 then rcall('ZREMRANGEBYRANK', processing, 0, removed - 1) end
rcall('HSET', meta, 'issued', issued, 'held', held)
return decided

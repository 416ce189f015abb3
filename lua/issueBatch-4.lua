--[[
  Decide up to N claimed shoppers, lowest ticket first: take one unit of stock and
  mark COMPLETED with a coupon code, or mark FAILED when stock is gone (or the
  promotion was closed).
  Deciding lowest tickets first keeps winners in join order even when two ticks
  overlap. Idempotent: a shopper no longer PROCESSING is only removed from the set.

  Input:
    KEYS[1] meta        hash: total, issued (issued is advanced here)
    KEYS[2] users       hash: userId -> status record
    KEYS[3] processing  sorted set: userId scored by ticket
    KEYS[4] decisions   stream: one entry per coupon issued (the write-behind log)
    ARGV[1] N, how many to decide at most (> 0)
    ARGV[2] promotionId, the first part of each coupon code
    ARGV[3..N+2] one random code suffix per shopper, from the caller's random source

  Output:
    {userId1, ticket1, outcome1, detail1, ...} with outcome "C" (detail = coupon code)
    or "F" (detail = reason, "SOLD_OUT" or "CLOSED")
]]
local rcall = redis.call
local meta, users, processing, decisions = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local limit = tonumber(ARGV[1])
local promotionId = ARGV[2]

local entries = rcall('ZRANGE', processing, 0, limit - 1)
if #entries == 0 then return {} end

local m = rcall('HMGET', meta, 'total', 'issued', 'state')
local total, issued = tonumber(m[1]) or 0, tonumber(m[2]) or 0
local closed = m[3] == 'CLOSED'
local decided = {}
for i, userId in ipairs(entries) do
  local ticket = string.match(rcall('HGET', users, userId) or '', '^P:(%d+)$')
  if ticket then
    local outcome, detail
    if closed then
      outcome, detail = 'F', 'CLOSED'
    elseif issued < total then
      issued = issued + 1
      outcome, detail = 'C', promotionId .. '-' .. ticket .. '-' .. ARGV[2 + i]
      rcall('XADD', decisions, '*', 'u', userId, 't', ticket, 'c', detail)
    else
      outcome, detail = 'F', 'SOLD_OUT'
    end
    rcall('HSET', users, userId, outcome .. ':' .. ticket .. ':' .. detail)
    decided[#decided + 1] = userId
    decided[#decided + 1] = ticket
    decided[#decided + 1] = outcome
    decided[#decided + 1] = detail
  end
end
-- The entries are the set's lowest ranks, so this removes exactly them.
rcall('ZREMRANGEBYRANK', processing, 0, #entries - 1)
rcall('HSET', meta, 'issued', issued)
return decided

--[[
  Gives free units to the standby line, first ticket first: a shopper failed
  SOLD_OUT becomes COMPLETED (HELD in hold mode) when a unit comes back (a
  coupon cancelled or revoked, a hold that expired or was released). One atomic
  step moves each unit to one shopper and, in instant mode, logs the coupon for
  the write-behind as issueBatch does, so a unit never reaches two shoppers
  whatever runs concurrently or dies. The line serves only while the promotion
  is OPEN, keeps a standby line, and has not ended.

  Input:
    KEYS[1] meta       hash: total, issued, held, state, mode, holdMs, standby, endsAt
    KEYS[2] users      hash: userId -> status record
    KEYS[3] standby    sorted set: userId scored by ticket
    KEYS[4] decisions  stream: the write-behind log
    KEYS[5] holds      sorted set: HELD userIds scored by deadline (ms, Redis clock)
    KEYS[6] holdLog    stream: one entry per hold change (coupon.held here), for the outbox
    ARGV[1] N, how many to serve at most (> 0)
    ARGV[2] promotionId, the first part of each coupon code
    ARGV[3] now, ms since epoch (for endsAt)
    ARGV[4..N+3] one random code suffix per shopper

  Output:
    {userId1, ticket1, outcome1, detail1, -1, ...} as issueBatch, outcome "C" or "H"
]]
local rcall = redis.call
--- @include "includes/logCoupon"
--- @include "includes/logHold"
--- @include "includes/readMeta"
--- @include "includes/redisNowMs"
--- @include "includes/shopperRecord"
--- @include "includes/grantUnit"
local meta, users, standby, decisions, holds = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local holdLog = KEYS[6]

local m = readMeta(meta, 'total', 'issued', 'held', 'state', 'mode', 'holdMs', 'standby', 'endsAt')
local endsAt = tonumber(m.endsAt)
if m.state ~= 'OPEN' or m.standby == '0' or (endsAt and tonumber(ARGV[3]) >= endsAt) then
  return {}
end
local issued, held = m.issued, m.held
local deadline = nil
if m.mode == 'hold' then deadline = redisNowMs() + m.holdMs end
local decided = {}
local served = 0
while served < tonumber(ARGV[1]) and issued + held < m.total do
  local first = rcall('ZPOPMIN', standby)
  if #first == 0 then break end
  local userId = first[1]
  local ticket = string.match(rcall('HGET', users, userId) or '', '^F:(%d+):SOLD_OUT$')
  -- Anyone no longer failed SOLD_OUT (restored, repaired) only leaves the line.
  if ticket then
    served = served + 1
    local code = ARGV[2] .. '-' .. ticket .. '-' .. ARGV[3 + served]
    local outcome, detail = grantUnit(users, decisions, holds, holdLog, userId, ticket, code, deadline)
    if deadline then held = held + 1 else issued = issued + 1 end
    decided[#decided + 1] = userId
    decided[#decided + 1] = ticket
    decided[#decided + 1] = outcome
    decided[#decided + 1] = detail
    decided[#decided + 1] = -1
  end
end
rcall('HSET', meta, 'issued', issued, 'held', held)
return decided

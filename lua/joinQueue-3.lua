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
    -1  promotion unknown
    -2  promotion not open for joins (closed)
    -3  sold out (issued >= total)
    -4  not started yet (now < startsAt)
    -5  ended (now >= endsAt)
  A refusal changes nothing.
]]
local rcall = redis.call
local meta, users, waiting = KEYS[1], KEYS[2], KEYS[3]
local userId = ARGV[1]

local m = rcall('HMGET', meta, 'state', 'total', 'issued', 'seq', 'served', 'startsAt', 'endsAt')
if not m[1] then return -1 end
local served = tonumber(m[5]) or 0

-- A known shopper always gets their own record back, even after sell-out.
local ticket = (tonumber(m[4]) or 0) + 1
local now = tonumber(ARGV[2])
local refusal = nil
if m[1] == 'CLOSED' then
  refusal = -2
elseif tonumber(m[6]) and now < tonumber(m[6]) then
  refusal = -4
elseif tonumber(m[7]) and now >= tonumber(m[7]) then
  refusal = -5
elseif (tonumber(m[3]) or 0) >= (tonumber(m[2]) or 0) then
  refusal = -3
end
if refusal then
  local existing = rcall('HGET', users, userId)
  if existing then return {existing, served, 0} end
  return refusal
end

local record = 'W:' .. ticket
if rcall('HSETNX', users, userId, record) == 0 then
  return {rcall('HGET', users, userId), served, 0}
end
rcall('HSET', meta, 'seq', ticket)
rcall('RPUSH', waiting, userId)
return {record, served, 1}

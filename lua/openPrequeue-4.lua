--[[
  Opens the pre-queue, one bounded chunk per call (the drain tick calls it until
  it answers 0): fixes the order if not yet (see fixPrequeue), then gives the
  highest draw keys left their reserved tickets and puts them at the head of the
  waiting line, so the line ends up in draw-key order with every later join
  behind it. A pre-queued shopper who already has a record (one the database
  put back) keeps it and takes no ticket: the pre-queue's range starts one
  higher and that ticket counts as served, so tickets stay contiguous and every
  place (ticket - served) stays right. Each chunk is atomic, so a worker that dies between chunks leaves a
  consistent state the next tick carries on from.

  Input:
    KEYS[1] meta      hash: startsAt, seq, pqBase, served (both moved by a shopper who takes no ticket)
    KEYS[2] users     hash: userId -> status record ("W:<ticket>" written here)
    KEYS[3] waiting   list: userIds in ticket order
    KEYS[4] prequeue  sorted set: userId scored by draw key
    ARGV[1] N, how many pre-queued shoppers to place at most (> 0)
    ARGV[2] now, ms since epoch

  Output:
    n >= 0  pre-queued shoppers still to place (0: the pre-queue is open and empty)
    -1      not yet: the sale has not started
]]
local rcall = redis.call
--- @include "includes/readMeta"
--- @include "includes/shopperRecord"
--- @include "includes/fixPrequeue"
local meta, users, waiting, prequeue = KEYS[1], KEYS[2], KEYS[3], KEYS[4]

local m = readMeta(meta, 'startsAt', 'pqBase')
local startsAt = tonumber(m.startsAt)
if not m.pqBase and startsAt and tonumber(ARGV[2]) < startsAt then return -1 end
local base = fixPrequeue(meta, prequeue)
local skipped = 0

local left = rcall('ZCARD', prequeue)
local popped = rcall('ZPOPMAX', prequeue, tonumber(ARGV[1]))
if #popped == 0 then return 0 end
-- Three variadic calls per chunk rather than two per shopper: the chunk's time is mostly per call.
local ids = {}
for i = 1, #popped, 2 do ids[#ids + 1] = popped[i] end
local known = rcall('HMGET', users, unpack(ids))
local records, placed = {}, {}
for i, userId in ipairs(ids) do
  left = left - 1
  if known[i] then
    -- Placed from the top down, so the ticket given up is the range's lowest one.
    skipped = skipped + 1
  else
    records[#records + 1] = userId
    records[#records + 1] = waitingRecord(base + skipped + left + 1)
    placed[#placed + 1] = userId
  end
end
if #placed > 0 then
  rcall('HSET', users, unpack(records))
  -- Highest key first, so the lowest ends up at the head of the line.
  rcall('LPUSH', waiting, unpack(placed))
end
if skipped > 0 then
  rcall('HINCRBY', meta, 'pqBase', skipped)
  rcall('HINCRBY', meta, 'served', skipped)
end
return left

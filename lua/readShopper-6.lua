--[[
  Everything a shopper's status needs, read at one instant and in one round
  trip: their record (a pre-queued shopper's from the pre-queue, see
  prequeued), their place on the standby line, the promotion's counters and
  dates, and the drain rate the worker last stored (for the ETA). Read-only.

  Input:
    KEYS[1] meta        hash
    KEYS[2] users       hash: userId -> status record
    KEYS[3] prequeue    sorted set: userId scored by draw key
    KEYS[4] standby     sorted set: userId scored by ticket
    KEYS[5] processing  sorted set: claimed userIds
    KEYS[6] drainRate   string: admitted shoppers per second (a cache the worker writes)
    ARGV[1] userId

  Output:
    {record ("" if none), standbyRank (-1 if not on it), processing count,
     state, served, total, issued, held, startsAt, prequeueAt, endsAt, standby,
     standby line length, drain rate ("" if none)}
    (meta fields "" when unset; state "" when the promotion has no state)
]]
local rcall = redis.call
--- @include "includes/shopperRecord"
--- @include "includes/prequeued"
local meta, users, prequeue, standby, processing = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local drainRate = KEYS[6]
local userId = ARGV[1]
local fields = rcall('HMGET', meta, 'state', 'served', 'total', 'issued', 'held', 'startsAt',
  'prequeueAt', 'endsAt', 'standby', 'pqBase')
local record = rcall('HGET', users, userId) or prequeuedRecord(prequeue, userId, fields[10]) or ''
local reply = {record, rcall('ZRANK', standby, userId) or -1, rcall('ZCARD', processing)}
for i = 1, 9 do reply[#reply + 1] = fields[i] or '' end
reply[#reply + 1] = rcall('ZCARD', standby)
reply[#reply + 1] = rcall('GET', drainRate) or ''
return reply

--[[
  Rebuild a promotion's counters from the database after Redis lost them (a
  restart with no persistence, a flush). Only acts when the state is missing,
  so concurrent rebuilds are harmless. Shoppers are restored before this runs.
  Holds lived only in Redis: they are gone, so held starts at 0 and their units
  are available again (the database knows confirmed coupons only).

  Input:
    KEYS[1] meta  hash (see savePromotion)
    ARGV[1] total stock
    ARGV[2] issued: coupons holding a unit (ISSUED + USED) plus decisions not yet persisted
    ARGV[3] last ticket given (new shoppers queue after every earlier one)
    ARGV[4] state, ARGV[5] batch size, ARGV[6] interval ms, ARGV[7] startsAt, ARGV[8] endsAt,
    ARGV[9] mode, ARGV[10] hold ms, ARGV[11] prequeueAt, ARGV[12] queueing, ARGV[13] standby,
    ARGV[14] challenge: none or pow, ARGV[15] challengeCost
  The pre-queue and standby line lived only in Redis: their shoppers may join again.

  Output:
    1 rebuilt now, 0 state was already there (nothing changed)
]]
local rcall = redis.call
--- @include "includes/writeSettings"
local meta = KEYS[1]
if rcall('EXISTS', meta) == 1 then return 0 end
rcall('HSET', meta, 'total', ARGV[1], 'issued', ARGV[2], 'held', 0, 'seq', ARGV[3],
  'served', ARGV[3])
writeSettings(meta, 4)
return 1

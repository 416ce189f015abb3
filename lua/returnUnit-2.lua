--[[
  Give one unit back to stock for a cancelled or revoked coupon, exactly once per
  coupon code however often it is called (a retry after a timeout, a replay).

  Input:
    KEYS[1] meta      hash (issued is lowered by one)
    KEYS[2] returned  set: codes whose unit went back already
    ARGV[1] coupon code

  Output:
    1 the unit went back now, 0 it had gone back before (nothing changed)
]]
local rcall = redis.call
local meta, returned = KEYS[1], KEYS[2]
if rcall('SADD', returned, ARGV[1]) == 0 then return 0 end
local issued = tonumber(rcall('HGET', meta, 'issued')) or 0
if issued > 0 then rcall('HSET', meta, 'issued', issued - 1) end
return 1

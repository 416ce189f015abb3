--[[
  A coupon's use, cancel or revoke committed in the database: the shopper's record
  says so too, so status reads it from Redis alone. Only a record holding this
  very code changes (a repaired or replaced record is left alone); repeating it
  changes nothing.

  Input:
    KEYS[1] users  hash: userId -> status record
    ARGV[1] userId
    ARGV[2] coupon code
    ARGV[3] the state's suffix, ":U", ":C" or ":R" (core/model/shopperRecord.ts)

  Output:
    1 the record now says so, 0 no record holds this code
]]
local rcall = redis.call
local users, userId, code = KEYS[1], ARGV[1], ARGV[2]
local ticket, held = string.match(rcall('HGET', users, userId) or '', '^C:(%d+):([^:]+)')
if not ticket or held ~= code then return 0 end
rcall('HSET', users, userId, 'C:' .. ticket .. ':' .. code .. ARGV[3])
return 1

--[[
  Repair a promotion's counters with the database as the record: total and state
  from the promotions row, issued = coupons holding a unit + decisions still
  waiting in the write-behind log, held = the holds index (the two always move
  together; the index is what expiry works from). Atomic with issueBatch, so no
  tick is lost.

  Input:
    KEYS[1] meta       hash
    KEYS[2] decisions  stream: decisions not yet persisted
    KEYS[3] holds      sorted set: HELD userIds scored by deadline
    ARGV[1] total stock, ARGV[2] state
    ARGV[3] coupons holding a unit in the database (ISSUED + USED)

  Output:
    {issuedBefore, issuedAfter}
]]
local rcall = redis.call
local meta, decisions, holds = KEYS[1], KEYS[2], KEYS[3]
local before = tonumber(rcall('HGET', meta, 'issued')) or 0
local after = tonumber(ARGV[3]) + rcall('XLEN', decisions)
rcall('HSET', meta, 'total', ARGV[1], 'state', ARGV[2], 'issued', after, 'held',
  rcall('ZCARD', holds))
return {before, after}

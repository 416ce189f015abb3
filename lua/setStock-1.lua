--[[
  Create a promotion if it is new, and set its total stock.

  Input:
    KEYS[1] meta  hash: total, issued, seq, served, state, batchSize, intervalMs
    ARGV[1] total stock (>= 0)
    ARGV[2] batch size used when the promotion is created
    ARGV[3] interval in ms used when the promotion is created

  Output:
    {created (1|0), total, issued}
    {-1, total, issued}  refused: total is below what is already issued; nothing changed
]]
local rcall = redis.call
local meta = KEYS[1]
local total = tonumber(ARGV[1])

if rcall('EXISTS', meta) == 0 then
  rcall('HSET', meta, 'total', total, 'issued', 0, 'seq', 0, 'served', 0, 'state', 'OPEN',
    'batchSize', ARGV[2], 'intervalMs', ARGV[3])
  return {1, total, 0}
end
local issued = tonumber(rcall('HGET', meta, 'issued')) or 0
if total < issued then return {-1, total, issued} end
rcall('HSET', meta, 'total', total)
return {0, total, issued}

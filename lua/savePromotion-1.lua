--[[
  Create a promotion's Redis state if it is new, or update its settings.
  Stock is a total: what is left is total - issued - held.

  Input:
    KEYS[1] meta  hash: total, issued, held, seq, served, state, batchSize, intervalMs,
                  startsAt, endsAt (ms since epoch, "" when unset), mode, holdMs,
                  prequeueAt, queueing, standby
    ARGV[1] total stock (>= 0)
    ARGV[2] state: OPEN, PAUSED or CLOSED
    ARGV[3] batch size
    ARGV[4] interval in ms
    ARGV[5] startsAt ms or ""
    ARGV[6] endsAt ms or ""
    ARGV[7] mode: instant or hold
    ARGV[8] hold duration in ms (hold mode)
    ARGV[9] prequeueAt ms or "", ARGV[10] queueing: fifo or random, ARGV[11] standby: 1 or 0,
    ARGV[12] challenge: none or pow, ARGV[13] challengeCost (ALTCHA maxnumber)

  Output:
    {created (1|0), total, issued}
    {-6, total, issued}  refused (StockBelowIssued): total is below what is issued or held;
                         nothing changed
]]
local rcall = redis.call
--- @include "includes/readMeta"
--- @include "includes/refusals"
--- @include "includes/writeSettings"
local meta = KEYS[1]
local total = tonumber(ARGV[1])

local created = 0
local issued = 0
if rcall('EXISTS', meta) == 0 then
  rcall('HSET', meta, 'issued', 0, 'held', 0, 'seq', 0, 'served', 0)
  created = 1
else
  local m = readMeta(meta, 'issued', 'held')
  issued = m.issued
  -- A held unit is promised to a shopper until they confirm or it expires.
  if total < issued + m.held then return {Refusal.StockBelowIssued, total, issued} end
end
rcall('HSET', meta, 'total', total)
writeSettings(meta, 2)
return {created, total, issued}

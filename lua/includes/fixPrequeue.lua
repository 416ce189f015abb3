--[[
  Fixes the pre-queue's order once the sale has started: its tickets are reserved
  in one step (pqBase = the last ticket before them, seq moves past all of them),
  so a join from now on lands behind the whole pre-queue even while openPrequeue
  is still placing it. O(1); only the first call acts (pqBase stays set).
  Answers pqBase.
]]
local function fixPrequeue(meta, prequeue)
  local base = rcall('HGET', meta, 'pqBase')
  if base then return tonumber(base) end
  local seq = tonumber(rcall('HGET', meta, 'seq')) or 0
  rcall('HSET', meta, 'pqBase', seq, 'seq', seq + rcall('ZCARD', prequeue))
  return seq
end

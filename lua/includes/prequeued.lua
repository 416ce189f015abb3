--[[
  A pre-queued shopper's record, or nil if they are not in the pre-queue (a
  sorted set: userId scored by their draw key). Before the order is fixed it is
  "Q:<draw key>"; after, "W:<ticket>" from their rank (O(log n)) until
  openPrequeue writes it into the users hash. pqBase: meta's, false if unset.
]]
local function prequeuedRecord(prequeue, userId, pqBase)
  local key = rcall('ZSCORE', prequeue, userId)
  if not key then return nil end
  if pqBase then return waitingRecord(tonumber(pqBase) + rcall('ZRANK', prequeue, userId) + 1) end
  return 'Q:' .. key
end

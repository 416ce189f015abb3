-- A hold ends (confirmed, released or expired early): it leaves the index and its unit is no longer held.
local function endHold(meta, holds, userId)
  rcall('ZREM', holds, userId)
  rcall('HINCRBY', meta, 'held', -1)
end

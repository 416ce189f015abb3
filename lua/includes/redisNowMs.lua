-- Now in ms on the Redis clock: every hold deadline is set and checked on this one clock.
local function redisNowMs()
  local now = rcall('TIME')
  return tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
end

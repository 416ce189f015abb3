--[[
  Reads the named fields of a promotion's meta hash (one HMGET) into a table by
  name. Counters come back as numbers, 0 when unset; other fields as stored,
  false when unset (so a missing state means no such promotion).
]]
local metaCounters = { total = true, issued = true, held = true, seq = true, served = true,
  holdMs = true }
local function readMeta(meta, ...)
  local names = { ... }
  local values = rcall('HMGET', meta, unpack(names))
  local m = {}
  for i, name in ipairs(names) do
    local value = values[i]
    if metaCounters[name] then value = tonumber(value) or 0 end
    m[name] = value
  end
  return m
end

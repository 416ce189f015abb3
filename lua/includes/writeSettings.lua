--[[
  Writes a promotion's settings from ARGV[first] on: state, batchSize, intervalMs,
  startsAt, endsAt, mode, holdMs, prequeueAt, queueing, standby, challenge,
  challengeCost (the order core/room/promotionState.ts sends them).
]]
local function writeSettings(meta, first)
  rcall('HSET', meta, 'state', ARGV[first], 'batchSize', ARGV[first + 1],
    'intervalMs', ARGV[first + 2], 'startsAt', ARGV[first + 3], 'endsAt', ARGV[first + 4],
    'mode', ARGV[first + 5], 'holdMs', ARGV[first + 6], 'prequeueAt', ARGV[first + 7],
    'queueing', ARGV[first + 8], 'standby', ARGV[first + 9],
    'challenge', ARGV[first + 10], 'challengeCost', ARGV[first + 11])
end

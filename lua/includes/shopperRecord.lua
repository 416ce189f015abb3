--[[
  The shopper record, one string per shopper in the users hash, in the format
  core/model/shopperRecord.ts reads: "W:<ticket>", "P:<ticket>",
  "C:<ticket>:<code>", "F:<ticket>:<reason>", "H:<ticket>:<deadlineMs>:<code>",
  "X:<ticket>" (hold expired), "R:<ticket>" (hold released).
  The readers take a record as HGET answers it (false when there is none) and
  answer nil for any other kind of record.
]]
local function waitingRecord(ticket) return 'W:' .. ticket end
local function processingRecord(ticket) return 'P:' .. ticket end
local function completedRecord(ticket, code) return 'C:' .. ticket .. ':' .. code end
local function failedRecord(ticket, reason) return 'F:' .. ticket .. ':' .. reason end
local function heldRecord(ticket, deadline, code)
  return 'H:' .. ticket .. ':' .. deadline .. ':' .. code
end
local function expiredRecord(ticket) return 'X:' .. ticket end
local function releasedRecord(ticket) return 'R:' .. ticket end

local function waitingTicket(record) return string.match(record or '', '^W:(%d+)$') end
local function processingTicket(record) return string.match(record or '', '^P:(%d+)$') end
-- ticket, deadline (ms) and code of a HELD record
local function heldParts(record) return string.match(record or '', '^H:(%d+):(%d+):(.+)$') end

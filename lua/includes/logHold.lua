-- A hold's change (held, confirmed, expired, released) goes into the hold log in the
-- same atomic step as the change; core/writeBehind/holdLog.ts reads k, u, t and c and
-- turns each entry into one coupon.<k> event (the entry id's time is when it happened).
local function logHold(holdLog, kind, userId, ticket, code)
  rcall('XADD', holdLog, '*', 'k', kind, 'u', userId, 't', ticket, 'c', code)
end

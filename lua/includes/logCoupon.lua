-- A coupon issued goes into the write-behind log; core/writeBehind/decisionLog.ts reads u, t and c.
local function logCoupon(decisions, userId, ticket, code)
  rcall('XADD', decisions, '*', 'u', userId, 't', ticket, 'c', code)
end

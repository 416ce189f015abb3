-- A returned unit belongs to the standby line while it has shoppers (and the
-- promotion keeps one: standby on, not closed); new shoppers wait until it is empty.
local function standbyActive(m, standby)
  return m.standby ~= '0' and m.state ~= 'CLOSED' and rcall('ZCARD', standby) > 0
end

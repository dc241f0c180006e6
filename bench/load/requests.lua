-- POST new financing requests from the seeded suppliers, round robin.
dofile(os.getenv("LOAD_DIR") .. "/common.lua")
local data = os.getenv("LOAD_DATA")
local rows = read_lines(data .. "/posters.txt")
local counter = 0

function setup(thread)
  thread:set("offset", counter * 31)
  counter = counter + 1
end

local i = 0
function request()
  i = i + 1
  local row = split(rows[((i + (offset or 0)) % #rows) + 1])
  local body = '{"chainId":"' .. row[2] .. '","amount":250000.5,"termDays":90,"purpose":"load","acceptableTypes":[],"collateralOffered":["receivable"]}'
  return wrk.format("POST", "/api/v1/financing-requests",
    { ["X-Api-Key"] = row[1], ["Content-Type"] = "application/json" }, body)
end

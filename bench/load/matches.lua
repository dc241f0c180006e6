-- GET the top-10 matches of the seeded financing requests, round robin, as the regulator.
dofile(os.getenv("LOAD_DIR") .. "/common.lua")
local data = os.getenv("LOAD_DATA")
local ids = read_lines(data .. "/requests.txt")
local key = read_lines(data .. "/regulator.key")[1]
local counter = 0

function setup(thread)
  thread:set("offset", counter * 7919)
  counter = counter + 1
end

local i = 0
function request()
  i = i + 1
  local id = ids[((i + (offset or 0)) % #ids) + 1]
  return wrk.format("GET", "/api/v1/financing-requests/" .. id .. "/matches?limit=10", { ["X-Api-Key"] = key })
end

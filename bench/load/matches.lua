-- GET the top-10 matches of the seeded financing requests, round robin, as the regulator.
dofile(os.getenv("LOAD_DIR") .. "/common.lua")
local data = os.getenv("LOAD_DATA")
local ids = read_lines(data .. "/requests.txt")
local key = read_lines(data .. "/regulator.key")[1]

function request()
  return wrk.format("GET", "/api/v1/financing-requests/" .. next_row(ids) .. "/matches?limit=10", { ["X-Api-Key"] = key })
end

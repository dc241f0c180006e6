-- POST split transfers of 0.01 yuan from each seeded note's holder to another supplier, round robin over notes.
dofile(os.getenv("LOAD_DIR") .. "/common.lua")
local data = os.getenv("LOAD_DATA")
local rows = read_lines(data .. "/transfers.txt")
local counter = 0

function setup(thread)
  thread:set("offset", counter * 104729)
  counter = counter + 1
end

local i = 0
function request()
  i = i + 1
  local row = split(rows[((i + (offset or 0)) % #rows) + 1])
  local body = '{"toEnterpriseId":"' .. row[3] .. '","amount":0.01}'
  return wrk.format("POST", "/api/v1/notes/" .. row[1] .. "/transfers",
    { ["X-Api-Key"] = row[2], ["Content-Type"] = "application/json" }, body)
end

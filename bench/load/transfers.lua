-- POST split transfers of 0.01 yuan from each seeded note's holder to another supplier, round robin over notes.
dofile(os.getenv("LOAD_DIR") .. "/common.lua")
local rows = read_lines(os.getenv("LOAD_DATA") .. "/transfers.txt")

function request()
  local row = split(next_row(rows))
  return wrk.format("POST", "/api/v1/notes/" .. row[1] .. "/transfers",
    { ["X-Api-Key"] = row[2], ["Content-Type"] = "application/json" },
    '{"toEnterpriseId":"' .. row[3] .. '","amount":0.01}')
end

-- POST new financing requests from the seeded suppliers, round robin.
dofile(os.getenv("LOAD_DIR") .. "/common.lua")
local rows = read_lines(os.getenv("LOAD_DATA") .. "/posters.txt")

function request()
  local row = split(next_row(rows))
  return wrk.format("POST", "/api/v1/financing-requests",
    { ["X-Api-Key"] = row[1], ["Content-Type"] = "application/json" },
    '{"chainId":"' .. row[2] .. '","amount":250000.5,"termDays":90,"purpose":"load","acceptableTypes":[],"collateralOffered":["receivable"]}')
end

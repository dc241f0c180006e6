-- GET a bank's inbox (first page of 20) as the bank whose key is in $INBOX_KEY (narrow.key or wide.key).
dofile(os.getenv("LOAD_DIR") .. "/common.lua")
local data = os.getenv("LOAD_DATA")
local key = read_lines(data .. "/" .. (os.getenv("INBOX_KEY") or "narrow.key"))[1]

function request()
  return wrk.format("GET", "/api/v1/banks/me/matched-requests?limit=20", { ["X-Api-Key"] = key })
end

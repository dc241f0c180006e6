-- Shared by the wrk scripts: read a data file written by the seeder, report percentiles as one line.
function read_lines(path)
  local lines = {}
  for line in io.lines(path) do
    if #line > 0 then lines[#lines + 1] = line end
  end
  return lines
end

function split(line)
  local parts = {}
  for part in line:gmatch("%S+") do parts[#parts + 1] = part end
  return parts
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format("RESULT rps=%.1f p50_ms=%.3f p99_ms=%.3f requests=%d non2xx=%d errors=%d\n",
    summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end

-- Each wrk thread starts at its own offset in the data, then takes the rows in turn.
local thread_counter = 0
function setup(thread)
  thread:set("offset", thread_counter * 7919)
  thread_counter = thread_counter + 1
end

local position = 0
function next_row(rows)
  position = position + 1
  return rows[((position + (offset or 0)) % #rows) + 1]
end

#!/usr/bin/env bash
# Load benchmark: starts the service in Release on a fresh SQLite database, seeds it through the API
# (default 10k products, 100k financing requests, 10k notes), drives it with wrk and prints requests/s
# and p50/p99 for each scenario (matches, transfers, request posts, a narrow and a wide bank's inbox, matches while a
# product is updated every 50 ms), as a ratio to /health/live (the machine's ceiling), plus peak memory.
#
#   bench/load/run.sh [products] [requests] [notes]     e.g. bench/load/run.sh 1000 10000 1000
#
# Environment: DURATION (default 15s), CONNECTIONS (default 32), THREADS (default 2), SCENARIOS (default all:
# "live matches transfers requests inbox-narrow inbox-wide matches-upd"; live is always run, as the ceiling).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
products=${1:-10000}
requests=${2:-100000}
notes=${3:-10000}
duration=${DURATION:-15s}
connections=${CONNECTIONS:-32}
threads=${THREADS:-2}
scenarios=" ${SCENARIOS:-matches transfers requests inbox-narrow inbox-wide matches-upd} "

command -v wrk >/dev/null || { echo "installing wrk"; apt-get install -y wrk >/dev/null; }

work=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
export ConnectionStrings__FinanceChain="Data Source=$work/financechain.db"
export RateLimiting__PermitsPerMinute=100000000
export Logging__LogLevel__Default=Warning

dotnet build -c Release src/FinanceChain.Api >/dev/null
dotnet build -c Release bench/FinanceChain.LoadSeed >/dev/null
api="$root/src/FinanceChain.Api/bin/Release/net10.0/FinanceChain.Api.dll"
admin=$(cd "$work" && dotnet "$api" keys create --role admin --name load 2>/dev/null | tail -1)

port=$((20000 + RANDOM % 20000))
(cd "$work" && exec dotnet "$api" --urls "http://127.0.0.1:$port" >"$work/service.log" 2>&1) &
pid=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && break; sleep 0.2; done
# The shell started the service with exec, so $pid is the service process itself.

echo "seeding $products products, $requests requests, $notes notes"
dotnet "$root/bench/FinanceChain.LoadSeed/bin/Release/net10.0/FinanceChain.LoadSeed.dll" "http://127.0.0.1:$port" "$admin" "$work/data" "$products" "$requests" "$notes"

export LOAD_DIR="$root/bench/load" LOAD_DATA="$work/data"
run() { # name script path
  local line
  [ "$1" = live ] || [[ "$scenarios" == *" $1 "* ]] || return 0
  line=$(wrk -t"$threads" -c"$connections" -d"$duration" --latency -s "$LOAD_DIR/$2" "http://127.0.0.1:$port$3" | grep '^RESULT')
  echo "$1 $line"
}

echo "warming up"; wrk -t"$threads" -c"$connections" -d5s -s "$LOAD_DIR/matches.lua" "http://127.0.0.1:$port/" >/dev/null
# Updates the narrow bank's product back and forth every 50 ms while matches run: what product changes cost
# the readers (every instance refreshes its index on its next request after a change).
update_products() {
  local product body version=1 rate
  product=$(cat "$LOAD_DATA/narrow-product.txt")
  body=$(cat "$LOAD_DATA/narrow-product.json")
  while :; do
    rate=$((420 + version % 2))
    curl -sf -o /dev/null -X PUT -H "X-Api-Key: $(cat "$LOAD_DATA/narrow.key")" -H 'Content-Type: application/json' \
      -H "If-Match: \"$version\"" --data "${body/\"minRateBps\":420/\"minRateBps\":$rate}" \
      "http://127.0.0.1:$port/api/v1/products/$product" || break
    version=$((version + 1))
    sleep 0.05
  done
}

results=$(
  run live live.lua /health/live
  run matches matches.lua /
  run transfers transfers.lua /
  run requests requests.lua /
  INBOX_KEY=narrow.key run inbox-narrow inbox.lua /
  INBOX_KEY=wide.key run inbox-wide inbox.lua /
  if [[ "$scenarios" == *" matches-upd "* ]]; then
    update_products & updater=$!
    run matches-upd matches.lua /
    kill "$updater" 2>/dev/null
  fi
)
peak_kb=$(awk '/VmHWM/ { print $2 }' "/proc/$pid/status")

echo
echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); data: $products products, $requests requests, $notes notes; $connections connections, $duration each"
echo "$results" | awk '
  { name = $1; for (i = 2; i <= NF; i++) { split($i, kv, "="); v[name, kv[1]] = kv[2] } names[++n] = name }
  END {
    ceiling = v["live", "rps"]
    printf "%-10s %10s %9s %9s %9s %8s\n", "scenario", "req/s", "ratio", "p50 ms", "p99 ms", "non-2xx"
    for (i = 1; i <= n; i++) { s = names[i]
      printf "%-10s %10.0f %8.1f%% %9.2f %9.2f %8d\n", s, v[s, "rps"], 100 * v[s, "rps"] / ceiling, v[s, "p50_ms"], v[s, "p99_ms"], v[s, "non2xx"] }
  }'
echo "peak memory (VmHWM): $((peak_kb / 1024)) MB"

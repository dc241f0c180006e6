#!/usr/bin/env bash
# Peak memory of the service over a large market, with no seeding in the measured process: seeds a small market
# through the API (LoadSeed: 1,000 products and the requests asked), multiplies its products in SQL up to the count
# asked (copies with new ids and their rates spread over 250-600 bps, other terms, chains and banks alike), restarts the service on that database, then drives
# matches (with the narrow bank's product updated every 50 ms) and both inboxes, and prints the peak resident memory
# (VmHWM) of the restarted service with its resident memory at the end.
#
#   bench/load/memory.sh [products] [requests] [seconds per scenario]    e.g. bench/load/memory.sh 100000 20000 20
#
# Runtime settings to compare go in the environment of this script, e.g. DOTNET_gcServer=1 or DOTNET_TieredPGO=0; the
# last line names those set, and splits the resident memory into anonymous, file-backed and shared pages.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
products=${1:-100000}
requests=${2:-20000}
seconds=${3:-20}
seed_products=1000
(( products % seed_products == 0 )) || { echo "products must be a multiple of $seed_products"; exit 2; }

command -v wrk >/dev/null || { echo "installing wrk"; apt-get install -y wrk >/dev/null; }
command -v sqlite3 >/dev/null || { echo "installing sqlite3"; apt-get install -y sqlite3 >/dev/null; }

# MEMORY_WORK=dir keeps the seeded database there, and a later run with the same dir measures it again unseeded.
work=${MEMORY_WORK:-$(mktemp -d)}
mkdir -p "$work"
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; [ -z "${MEMORY_WORK:-}" ] && rm -rf "$work"' EXIT
export ConnectionStrings__FinanceChain="Data Source=$work/financechain.db"
export RateLimiting__PermitsPerMinute=100000000
export Logging__LogLevel__Default=Warning

dotnet build -c Release src/FinanceChain.Api >/dev/null
dotnet build -c Release bench/FinanceChain.LoadSeed >/dev/null
api="$root/src/FinanceChain.Api/bin/Release/net10.0/FinanceChain.Api.dll"

start() {
  port=$((20000 + RANDOM % 20000))
  (cd "$work" && exec dotnet "$api" --urls "http://127.0.0.1:$port" >>"$work/service.log" 2>&1) &
  pid=$!
  for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && break; sleep 0.2; done
}

if [ ! -f "$work/data/requests.txt" ]; then
admin=$(cd "$work" && dotnet "$api" keys create --role admin --name load 2>/dev/null | tail -1)
start
echo "seeding $seed_products products, $requests requests through the API"
dotnet "$root/bench/FinanceChain.LoadSeed/bin/Release/net10.0/FinanceChain.LoadSeed.dll" "http://127.0.0.1:$port" "$admin" "$work/data" "$seed_products" "$requests" 100 >/dev/null
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""

copies=$((products / seed_products - 1))
echo "multiplying the products to $products in SQL"
sqlite3 "$work/financechain.db" <<SQL
BEGIN;
CREATE TEMP TABLE copies (n INTEGER PRIMARY KEY);
WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < $copies) INSERT INTO copies SELECT n FROM c;
CREATE TEMP TABLE originals AS SELECT * FROM products;
INSERT INTO products (id, institution_id, name, type, min_amount_fen, max_amount_fen, min_term_days, max_term_days,
                      min_rate_bps, max_rate_bps, enterprise_sizes, regions, collateral, requires_confirmed_receivable,
                      max_advance_ratio_bps, active, version, change_seq, created_at, updated_at, withdrawn_at)
SELECT p.id || '_' || c.n, p.institution_id, p.name || ' ' || c.n, p.type, p.min_amount_fen, p.max_amount_fen,
       p.min_term_days, p.max_term_days, 250 + (p.min_rate_bps + 37 * c.n) % 351, 250 + (p.min_rate_bps + 37 * c.n) % 351 + p.max_rate_bps - p.min_rate_bps, p.enterprise_sizes,
       p.regions, p.collateral, p.requires_confirmed_receivable, p.max_advance_ratio_bps, p.active, p.version,
       p.change_seq, p.created_at, p.updated_at, p.withdrawn_at
FROM originals p CROSS JOIN copies c;
INSERT INTO product_chains (product_id, chain_id)
SELECT pc.product_id || '_' || c.n, pc.chain_id FROM product_chains pc JOIN originals p ON p.id = pc.product_id CROSS JOIN copies c;
COMMIT;
SELECT 'active products: ' || COUNT(*) FROM products WHERE active = 1;
SQL
fi

start
echo "restarted on the seeded database (pid $pid); driving it"
export LOAD_DIR="$root/bench/load" LOAD_DATA="$work/data"
drive() { wrk -t2 -c32 -d"$2" --latency -s "$LOAD_DIR/$1" "http://127.0.0.1:$port/" | grep '^RESULT' || true; }
update_products() {
  local product body version rate
  product=$(cat "$LOAD_DATA/narrow-product.txt")
  body=$(cat "$LOAD_DATA/narrow-product.json")
  # An earlier run on the same database left the product at a later version.
  version=$(curl -sf -H "X-Api-Key: $(cat "$LOAD_DATA/narrow.key")" "http://127.0.0.1:$port/api/v1/products/$product" \
    | grep -o '"version":[0-9]*' | cut -d: -f2)
  while :; do
    rate=$((420 + version % 2))
    curl -sf -o /dev/null -X PUT -H "X-Api-Key: $(cat "$LOAD_DATA/narrow.key")" -H 'Content-Type: application/json' \
      -H "If-Match: \"$version\"" --data "${body/\"minRateBps\":420/\"minRateBps\":$rate}" \
      "http://127.0.0.1:$port/api/v1/products/$product" || break
    version=$((version + 1))
    sleep 0.05
  done
}
rss() { awk -v what="$1" '$1 == what":" { printf "%d MB", $2 / 1024 }' "/proc/$pid/status"; }

# The first calls build both indexes; wrk's 2 s timeout must not count them as the steady state.
curl -sf -o /dev/null -H "X-Api-Key: $(cat "$LOAD_DATA/regulator.key")" \
  "http://127.0.0.1:$port/api/v1/financing-requests/$(head -1 "$LOAD_DATA/requests.txt")/matches?limit=10" || true
echo "after the first matches: VmHWM $(rss VmHWM), VmRSS $(rss VmRSS)"
echo "matches:      $(drive matches.lua "${seconds}s") VmHWM $(rss VmHWM)"
update_products & updater=$!
echo "matches-upd:  $(drive matches.lua "${seconds}s") VmHWM $(rss VmHWM)"
kill "$updater" 2>/dev/null || true
echo "inbox-narrow: $(INBOX_KEY=narrow.key drive inbox.lua "${seconds}s") VmHWM $(rss VmHWM)"
echo "inbox-wide:   $(INBOX_KEY=wide.key drive inbox.lua "${seconds}s") VmHWM $(rss VmHWM)"
echo "peak memory (VmHWM) $(rss VmHWM), resident now (VmRSS) $(rss VmRSS): anonymous $(rss RssAnon), files $(rss RssFile), shared $(rss RssShmem); $products products, $requests requests; $(env | grep -E '^DOTNET_' | grep -vE '^DOTNET_(CLI_|NOLOGO|GENERATE_ASPNET)' | sort | tr '\n' ' ')"

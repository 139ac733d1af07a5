#!/bin/sh
# REST benchmark (issue 26): relata's example server (examples/rest_server.cpp) against a
# LoopBack 4 application (@loopback/rest, loopback_app.js) on one throwaway PostgreSQL server
# and the same data, measured with wrk. Not a test, not in any build: run it by hand.
#
#   tests/benchmarks/rest/run.sh [BUILD_DIR]
#
# Routes: GET /customers/{id}/orders, GET /customers?filter={"include":["orders"],"limit":50}
# and POST /customers/{id}/orders. Each round runs every route on both sides, one after the
# other (the side that goes first alternates), and prints requests/s and p99 latency; the end
# prints, per route, the least, median and greatest relata / LoopBack ratio over the rounds
# (throughput: higher is better for relata; p99: lower is), and the machine's load.
#
# BUILD_DIR (default: build-bench at the top of the source tree) is configured, if it is not
# yet, with -DCMAKE_BUILD_TYPE=Release, and only rest_server is built in it. Environment:
#   ROUNDS=5         rounds
#   DURATION=10      seconds of each wrk run (after a 3 s warm-up run per route and side)
#   CONNECTIONS=16   wrk's connections (one wrk thread)
#   THREADS=CONNECTIONS  relata's server threads and PostgreSQL connections (httplib serves a
#                    kept-alive connection on one thread); LoopBack: one process, a pool of 8
#   CUSTOMERS=10000  customers, each with 10 orders
#
# It needs wrk (Debian's wrk), node and npm, psql and PostgreSQL's server programs, and
# cpp-httplib for the example server. LoopBack is installed from npm into a temporary
# directory at each run and removed afterwards. Exit status 77 when it cannot run.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
build=${1:-$root/build-bench}
rounds=${ROUNDS:-5}
duration=${DURATION:-10}
connections=${CONNECTIONS:-16}
threads=${THREADS:-$connections}
customers=${CUSTOMERS:-10000}

for tool in wrk node npm cmake psql; do
  if ! command -v $tool >/dev/null 2>&1; then
    echo "REST benchmark skipped: $tool is not installed"
    exit 77
  fi
done

if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$build" --target rest_server -j2 >/dev/null || {
  echo "REST benchmark skipped: rest_server cannot be built (is libcpp-httplib-dev installed?)"
  exit 77
}

work=$(mktemp -d "${TMPDIR:-/tmp}/relata-rest-bench.XXXXXX")
server_script="$root/tests/support/postgres_server.sh"
relata_pid=""
loopback_pid=""
cleanup() {
  [ -n "$relata_pid" ] && kill "$relata_pid" 2>/dev/null || true
  [ -n "$loopback_pid" ] && kill "$loopback_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  sh "$server_script" stop "$work/server"
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "Installing LoopBack 4 from npm into $work"
(
  cd "$work"
  echo '{"name": "relata-rest-benchmark", "private": true}' >package.json
  npm install --no-audit --no-fund --no-package-lock --loglevel=error \
    '@loopback/rest@^15' '@loopback/repository@^8' '@loopback/core@^7' \
    'loopback-connector-postgresql@^8' >npm.log 2>&1
) || {
  cat "$work/npm.log"
  echo "REST benchmark: npm install failed"
  exit 1
}

sh "$server_script" start "$work/server" >/dev/null
conninfo=$(cat "$work/server")
case $conninfo in
unavailable*)
  echo "REST benchmark skipped: $conninfo"
  exit 77
  ;;
esac

# The URL a server prints once it listens (it is polled for, up to 60 s).
listening_url() {
  i=0
  until grep -q '^listening on ' "$1" 2>/dev/null; do
    i=$((i + 1))
    if [ $i -gt 600 ]; then
      echo "REST benchmark: $2 did not start" >&2
      cat "$1" "$1.err" >&2 2>/dev/null || true
      exit 1
    fi
    sleep 0.1
  done
  sed -n 's/^listening on //p' "$1" | head -n 1 | sed 's|/$||'
}

# relata's server creates the tables (migrate); the data is added with SQL.
"$build/examples/rest_server" --postgres "$conninfo" --port 0 --no-seed --threads "$threads" \
  >"$work/relata.out" 2>"$work/relata.out.err" &
relata_pid=$!
relata_url=$(listening_url "$work/relata.out" "relata's server")
psql "$conninfo" -Xq -v ON_ERROR_STOP=1 <<SQL
INSERT INTO "Customer" (name, age, tag_ids)
  SELECT 'customer ' || c, 18 + c % 60, '{}' FROM generate_series(1, $customers) c;
INSERT INTO "Order" (description, total, customer_id)
  SELECT 'order ' || o || ' of customer ' || c, o * 1.25, c
  FROM generate_series(1, $customers) c, generate_series(1, 10) o;
ANALYZE;
SQL

NODE_PATH="$work/node_modules" NODE_NO_WARNINGS=1 node "$here/loopback_app.js" "$conninfo" \
  >"$work/loopback.out" 2>"$work/loopback.out.err" &
loopback_pid=$!
loopback_url=$(listening_url "$work/loopback.out" "LoopBack")

include_filter='%7B%22include%22%3A%5B%22orders%22%5D%2C%22limit%22%3A50%7D'
routes="orders include create"
route_path() {
  case $1 in
  orders) echo "/customers/1/orders" ;;
  include) echo "/customers?filter=$include_filter" ;;
  create) echo "/customers/$customers/orders" ;;  # outside the first 50: the include's rows stay
  esac
}

# Both sides answer the same (ignoring what only one side reads).
for route in orders include; do
  a=$(curl -s "$relata_url$(route_path $route)" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const j=JSON.parse(s);const strip=x=>Array.isArray(x)?x.map(strip):x&&typeof x==="object"?Object.fromEntries(Object.entries(x).filter(([k])=>k!=="tag_ids").map(([k,v])=>[k,strip(v)])):x;console.log(JSON.stringify(strip(j)).length)})')
  b=$(curl -s "$loopback_url$(route_path $route)" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.stringify(JSON.parse(s)).length))')
  echo "check $route: relata answers $a bytes of JSON, LoopBack $b"
done

# One wrk run: "requests/s p99_ms non_2xx".
measure() {
  side_url=$1
  route=$2
  seconds=$3
  script=""
  [ "$route" = create ] && script="-s $here/post_order.lua"
  # shellcheck disable=SC2086
  wrk -t1 -c"$connections" -d"${seconds}s" --latency $script "$side_url$(route_path "$route")" >"$work/wrk.out"
  awk '
    /Requests\/sec:/ { rps = $2 }
    /^ +99%/ { v = $2; unit = v; sub(/[0-9.]+/, "", unit); sub(/[a-z]+$/, "", v);
               p99 = (unit == "us") ? v / 1000 : (unit == "s") ? v * 1000 : v }
    /Non-2xx or 3xx responses:/ { bad = $5 }
    END { printf "%s %s %d\n", rps, p99, bad }' "$work/wrk.out"
}

echo "PostgreSQL: $(psql "$conninfo" -XAtc 'SHOW server_version')"
echo "relata: $relata_url ($threads threads); LoopBack 4: $loopback_url; $customers customers"
echo "wrk: 1 thread, $connections connections, ${duration}s per run, $rounds rounds"
echo "load before: $(cat /proc/loadavg)"
for route in $routes; do
  measure "$relata_url" "$route" 3 >/dev/null
  measure "$loopback_url" "$route" 3 >/dev/null
done

: >"$work/results"
printf '%-6s %-8s %-9s %10s %9s %s\n' round route side 'req/s' 'p99 ms' 'non-2xx'
r=1
while [ $r -le "$rounds" ]; do
  for route in $routes; do
    if [ $((r % 2)) -eq 1 ]; then order="relata loopback"; else order="loopback relata"; fi
    for side in $order; do
      if [ $side = relata ]; then url=$relata_url; else url=$loopback_url; fi
      set -- $(measure "$url" "$route" "$duration")
      printf '%-6s %-8s %-9s %10s %9s %s\n' "$r" "$route" "$side" "$1" "$2" "$3"
      echo "$r $route $side $1 $2 $3" >>"$work/results"
    done
  done
  r=$((r + 1))
done
echo "load after: $(cat /proc/loadavg)"

node -e '
const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n");
const runs = {};
for (const l of lines) {
  const [round, route, side, rps, p99] = l.split(" ");
  ((runs[route] ??= {})[round] ??= {})[side] = {rps: +rps, p99: +p99};
}
const stats = xs => { xs.sort((a, b) => a - b); return [xs[0], xs[(xs.length - 1) >> 1], xs[xs.length - 1]]; };
const f = x => x.toFixed(2);
console.log("\nrelata / LoopBack 4, least / median / greatest over the rounds");
console.log("route    throughput ratio (higher: relata faster)   p99 ratio (lower: relata better)");
for (const [route, rounds] of Object.entries(runs)) {
  const rps = [], p99 = [];
  for (const r of Object.values(rounds)) {
    rps.push(r.relata.rps / r.loopback.rps);
    p99.push(r.relata.p99 / r.loopback.p99);
  }
  console.log(`${route.padEnd(8)} ${stats(rps).map(f).join(" / ").padEnd(42)} ${stats(p99).map(f).join(" / ")}`);
}' "$work/results"

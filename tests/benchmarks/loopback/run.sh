#!/bin/sh
# LoopBack 4 as a standing benchmark (issue 25): the same workloads on relata and on LoopBack 4
# (@loopback/repository 8.x, loopback-connector-postgresql) against one throwaway PostgreSQL
# server and the same data, with relata / LoopBack time ratios (least, median and greatest over
# interleaved rounds), the statements each side sends, and a check that both return the same
# data. Not a test, not in any build: run it by hand.
#
#   tests/benchmarks/loopback/run.sh [BUILD_DIR]
#
# BUILD_DIR (default: build-bench at the top of the source tree) is configured, if it is not
# yet, with -DCMAKE_BUILD_TYPE=Release -DRELATA_BUILD_BENCHMARKS=ON, and only the relata side
# (bench_loopback_relata) is built in it. Environment:
#   ROUNDS=5              rounds after the warm-up round
#   CUSTOMERS=10000       customers; each has 10 orders, each order 5 items
#   CREATE_ALL_CHUNK=N    rows per LoopBack createAll call (default in compare.js)
#   TMPDIR                where the server and LoopBack's packages go (/tmp by default; with
#                         its WAL the server may take up to about 1 GB there)
#
# It needs node and npm, and PostgreSQL's server programs with pg_stat_statements (Debian's
# postgresql package has it). LoopBack is installed from npm into a temporary directory at
# each run and removed afterwards: nothing in relata's library or tests depends on Node. The
# server is tests/support/postgres_server.sh's (Unix socket only), started with
# pg_stat_statements preloaded so that the server counts both sides' statements the same way.
#
# What runs, and how it is counted: loopback_side.js, relata_side.cpp and compare.js.
# Exit status 77 when it cannot run (no node or npm, no server programs).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
build=${1:-$root/build-bench}

for tool in node npm cmake; do
  if ! command -v $tool >/dev/null 2>&1; then
    echo "LoopBack benchmark skipped: $tool is not installed"
    exit 77
  fi
done

if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DRELATA_BUILD_BENCHMARKS=ON >/dev/null
fi
cmake --build "$build" --target bench_loopback_relata -j1 >/dev/null
relata_side="$build/tests/benchmarks/bench_loopback_relata"

work=$(mktemp -d "${TMPDIR:-/tmp}/relata-loopback.XXXXXX")
server_script="$root/tests/support/postgres_server.sh"
trap 'sh "$server_script" stop "$work/server"; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

echo "Installing LoopBack 4 from npm into $work"
(
  cd "$work"
  echo '{"name": "relata-loopback-benchmark", "private": true}' >package.json
  npm install --no-audit --no-fund --no-package-lock --loglevel=error \
    '@loopback/repository@^8' '@loopback/core@^7' 'loopback-connector-postgresql@^8' \
    >npm.log 2>&1
) || {
  cat "$work/npm.log"
  echo "LoopBack benchmark: npm install failed"
  exit 1
}

RELATA_PG_SERVER_OPTIONS="-c shared_preload_libraries=pg_stat_statements" \
  sh "$server_script" start "$work/server" >/dev/null
conninfo=$(cat "$work/server")
case $conninfo in
unavailable*)
  echo "LoopBack benchmark skipped: $conninfo"
  exit 77
  ;;
esac
echo "PostgreSQL: $(psql "$conninfo" -XAtc 'SHOW server_version' 2>/dev/null || echo '?')"
echo "uptime before: $(uptime)"

NODE_PATH="$work/node_modules" NODE_NO_WARNINGS=1 node "$here/compare.js" \
  --relata="$relata_side" --conninfo="$conninfo" \
  --customers="${CUSTOMERS:-10000}" --rounds="${ROUNDS:-5}" \
  ${CREATE_ALL_CHUNK:+--create-all-chunk="$CREATE_ALL_CHUNK"}

echo "uptime after: $(uptime)"

#!/bin/sh
# Runs a PostgreSQL benchmark's smoke run against the test suite's throwaway server (the CTest
# fixture of tests/CMakeLists.txt): reads its connection string from STATE into
# RELATA_BENCH_POSTGRES; exits 77 (skipped) when the fixture wrote "unavailable: why".
#
#   with_test_server.sh STATE PROGRAM [ARGUMENT ...]
set -eu
state=$1
shift
conninfo=$(cat "$state" 2>/dev/null || echo "unavailable: no server state in $state")
case $conninfo in
unavailable*)
  echo "skipped: $conninfo"
  exit 77
  ;;
esac
RELATA_BENCH_POSTGRES=$conninfo exec "$@"

#!/bin/sh
# Run time of two relata builds, paired: each benchmark program of BEFORE_BUILD and
# AFTER_BUILD run one after the other (the side that goes first alternating by round), ROUNDS
# times, reporting per relata case the after/before ratio of its time as least / median /
# greatest over the rounds, and the machine's load.
#
#   tests/benchmarks/compare_runtime.sh BEFORE_BUILD AFTER_BUILD [program ...]
#
# Builds are build directories configured with -DRELATA_BUILD_BENCHMARKS=ON (Release) whose
# programs are built; programs default to bench_sqlite_crud bench_sqlite_include. Environment:
# ROUNDS (5), FILTER (relata: the relata cases only).
set -eu
before=$(cd "$1" && pwd)
after=$(cd "$2" && pwd)
shift 2
programs=${*:-bench_sqlite_crud bench_sqlite_include}
rounds=${ROUNDS:-5}
filter=${FILTER:-relata}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
round=1
while [ "$round" -le "$rounds" ]; do
  for program in $programs; do
    if [ $((round % 2)) = 1 ]; then order="before after"; else order="after before"; fi
    for side in $order; do
      dir=$before
      [ "$side" = after ] && dir=$after
      "$dir/tests/benchmarks/$program" --benchmark_filter="$filter" --benchmark_format=console \
        --benchmark_color=false 2>/dev/null | sed 's/\x1b\[[0-9;]*m//g' |
        awk -v r="$round" -v s="$side" '$1 ~ /\// && $3 ~ /^(ns|us|ms|s)$/ {
          f = ($3 == "ns") ? 1e-9 : ($3 == "us") ? 1e-6 : ($3 == "ms") ? 1e-3 : 1
          print r, s, $1, $2 * f }' >>"$out"
    done
  done
  round=$((round + 1))
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "case  after/before: least median greatest (rounds)"
awk '{ t[$3 " " $1 " " $2] = $4; names[$3] = 1; rounds[$1] = 1 }
  END {
    for (n in names) {
      k = 0
      for (r in rounds) if ((n " " r " before") in t && (n " " r " after") in t)
        v[++k] = t[n " " r " after"] / t[n " " r " before"]
      for (i = 2; i <= k; i++) { x = v[i]; j = i - 1; while (j > 0 && v[j] > x) { v[j + 1] = v[j]; j-- } v[j + 1] = x }
      m = (k % 2) ? v[(k + 1) / 2] : (v[k / 2] + v[k / 2 + 1]) / 2
      printf "%-45s %.2f %.2f %.2f (%d)\n", n, v[1], m, v[k], k
    }
  }' "$out" | sort

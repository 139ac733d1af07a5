#!/bin/sh
# relata's compile-time benchmark: wall time and peak memory of compiling (-c) the generated
# N-model translation units (generate.cmake), the quickstart example and the baseline (the
# dependency headers alone), with each compiler at -O0 and -O2, in the default header-only
# mode and with RELATA_SEPARATE_COMPILATION (relata's engine compiled once in another .cpp).
#
# For each N it also compiles:
#   floor_N           the same N structs in plain C++ (std::vector and std::unique_ptr for
#                     the relations), with the dependency headers: no mapper can cost less
#   extern_N          models_N with every model RELATA_EXTERN_MODEL ...
#   instances_N       ... and the unit that RELATA_INSTANTIATE_MODELs them, compiled once
#
#   tests/benchmarks/compile_cost/compile_cost.sh [N ...]      (default: 10 50 100)
#
# Environment: COMPILERS (default: "g++ clang++", those installed), OPTS (default: "-O0 -O2"),
# MODES (default: "header-only separate"). Needs GNU time (/usr/bin/time, Debian's "time").
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
sizes=${*:-10 50 100}
compilers=${COMPILERS:-g++ clang++}
opts=${OPTS:--O0 -O2}
modes=${MODES:-header-only separate}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

[ -x /usr/bin/time ] || { echo "compile_cost.sh: needs GNU time (/usr/bin/time)" >&2; exit 1; }

cmake -DN=0 -DOUT="$work/baseline.cpp" -P "$here/generate.cmake"
cp "$root/examples/quickstart.cpp" "$root/examples/quickstart_models.hpp" "$work/"
units="baseline quickstart"
for n in $sizes; do
  cmake -DN="$n" -DOUT="$work/models_$n.cpp" -P "$here/generate.cmake"
  cmake -DN="$n" -DOUT="$work/extern_$n.cpp" -DINSTANCES="$work/instances_$n.cpp" \
    -P "$here/generate.cmake"
  cmake -DN="$n" -DOUT="$work/floor_$n.cpp" -DFLOOR=ON -P "$here/generate.cmake"
  units="$units floor_$n models_$n extern_$n instances_$n"
done

printf '%-10s %-4s %-12s %-12s %9s %10s\n' compiler opt mode unit "wall (s)" "peak (MiB)"
for cxx in $compilers; do
  command -v "$cxx" >/dev/null 2>&1 || { echo "($cxx not installed: skipped)"; continue; }
  for opt in $opts; do
    for mode in $modes; do
      define=""
      [ "$mode" = separate ] && define="-DRELATA_SEPARATE_COMPILATION"
      for unit in $units; do
        case "$unit" in baseline | floor_*) [ "$mode" = separate ] && continue ;; esac
        /usr/bin/time -f '%e %M' -o "$work/time" \
          "$cxx" -std=c++20 $opt $define -I"$root/include" -c "$work/$unit.cpp" -o "$work/$unit.o"
        read -r wall kib < "$work/time"
        printf '%-10s %-4s %-12s %-12s %9s %10d\n' "$cxx" "$opt" "$mode" "$unit" "$wall" $((kib / 1024))
      done
    done
  done
done

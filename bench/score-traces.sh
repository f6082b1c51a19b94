#!/bin/sh
# score-traces.sh - writes the malloc-lab style trace set that `heaplab
# score` measures utilization on (README, BENCHMARKS.md, tests/utilization.sh).
#
#   score-traces.sh GEN_TRACE DIR
#
# Eleven traces, as the CS:APP lab's driver has: two each of the patterns
# it has two of (binary, random, realloc), and one of each other pattern
# of gen_trace (coalesce, fifo, lifo, pow2, survivors), about 20000
# operations each, from fixed seeds: the same files on every machine.
set -eu
gen=$1
dir=$2
mkdir -p "$dir"
for spec in binary:1 binary:2 coalesce:1 random:1 random:2 realloc:1 \
            realloc:2 fifo:1 lifo:1 pow2:1 survivors:1; do
  pattern=${spec%:*}
  seed=${spec#*:}
  "$gen" -p "$pattern" -n 20000 -s "$seed" >"$dir/$pattern-$seed.rep"
done

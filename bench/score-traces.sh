#!/bin/sh
# score-traces.sh - writes the malloc-lab style trace set that `heaplab
# score` measures utilization on (README, BENCHMARKS.md, tests/utilization.sh).
#
#   score-traces.sh [--other-seeds] GEN_TRACE DIR
#
# Fifteen traces.  The first eleven, as the CS:APP lab's driver has eleven:
# two each of the patterns it has two of (binary, random, realloc), and
# one of each other pattern of gen_trace (coalesce, fifo, lifo, pow2,
# survivors).  Then two each of the patterns that follow the lab's own
# binary and realloc traces more closely (binary-large: the large objects
# freed; realloc-one: one buffer growing), which the first eleven lack.
# About 20000 operations each (binary-large finishes its round), from
# fixed seeds: the same files on every machine.  The mean is taken over
# all fifteen, each trace weighing the same; tests/utilization.sh also
# checks the mean over the first eleven.
#
# --other-seeds writes a second set instead, to check that what was tuned
# on the first holds on traces it was not tuned on: each of the ten
# patterns of the fifteen with seeds 3 and 4, twenty traces.
set -eu
specs="binary:1 binary:2 coalesce:1 random:1 random:2 realloc:1 realloc:2
       fifo:1 lifo:1 pow2:1 survivors:1
       binary-large:1 binary-large:2 realloc-one:1 realloc-one:2"
if [ "${1:-}" = --other-seeds ]; then
  specs=
  for pattern in binary coalesce random realloc fifo lifo pow2 survivors \
                 binary-large realloc-one; do
    specs="$specs $pattern:3 $pattern:4"
  done
  shift
fi
[ $# -eq 2 ] || {
  echo "usage: score-traces.sh [--other-seeds] GEN_TRACE DIR" >&2; exit 2; }
gen=$1
dir=$2
mkdir -p "$dir"
for spec in $specs; do
  pattern=${spec%:*}
  seed=${spec#*:}
  "$gen" -p "$pattern" -n 20000 -s "$seed" >"$dir/$pattern-$seed.rep"
done

#!/bin/sh
# bench-run.sh [OPS] - times `heaplab run` on a generated script of OPS
# operations (a million by default): random allocations, frees and
# reallocs of up to 2000 live objects named by words, on the default heap.
# Prints "bench-run: N operations in S seconds".  Set HEAPLAB to the
# binary (default: ../tools/heaplab, from tests/ in a build directory).
set -eu
ops=${1:-1000000}
heaplab=${HEAPLAB:-../tools/heaplab}
file=$(mktemp "${TMPDIR:-/tmp}/bench-run.XXXXXX")
trap 'rm -f "$file"' EXIT

awk -v n="$ops" 'BEGIN {
  srand(1)
  print "heap capacity=1G increment=64K"
  nlive = 0; next_id = 0
  split("8 16 24 40 100 200 1000 4000", sizes, " ")
  for (i = 0; i < n; i++) {
    roll = rand()
    if (nlive > 0 && (nlive >= 2000 || roll < 0.45)) {
      k = int(rand() * nlive) + 1
      print "f obj" live[k]
      live[k] = live[nlive--]
    } else if (nlive > 0 && roll < 0.50) {
      print "r obj" live[int(rand() * nlive) + 1], int(rand() * 2000) + 1
    } else {
      live[++nlive] = next_id
      print "a obj" next_id++, sizes[int(rand() * 8) + 1]
    }
  }
}' >"$file"

start=$(date +%s.%N)
"$heaplab" run --quiet "$file"
end=$(date +%s.%N)
awk -v n="$ops" -v s="$start" -v e="$end" \
  'BEGIN { printf "bench-run: %d operations in %.3f seconds\n", n, e - s }'

#!/bin/sh
# gen.sh - writes one script per placement policy and list order: the
# workload under that heap line, then expect lines for its final figures
# (heap size, free bytes, largest free block, free blocks), as measured
# by `heaplab run --stats`.  The scripts are numbered 02 to 13 in the
# order of the README's table, after 01-workload.hl, so that `heaplab
# lesson 8` opens them in that order.  Run from this directory after
# changing the workload: HEAPLAB=path/to/heaplab sh gen.sh
set -eu
HEAPLAB=${HEAPLAB:-heaplab}
n=2
for fit in first next best worst; do
  for order in lifo fifo address; do
    out=$(printf '%02d' "$n")-$fit-$order.hl
    n=$((n + 1))
    stats=$("$HEAPLAB" run --stats --heap "fit=$fit order=$order" 01-workload.hl)
    {
      echo "# Lesson 8: 01-workload.hl with fit=$fit order=$order (written by gen.sh)."
      sed -e "s/^heap preset=reference increment=0\$/heap preset=reference increment=0 fit=$fit order=$order/" \
          -e '/^check$/d' -e '/^# Run it under/,/^#   heaplab run/d' 01-workload.hl |
        grep -v '^# Lesson 8: one workload'
      echo "$stats" | awk '
        /heap size/ {print "expect heap_size " $3}
        /free blocks/ {sub(",", "", $3); print "expect free_blocks " $3;
                       print "expect free_bytes " $4}
        /largest free/ {print "expect largest_free " $3}'
      echo "check"
    } > "$out"
  done
done

#!/bin/sh
# gen.sh - writes 4-steady.hl, a workload in equilibrium: LIVE objects of
# random sizes, then STEPS times one of them, picked at random, freed and
# a new one of a random size allocated.  The numbers come from the
# Park-Miller generator, seeded with SEED, in plain awk arithmetic, so the
# script is the same on every machine.  Then, like lesson 8's gen.sh, one
# script per configuration (5-steady-first-lifo.hl, 6-steady-first-address.hl,
# 7-steady-best-lifo.hl, numbered in the README's order): the workload under
# that heap, ending in expect lines for its final figures as `heaplab run
# --stats` measures them.
# Run from this directory: HEAPLAB=path/to/heaplab sh gen.sh
set -eu
HEAPLAB=${HEAPLAB:-heaplab}
LIVE=${LIVE:-60} STEPS=${STEPS:-600} SEED=${SEED:-2026}
awk -v live="$LIVE" -v steps="$STEPS" -v seed="$SEED" '
  function rand_below(n) { seed = (seed * 16807) % 2147483647; return seed % n }
  function size() { return 16 + rand_below(241) }   # 16 to 256 bytes
  BEGIN {
    print "# Lesson 18: a workload in equilibrium (written by gen.sh): " live
    print "# objects of 16 to 256 bytes live at once; then " steps " times, one"
    print "# of them picked at random is freed and a new one allocated."
    print "heap preset=default increment=0"
    for (i = 0; i < live; i++) { slot[i] = "o" i; print "a o" i " " size() }
    for (s = 0; s < steps; s++) {
      i = rand_below(live)
      print "f " slot[i]
      slot[i] = "n" s
      print "a n" s " " size()
    }
    print "check"
  }' > 4-steady.hl
n=5
for config in "fit=first order=lifo" "fit=first order=address" \
              "fit=best order=lifo"; do
  fit=${config%% *}; fit=${fit#fit=}; order=${config##*=}
  out=$n-steady-$fit-$order.hl
  n=$((n + 1))
  stats=$("$HEAPLAB" run --stats --heap "$config" 4-steady.hl)
  {
    echo "# Lesson 18: 4-steady.hl with $config (written by gen.sh)."
    sed -e "s/^heap preset=default increment=0\$/& $config/" \
        -e '/^check$/d' -e '/^# Lesson 18: a workload/d' 4-steady.hl
    echo "$stats" | awk '
      /heap size/ {print "expect heap_size " $3}
      /used blocks/ {sub(",", "", $3); print "expect used_blocks " $3}
      /free blocks/ {sub(",", "", $3); print "expect free_blocks " $3;
                     print "expect free_bytes " $4}
      /largest free/ {print "expect largest_free " $3}
      /counts/ {for (i = 2; i <= NF; i++) {split($i, kv, "=");
                  if (kv[1] == "grows" || kv[1] == "splits")
                    print "expect " kv[1] " " kv[2]}}'
    echo "check"
  } > "$out"
done

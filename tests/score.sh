#!/bin/sh
# score.sh - `heaplab score` on scripts small enough to score by hand: the
# exact utilization, failed, heap, merge and split figures, the winner
# marks, the CSV's shape, the chart, and the errors.  Prints TAP.  Needs
# $HEAPLAB (the heaplab binary; make check sets it).
#
# Every heap here grows by exactly what it needs (increment=16), on the
# static grower, whose buffer starts on a page: with align=16 the first
# block starts 8 bytes in (so that objects are aligned), with align=8 at 0.
set -u
cli_name=score
. "${top_srcdir:-../..}/tests/cli-lib.sh"
err_has() { grep -q -- "$1" err; }
out_has() { grep -q -- "$1" out; }
# csv_row TRACE HEAP: the CSV line of that trace and configuration.
csv_row() { grep -F -- "$1,$2," out; }
# csv_fields TRACE HEAP FROM: fields FROM.. of that line (not ops/s).
csv_is() { [ "$(csv_row "$1" "$2" | cut -d, -f"$3")" = "$4" ]; }

REF='preset=reference increment=16'
DEF='preset=default increment=16'
BEST='preset=default fit=best increment=16'

# One object of 1000 bytes.  align=8: its block is 0..1008 (a header and
# 1000 bytes), so 1000 / 1008 = 99.2%.  align=16: 8..1016, 1000 / 1016 =
# 98.4%.
printf 'a x 1000\n' >one.hl
# Holes: a 8..120 (104 bytes of contents), b 120..152 (24, the minimum),
# c 152..360 (208), d 360..392.  Peak live: 100+16+200+16 = 332 of 392
# bytes, 84.69%.  e (90 bytes, a block of 104) then goes where the fit
# says: first fit takes c's hole, freed last (lifo), and splits it; best
# fit takes a's hole, which it fills, and splits nothing.  Freeing b then
# merges it with the one free neighbour it has either way.
printf 'a a 100\na b 16\na c 200\na d 16\nf a\nf c\na e 90\nf b\n' >holes.hl
# A 1K static heap: x takes 8..616 (600 / 616 = 97.40%); y does not fit.
printf 'heap capacity=1K\na x 600\na y 600\n' >full.hl

run score --heap "$REF" --heap "$DEF" one.hl
ok "a table exits 0" status_is 0
ok "align=8 holds 1000 bytes in 1008" \
  out_has "^one.hl  preset=reference increment=16 *99.2%\* .* 0  *1008\*"
ok "align=16 in 1016, and wins nothing but maybe speed" \
  out_has "^        preset=default increment=16 *98.4%  .* 0  *1016  "
ok "the averages follow" out_has "^mean over 1 trace:"
ok "a column where every row ties marks no one" \
  sh -c '! grep -q " 0\*" out'

run score --csv --heap 'increment=16' --heap 'fit=best increment=16' \
  holes.hl full.hl
ok "--csv exits 0" status_is 0
ok "--csv starts with its header" \
  sh -c '[ "$(head -n 1 out)" = "trace,heap,utilization_percent,ops_per_second,failed,final_heap,merges,splits" ]'
ok "--csv: one row per trace and heap, then one mean per heap" \
  sh -c '[ "$(wc -l <out)" -eq 7 ] && [ "$(grep -c "^mean," out)" -eq 2 ]'
ok "--csv: every row has 8 fields" \
  sh -c '[ "$(awk -F, "NF != 8" out | wc -l)" -eq 0 ]'
ok "first fit: 84.69%, no failure, 392 bytes, 1 merge, 1 split" \
  csv_is holes.hl increment=16 3,5- "84.69,0,392,1,1"
ok "best fit: the same, but no split" \
  csv_is holes.hl 'fit=best increment=16' 3,5- "84.69,0,392,1,0"
ok "the second object does not fit in 1K: 1 failed, 97.40%" \
  csv_is full.hl increment=16 3,5- "97.40,1,616,0,0"
ok "throughput is a positive number" \
  sh -c '[ "$(grep -F holes.hl,increment=16, out | cut -d, -f4)" -gt 0 ]'
ok "the mean of first fit: (84.69 + 97.40) / 2 = 91.05%, 0.5 failures \
(rounded to 1), (392 + 616) / 2 = 504 bytes" \
  csv_is mean increment=16 3,5- "91.05,1,504,1,1"

# A recording's heap line raises the capacity its program needed; a
# preset given with --heap keeps it (it sets the library's knobs only),
# so 2 MB fit in the 4M the line asks for.
printf 'heap preset=default grower=static capacity=4M\na x 2000000\n' >big.hl
run score --csv --heap preset=fast --heap preset=compact big.hl
ok "--heap preset=... keeps the heap line's capacity: nothing fails" \
  sh -c '[ "$(grep -c "^big.hl,preset=[a-z]*,[0-9.]*,[0-9]*,0," out)" -eq 2 ]'

run score --heap "$DEF" --heap "$BEST" holes.hl
ok "best fit wins the splits" \
  out_has "^ *preset=default fit=best increment=16 .* 0\*$"
ok "first fit does not" \
  out_has "^holes.hl  preset=default increment=16 .* 1$"

LC_ALL=C run score --chart --heap "$DEF" holes.hl
ok "--chart draws heap and live in ASCII outside UTF-8" \
  out_has "preset=default increment=16  heap |[ .:=+*#@-]*|  live |[ .:=+*#@-]*|$"
ok "--chart: the heap reaches the top of its scale" out_has "heap |[^|]*@"
# holes.hl has fewer steps than the chart has columns: each step spans
# several, and the heap's line, once it has grown, has no blank in it.
ok "--chart: a short script leaves no hole in the heap's line" \
  out_has "heap | *[.:=+*#@-]*[.:=+*#@-]|"

run score holes.hl
ok "without --heap: the presets and the fits" \
  sh -c 'for h in preset=reference preset=default preset=fast \
           preset=compact "fit=next" "fit=best" "fit=worst" \
           "fit=segregated"; do grep -q -- "$h" out || exit 1; done'

run score --help
ok "--help exits 0 and shows the usage" sh -c "[ $status -eq 0 ] && grep -q '^usage: heaplab score' out"
run score --version
ok "--version names the command" sh -c "[ $status -eq 0 ] && grep -q '^heaplab score ' out"

run score --colour holes.hl
ok "an unknown option exits 2" status_is 2
ok "and says which" err_has "^heaplab score: unknown or incomplete option '--colour'"
run score
ok "no script exits 2" status_is 2
ok "and says so" err_has "^heaplab score: no script given"
run score missing.hl
ok "an unreadable file exits 2" status_is 2
ok "and names it" err_has "^missing.hl: "
printf 'a x 10\nf y\n' >bad.hl
run score bad.hl
ok "a mistake in a script exits 2" status_is 2
ok "with FILE:LINE" err_has "^bad.hl:2: "
run score --heap 'fit=good' holes.hl
ok "a bad --heap exits 2" status_is 2
ok "and says why" err_is "heaplab score: --heap 'fit=good': bad value 'good' for 'fit'; expected first, next, best, worst or segregated"
run score --heap 'fit=segregated merge=lazy' holes.hl
ok "settings that cannot go together exit 2" status_is 2
ok "before anything is printed" sh -c '[ ! -s out ]'

echo "1..$n"
exit $failed

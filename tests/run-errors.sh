#!/bin/sh
# run-errors.sh - `heaplab run` as a user meets it: exit statuses, the
# exact messages of bad scripts and failing expects, and the options.
# Prints TAP.  Needs $HEAPLAB (the heaplab binary; make check sets it).
set -u
cli_name=run-errors
. "${top_srcdir:-../..}/tests/cli-lib.sh"
out_is() { [ "$(cat out)" = "$1" ]; }
out_empty() { [ ! -s out ]; }
out_has() { grep -q -- "$1" out; }

printf 'heap preset=reference\na x 10\na y 100\nexpect block y 24\n' >good.hl
printf '# a mistake\na x 10\na y x12\n' >bad.hl
printf 'a x 10\nexpect block x 8\nexpect block x 9\nexpect block x 10\n' >fails.hl
printf 'a x 10\n' >align.hl
printf 'heap preset=reference\nexpect block x 0\n' >unknown.hl

run run good.hl
ok "a script whose expects hold exits 0" status_is 0
ok "and says so in one line" out_is "good.hl: passed: 2 operations, 1 check or expect"

printf 'heap preset=reference\na x 10\nexpect block x 0\nexpect size x 16\ncheck\n' >one.hl
run run one.hl
ok "operations and checks are counted apart" out_is "one.hl: passed: 1 operation, 3 checks or expects"

printf 'heap fit=segregated merge=lazy\na x 10\n' >segregated.hl
run run good.hl segregated.hl
ok "fit=segregated merge=lazy is a mistake in the script" status_is 2
ok "found while parsing, before any script runs" out_empty
ok "named with its line and why" err_is "segregated.hl:1: fit=segregated cannot go with merge=lazy: a segregated heap needs merge=immediate or merge=none"
printf 'heap merge=lazy\na x 10\n' >lazy.hl
run run --heap fit=segregated lazy.hl
ok "and so is --heap fit=segregated over merge=lazy" status_is 2
ok "which says why" err_is "heaplab run: --heap: fit=segregated cannot go with merge=lazy: a segregated heap needs merge=immediate or merge=none"

run run --quiet good.hl
ok "--quiet prints nothing" out_empty

run run bad.hl
ok "a mistake in a script exits 2" status_is 2
ok "with FILE:LINE: what was expected" err_is "bad.hl:3: expected a size after 'a ID', got 'x12'"

run run unknown.hl
ok "an unknown ID exits 2" status_is 2
ok "and is named" err_is "unknown.hl:2: unknown ID 'x': it was never allocated"

run run fails.hl
ok "a failing expect exits 1" status_is 1
ok "with FILE:LINE and the value found; the script stops there" \
  err_is "fails.hl:3: expect block x: expected 9, got 8"

run run --quiet good.hl fails.hl good.hl
ok "one failing script of three exits 1" status_is 1

run run good.hl bad.hl
ok "a mistake in any script exits 2" status_is 2
ok "before any script runs" out_empty

run run missing.hl
ok "a missing file exits 2" status_is 2
ok "and is named" err_is "missing.hl: No such file or directory"

printf 'a x 10\nexpect block x 0\n' >ref.hl
run run --quiet ref.hl
ok "the default heap puts the first block at 8" status_is 1
run run --quiet --heap 'preset=reference' ref.hl
ok "--heap preset=reference puts it at 0" status_is 0
run run --quiet --heap 'preset=reference' --heap 'align=16' ref.hl
ok "--heap may be given twice; the last wins" status_is 1

run run --heap 'colour=red' good.hl
ok "a bad --heap exits 2" status_is 2
ok "and says why" err_is "heaplab run: --heap: unknown heap key 'colour'; expected preset, align, fit, order, merge, place, cache, heaps, grower, capacity or increment"

run run --dump-each good.hl
ok "--dump-each dumps after every step" \
  [ "$(grep -c '^## step' out)" -eq 3 ]
ok "after a line naming the step and its source line" out_has '^## step 2: a y 100$'
ok "the dump is the library's" out_has '^block 24 used 104 requested 100$'

run run --dump-at 2 good.hl
ok "--dump-at N dumps after step N only" \
  [ "$(grep -c '^## step' out)" -eq 1 ]
ok "which is named" out_has '^## step 2: a y 100$'

run run --dump-at 0 --quiet good.hl
ok "--dump-at 0 dumps the empty heap" out_has '^## step 0: start$'

run run --dump-at two good.hl
ok "a bad --dump-at exits 2" status_is 2

run run --stats --quiet good.hl
ok "--stats prints the statistics" out_has '^  heap size      4096 bytes'
ok "with utilization and fragmentation" out_has '^  fragmentation  0.0%$'

run run
ok "no script exits 2" status_is 2
run run --frobnicate good.hl
ok "an unknown option exits 2" status_is 2

run run --help
ok "--help exits 0" status_is 0
ok "--help prints the usage" out_has '^usage: heaplab run \[OPTIONS\] SCRIPT'
run run --version
ok "--version prints the version" out_is "heaplab run 0.1.0"

printf '20000\n2\n4\n1\na 0 100\na 1 200\nf 0\nf -1\n' >trace.rep
run run --quiet trace.rep
ok "a .rep trace runs as it is" status_is 0

# Failed allocations are never silent.
printf 'a x 10\na y 2M\ncheck\n' >big.hl
run run big.hl
ok "an allocation that fails unexpected fails the run" status_is 1
ok "with FILE:LINE, the size and the capacity that ran out" \
  err_is "big.hl:2: allocation of 2097152 bytes failed: the heap holds 4096 bytes and its grower's capacity is 1048576; give it more with capacity=SIZE on the heap line or in --heap"
printf 'a x 10\na y 100000000000000\n' >huge.hl
run run huge.hl
ok "a request over any heap's limit does not blame the capacity" \
  err_is "huge.hl:2: allocation of 100000000000000 bytes failed"
printf 'a x 10\na y 2M\nexpect null y\nc z 4294967296 4294967297\ncheck\nexpect null z\n' >null.hl
run run null.hl
ok "failures that expect null announces pass" status_is 0
ok "and are counted on the summary line" \
  out_has '^null.hl: passed: 3 operations, 3 checks or expects, 2 failed allocations (expected)$'
printf 'c z 4294967296 4294967297\n' >calloc.hl
run run calloc.hl
ok "a calloc whose COUNT * SIZE overflows fails the run too" \
  err_is "calloc.hl:1: allocation of 4294967296 x 4294967297 bytes failed"

# A .rep trace gets a heap that holds it: 30 live objects of 100000 bytes
# need 3 MB, three times the default heap; its header suggests 20000.
{ printf '20000\n30\n30\n1\n'; i=0
  while [ $i -lt 30 ]; do echo "a $i 100000"; i=$((i + 1)); done; } >big.rep
run run --stats big.rep
ok "a .rep trace bigger than the default heap passes" status_is 0
ok "with no failed allocation" out_has 'failures=0 '
run run --heap capacity=1M big.rep
ok "capacity=SIZE still wins, and its failures are reported" \
  err_has "^big.rep:15: allocation of 100000 bytes failed: the heap holds [0-9]* bytes and its grower's capacity is 1048576; "

# The viewer at the end of its input (a closed terminal, </dev/null) must
# not wait for keys forever, spinning: it exits 1 (heaplab-view(1)).
TERM=xterm timeout 20 "$HEAPLAB" view good.hl </dev/null >out 2>err
status=$?
ok "heaplab view at the end of its input exits 1, at once" status_is 1
ok "and says why" grep -q 'heaplab view: ' err
TERM=xterm timeout 20 "$HEAPLAB" view --quiz good.hl </dev/null >out 2>err
status=$?
ok "and so does its quiz mode" status_is 1

echo "1..$n"
exit $failed

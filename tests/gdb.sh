#!/bin/sh
# gdb.sh - gdb's heaplab commands (gdb/heaplab-gdb.py) on bugs_prog's heap:
# stopped at a breakpoint, where `heaplab dump` must print byte for byte
# what hl_heap_dump printed a moment before, and on a core file of the
# same program, written as it aborted on a double free, where nothing can
# be called and the dump is read from memory alone.
#
# Environment (set by `make check`): BUGS_PROG, HEAPLAB_RECORD_SO,
# top_srcdir, HEAPLAB_SANITIZED.
. "$top_srcdir/tests/tap.sh"
command -v gdb >/dev/null || tap_skip_all "gdb is not installed"
gdb -nx -batch -ex 'python print("py-ok")' 2>/dev/null | grep -q py-ok ||
  tap_skip_all "this gdb has no Python"
[ "${HEAPLAB_SANITIZED:-no}" = yes ] &&
  tap_skip_all "sanitizer build: gdb's ptrace and ASan's shadow memory make runs slow and noisy; the plain build runs these"

work=$(mktemp -d "${TMPDIR:-/tmp}/heaplab-gdb.XXXXXX")
trap 'rm -rf "$work"' EXIT
ext=$top_srcdir/gdb/heaplab-gdb.py

# hlgdb ARGS...: gdb in batch mode, no init files, the extension loaded.
hlgdb() {
  timeout 120 gdb -nx -q -batch -ex 'set debuginfod enabled off' \
    -ex 'set pagination off' -ex "source $ext" "$@" 2>&1
}

# heaplab id: in a program heaplab record records, the script ID of an
# object, as the recording then writes it (a ID 24, a ID 40).
if [ -f "${HEAPLAB_RECORD_SO:-}" ]; then
  hlgdb -ex "set environment LD_PRELOAD $HEAPLAB_RECORD_SO" \
    -ex "set environment HEAPLAB_RECORD_FILE $work/rec.hl" \
    -ex 'break bugs_stop_here' -ex 'run record >/dev/null' \
    -ex 'heaplab id bugs_p' -ex 'heaplab id bugs_q' \
    -ex 'heaplab id (char *)bugs_q + 8' -ex 'continue' "$BUGS_PROG" \
    >"$work/ids"
  p_id=$(sed -n 's/^0x[0-9a-f]* is object \([0-9]*\) .*/\1/p' "$work/ids" |
         sed -n 1p)
  q_id=$(sed -n 's/^0x[0-9a-f]* is object \([0-9]*\) .*/\1/p' "$work/ids" |
         sed -n 2p)
  recording=$(ls "$work"/rec.hl* 2>/dev/null | head -n 1)
  [ -n "$p_id" ] && [ -n "$q_id" ] && [ -n "$recording" ] &&
    grep -q "^a $p_id 24\$" "$recording" && grep -q "^a $q_id 40\$" "$recording"
  tap_result $? "heaplab id names the objects as the recording does" \
    "(ids $p_id and $q_id)"
  grep -q 'is not the start of an object the recording holds now' "$work/ids"
  tap_result $? "heaplab id says when an address starts no recorded object"
  hlgdb -ex 'break bugs_stop_here' -ex 'run record >/dev/null' \
    -ex 'heaplab id bugs_p' -ex 'kill' "$BUGS_PROG" >"$work/noids"
  grep -q 'no recording in this program' "$work/noids"
  tap_result $? "heaplab id without a recording says so"
else
  tap_skip "heaplab id names the objects as the recording does" "no recorder"
  tap_skip "heaplab id says when an address starts no recorded object" "no recorder"
  tap_skip "heaplab id without a recording says so" "no recorder"
fi

# The dump that hl_heap_dump printed before the breakpoint, and after the
# first free.
"$BUGS_PROG" dump >"$work/prog.out" 2>/dev/null
sed -n '/^heap /,/^counts /p' "$work/prog.out" | sed -n '1,/^counts /p' \
  >"$work/before"
sed -n '/^after$/,$p' "$work/prog.out" | sed -n '/^heap /,/^counts /p' \
  >"$work/after"
[ -s "$work/before" ] && [ -s "$work/after" ] &&
  grep -q '^p 0x' "$work/prog.out"
tap_result $? "bugs_prog prints its dumps and its objects' addresses"

# At the breakpoint: the same program run again, in the same state.
hlgdb -ex 'break bugs_stop_here' -ex 'run dump >/dev/null' \
  -ex 'echo @heaps\n' -ex 'heaplab heaps' \
  -ex 'echo @dump\n' -ex 'heaplab dump' \
  -ex 'echo @freelist\n' -ex 'heaplab freelist' \
  -ex 'echo @block-p\n' -ex 'heaplab block (char *)bugs_p+3' \
  -ex 'echo @block-slack\n' -ex 'heaplab block (char *)bugs_p+101' \
  -ex 'echo @block-header\n' -ex 'heaplab block (char *)bugs_q-8' \
  -ex 'echo @end\n' -ex 'kill' "$BUGS_PROG" >"$work/live"
section() { sed -n "/^@$1\$/,/^@/p" "$2" | sed '1d;$d'; }

section heaps "$work/live" >"$work/heaps"
grep -Eq '^heap 0x[0-9a-f]+ \(heap in bugs_stop_here\): 0x[0-9a-f]+\.\.0x[0-9a-f]+, 4096 bytes$' "$work/heaps"
tap_result $? "heaplab heaps finds the heap, its span and where it was found"
[ "$(wc -l <"$work/heaps")" -eq 1 ] || tap_note "$(cat "$work/live")"

section dump "$work/live" >"$work/gdb-before"
cmp -s "$work/before" "$work/gdb-before"
tap_result $? "heaplab dump prints what hl_heap_dump printed, byte for byte"
cmp -s "$work/before" "$work/gdb-before" ||
  tap_note "$(diff "$work/before" "$work/gdb-before")"

# The freelist: the dump's own line, offset by offset, and each block's
# size from the dump's block lines.
expected=$(sed -n 's/^freelist //p' "$work/before" | tr ' ' '\n' |
  while read -r off; do
    size=$(sed -n "s/^block $off free //p" "$work/before")
    echo "offset $off size $size"
  done)
got=$(section freelist "$work/live" | sed -n 's/^free 0x[0-9a-f]* //p')
[ -n "$expected" ] && [ "$expected" = "$got" ] &&
  section freelist "$work/live" | tail -n 1 | grep -qx "$(echo "$expected" | wc -l) free blocks"
tap_result $? "heaplab freelist walks the list in the dump's order"

# One free block is "1 free block": bugs_prog double-free stops on its
# abort with q freed once and merged with the free rest, p still used.
hlgdb -ex 'run double-free >/dev/null' -ex 'heaplab freelist &space' \
  -ex 'kill' "$BUGS_PROG" >"$work/one"
[ "$(grep -c '^free 0x' "$work/one")" -eq 1 ] &&
  grep -qx '1 free block' "$work/one"
tap_result $? "heaplab freelist counts one free block in the singular"
tap_note "$(grep 'free' "$work/one")"

section block-p "$work/live" >"$work/block"
grep -q ': used$' "$work/block" &&
  grep -Eq 'size 104, F=0 P=0 C=0, slack 4, check 0x[0-9a-f]+ \(holds\)' "$work/block" &&
  grep -Eq "is 3 bytes into the object 0x[0-9a-f]+ of 100 bytes" "$work/block"
tap_result $? "heaplab block decodes a used block's header and places an address in its object"
section block-slack "$work/live" | grep -Eq "is in the slack, 1 bytes after the object 0x[0-9a-f]+ of 100 bytes"
tap_result $? "heaplab block says when an address is in the slack"
section block-header "$work/live" | grep -q "is in its header"
tap_result $? "heaplab block says when an address is in a header"

# The core file.  gdb writes it (gcore) when the program stops on SIGABRT:
# that needs neither ulimit -c nor a core_pattern that leaves cores here.
hlgdb -ex 'run dump >/dev/null' -ex "gcore $work/core" -ex 'kill' \
  "$BUGS_PROG" >"$work/crash"
if [ ! -s "$work/core" ]; then
  tap_skip "heaplab dump on a core file" "gdb wrote no core file: $(tail -n 3 "$work/crash")"
  tap_skip "heaplab heaps and freelist on a core file" "no core file"
  tap_done
  exit
fi
grep -q 'SIGABRT' "$work/crash"
tap_result $? "the double free aborts the program (SIGABRT)"
hlgdb -ex 'echo @heaps\n' -ex 'heaplab heaps' \
  -ex 'echo @dump\n' -ex 'heaplab dump &space' \
  -ex 'echo @freelist\n' -ex 'heaplab freelist &space' -ex 'echo @end\n' \
  "$BUGS_PROG" "$work/core" >"$work/dead"
section dump "$work/dead" >"$work/gdb-after"
cmp -s "$work/after" "$work/gdb-after"
tap_result $? "heaplab dump on the core file prints the last hl_heap_dump, byte for byte"
cmp -s "$work/after" "$work/gdb-after" ||
  tap_note "$(diff "$work/after" "$work/gdb-after")" "$(head -20 "$work/dead")"
section heaps "$work/dead" | grep -q '^heap 0x' &&
  section freelist "$work/dead" | tail -n 1 | grep -Eq '^[0-9]+ free blocks?$'
tap_result $? "heaplab heaps and freelist work on the core file"
tap_done

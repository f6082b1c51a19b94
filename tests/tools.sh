#!/bin/sh
# tools.sh - valgrind's memcheck and AddressSanitizer see heaplab's objects
# (lib/shadow.h): bugs_prog's bugs, one per run, each reported as the tool
# reports the same bug on malloc's objects, naming the address the program
# misused; the clean run reported nothing.  An ordinary build runs them
# under valgrind; the ASan build (--enable-sanitizers) runs them as they
# are, and ASan reports.
#
# Environment (set by `make check`): BUGS_PROG, HEAPLAB_SANITIZED,
# HEAPLAB_VALGRIND_REQUESTS, HEAPLAB_MALLOC_SO, top_srcdir.
. "$top_srcdir/tests/tap.sh"

valgrind_args= preload=
work=$(mktemp -d "${TMPDIR:-/tmp}/heaplab-tools.XXXXXX")
trap 'rm -rf "$work"' EXIT

# run BUG: bugs_prog BUG under the tool (valgrind with $valgrind_args, in
# an environment with $preload);
# its output in $work/out, the tool's report in $work/err, the address the
# program announced in $at.
run() {
  if [ "$tool" = valgrind ]; then
    env $preload valgrind -q --leak-check=full \
      --errors-for-leak-kinds=definite --error-exitcode=99 $valgrind_args \
      "$BUGS_PROG" "$1" >"$work/out" 2>"$work/err"
  else
    ASAN_OPTIONS=detect_leaks=0 "$BUGS_PROG" "$1" >"$work/out" 2>"$work/err"
  fi
  status=$?
  at=$(sed -n 's/^at //p' "$work/out")
  # glibc's %p and the tools may spell an address differently: no 0x, or
  # zeros in front.  Compared as numbers.
  at=$(printf '%x' "$at" 2>/dev/null)
}

# reports BUG NAME PATTERN...: every PATTERN is in the report, and the
# report names the address the program announced.
reports() {
  bug=$1 name=$2; shift 2
  run "$bug"
  ok=0
  [ "$status" -ne 0 ] || ok=1
  for pattern in "$@"; do
    grep -Eq "$pattern" "$work/err" || { ok=1; tap_note "no /$pattern/"; }
  done
  [ "$bug" = leak ] || grep -Eqi "(0x)?0*$at\\b" "$work/err" ||
    { ok=1; tap_note "no address $at"; }
  [ "$ok" -eq 0 ] || tap_note "exit status $status" "$(cat "$work/err")"
  tap_result "$ok" "$tool: $name"
}

if [ "${HEAPLAB_SANITIZED:-no}" = yes ]; then
  tool=asan
  run clean
  [ "$status" -eq 0 ] && [ ! -s "$work/err" ]
  tap_result $? "asan: a program without a bug is not reported"
  poison='ERROR: AddressSanitizer: use-after-poison on address'
  # heaplab's own line names the object and its bounds.
  reports overflow "a write one past a 10-byte object" "$poison" \
    'WRITE of size 1 at' \
    '^heaplab: 0x[0-9a-f]+ is 0 bytes after the 10-byte object at 0x[0-9a-f]+, in its slack'
  reports header "a write past a 16-byte object" "$poison" \
    'WRITE of size 1 at' \
    '^heaplab: 0x[0-9a-f]+ is 0 bytes after the 16-byte object at'
  reports after-free "a read of a freed object" "$poison" 'READ of size 1 at' \
    '^heaplab: 0x[0-9a-f]+ is 0 bytes into the free block at offset [0-9]+ of heap'
  reports realloc "a write past an object shrunk in place" "$poison" \
    'WRITE of size 1 at' \
    '^heaplab: 0x[0-9a-f]+ is 0 bytes after the 4-byte object at'
  tap_done
  exit
fi

tool=valgrind
command -v valgrind >/dev/null || tap_skip_all "valgrind is not installed"
[ "${HEAPLAB_VALGRIND_REQUESTS:-no}" = yes ] ||
  tap_skip_all "built without valgrind's client requests (configure found no valgrind/memcheck.h)"

run clean
[ "$status" -eq 0 ] && [ ! -s "$work/err" ]
tap_result $? "valgrind: a program without a bug is not reported"
reports overflow "a write one past a 10-byte object" \
  'Invalid write of size 1' 'is 0 bytes after a block of size 10 '
reports header "a write into the next block's header" \
  'Invalid write of size 1' 'main \(bugs_prog.c'
reports after-free "a read of a freed object" \
  'Invalid read of size 1' "is 0 bytes inside a block of size 24 free'd" \
  'by 0x[0-9A-F]+: hl_free '
reports leak "a lost object, with the stack that allocated it" \
  '40 bytes in 1 blocks are definitely lost' 'by 0x[0-9A-F]+: hl_alloc '
reports realloc "a write past an object shrunk in place" \
  'Invalid write of size 1' 'is 0 bytes after a block of size 4 '

# The drop-in.  By default valgrind puts its own malloc in place of any
# preloaded one; --soname-synonyms=somalloc=nouserintercepts keeps
# heaplab's, and heaplab's client requests report (the allocation stack
# goes through shadow_do_object_alloc, and heaplab's statistics line
# counts the mallocs).
if [ ! -f "${HEAPLAB_MALLOC_SO:-}" ]; then
  tap_skip "valgrind: the drop-in kept in place" "no libheaplab-malloc.so"
else
  preload="LD_PRELOAD=$HEAPLAB_MALLOC_SO HEAPLAB_STATS=1"
  valgrind_args=--soname-synonyms=somalloc=nouserintercepts
  reports malloc-bugs "the drop-in kept in place: its objects' overflow and leak" \
    'Invalid write of size 1' 'is 0 bytes after a block of size 10 ' \
    'shadow_do_object_alloc' '40 bytes in 1 blocks are definitely lost' \
    'heaplab-malloc: pid=[0-9]+ allocs=[1-9]'
  valgrind_args=
  run malloc-bugs
  grep -q 'is 0 bytes after a block of size 10 ' "$work/err" &&
    ! grep -q 'shadow_do_object_alloc' "$work/err" &&
    grep -Eq 'heaplab-malloc: pid=[0-9]+ allocs=0 ' "$work/err"
  tap_result $? "valgrind: without the option, valgrind's malloc replaces the drop-in"
fi
tap_done

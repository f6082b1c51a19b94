#!/bin/sh
# corrupt.sh - writes after free that attack heaplab's malloc, through
# LD_PRELOAD (corrupt_prog.c): each must end in exactly one line of
# heaplab's, naming the operation and the object written after free, and
# in SIGABRT; never SIGSEGV, never a write through a forged link.
#
# Environment (set by `make check`): HEAPLAB_MALLOC_SO, CORRUPT_PROG,
# top_srcdir, HEAPLAB_SANITIZED.
. "$top_srcdir/tests/tap.sh"
[ "${HEAPLAB_SANITIZED:-no}" = yes ] &&
  tap_skip_all "sanitizer build: a preloaded malloc cannot run under ASan"
[ -f "$HEAPLAB_MALLOC_SO" ] || tap_skip_all "no $HEAPLAB_MALLOC_SO"

work=$(mktemp -d "${TMPDIR:-/tmp}/heaplab-corrupt.XXXXXX")
trap 'rm -rf "$work"' EXIT

links='free block with broken freelist links \(written after free\?\):'
footer='the free block before it has a broken footer \(written after free\?\):'
cache='cache entry without a sound cached block \(written after free\?\):'
# Where the search meets the forged link from the other side first (a
# neighbour whose link does not point back, or the forged node itself).
either="($links|freelist node without a sound free block \(written after free\?\):)"

# attack NAME HEAP OP MESSAGE WHERE MODE SIZE: corrupt_prog MODE SIZE under
# HEAPLAB_HEAP=HEAP must print one line "heaplab: OP(): MESSAGE PTR" and
# die of SIGABRT.  PTR is the victim the program announced when WHERE is
# "victim", any address when it is "any", else WHERE itself.
attack() {
  name=$1 heap=$2 op=$3 message=$4 where=$5; shift 5
  (ulimit -c 0; HEAPLAB_HEAP=$heap LD_PRELOAD=$HEAPLAB_MALLOC_SO \
     exec "$CORRUPT_PROG" "$@") >"$work/out" 2>"$work/err"
  status=$?
  victim=$(sed -n 's/^victim=//p' "$work/out")
  case $where in
    victim) ptr=$victim ;;
    any) ptr='0x[0-9a-f]+' ;;
    *) ptr=$where ;;
  esac
  if [ "$status" -eq 134 ] && [ "$(wc -l <"$work/err")" -eq 1 ] &&
     grep -Eqx "heaplab: $op\\(\\): $message $ptr" "$work/err"; then
    tap_result 0 "$name: $(cat "$work/err")"
  else
    tap_result 1 "$name (exit status $status)"
    tap_note "$(cat "$work/out" "$work/err")"
  fi
}

attack "unlink attack on a 2000-byte object" "" \
  malloc "$links" victim links 2000
attack "0x4141... over a freed 2000-byte object's first word" "" \
  malloc "$links" victim word 2000
attack "a broken footer met by free() of the object after it" "" \
  free "$footer" victim footer 2000
attack "the 17th 32-byte object, which the full cache sends to the heap" "" \
  malloc "$links" victim overflow 32
attack "a 32-byte object in the cache: the cache's own check" "" \
  malloc "$cache" 0x4141414141414149 cached 32
for mode in links word footer; do
  attack "cache=off: $mode on a 32-byte object" cache=off \
    "$([ $mode = footer ] && echo free || echo malloc)" \
    "$([ $mode = footer ] && echo "$footer" || echo "$links")" \
    victim $mode 32
done
attack "preset=reference (lazy merging, first fit): unlink attack" \
  preset=reference malloc "$either" any links 2000
attack "fit=best order=address: unlink attack" "fit=best order=address" \
  malloc "$either" any links 2000

tap_done

#!/bin/sh
# lesson-programs.sh - the C programs of the lessons, and `heaplab lesson`
# without a screen.  Prints TAP.
#   lesson 10: double-free on the drop-in malloc (skipped when the drop-in
#              library is not built)
#   lesson 11: contention runs and prints well-formed lines (no timings
#              are judged: they are the learner's machine's); with --malloc
#              on the drop-in, HEAPLAB_HEAP='heaps=one cache=off' serves
#              every thread from one heap, and the default gives threads
#              heaps of their own, with the cache on (how many heaps
#              depends on how the threads overlap: at least 2)
#   lesson 12: the harness accepts the reference grower, rejects a broken
#              one and the unfinished skeleton, naming the rule
set -u

HEAPLAB=${HEAPLAB:-../tools/heaplab}
builddir=${top_builddir:-..}
lessons=${top_srcdir:-..}/lessons

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
check() { # check DESCRIPTION COMMAND...
  what=$1; shift
  if "$@"; then ok "$what"; else not_ok "$what"; fi
}
show() { echo "$1" | sed 's/^/# /'; }

# --- heaplab lesson --------------------------------------------------------
out=$(HEAPLAB_LESSONS=$lessons "$HEAPLAB" lesson 2>&1)
dirs=$(ls -d "$lessons"/[0-9][0-9]-*/ | wc -l)
check "heaplab lesson lists every lesson directory ($dirs)" \
  test "$(echo "$out" | grep -cE '^ +[0-9]+  ')" = "$dirs" -a "$dirs" -ge 14
check "the list shows lesson 1's title" \
  eval 'echo "$out" | grep -q "^   1  Lesson 1: Blocks, headers and objects$"'
out=$(HEAPLAB_LESSONS=$lessons "$HEAPLAB" lesson 99 2>&1 </dev/null)
status=$?
check "a lesson that does not exist exits 2 with a clear error" \
  test "$status" = 2 -a "$out" = \
  "heaplab lesson: no lesson '99' in $lessons; \`heaplab lesson\` lists them"
HEAPLAB_LESSONS=$lessons "$HEAPLAB" lesson x1 >/dev/null 2>&1 </dev/null
check "a lesson number that is not a number exits 2" test $? = 2
# With no terminal to read keys from, the lesson and the quiz stop at once
# with the viewer's error (they once spun at 100% CPU).
for what in "lesson 1" "view --quiz $lessons/01-blocks/exercise-1.hl"; do
  err=$(HEAPLAB_LESSONS=$lessons TERM=xterm timeout 20 "$HEAPLAB" $what \
        2>&1 >/dev/null </dev/null)
  status=$?
  check "heaplab $what without a terminal exits 1 and says why" \
    test "$status" = 1 -a \
    "$(echo "$err" | grep -c 'the input ended: no key to read')" = 1
done

# --- lesson 10 -------------------------------------------------------------
lib=${HEAPLAB_MALLOC_SO:-}
if [ "${HEAPLAB_SANITIZED:-no}" = yes ]; then
  skip "lesson 10: heaplab reports double-free.c's double free" \
    "a preloaded malloc cannot run under the sanitizers"
elif [ ! -f "$lib" ] || [ ! -x "$builddir/lessons/double-free" ]; then
  not_ok "lesson 10: heaplab reports double-free.c's double free"
  show "libheaplab-malloc.so ($lib) or lessons/double-free is not built"
else
  out=$(LD_PRELOAD=$lib "$builddir/lessons/double-free" 2>&1)
  if echo "$out" | grep -q '^heaplab: free(): double free of 0x'; then
    ok "lesson 10: heaplab reports double-free.c's double free"
  else
    not_ok "lesson 10: heaplab reports double-free.c's double free"
    show "$out"
  fi
fi

# --- lesson 11 -------------------------------------------------------------
out=$("$builddir/lessons/contention" 2000 2>&1)
status=$?
check "lesson 11: contention runs" test "$status" = 0
line='^threads [1248] locked-heap ops/s [0-9]+ timed-lock ops/s [0-9]+ waiting [0-9]+\.[0-9]%$'
if [ "$(echo "$out" | grep -cE "$line")" = 4 ] &&
   [ "$(echo "$out" | wc -l)" -eq 4 ]; then
  ok "lesson 11: it prints one well-formed line for 1, 2, 4 and 8 threads"
else
  not_ok "lesson 11: it prints one well-formed line for 1, 2, 4 and 8 threads"
  show "$out"
fi
line='^threads [1248] malloc ops/s [0-9]+$'
out=$("$builddir/lessons/contention" --malloc 2000 2>&1)
if [ "$(echo "$out" | grep -cE "$line")" = 4 ] &&
   [ "$(echo "$out" | wc -l)" -eq 4 ]; then
  ok "lesson 11: --malloc prints one well-formed line for 1, 2, 4 and 8 threads"
else
  not_ok "lesson 11: --malloc prints one well-formed line for 1, 2, 4 and 8 threads"
  show "$out"
fi
# The program's line is the last one of the file (under a libtool wrapper,
# the wrapper's own commands write theirs first).
stats=$PWD/lesson11-stats.$$
on_drop_in() { # on_drop_in HEAPLAB_HEAP: the program's stats line
  rm -f "$stats"
  HEAPLAB_HEAP=$1 HEAPLAB_STATS=$stats LD_PRELOAD=$lib \
    "$builddir/lessons/contention" --malloc 2000 >/dev/null 2>&1
  tail -n 1 "$stats" 2>/dev/null
  rm -f "$stats"
}
what1="lesson 11: with HEAPLAB_HEAP='heaps=one cache=off' one heap serves every thread"
what2="lesson 11: with the default drop-in threads get heaps of their own, and cache hits"
if [ "${HEAPLAB_SANITIZED:-no}" = yes ]; then
  skip "$what1" "a preloaded malloc cannot run under the sanitizers"
  skip "$what2" "a preloaded malloc cannot run under the sanitizers"
elif [ ! -f "$lib" ]; then
  not_ok "$what1"
  not_ok "$what2"
  show "libheaplab-malloc.so ($lib) is not built"
else
  out=$(on_drop_in 'heaps=one cache=off')
  if echo "$out" | grep -q ' heaps=1 cache_hits=0 .* heaps=one '; then
    ok "$what1"
  else
    not_ok "$what1"
    show "$out"
  fi
  out=$(on_drop_in '')
  made=$(echo "$out" | sed -n 's/.* heaps=\([0-9]*\) .*/\1/p')
  hits=$(echo "$out" | sed -n 's/.* cache_hits=\([0-9]*\) .*/\1/p')
  if [ "${made:-0}" -ge 2 ] && [ "${hits:-0}" -gt 0 ] &&
     echo "$out" | grep -q ' cache=on heaps=per-thread '; then
    ok "$what2"
  else
    not_ok "$what2"
    show "$out"
  fi
fi

# --- lesson 13 -------------------------------------------------------------
what="lesson 13: with HEAPLAB_HEAP='heaps=per-thread cache=off' threads get heaps of their own, no cache"
if [ "${HEAPLAB_SANITIZED:-no}" = yes ]; then
  skip "$what" "a preloaded malloc cannot run under the sanitizers"
elif [ ! -f "$lib" ]; then
  not_ok "$what"
else
  out=$(on_drop_in 'heaps=per-thread cache=off')
  made=$(echo "$out" | sed -n 's/.* heaps=\([0-9]*\) .*/\1/p')
  if [ "${made:-0}" -ge 2 ] &&
     echo "$out" | grep -q ' cache_hits=0 .* cache=off heaps=per-thread '; then
    ok "$what"
  else
    not_ok "$what"
    show "$out"
  fi
fi

# --- lesson 12 -------------------------------------------------------------
out=$(./lesson12-solution 2>&1)
status=$?
if [ "$status" = 0 ] && [ "$(echo "$out" | grep -c '^ok   rule')" = 6 ]; then
  ok "lesson 12: the harness accepts the reference grower, rule by rule"
else
  not_ok "lesson 12: the harness accepts the reference grower, rule by rule"
  show "$out"
fi
out=$(./lesson12-broken 2>&1)
status=$?
if [ "$status" = 1 ] &&
   echo "$out" | grep -q '^FAIL rule 4: a grow that failed with ENOMEM moved the end$'; then
  ok "lesson 12: the harness rejects a grower that moves on ENOMEM (rule 4)"
else
  not_ok "lesson 12: the harness rejects a grower that moves on ENOMEM (rule 4)"
  show "$out"
fi
out=$("$builddir/lessons/my-grower-harness" 2>&1)
status=$?
if [ "$status" = 1 ] && echo "$out" | grep -q '^FAIL rule 1: '; then
  ok "lesson 12: the unfinished skeleton fails at rule 1"
else
  not_ok "lesson 12: the unfinished skeleton fails at rule 1"
  show "$out"
fi

echo "1..$n"
exit $((failed > 0))

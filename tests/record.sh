#!/bin/sh
# record.sh - `heaplab record`: recordings of real programs are complete,
# well-formed scripts (checked by script_check.awk, as the script runner
# will), replayable, and the recorded programs still work.
#
# Environment (set by `make check`): HEAPLAB, HEAPLAB_RECORD_SO,
# HEAPLAB_MALLOC_SO, THREADS_PROG, REPLAY_BENCH, top_srcdir,
# HEAPLAB_SANITIZED.
. "$top_srcdir/tests/tap.sh"
[ "${HEAPLAB_SANITIZED:-no}" = yes ] &&
  tap_skip_all "sanitizer build: a preloaded shim cannot run under ASan"
export HEAPLAB_RECORD_SO HEAPLAB_MALLOC_SO

work=$(mktemp -d "${TMPDIR:-/tmp}/heaplab-record.XXXXXX")
trap 'rm -rf "$work"' EXIT
checker="awk -f $top_srcdir/tests/script_check.awk"

# recorded NAME MIN_OPS FILE [RECORD-OPTIONS] -- COMMAND...: records COMMAND
# into FILE; passes when COMMAND succeeds and FILE is a well-formed script
# of at least MIN_OPS operations whose capacity was filled in at exit.
recorded() {
  name=$1 min_ops=$2 file=$3; shift 3
  if ! "$HEAPLAB" record -o "$file" "$@" >"$work/out" 2>&1; then
    tap_result 1 "$name: the recorded program failed"
    tap_note "$(tail -n 20 "$work/out")"
    return
  fi
  summary=$($checker "$file")
  status=$?
  ops=$(echo "$summary" | sed -n 's/^ops=\([0-9]*\).*/\1/p')
  capacity=$(echo "$summary" | sed -n 's/.*capacity=\([0-9]*\).*/\1/p')
  if [ "$status" -ne 0 ]; then
    tap_result 1 "$name: malformed script"
  elif [ "${ops:-0}" -lt "$min_ops" ]; then
    tap_result 1 "$name: only ${ops:-0} operations"
  elif [ "${capacity:-0}" -eq 1073741824 ] ||
       [ $((capacity % 1048576)) -ne 0 ]; then
    tap_result 1 "$name: capacity not filled in at exit ($capacity)"
  else
    tap_result 0 "$name"
  fi
  tap_note "$summary"
}

python=$(command -v /usr/bin/python3 || command -v python3)
if [ -n "$python" ]; then
  recorded "python3 list of 10000 strings" 1000 "$work/python.script" \
    -- "$python" -c 'x=[str(i) for i in range(10000)]'
  recorded "python3 on heaplab (--on-heaplab), PYTHONMALLOC=malloc" 10000 \
    "$work/python-heaplab.script" --on-heaplab \
    -- env PYTHONMALLOC=malloc HEAPLAB_STATS="$work/stats" \
    "$python" -c 'x=[str(i) for i in range(10000)]'
  grep -q 'allocs=[1-9]' "$work/stats"
  tap_result $? "--on-heaplab: heaplab served the recorded program"

else
  tap_skip "python3 recordings" "no python3"
fi

recorded "ls -l /usr/bin" 100 "$work/ls.script" -- ls -l /usr/bin
# The header too ends where its words end: the command line without the
# blank its last NUL made, the heap line without its capacity's padding.
! grep -n '[[:blank:]]$' "$work/ls.script" >"$work/blanks" &&
  grep -q '^# heaplab record of: ls -l /usr/bin$' "$work/ls.script" &&
  grep -q '^heap preset=default grower=static capacity=[0-9]* ' \
    "$work/ls.script"
tap_result $? "no line of a recording ends in a blank"
tap_note "$(head -n 3 "$work/ls.script"; cat "$work/blanks")"

# Threads and fork: one file for the process, one per child (FILE.PID).
recorded "threads: 4 threads" 100000 "$work/threads.script" \
  -- "$THREADS_PROG" threads 4
# The threads' calls are marked with `thread N` lines.  Replayed with a
# heap per thread, every free of another thread's object must be remote:
# the heaps' remote frees (drained or still waiting) add up to what the
# model in script_check.awk counts.  threads_prog handoff frees 1500 of
# the other thread's objects (the C library adds a few of its own).
recorded "handoff between two threads" 3000 "$work/handoff.script" \
  -- "$THREADS_PROG" handoff
summary=$($checker "$work/handoff.script")
threads=$(echo "$summary" | sed -n 's/.* threads=\([0-9]*\).*/\1/p')
remote=$(echo "$summary" | sed -n 's/.* remote=\([0-9]*\).*/\1/p')
[ "${threads:-0}" -eq 2 ] && [ "${remote:-0}" -ge 1500 ] &&
  [ "${remote:-0}" -lt 1600 ] && grep -q '^thread 2$' "$work/handoff.script"
tap_result $? "handoff: the recording names the two threads" \
  "(threads=$threads, frees of the other's objects=$remote)"
"$HEAPLAB" run --quiet --stats --heap heaps=per-thread \
  "$work/handoff.script" >"$work/run" 2>&1
status=$?
replayed=$(awk '/remote frees/ { n += $3 + $6 } END { print n + 0 }' \
  "$work/run")
heaps=$(grep -c 'stats of heap' "$work/run")
[ "$status" -eq 0 ] && [ "$replayed" -eq "${remote:-0}" ] && [ "$heaps" -eq 2 ]
tap_result $? "handoff: a heap per thread replays it, remote frees as the" \
  "model counts ($replayed of $remote, $heaps heaps, exit $status)"
"$HEAPLAB" run --quiet --stats --heap heaps=one \
  "$work/handoff.script" >"$work/run1" 2>&1
[ $? -eq 0 ] && ! grep -q 'remote frees' "$work/run1" &&
  [ "$(grep -c 'stats' "$work/run1")" -eq 1 ]
tap_result $? "handoff: heaps=one replays it on one heap, nothing remote"
summary=$($checker "$work/threads.script")
threads=$(echo "$summary" | sed -n 's/.* threads=\([0-9]*\).*/\1/p')
[ "${threads:-0}" -ge 2 ] && [ "${threads:-0}" -le 5 ]
tap_result $? "threads 4: at most 5 thread numbers (threads=$threads)"

recorded "fork from a threaded process" 1000 "$work/fork.script" \
  -- "$THREADS_PROG" fork
children=0 broken=0
for child in "$work"/fork.script.*; do
  [ -f "$child" ] || continue
  children=$((children + 1))
  $checker "$child" >/dev/null || broken=$((broken + 1))
done
[ "$children" -ge 50 ] && [ "$broken" -eq 0 ]
tap_result $? "each forked child wrote its own well-formed FILE.PID" \
  "($children files, $broken malformed)"

# Replays: the benchmark replayer runs any script through malloc/free.
if [ -x "$REPLAY_BENCH" ]; then
  "$REPLAY_BENCH" "$work/ls.script" >"$work/replay" 2>&1
  tap_result $? "replay_bench replays the ls recording"
  tap_note "$(cat "$work/replay")"
else
  tap_skip "replay_bench replays the ls recording" "no replay_bench"
fi
if "$HEAPLAB" run --help >/dev/null 2>&1; then
  "$HEAPLAB" run "$work/ls.script" >"$work/run" 2>&1
  tap_result $? "heaplab run replays the ls recording"
else
  tap_skip "heaplab run replays the ls recording" "no 'heaplab run' yet"
fi

# A program that crashes: the recording keeps every line written before
# the crash (the lines are not lost in the recorder's buffer), and replays.
"$HEAPLAB" record -o "$work/crash.script" -- "$THREADS_PROG" crash \
  >"$work/out" 2>&1
status=$?
summary=$($checker "$work/crash.script")
checked=$?
allocs=$(echo "$summary" | sed -n 's/.* allocs=\([0-9]*\).*/\1/p')
frees=$(echo "$summary" | sed -n 's/.* frees=\([0-9]*\).*/\1/p')
[ "$status" -gt 128 ] && [ "$checked" -eq 0 ] &&
  [ "${allocs:-0}" -ge 1000 ] && [ "${frees:-0}" -ge 500 ]
tap_result $? "a program that dies of SIGSEGV leaves its whole recording" \
  "(exit $status; $summary)"
if "$HEAPLAB" run --quiet "$work/crash.script" >"$work/run" 2>&1; then
  tap_result 0 "heaplab run replays the crashed program's recording"
else
  tap_result 1 "heaplab run replays the crashed program's recording"
  tap_note "$(head -n 5 "$work/run")"
fi

# Usage errors are errors.
"$HEAPLAB" record -o "$work/x" >/dev/null 2>&1
[ $? -eq 2 ]
tap_result $? "heaplab record without a command is a usage error"
"$HEAPLAB" record -o "$work/no/such/dir/x" -- true >/dev/null 2>&1
[ $? -eq 1 ]
tap_result $? "heaplab record into a directory that does not exist fails"

tap_done

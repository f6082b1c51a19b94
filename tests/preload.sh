#!/bin/sh
# preload.sh - real programs on heaplab's malloc, through LD_PRELOAD.
#
# Each test runs a program with libheaplab-malloc.so preloaded and
# HEAPLAB_STATS pointing at a file, where every process of the program
# appends its summary line at exit.  A test passes when the program did
# its job and heaplab served it (some process counted allocations).  A
# program this machine lacks is skipped, never passed.
#
# Environment (set by `make check`): HEAPLAB_MALLOC_SO, THREADS_PROG,
# top_srcdir, HEAPLAB_SANITIZED (a sanitizer build: skip everything, since
# a preloaded malloc cannot run under AddressSanitizer).
. "$top_srcdir/tests/tap.sh"
[ "${HEAPLAB_SANITIZED:-no}" = yes ] &&
  tap_skip_all "sanitizer build: a preloaded malloc cannot run under ASan"
[ -f "$HEAPLAB_MALLOC_SO" ] || tap_skip_all "no $HEAPLAB_MALLOC_SO"

work=$(mktemp -d "${TMPDIR:-/tmp}/heaplab-preload.XXXXXX")
trap 'rm -rf "$work"' EXIT
limit=$(command -v timeout >/dev/null && echo "timeout 300" || echo "")

# preloaded NAME COMMAND...: runs COMMAND on heaplab; records the result.
preloaded() {
  name=$1; shift
  stats=$work/stats.$((tap_count + 1))
  : >"$stats"
  start=$(date +%s)
  LD_PRELOAD=$HEAPLAB_MALLOC_SO HEAPLAB_STATS=$stats $limit "$@" \
    >"$work/out" 2>&1
  status=$?
  seconds=$(($(date +%s) - start))
  if [ "$status" -ne 0 ]; then
    tap_result 1 "$name (exit status $status)"
    tap_note "$(tail -n 20 "$work/out")"
  elif ! grep -q 'allocs=[1-9]' "$stats"; then
    tap_result 1 "$name (heaplab served no allocation)"
  else
    tap_result 0 "$name (${seconds}s, $(wc -l <"$stats") processes)"
  fi
}

# have PROGRAM: true when the machine has it.
have() { command -v "$1" >/dev/null 2>&1; }

# --- Python's own test suite, on malloc for every object ----------------
python=""
for candidate in /usr/bin/python3 python3; do
  if have "$candidate" &&
     "$candidate" -c 'import test.test_list, test.test_re' 2>/dev/null; then
    python=$candidate
    break
  fi
done
if [ -n "$python" ]; then
  preloaded "python3 -m test (list dict set json re)" \
    env PYTHONMALLOC=malloc "$python" -m test test_list test_dict test_set test_json test_re
else
  tap_skip "python3 -m test" "no python3 with its test package"
fi

# --- git: a repository from scratch ---------------------------------------
if have git; then
  repo=$work/repo
  mkdir -p "$repo"
  cp "$top_srcdir"/lib/*.c "$repo"/
  preloaded "git init, add, commit, log" sh -c '
    cd "$1" && git init -q . &&
    git -c user.name=heaplab -c user.email=heaplab@example.org \
        -c commit.gpgsign=false add . &&
    git -c user.name=heaplab -c user.email=heaplab@example.org \
        -c commit.gpgsign=false commit -q -m "first" &&
    git log --stat | grep -q heap.c' sh "$repo"
else
  tap_skip "git" "no git"
fi

# --- sqlite3: a table of a few thousand rows --------------------------------
if have sqlite3; then
  preloaded "sqlite3 create, insert 5000 rows, query" sh -c '
    sqlite3 "$1" "
      CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT);
      WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n
                              WHERE x < 5000)
      INSERT INTO t SELECT x, hex(randomblob(16)) FROM n;
      CREATE INDEX t_name ON t (name);" &&
    test "$(sqlite3 "$1" "SELECT count(*), sum(id) FROM t
                          WHERE length(name) = 32;")" = "5000|12502500"' \
    sh "$work/db.sqlite"
else
  tap_skip "sqlite3" "no sqlite3"
fi

# --- gcc compiling one of our own files; g++ new and delete ---------------
if have gcc; then
  preloaded "gcc -O2 -c lib/heap.c" \
    gcc -O2 -Wall -I"$top_srcdir/lib" -c "$top_srcdir/lib/heap.c" \
    -o "$work/heap.o"
else
  tap_skip "gcc" "no gcc"
fi
if have g++; then
  cat >"$work/newdelete.cc" <<'CXX'
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>
int main()
{
    std::map<std::string, std::vector<int>> m;
    for (int i = 0; i < 20000; i++)
        m[std::to_string(i % 997)].push_back(i);
    std::vector<std::unique_ptr<int[]>> arrays;
    for (int i = 1; i < 2000; i++)
        arrays.emplace_back(new int[i]);
    try {
        throw std::runtime_error(std::string(100, 'x'));
    } catch (const std::exception &e) {
        if (std::string(e.what()).size() != 100)
            return 1;
    }
    return m.size() == 997 ? 0 : 1;
}
CXX
  preloaded "g++ compiling, and C++ new/delete/exceptions" sh -c '
    g++ -O1 -o "$1/newdelete" "$1/newdelete.cc" && "$1/newdelete"' \
    sh "$work"
else
  tap_skip "g++ new/delete" "no g++"
fi

# --- perl and sort -------------------------------------------------------
if have perl; then
  preloaded "perl hashes, strings and sort" perl -e '
    my %h; $h{$_} = "x" x ($_ % 300) for 1 .. 200000;
    my @k = sort { $a <=> $b } keys %h;
    exit(@k == 200000 && length(join ",", @k) > 1000000 ? 0 : 1);'
else
  tap_skip "perl" "no perl"
fi
if have sort && have awk; then
  awk 'BEGIN { for (i = 0; i < 400000; i++) print (i * 7919) % 1000003, i }' \
    >"$work/unsorted"
  LC_ALL=C sort -n "$work/unsorted" >"$work/sorted.glibc"
  preloaded "sort -n of 400000 lines, 2 threads" sh -c '
    LC_ALL=C sort -n --parallel=2 -S 32M "$1/unsorted" >"$1/sorted.heaplab" &&
    cmp -s "$1/sorted.glibc" "$1/sorted.heaplab"' sh "$work"
else
  tap_skip "sort" "no sort or awk"
fi

# --- xz with two threads: blocks compressed at once --------------------------
if have xz && have awk; then
  awk 'BEGIN { for (i = 0; i < 300000; i++) print i, i * 7 % 1009, "line" }' \
    >"$work/plain"
  preloaded "xz -T2 and back, 2 threads" sh -c '
    xz -T2 --block-size=1MiB -c "$1/plain" >"$1/plain.xz" &&
    xz -T2 -dc "$1/plain.xz" | cmp -s - "$1/plain"' sh "$work"
else
  tap_skip "xz -T2" "no xz or awk"
fi

# --- our own threaded program -----------------------------------------------
preloaded "threads: 8 threads, objects freed across threads" \
  "$THREADS_PROG" threads 8
preloaded "fork from a threaded process" "$THREADS_PROG" fork
preloaded "dlopen, dlclose, threads in a loaded library" \
  "$THREADS_PROG" dlopen
preloaded "sbrk by the program, mmap grower" "$THREADS_PROG" sbrk
preloaded "sbrk by the program, brk grower" \
  env HEAPLAB_HEAP=grower=brk "$THREADS_PROG" sbrk
# Under a small address space each heap gets a smaller region, and a
# thread whose heap is full takes another: 8 million objects of 64 bytes
# (640 MB with their headers) fit in 1 GB of address space.
preloaded "8 million small objects under ulimit -v 1000000" \
  sh -c 'ulimit -v 1000000 && exec "$@"' sh "$THREADS_PROG" fill 8000000
preloaded "threads on the reference preset" \
  env HEAPLAB_HEAP=preset=reference "$THREADS_PROG" threads 4

# --- the environment's knobs reach the heap ---------------------------------
# knobs NAME EXPECTED-WORDS ENV...: threads_prog threads 2 under ENV must
# succeed and print a stats line holding every word of EXPECTED-WORDS.
knobs() {
  name=$1 expected=$2; shift 2
  env "$@" LD_PRELOAD="$HEAPLAB_MALLOC_SO" HEAPLAB_STATS=1 \
    "$THREADS_PROG" threads 2 >/dev/null 2>"$work/err"
  status=$?
  line=$(grep '^heaplab-malloc: ' "$work/err")
  missing=""
  for word in $expected; do
    case " $line " in *" $word "*) ;; *) missing="$missing $word" ;; esac
  done
  [ "$status" -eq 0 ] && [ -z "$missing" ]
  tap_result $? "$name${missing:+ (missing:$missing)}"
  [ -z "$missing" ] || tap_note "$(cat "$work/err")"
}
knobs "default knobs" \
  "align=16 fit=segregated order=lifo merge=immediate cache=on
   heaps=per-thread grower=mmap increment=65536 mmap_threshold=1048576
   trim_threshold=1048576"
# threads_prog threads 8 frees objects across threads: a heap each, and
# remote frees taken by their owners.
env LD_PRELOAD="$HEAPLAB_MALLOC_SO" HEAPLAB_STATS=1 "$THREADS_PROG" threads 8 \
  >/dev/null 2>"$work/err"
line=$(grep '^heaplab-malloc: ' "$work/err")
case " $line " in
  *" heaps=1 "* | *" heaps=2 "* | *" remote_frees=0 "* | "  ") false ;;
  *" cache_hits=0 "*) false ;;
esac
tap_result $? "8 threads: more than two heaps, cache hits and remote frees"
tap_note "$line"
# HEAPLAB_STATS=FILE with %p: a file per process, nothing on stderr.
rm -f "$work"/st-*
env LD_PRELOAD="$HEAPLAB_MALLOC_SO" HEAPLAB_STATS="$work/st-%p" \
  "$THREADS_PROG" fork >/dev/null 2>"$work/err"
[ $? -eq 0 ] && [ ! -s "$work/err" ] && [ "$(ls "$work"/st-* | wc -l)" -ge 2 ] &&
  grep -q 'utilization=0\.[0-9][0-9][0-9] ' "$work"/st-*
tap_result $? "HEAPLAB_STATS=FILE-%p: one file per process, with utilization"
env LD_PRELOAD="$HEAPLAB_MALLOC_SO" HEAPLAB_STATS=1 HEAPLAB_STATS_HEAPS=1 \
  "$THREADS_PROG" threads 4 >/dev/null 2>"$work/err"
[ "$(grep -c '^heaplab-malloc: pid=[0-9]* heap=[1-9][0-9]* allocs=[1-9]' \
     "$work/err")" -ge 3 ]
tap_result $? "HEAPLAB_STATS_HEAPS=1: a line for each heap that served"
tap_note "$(cat "$work/err")"
knobs "heaps=one cache=off: the seed's one locked heap" \
  "heaps=1 cache_hits=0 remote_frees=0 cache=off heaps=one" \
  HEAPLAB_HEAP="heaps=one cache=off"
knobs "merge=lazy alone brings first fit with it" \
  "align=16 fit=first order=lifo merge=lazy" HEAPLAB_HEAP="merge=lazy"
[ "$(grep -c '^heaplab: HEAPLAB_HEAP: fit=segregated cannot go with merge=lazy; using fit=first instead$' "$work/err")" -eq 1 ]
tap_result $? "merge=lazy with segregated fit: one line says fit=first is used"
knobs "cache=off merge=lazy runs first fit too" \
  "fit=first merge=lazy cache=off" HEAPLAB_HEAP="cache=off merge=lazy"
[ "$(grep -c '^heaplab: ' "$work/err")" -eq 1 ]
tap_result $? "cache=off merge=lazy: the one warning, and no other line"
tap_note "$(cat "$work/err")"
knobs "HEAPLAB_HEAP sets the library's knobs, left to right" \
  "align=8 fit=best order=address merge=lazy increment=4096" \
  HEAPLAB_HEAP="preset=reference fit=best, order=address increment=4K"
knobs "HEAPLAB_MMAP_THRESHOLD=off keeps even big objects in the heap" \
  "mapped=0 mmap_threshold=off" HEAPLAB_MMAP_THRESHOLD=off
knobs "HEAPLAB_MMAP_THRESHOLD=1K maps most objects" \
  "mmap_threshold=1024 trim_threshold=off" \
  HEAPLAB_MMAP_THRESHOLD=1K HEAPLAB_TRIM_THRESHOLD=off
grep -q 'mapped=[1-9][0-9][0-9]' "$work/err"
tap_result $? "HEAPLAB_MMAP_THRESHOLD=1K: hundreds of mappings made"
# A 4 MiB buffer made and freed twice: the first is mapped, and its free
# raises the thresholds (threshold.c), so the second comes from the heap.
# The stats line gives the thresholds in force then, not the defaults.
env LD_PRELOAD="$HEAPLAB_MALLOC_SO" HEAPLAB_STATS=1 "$THREADS_PROG" big \
  >/dev/null 2>"$work/err"
status=$?
line=$(grep '^heaplab-malloc: ' "$work/err")
mmap=$(echo "$line" | sed -n 's/.* mmap_threshold=\([0-9]*\) .*/\1/p')
trim=$(echo "$line" | sed -n 's/.* trim_threshold=\([0-9]*\)$/\1/p')
[ "$status" -eq 0 ] && [ "${mmap:-0}" -gt 4194304 ] &&
  [ "${trim:-0}" -gt 8388608 ] &&
  case " $line " in *" mapped=1 "*) true ;; *) false ;; esac
tap_result $? "a freed 4 MiB mapping: the stats line has the raised thresholds"
tap_note "$line"
# HEAPLAB_TRIM_THRESHOLD=0 gives back all the free top: a 512 KiB buffer
# in the heap (no mapping), freed, goes back (all but less than a page);
# under the default 1 MiB
# threshold it stays (less than twice the threshold).
trimmed_after_half_mib() {
  env LD_PRELOAD="$HEAPLAB_MALLOC_SO" HEAPLAB_STATS=1 \
    HEAPLAB_MMAP_THRESHOLD=off "$@" "$THREADS_PROG" big 512 \
    2>&1 >/dev/null | sed -n 's/^heaplab-malloc: .* trimmed=\([0-9]*\) .*/\1/p'
}
zero=$(trimmed_after_half_mib HEAPLAB_TRIM_THRESHOLD=0)
default=$(trimmed_after_half_mib)
[ "${zero:-0}" -ge $((512 * 1024 - 4096)) ] && [ "${default:-1}" -eq 0 ]
tap_result $? "HEAPLAB_TRIM_THRESHOLD=0 gives back the free top (trimmed=$zero; by default $default)"
env HEAPLAB_HEAP="fit=worstest grower=sbrk" LD_PRELOAD="$HEAPLAB_MALLOC_SO" \
  "$THREADS_PROG" threads 1 >/dev/null 2>"$work/err"
[ $? -eq 0 ] && [ "$(grep -c '^heaplab: HEAPLAB_HEAP: ' "$work/err")" -eq 2 ]
tap_result $? "bad HEAPLAB_HEAP words: one warning each, then the defaults"
tap_note "$(cat "$work/err")"

# HEAPLAB_STATS=1 with a program that closes its stderr on the way out
# (the coreutils do): the line still arrives, once.
if have ls; then
  LD_PRELOAD=$HEAPLAB_MALLOC_SO HEAPLAB_STATS=1 ls / >/dev/null 2>"$work/err"
  [ "$(grep -c '^heaplab-malloc: pid=[0-9]* allocs=[1-9]' "$work/err")" -eq 1 ]
  tap_result $? "HEAPLAB_STATS=1 prints one line, even for ls"
else
  tap_skip "HEAPLAB_STATS=1 with ls" "no ls"
fi

# --- misuse: one line in the C library's style, then abort ----------------
# aborts_with NAME PATTERN COMMAND...: COMMAND must be killed by SIGABRT
# after printing exactly one line, which matches the extended regex PATTERN.
aborts_with() {
  name=$1 pattern=$2; shift 2
  (ulimit -c 0; LD_PRELOAD=$HEAPLAB_MALLOC_SO exec "$@") \
    >"$work/out" 2>"$work/err"
  status=$?
  if [ "$status" -eq 134 ] && [ "$(wc -l <"$work/err")" -eq 1 ] &&
     grep -Eqx "$pattern" "$work/err"; then
    tap_result 0 "$name: $(cat "$work/err")"
  else
    tap_result 1 "$name (exit status $status)"
    tap_note "$(cat "$work/err")"
  fi
}
aborts_with "double free aborts" \
  'heaplab: free\(\): double free of 0x[0-9a-f]+' "$THREADS_PROG" doublefree
aborts_with "a double free by another thread aborts" \
  'heaplab: free\(\): double free of 0x[0-9a-f]+' "$THREADS_PROG" remote-double
aborts_with "foreign pointer aborts" \
  'heaplab: free\(\): pointer outside the heap: 0x[0-9a-f]+' \
  "$THREADS_PROG" foreign

tap_done

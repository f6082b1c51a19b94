#!/bin/sh
# run.sh - glibc's malloc, heaplab's and other allocators on the same
# workloads, measured, as markdown tables.
#
#   make bench        (from the top of the build tree)
#   BENCH_RUNS=5 BENCH_ALLOCATORS="glibc heaplab" make bench
#
# Every program here is a plain binary; each column runs the same binary
# on another malloc, through LD_PRELOAD:
#   glibc         the C library's own (nothing preloaded)
#   heaplab       libheaplab-malloc.so with its default knobs
#   heaplab-seed  the same library with HEAPLAB_HEAP='heaps=one cache=off':
#                 one heap behind one lock and no per-thread cache, the
#                 design heaplab started from
#   jemalloc, mimalloc, tcmalloc
#                 the Debian packages' libraries (libjemalloc2,
#                 libmimalloc2.0, libtcmalloc-minimal4), where installed;
#                 a missing one is left out, with a note
#   first-fit, reference
#                 heaplab with HEAPLAB_HEAP=fit=first, or =preset=reference
#                 (not in the default list)
# BENCH_ALLOCATORS (a list of those names) chooses the columns;
# BENCH_THREADS and BENCH_PAIR_THREADS the thread counts of tables 1 and 2
# ("1 2 4 8" and "2 4"); BENCH_THREADS_ONLY=1 stops after them.
#
# Each cell is the run with the best throughput out of BENCH_RUNS
# (default 3): its operations per second and its peak resident set
# (getrusage's ru_maxrss: the whole process), from that same run.  Every
# run lasts about BENCH_SECONDS (0.3 by default; a replay finishes its
# pass).  The last column divides heaplab's figures by glibc's.  Tables:
#   1. threads_bench, threads freeing their own objects: 1, 2, 4, 8 threads;
#   2. pairs_bench, producers handing objects to consumers that free
#      them: 2 and 4 threads;
#   3. replay_bench over a synthetic script (gen_workload) and over
#      programs recorded with `heaplab record` now: python3, sort, git;
#   4. replay_bench over generated malloc-lab traces (gen_trace);
#   5. what `heaplab record` costs the program it records.
# A program that is missing (python3, sort, git) loses its row, with a
# note.  Environment (set by `make bench`): BENCH_DIR (the built programs),
# HEAPLAB_MALLOC_SO, HEAPLAB_RECORD_SO, HEAPLAB (the heaplab command).
set -eu
: "${BENCH_DIR:?}" "${HEAPLAB_MALLOC_SO:?}" "${HEAPLAB_RECORD_SO:?}"
: "${HEAPLAB:?}"
export HEAPLAB_RECORD_SO HEAPLAB_MALLOC_SO
if [ ! -f "$HEAPLAB_MALLOC_SO" ]; then
  # LD_PRELOAD of a missing library only warns: heaplab would be glibc
  echo "run.sh: no $HEAPLAB_MALLOC_SO; build first (make)" >&2
  exit 1
fi
runs=${BENCH_RUNS:-3}
span=${BENCH_SECONDS:-0.3}
work=$(mktemp -d "${TMPDIR:-/tmp}/heaplab-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
: >"$work/notes"
python=$(command -v /usr/bin/python3 || command -v python3 || true)
seed_knobs='heaps=one cache=off'
peer_packages="libjemalloc2 libmimalloc2.0 libtcmalloc-minimal4"

note() { echo "$*" >>"$work/notes"; }

# peer_file NAME: the file name of a peer allocator's library.
peer_file() {
  case $1 in
    jemalloc) echo libjemalloc.so.2 ;;
    mimalloc) echo libmimalloc.so.2 ;;
    tcmalloc) echo libtcmalloc_minimal.so.4 ;;
  esac
}

# find_library FILE: its path in the usual library folders, or nothing.
find_library() {
  for dir in /usr/lib/*-linux-gnu* /usr/lib64 /usr/lib /usr/local/lib; do
    if [ -e "$dir/$1" ]; then echo "$dir/$1"; return; fi
  done
}

# The columns: the allocators asked for that this machine has.
allocators="" missing=""
for a in ${BENCH_ALLOCATORS:-glibc heaplab heaplab-seed jemalloc mimalloc tcmalloc}
do
  case $a in
    glibc|heaplab|heaplab-seed|first-fit|reference)
      allocators="$allocators $a" ;;
    jemalloc|mimalloc|tcmalloc)
      so=$(find_library "$(peer_file "$a")")
      if [ -n "$so" ]; then
        allocators="$allocators $a"
        eval "so_$a=\$so"
      else
        missing="$missing $a"
      fi ;;
    *) note "- BENCH_ALLOCATORS: no allocator '$a' (skipped)." ;;
  esac
done
allocators=${allocators# }
if [ -n "$missing" ]; then
  note "- Not measured, not installed:$missing" \
       "(\`apt-get install $peer_packages\`)."
fi

# on ALLOCATOR COMMAND...: runs COMMAND on that malloc.
on() {
  allocator=$1; shift
  case $allocator in
    glibc) "$@" ;;
    heaplab) env -u HEAPLAB_HEAP LD_PRELOAD="$HEAPLAB_MALLOC_SO" "$@" ;;
    heaplab-seed) env LD_PRELOAD="$HEAPLAB_MALLOC_SO" \
                    HEAPLAB_HEAP="$seed_knobs" "$@" ;;
    first-fit) env LD_PRELOAD="$HEAPLAB_MALLOC_SO" HEAPLAB_HEAP=fit=first "$@" ;;
    reference) env LD_PRELOAD="$HEAPLAB_MALLOC_SO" \
                 HEAPLAB_HEAP=preset=reference "$@" ;;
    *) eval "so=\$so_$allocator"; env LD_PRELOAD="$so" "$@" ;;
  esac
}

# field NAME LINE: the value of NAME=VALUE in a result line.
field() { echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"; }

# best ALLOCATOR COMMAND...: the result line with the most ops_per_sec,
# or nothing when every run failed (a note says why).  The programs'
# stderr is not shown: heaplab warns there about knobs it does not know.
best() {
  allocator=$1; shift
  top="" top_rate=0
  i=0
  while [ "$i" -lt "$runs" ]; do
    if line=$(on "$allocator" "$@" 2>"$work/stderr") &&
       rate=$(field ops_per_sec "$line") && [ -n "$rate" ]; then
      if [ "$rate" -gt "$top_rate" ]; then top=$line top_rate=$rate; fi
    else
      note "- $allocator failed on \`$(basename "$1")$(echo " $*" |
        sed "s|$work/||g; s|^ [^ ]*||")\`:" \
        "$(tail -n 1 "$work/stderr")"
    fi
    i=$((i + 1))
  done
  echo "$top"
}

# cell LINE: "X M ops/s · Y MiB" (or "X k ops/s · ..."), or "failed".
cell() {
  if [ -z "$1" ]; then echo "failed"; return; fi
  awk -v ops="$(field ops_per_sec "$1")" -v kib="$(field max_rss_kib "$1")" \
    'BEGIN { m = ops / 1e6; k = ops / 1e3
             if (m >= 1)
               printf (m >= 100 ? "%.0f" : m >= 10 ? "%.1f" : "%.2f") \
                      " M ops/s", m
             else
               printf (k >= 10 ? "%.0f" : "%.1f") " k ops/s", k
             printf " · %.1f MiB", kib / 1024 }'
}

# ratio HEAPLAB_LINE GLIBC_LINE: "A× · B×", throughput and peak RSS.
ratio() {
  if [ -z "$1" ] || [ -z "$2" ]; then echo "–"; return; fi
  awk -v a="$(field ops_per_sec "$1")" -v b="$(field ops_per_sec "$2")" \
      -v c="$(field max_rss_kib "$1")" -v d="$(field max_rss_kib "$2")" \
    'BEGIN { printf "%.2f× · %.2f×", a / b, c / d }'
}

# header FIRST_COLUMNS ALIGNMENTS: a table's first two lines.
header() {
  row="| $1 |" rule="|$2|"
  for a in $allocators; do row="$row $a |" rule="$rule---:|"; done
  echo "$row heaplab / glibc (ops/s · RSS) |"
  echo "$rule---:|"
}

# measure ROW COMMAND...: one table row, a cell per allocator; ROW is the
# row's first cells ("| name | ... |").
measure() {
  row=$1; shift
  glibc_line="" heaplab_line=""
  for a in $allocators; do
    line=$(best "$a" "$@")
    case $a in glibc) glibc_line=$line ;; heaplab) heaplab_line=$line ;; esac
    row="$row $(cell "$line") |"
  done
  echo "$row $(ratio "$heaplab_line" "$glibc_line") |"
}

mib() { awk -v n="$1" 'BEGIN { printf "%.1f", n / 1024 }'; }

echo "## Machine"
echo
echo "$(nproc) cores, $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1)," \
     "$(ldd --version | head -n 1 | sed 's/^ldd //'), $(date -u +%Y-%m-%d);" \
     "each cell the best of $runs runs of about $span s."
if command -v dpkg-query >/dev/null; then
  versions=""
  for a in $allocators; do
    case $a in
      jemalloc) p=libjemalloc2 ;; mimalloc) p=libmimalloc2.0 ;;
      tcmalloc) p=libtcmalloc-minimal4 ;; *) continue ;;
    esac
    v=$(dpkg-query -W -f='${Version}' "$p" 2>/dev/null || true)
    versions="$versions${versions:+, }$a ${v:-(version unknown)}"
  done
  if [ -n "$versions" ]; then echo "Peers: $versions."; fi
fi
# Does this libheaplab-malloc.so know the seed's knobs?  It warns if not.
if env LD_PRELOAD="$HEAPLAB_MALLOC_SO" HEAPLAB_HEAP="$seed_knobs" \
     "$BENCH_DIR/threads_bench" -n 20 -s 10 2>&1 >/dev/null | grep -q .; then
  case " $allocators " in *" heaplab-seed "*)
    note "- This libheaplab-malloc.so does not know HEAPLAB_HEAP='$seed_knobs'" \
         "(it warns and ignores them): heaplab-seed ran as heaplab." ;;
  esac
fi
echo
if [ -s "$work/notes" ]; then cat "$work/notes"; echo; : >"$work/notes"; fi

# --- 1. threads on their own objects ------------------------------------------
echo "## Threads allocating and freeing their own objects (bench/threads_bench)"
echo
header "threads" "---:"
for t in ${BENCH_THREADS:-1 2 4 8}; do
  measure "| $t |" "$BENCH_DIR/threads_bench" -t "$t" -d "$span"
done
echo
echo "Each thread keeps 1000 objects (mostly 16-512 bytes, one in 50 up to" \
     "64 KiB) and replaces a random one, step after step; ops counts" \
     "mallocs and frees."
echo

# --- 2. producers and consumers ---------------------------------------------
echo "## Threads freeing each other's objects (bench/pairs_bench)"
echo
header "threads" "---:"
for t in ${BENCH_PAIR_THREADS:-2 4}; do
  measure "| $t |" "$BENCH_DIR/pairs_bench" -t "$t" -d "$span"
done
echo
echo "Pairs of threads: the producer allocates (sizes as above) and hands" \
     "each object over a lock-free ring to its consumer, which frees it;" \
     "ops counts mallocs and frees."
echo
# BENCH_THREADS_ONLY=1: the two thread tables alone (bench/scaling.sh).
[ -z "${BENCH_THREADS_ONLY:-}" ] || exit 0

# --- 3. replays of scripts and recordings ------------------------------------
"$BENCH_DIR/gen_workload" -n 300000 >"$work/synthetic.script"
replays="synthetic"
if [ -n "$python" ]; then
  if "$HEAPLAB" record -o "$work/python.script" -- env PYTHONMALLOC=malloc \
    "$python" -c '
import json
rows = [{"id": i, "name": "row%d" % i, "tags": list(range(i % 40))}
        for i in range(6000)]
text = json.dumps(rows)
back = json.loads(text)
words = sorted(set(text.split(",")))' >/dev/null; then
    replays="$replays python"
  else
    note "- recording python3 failed: no python row."
  fi
else
  note "- python3 not found: no python row."
fi
if command -v sort >/dev/null; then
  awk 'BEGIN { srand(42)
               w = "alphabetagammadeltaepsilonzetaetathetaiotakappa"
               for (i = 0; i < 200000; i++)
                 printf "%08x %s %d\n", int(rand() * 4294967295),
                        substr(w, int(rand() * 36) + 1, int(rand() * 9) + 3), i
             }' >"$work/lines.txt"
  if "$HEAPLAB" record -o "$work/sort.script" -- env LC_ALL=C \
    sort -S 16M -k2,2 -k1,1 "$work/lines.txt" >/dev/null; then
    replays="$replays sort"
  else
    note "- recording sort failed: no sort row."
  fi
else
  note "- sort not found: no sort row."
fi
if command -v git >/dev/null; then
  repo=$work/repo
  # git GIT-ARGS...: git with no configuration but ours.
  git_() {
    env GIT_CONFIG_NOSYSTEM=1 HOME="$work" GIT_PAGER=cat \
      GIT_AUTHOR_DATE=2001-02-03T04:05:06Z \
      GIT_COMMITTER_DATE=2001-02-03T04:05:06Z \
      git -C "$repo" -c user.name=bench -c user.email=bench@heaplab.invalid \
      -c init.defaultBranch=main -c commit.gpgsign=false "$@"
  }
  mkdir -p "$repo"
  git_ init -q
  # 400 files of 20-220 generated lines in 20 folders, then 8 commits
  # that each change one file throughout and add a line to 40 others
  (cd "$repo" && awk 'BEGIN { srand(7)
    for (f = 0; f < 400; f++) {
      d = "dir" (f % 20); system("mkdir -p " d); name = d "/file" f ".txt"
      for (i = int(rand() * 200) + 20; i > 0; i--)
        printf "line %d of file %d: %08x %08x\n", i, f,
               int(rand() * 4294967295), int(rand() * 4294967295) > name
      close(name) } }')
  git_ add -A
  git_ commit -q -m "400 files"
  for c in 1 2 3 4 5 6 7 8; do
    (cd "$repo" &&
     awk -v c="$c" 'BEGIN { srand(c) }
       { if (rand() < 0.2) print "changed by " c ": " $0; else print }' \
       "dir$c/file$c.txt" >changed && mv changed "dir$c/file$c.txt" &&
     for f in dir1[01]/file*.txt; do echo "line added by $c" >>"$f"; done)
    git_ commit -q -a -m "change $c"
  done
  if "$HEAPLAB" record -o "$work/git.script" -- env GIT_CONFIG_NOSYSTEM=1 \
    HOME="$work" GIT_PAGER=cat git -C "$repo" log -p --stat >/dev/null; then
    replays="$replays git"
  else
    note "- recording git failed: no git row."
  fi
else
  note "- git not found: no git row."
fi

echo "## Replaying allocation scripts (bench/replay_bench)"
echo
header "workload | operations | base MiB" "---|---:|---:"
for w in $replays; do
  ops=$("$BENCH_DIR/replay_bench" "$work/$w.script" 2>/dev/null || true)
  measure "| $w | $(field ops "$ops") | $(mib "$(field base_rss_kib "$ops")") |" \
    "$BENCH_DIR/replay_bench" -d "$span" "$work/$w.script"
done
echo
echo "operations: one pass of the script (a run replays whole passes for" \
     "about $span s); base: what the process holds before the replay" \
     "starts (the program, the parsed script, its table of objects), part" \
     "of every column's peak RSS."
echo "synthetic: \`gen_workload -n 300000\` (mostly small, short-lived" \
     "objects, a pool of long-lived ones, growing buffers)." \
     "python: \`heaplab record\` of python3 building, dumping and parsing" \
     "6000 JSON rows with PYTHONMALLOC=malloc." \
     "sort: of \`LC_ALL=C sort -S 16M -k2,2 -k1,1\` on 200000 generated" \
     "lines (4.5 MB): sort keeps the lines in a buffer of its own, so the" \
     "script is a few dozen calls, two of them 8 and 16 MiB, and the row" \
     "says how an allocator gets big blocks and gives them back (glibc," \
     "which raises its mmap threshold after the first such free, keeps" \
     "them from pass to pass)." \
     "git: of \`git log -p --stat\` in a generated repository of 400 files" \
     "and 9 commits."
echo

# --- 4. generated malloc-lab traces -----------------------------------------------
echo "## Replaying generated malloc-lab traces (bench/gen_trace, bench/replay_bench)"
echo
header "trace | operations | base MiB" "---|---:|---:"
"$BENCH_DIR/gen_trace" -l >"$work/patterns"
while read -r pattern what; do
  "$BENCH_DIR/gen_trace" -p "$pattern" -n 200000 -s 1 >"$work/$pattern.rep"
  ops=$("$BENCH_DIR/replay_bench" "$work/$pattern.rep" 2>/dev/null || true)
  measure "| $pattern | $(field ops "$ops") | $(mib "$(field base_rss_kib "$ops")") |" \
    "$BENCH_DIR/replay_bench" -d "$span" "$work/$pattern.rep"
done <"$work/patterns"
echo
echo "Each trace: \`gen_trace -p PATTERN -n 200000 -s 1\`, in the .rep format."
while read -r pattern what; do echo "$pattern: $what."; done <"$work/patterns"
echo

# --- 5. the recorder's cost ---------------------------------------------------
# seconds COMMAND...: the best wall time of $runs runs, in seconds.
seconds() {
  top=""
  i=0
  while [ "$i" -lt "$runs" ]; do
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1
    t=$(( $(date +%s%N) - start ))
    if [ -z "$top" ] || [ "$t" -lt "$top" ]; then top=$t; fi
    i=$((i + 1))
  done
  awk -v ns="$top" 'BEGIN { printf "%.3f", ns / 1e9 }'
}
if [ -n "$python" ]; then
  echo "## What recording costs (python3, 300000 strings, PYTHONMALLOC=malloc)"
  echo
  echo "| run | seconds | slowdown |"
  echo "|---|---:|---:|"
  plain=$(seconds env PYTHONMALLOC=malloc "$python" -c \
    'x=[str(i)*3 for i in range(300000)];y=sorted(x)')
  rec=$(seconds "$HEAPLAB" record -o "$work/cost.script" -- \
    env PYTHONMALLOC=malloc "$python" -c \
    'x=[str(i)*3 for i in range(300000)];y=sorted(x)')
  rech=$(seconds "$HEAPLAB" record -o "$work/cost.script" --on-heaplab -- \
    env PYTHONMALLOC=malloc "$python" -c \
    'x=[str(i)*3 for i in range(300000)];y=sorted(x)')
  ops=$(grep -c '^[acmrf] ' "$work/cost.script" || true)
  slower() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }
  echo "| plain (glibc) | $plain | 1.00x |"
  echo "| heaplab record (glibc underneath) | $rec | $(slower "$rec" "$plain") |"
  echo "| heaplab record --on-heaplab | $rech | $(slower "$rech" "$plain") |"
  echo
  echo "The recording holds $ops operations" \
       "($(wc -c <"$work/cost.script") bytes)."
  echo
fi

if [ -s "$work/notes" ]; then
  echo "## Notes"
  echo
  cat "$work/notes"
fi

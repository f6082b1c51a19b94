#!/bin/sh
# run.sh - glibc's malloc against heaplab's, measured, as markdown tables.
#
#   make bench        (from the top of the build tree)
#
# Every program here is a plain binary run four ways: on the C library's
# malloc, on libheaplab-malloc.so with its default knobs (LD_PRELOAD:
# segregated fit, immediate merging), with first fit instead
# (HEAPLAB_HEAP=fit=first: one freelist searched from its head), and with
# the reference knobs (HEAPLAB_HEAP=preset=reference: the Rust crate's
# algorithm).  Each cell is the best of BENCH_RUNS runs
# (default 3).  Tables:
#   1. replay_bench over a synthetic workload (gen_workload) and over a
#      recording of a real program (python3, every object on malloc):
#      operations per second, peak RSS, peak live bytes;
#   2. threads_bench with 1, 2, 4 and 8 threads: operations per second;
#   3. what `heaplab record` costs the program it records.
# Environment (set by `make bench`): BENCH_DIR (the built programs),
# HEAPLAB_MALLOC_SO, HEAPLAB_RECORD_SO, HEAPLAB (the heaplab command).
set -eu
: "${BENCH_DIR:?}" "${HEAPLAB_MALLOC_SO:?}" "${HEAPLAB_RECORD_SO:?}"
: "${HEAPLAB:?}"
export HEAPLAB_RECORD_SO HEAPLAB_MALLOC_SO
runs=${BENCH_RUNS:-3}
work=$(mktemp -d "${TMPDIR:-/tmp}/heaplab-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
python=$(command -v /usr/bin/python3 || command -v python3 || true)
allocators="glibc heaplab first-fit reference"

# on ALLOCATOR COMMAND...: runs COMMAND on that malloc.
on() {
  allocator=$1; shift
  case $allocator in
    glibc) "$@" ;;
    heaplab) env LD_PRELOAD="$HEAPLAB_MALLOC_SO" "$@" ;;
    first-fit) env LD_PRELOAD="$HEAPLAB_MALLOC_SO" HEAPLAB_HEAP=fit=first "$@" ;;
    reference) env LD_PRELOAD="$HEAPLAB_MALLOC_SO" \
                 HEAPLAB_HEAP=preset=reference "$@" ;;
  esac
}

# field NAME LINE: the value of NAME=VALUE in a result line.
field() { echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"; }

# best ALLOCATOR COMMAND...: the result line with the most ops_per_sec.
best() {
  allocator=$1; shift
  top="" top_rate=0
  i=0
  while [ "$i" -lt "$runs" ]; do
    line=$(on "$allocator" "$@")
    rate=$(field ops_per_sec "$line")
    if [ "$rate" -gt "$top_rate" ]; then top=$line top_rate=$rate; fi
    i=$((i + 1))
  done
  echo "$top"
}

mib() { awk -v n="$1" -v d="$2" 'BEGIN { printf "%.1f", n / d }'; }
thousands() { awk -v n="$1" 'BEGIN { printf "%.0f k", n / 1000 }'; }

echo "## Machine"
echo
echo "$(nproc) cores, $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1)," \
     "$(ldd --version | head -n 1 | sed 's/^ldd //'), $(date -u +%Y-%m-%d);" \
     "each cell the best of $runs runs."
echo

# --- 1. replays -----------------------------------------------------------
"$BENCH_DIR/gen_workload" -n 300000 >"$work/synthetic.script"
workloads="synthetic"
if [ -n "$python" ]; then
  "$HEAPLAB" record -o "$work/python.script" -- env PYTHONMALLOC=malloc \
    "$python" -c '
import json
rows = [{"id": i, "name": "row%d" % i, "tags": list(range(i % 40))}
        for i in range(6000)]
text = json.dumps(rows)
back = json.loads(text)
words = sorted(set(text.split(",")))' >/dev/null
  workloads="synthetic python"
fi

echo "## Replaying allocation scripts (bench/replay_bench)"
echo
echo "| workload | operations | allocator | ops/s | RSS added (MiB) | peak live (MiB) |"
echo "|---|---:|---|---:|---:|---:|"
for w in $workloads; do
  for a in $allocators; do
    line=$(best "$a" "$BENCH_DIR/replay_bench" "$work/$w.script")
    echo "| $w | $(field ops "$line") | $a |" \
         "$(thousands "$(field ops_per_sec "$line")") |" \
         "$(mib "$(field heap_rss_kib "$line")" 1024) |" \
         "$(mib "$(field peak_live_bytes "$line")" 1048576) |"
  done
done
echo
echo "RSS added: how far the resident set rose during the replay, above" \
     "the parsed script; peak live: the most the script held at once."
echo "synthetic: \`gen_workload -n 300000\` (mostly small, short-lived" \
     "objects, a pool of long-lived ones, growing buffers)." \
     "python: \`heaplab record\` of python3 building, dumping and parsing" \
     "6000 JSON rows with PYTHONMALLOC=malloc."
echo

# --- 2. threads ------------------------------------------------------------
echo "## Threads allocating at once (bench/threads_bench, 400000 ops per thread)"
echo
echo "| threads | glibc ops/s | heaplab ops/s | first-fit ops/s | reference ops/s |"
echo "|---:|---:|---:|---:|---:|"
for t in 1 2 4 8; do
  row="| $t |"
  for a in $allocators; do
    line=$(best "$a" "$BENCH_DIR/threads_bench" -t "$t" -n 400000)
    row="$row $(thousands "$(field ops_per_sec "$line")") |"
  done
  echo "$row"
done
echo

# --- 3. the recorder's cost ---------------------------------------------------
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
  ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }
  echo "| plain (glibc) | $plain | 1.00x |"
  echo "| heaplab record (glibc underneath) | $rec | $(ratio "$rec" "$plain") |"
  echo "| heaplab record --on-heaplab | $rech | $(ratio "$rech" "$plain") |"
  echo
  echo "The recording holds $ops operations" \
       "($(wc -c <"$work/cost.script") bytes)."
fi

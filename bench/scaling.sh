#!/bin/sh
# scaling.sh - thread scaling at 8 and 16 threads, in one go, for a machine
# with 16 cores (the project's device machine, lent to some sessions).
#
#   bench/scaling.sh            from the top of the source tree
#
# It builds heaplab in _build-scaling/ if needed (autotools, no -Werror),
# then runs make bench's two thread tables only, at 1, 8 and 16 threads
# (producer/consumer pairs at 8 and 16), on glibc, heaplab, the seed's
# one lock and whichever of jemalloc, mimalloc and tcmalloc are installed
# (it installs nothing).  Each cell is the best of BENCH_RUNS (3) runs of
# BENCH_SECONDS (0.5) seconds.  The tables go to stdout and to
# $OUT/scaling.md when OUT is set (the device tool brings that folder
# back).  It needs only a C compiler, autotools, libtool, pkg-config,
# Check and ncurses, as the rest of the build does.
set -eu
cd "$(dirname "$0")/.."
dir=_build-scaling
jobs=$(nproc 2>/dev/null || echo 2)
[ -x configure ] || autoreconf -fi >/dev/null
mkdir -p "$dir"
(cd "$dir" && { [ -f Makefile ] || ../configure -q; } && make -s -j"$jobs" >/dev/null)
out=${OUT:+$OUT/scaling.md}
run() {
  (cd "$dir/bench" &&
   BENCH_THREADS="1 8 16" BENCH_PAIR_THREADS="8 16" BENCH_THREADS_ONLY=1 \
   BENCH_RUNS=${BENCH_RUNS:-3} BENCH_SECONDS=${BENCH_SECONDS:-0.5} \
   make -s bench)
}
if [ -n "$out" ]; then run | tee "$out"; else run; fi

#!/bin/sh
# fuzz.sh [SECONDS] - fuzzes the script parser (and short replays) with
# libFuzzer for SECONDS seconds (60 by default).
#
# Builds tests/fuzz_script.c with the library and the script sources using
# clang -fsanitize=fuzzer,address,undefined, seeds the corpus with the test
# scripts, and runs.  The last line is "fuzz_script: PASS ..." or
# "fuzz_script: FAIL ..."; the exit status is 0 or 1.  Not part of
# `make check`: CI runs it on its own.  Set FUZZ_DIR to keep the build, the
# corpus and any crash file in a directory of your choice.
set -eu
seconds=${1:-60}
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
cc=${CLANG:-clang}

if ! command -v "$cc" >/dev/null 2>&1; then
  echo "fuzz_script: FAIL: $cc not found (libFuzzer needs clang)"
  exit 1
fi
work=${FUZZ_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/fuzz_script.XXXXXX")}
mkdir -p "$work/corpus"
cp "$here"/scripts/* "$work/corpus/"

echo "fuzz_script: building in $work"
"$cc" -g -O1 -fsanitize=fuzzer,address,undefined \
  -fno-sanitize-recover=undefined \
  -I"$top/lib" -I"$top/tools" \
  "$top"/lib/*.c "$top"/tools/script*.c "$top"/tools/replay*.c \
  "$here/fuzz_script.c" -o "$work/fuzz_script" -pthread

echo "fuzz_script: running for $seconds seconds"
status=0
(cd "$work" && ./fuzz_script -max_total_time="$seconds" -max_len=4096 \
  -timeout=10 -dict="$here/fuzz_script.dict" -print_final_stats=1 \
  corpus >fuzz.log 2>&1) || status=$?

runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$work/fuzz.log")
if [ "$status" -ne 0 ]; then
  tail -n 40 "$work/fuzz.log"
  echo "fuzz_script: FAIL: libFuzzer exited with $status; see $work (crash-* holds the input)"
  exit 1
fi
echo "fuzz_script: PASS: ${runs:-?} runs in $seconds seconds, no crash, leak or undefined behaviour"
[ -n "${FUZZ_DIR:-}" ] || rm -rf "$work"

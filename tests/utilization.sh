#!/bin/sh
# utilization.sh - preset=compact's mean peak utilization on the project's
# malloc-lab style traces (bench/score-traces.sh), measured with `heaplab
# score`: it fails when a mean drops below its floor.  Two means, each
# trace weighing the same: over the whole set (fifteen traces; preset=
# compact reaches 90.70% today) and over its first eleven, the set before
# binary-large and realloc-one joined it (90.76% today); and over a second
# set of the same patterns with other seeds.  Issue 10's target is 92%,
# not reached on the first set (README.md says why): raise the floors as
# the placement gets better.  Memory, not time:
# the same traces give the same figures on every machine.  Prints TAP.
# Needs $HEAPLAB, $GEN_TRACE and $SCORE_TRACES (make check sets them).
set -u
: "${HEAPLAB:=../tools/heaplab}"
: "${GEN_TRACE:=../bench/gen_trace}"
: "${SCORE_TRACES:=../../bench/score-traces.sh}"
: "${UTILIZATION_FLOOR:=90.6}"
: "${UTILIZATION_FLOOR_ELEVEN:=90.7}"
: "${UTILIZATION_FLOOR_OTHER:=92.5}"
dir=$(mktemp -d "${TMPDIR:-/tmp}/utilization.XXXXXX") || exit 1
trap 'rm -rf "$dir"' EXIT

n=0
failed=0
ok() {
  n=$((n + 1))
  if [ "$2" -eq 0 ]; then echo "ok $n - $1"; else echo "not ok $n - $1"; failed=1; fi
}

sh "$SCORE_TRACES" "$GEN_TRACE" "$dir/traces"
ok "the trace set is generated" $?
"$HEAPLAB" score --csv --heap preset=compact "$dir"/traces/*.rep >"$dir/csv"
ok "heaplab score runs on it" $?
sed 's/^/# /' "$dir/csv" | cut -d, -f1-3,5
mean=$(grep '^mean,' "$dir/csv" | cut -d, -f3)
awk -v m="${mean:-0}" -v f="$UTILIZATION_FLOOR" 'BEGIN { exit !(m >= f) }'
ok "preset=compact's mean peak utilization, ${mean:-none}%, is at least $UTILIZATION_FLOOR%" $?
eleven=$(grep -v -e '^trace,' -e '^mean,' -e 'binary-large-' -e 'realloc-one-' \
           "$dir/csv" | awk -F, '{ sum += $3; n++ }
                               END { if (n == 11) printf "%.2f", sum / n }')
echo "# mean over the first eleven traces: ${eleven:-none}"
awk -v m="${eleven:-0}" -v f="$UTILIZATION_FLOOR_ELEVEN" 'BEGIN { exit !(m >= f) }'
ok "its mean over the first eleven traces, ${eleven:-none}%, is at least $UTILIZATION_FLOOR_ELEVEN%" $?
# The running split of place=zoned (lib/place.c) is what keeps
# binary-large-2's 15- and 90-byte objects apart: 73.9% with it, 44.2%
# with the split fixed at 256 bytes.
two=$(grep 'binary-large-2' "$dir/csv" | cut -d, -f3)
awk -v m="${two:-0}" 'BEGIN { exit !(m >= 73.0) }'
ok "binary-large-2 holds ${two:-none}%, at least 73% (the running split)" $?
failures=$(grep -v '^trace,' "$dir/csv" | cut -d, -f5 | sort -u)
[ "$failures" = 0 ]
ok "no allocation failed" $?

# The second set: the same patterns with seeds 3 and 4, which no choice
# was tuned on (92.63% today).
sh "$SCORE_TRACES" --other-seeds "$GEN_TRACE" "$dir/other"
ok "the second set is generated" $?
other=$("$HEAPLAB" score --csv --heap preset=compact "$dir"/other/*.rep |
        grep '^mean,' | cut -d, -f3)
echo "# mean over the second set (twenty traces): ${other:-none}"
awk -v m="${other:-0}" -v f="$UTILIZATION_FLOOR_OTHER" 'BEGIN { exit !(m >= f) }'
ok "preset=compact's mean over the second set, ${other:-none}%, is at least $UTILIZATION_FLOOR_OTHER%" $?
echo "1..$n"
exit $failed

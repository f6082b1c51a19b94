#!/bin/sh
# mutate.sh - do the tests catch the bugs they claim to?  (`make mutation`)
#
# Copies the source tree to a temporary directory and builds it once.  Then
# for each mutant in the list below - a small, plausible bug, written as a
# sed one-liner on one file - it applies the bug, rebuilds, runs the Check
# suites, and puts the file back.  A mutant is killed when a suite fails
# (or the build does, or the run takes too long), and survives when every
# suite passes: then some claim of the tests is not checked by anything.
# The summary lists the survivors; the exit status is 1 when there are any.
#
# Not part of `make check` or CI: it takes a rebuild and a run of the
# suites per mutant (about half a minute each).  Keep the list growing;
# the target is no survivor that is not an equivalent mutant.
#
#   tests/mutate.sh [NAME...]   only the mutants named (default: all)
# Environment: top_srcdir (the source tree; default: this script's ..),
# MUTATE_JOBS (make -j; default 2), MUTATE_KEEP=1 keeps the copy.
set -u

src=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
src=$(cd "$src" && pwd)
jobs=${MUTATE_JOBS:-2}
limit=$(command -v timeout >/dev/null && echo "timeout 900" || echo "")

# The mutants: NAME @@ FILE @@ SED-EXPRESSION.  Each expression must change
# its file (a mutant that no longer applies is reported, not skipped).
mutants() {
  cat <<'EOF'
calloc-zeroes-size-bytes @@ malloc/family.c @@ s/memset(p, 0, count \* size)/memset(p, 0, size)/
hl-calloc-zeroes-count-bytes @@ lib/heap.c @@ s/memset(p, 0, block_size(OBJECT_BLOCK(p)))/memset(p, 0, count)/
best-fit-last-among-equals @@ lib/fit.c @@ s/: block_size(b) < block_size(chosen)/: block_size(b) <= block_size(chosen)/
lazy-merge-without-header-guard @@ lib/merge.c @@ s/while (next < heap->end && block_after_is_sound(heap, next) &&/while (next < heap->end \&\&/
trim-keep-forgets-the-header @@ lib/trim.c @@ s/want -= HL_HEADER_SIZE + heap_adjust_size(heap, keep);/want -= heap_adjust_size(heap, keep);/
unlink-without-back-link-check @@ lib/freelist.c @@ s/node_in_heap(heap, next) && next->prev == n/node_in_heap(heap, next)/
unlink-without-in-heap-check @@ lib/freelist.c @@ s/(next ? node_in_heap(heap, next) && /(next ? /
search-hands-out-unchecked-block @@ lib/fit.c @@ s/if (b && !freelist_links_are_sound(heap, b))/if (0)/
footer-not-compared-with-header @@ lib/merge.c @@ s/HEADER(before) == footer && //
footer-before-not-bounded-by-the-heap @@ lib/merge.c @@ s/size + HL_HEADER_SIZE <= (size_t)(b - heap->first) &&/1 \&\&/
next-block-footer-not-checked @@ lib/merge.c @@ s/\*block_footer(next) == HEADER(next)/1/
corruption-not-latched @@ lib/errors.c @@ s/heap->corrupt = true;/(void)heap;/
corruption-always-named-malloc @@ lib/errors.c @@ s/heap->op ? heap->op : "heap"/"malloc"/
double-free-says-glibc-words @@ lib/errors.c @@ s/"double free of"/"free(): double free detected in tcache 2"/
no-forward-merge-on-free @@ lib/merge.c @@ s/if (next != heap->end && block_is_free(next)) {/if (0) {/
split-keeps-a-minimum-rest @@ lib/place.c @@ 70s/rest < heap->min_block/rest <= heap->min_block/
cache-holds-one-too-many @@ lib/cache.h @@ s/heap->cache_count\[class\] == HL_CACHE_DEPTH/heap->cache_count[class] == HL_CACHE_DEPTH + 1/
fifo-pushes-at-the-front @@ lib/freelist.c @@ s/link_between(bin, n, bin->tail, NULL);/link_between(bin, n, NULL, bin->head);/
rover-not-moved-on-remove @@ lib/freelist.c @@ s/heap->rover = n->next;/heap->rover = NULL;/
check-byte-always-one @@ lib/block.h @@ s/return (x >> 56) | 1;/return 1;/
zero-request-gets-no-minimum @@ lib/internal.h @@ s/requested < heap->min_contents ? heap->min_contents : requested/requested/
realloc-never-takes-in-neighbours @@ lib/realloc.c @@ s/while (block_size(b) < size && next != heap->end &&/while (0 \&\&/
EOF
}

# The Check suites, by name (the shell tests are not run).
suites() {
  sed -n '/^CHECK_SUITES =/,/[^\\]$/p; /^MALLOC_SUITES =/,/[^\\]$/p' \
    "$src/tests/Makefile.am" |
    sed 's/^[A-Z_]* =//; s/\\$//' | tr -s ' \t' '\n' | grep . | tr '\n' ' '
  echo check_malloc_parts
}

work=$(mktemp -d "${TMPDIR:-/tmp}/heaplab-mutate.XXXXXX")
[ "${MUTATE_KEEP:-0}" = 1 ] || trap 'rm -rf "$work"' EXIT
say() { echo "mutate: $*"; }

# Step 1: the copy, built and green before any mutant.
say "copying $src to $work/src"
mkdir -p "$work/src"
if git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
  (cd "$src" && git ls-files -co --exclude-standard -z |
    xargs -0 tar -cf - 2>/dev/null) | tar -C "$work/src" -xf -
else
  tar -C "$src" --exclude=./_build --exclude=.git -cf - . |
    tar -C "$work/src" -xf -
fi
cd "$work/src" || exit 2
say "building the copy"
if ! { autoreconf -fi && mkdir -p _build && cd _build &&
       ../configure -q && make -j"$jobs"; } >"$work/build.log" 2>&1; then
  tail -n 30 "$work/build.log"
  say "the unmutated tree does not build"
  exit 2
fi
cd "$work/src/_build" || exit 2
run_suites() {
  $limit make -j"$jobs" -C tests check TESTS="$(suites)" \
    >"$work/run.log" 2>&1
}
say "running the suites on the unmutated tree: $(suites)"
if ! run_suites; then
  grep -E '^(FAIL|ERROR)' "$work/run.log" | head
  say "the unmutated tree fails its own suites"
  exit 2
fi

# Step 2: each mutant in turn.
total=0 killed=0 survivors="" broken=""
mutants >"$work/list"
while IFS= read -r line; do
  name=$(echo "$line" | sed 's/ @@ .*//')
  file=$(echo "$line" | sed 's/^[^@]* @@ //; s/ @@ .*//')
  expr=$(echo "$line" | sed 's/^[^@]* @@ [^@]* @@ //')
  if [ $# -gt 0 ]; then
    case " $* " in *" $name "*) ;; *) continue ;; esac
  fi
  total=$((total + 1))
  target=$work/src/$file
  cp "$target" "$work/original"
  sed "$expr" "$work/original" >"$target"
  if cmp -s "$target" "$work/original"; then
    say "$name: NOT APPLIED (the sed expression no longer matches $file)"
    broken="$broken $name"
    continue
  fi
  if ! make -j"$jobs" >"$work/build.log" 2>&1; then
    verdict="killed by the build"
    killed=$((killed + 1))
  elif run_suites; then
    verdict="SURVIVED"
    survivors="$survivors $name"
  else
    by=$(sed -n 's/^\(FAIL\|ERROR\): \([a-z_]*\).*/\2/p' "$work/run.log" |
         sort -u | tr '\n' ' ')
    verdict="killed by ${by:-a timeout}"
    killed=$((killed + 1))
  fi
  say "$name ($file): $verdict"
  cp "$work/original" "$target"
  touch "$target"
done <"$work/list"
make -j"$jobs" >/dev/null 2>&1

echo
say "$killed of $total mutants killed"
[ -z "$broken" ] || say "not applied (fix the list):$broken"
if [ -n "$survivors" ]; then
  say "survivors:$survivors"
  exit 1
fi
say "no survivors"
[ -z "$broken" ]

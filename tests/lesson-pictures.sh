#!/bin/sh
# lesson-pictures.sh - the lessons' pictures cannot lie: every picture that
# lessons/pictures.list names is drawn again from its script and must be
# byte for byte the committed one; every lesson has a picture, its README
# shows each of its pictures, and no picture is left that the list does
# not name.  Prints TAP.  Needs $HEAPLAB and $top_srcdir (make check sets
# them).
set -u
: "${HEAPLAB:=../tools/heaplab}"
: "${top_srcdir:=..}"
. "$top_srcdir/tests/tap.sh"
lessons=$top_srcdir/lessons

dir=$(mktemp -d "${TMPDIR:-/tmp}/lesson-pictures.XXXXXX") || exit 1
trap 'rm -rf "$dir"' EXIT

if sh "$lessons/draw-pictures.sh" "$HEAPLAB" "$lessons" "$dir" 2>"$dir/err"; then
  tap_result 0 "every picture of pictures.list draws"
else
  tap_result 1 "every picture of pictures.list draws"
  tap_note "$(cat "$dir/err")"
fi

listed=$(grep -v '^#' "$lessons/pictures.list" | awk 'NF {print $1}')
for picture in $listed; do
  if cmp -s "$dir/$picture" "$lessons/$picture"; then
    tap_result 0 "lessons/$picture matches what its script draws"
  else
    tap_result 1 "lessons/$picture matches what its script draws"
    tap_note "lessons/$picture is stale: its script now draws something else." \
      "Look at the new one, then refresh every picture with: make pictures" \
      "(in the build tree; it writes into lessons/ of the source tree)"
  fi
  readme=$lessons/${picture%/*}/README.md
  name=${picture##*/}
  if grep -q "^!\[[^]]*\]($name)" "$readme"; then
    tap_result 0 "${picture%/*}/README.md shows $name"
  else
    tap_result 1 "${picture%/*}/README.md shows $name"
  fi
done

for lesson in "$lessons"/[0-9][0-9]-*/; do
  lesson=${lesson%/}
  name=${lesson##*/}
  if echo "$listed" | grep -q "^$name/"; then
    tap_result 0 "$name has a picture"
  else
    tap_result 1 "$name has a picture"
  fi
  for svg in "$lesson"/*.svg; do
    [ -f "$svg" ] || continue
    if echo "$listed" | grep -qx "$name/${svg##*/}"; then
      tap_result 0 "$name/${svg##*/} is in pictures.list"
    else
      tap_result 1 "$name/${svg##*/} is in pictures.list"
    fi
  done
done

tap_done

#!/bin/sh
# lessons.sh - the lessons cannot rot: every script of every lesson is
# replayed with its expects, every claim a README marks is found among its
# script's expects, and every lesson lists exercises.  Prints TAP.
#
# A README marks a number its text quotes with a line
#   <!-- expect: SCRIPT WHAT ARGS... -->
# which passes when SCRIPT (in the lesson's directory) has the line
# "expect WHAT ARGS..." (and the script's replay checks it).
set -u

HEAPLAB=${HEAPLAB:-../tools/heaplab}
lessons=${top_srcdir:-..}/lessons

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }

for dir in "$lessons"/[0-9][0-9]-*/; do
  dir=${dir%/}
  name=${dir##*/}
  if [ -f "$dir/README.md" ] && head -1 "$dir/README.md" | grep -q '^# '; then
    ok "$name: README.md starts with its title"
  else
    not_ok "$name: README.md starts with its title"
  fi
  if grep -q '^## Exercises' "$dir/README.md" 2>/dev/null; then
    ok "$name: README.md has exercises"
  else
    not_ok "$name: README.md has exercises"
  fi
  for script in "$dir"/*.hl; do
    [ -f "$script" ] || continue
    if out=$("$HEAPLAB" run --quiet "$script" 2>&1); then
      ok "$name/${script##*/}: its expects hold"
    else
      not_ok "$name/${script##*/}: its expects hold"
      echo "$out" | sed 's/^/# /'
    fi
  done
  # The marked claims of the text.
  sed -n 's/^<!-- expect: \(.*\) -->$/\1/p' "$dir/README.md" 2>/dev/null |
  while read -r file claim; do
    if grep -q "^expect $claim\( *#.*\)\{0,1\}\$" "$dir/$file" 2>/dev/null; then
      echo "ok - $name: the text's '$claim' is checked by $file"
    else
      echo "not ok - $name: the text's '$claim' is not an expect of $file"
    fi
  done > "lessons-claims.$$"
  while read -r line; do
    case $line in
      ok*) ok "${line#ok - }" ;;
      *) not_ok "${line#not ok - }" ;;
    esac
  done < "lessons-claims.$$"
  rm -f "lessons-claims.$$"
done

# Every lesson file is installed and distributed: lessons/Makefile.am's
# list is what gen-list.sh prints (a picture or answer key left out would
# be missing from `make install` and from the tarball).
listed=$(sed -n 's/^\t\([^ ]*\)\( \\\)\{0,1\}$/\1/p' "$lessons/Makefile.am")
missing=$(cd "$lessons" && sh gen-list.sh | sed 's/^\t//; s/ \\$//' |
  while read -r file; do
    echo "$listed" | grep -qFx "$file" || echo "$file"
  done)
if [ -z "$missing" ]; then
  ok "lessons/Makefile.am lists every lesson file"
else
  not_ok "lessons/Makefile.am lists every lesson file (run sh gen-list.sh in lessons/)"
  echo "$missing" | sed 's/^/# missing: /'
fi

echo "1..$n"
exit $((failed > 0))

#!/bin/sh
# refresh-answers.sh HEAPLAB LESSONS_DIR - writes again, in every lesson's
# answers.md, the output block that follows each `heaplab run --answers`
# command: what the quiz asks about the exercise and its answers, as
# HEAPLAB prints them now.  `make answers` (in the build tree) runs it
# after a quiz or an exercise changes; tests/lesson-commands.sh fails
# while an answers.md shows anything else.
#
# In answers.md a key is written as
#       heaplab run --answers [--heap CFG] lessons/NN-name/exercise-N.hl
#   <!-- output -->
#   (a blank line, then the block this script rewrites)
set -eu
heaplab=$1
lessons=$2
top=$(cd "$lessons/.." && pwd)

for answers in "$lessons"/[0-9][0-9]-*/answers.md; do
  [ -f "$answers" ] || continue
  awk -v heaplab="$heaplab" -v top="$top" '
    function run(args,   cmd, line) {
      cmd = "cd \"" top "\" && \"" heaplab "\" run --answers " args " 2>&1"
      while ((cmd | getline line) > 0)
        print "    " line
      close(cmd)
    }
    skipping && /^    / { next }
    skipping && /^$/ && !blank_seen { blank_seen = 1; next }
    skipping { skipping = 0; run(args); if ($0 != "") print "" }
    /^    heaplab run --answers / {
      args = $0; sub(/^    heaplab run --answers /, "", args)
    }
    /^<!-- output -->$/ && args != "" {
      print; print ""; skipping = 1; blank_seen = 0; next
    }
    /^[^ <]/ { args = "" }
    { print }
    END { if (skipping) run(args) }' "$answers" >"$answers.new"
  mv "$answers.new" "$answers"
done

#!/bin/sh
# quiz-tmux.sh - quiz mode's score, driven in a tmux pane as a learner
# would: Esc skips a step's questions without asking them again (which
# counted their answers twice), and the score outlives the screen, for a
# script and for a lesson.  Prints TAP.  Built like view-tmux.sh.
set -u

TMUX_SOCKET=heaplab-quiz
. "${top_srcdir:-..}/tests/tmux-lib.sh"

lessons=${top_srcdir:-..}/lessons
# A short path, so that the title line keeps the score whole.
dir=$(mktemp -d "${TMPDIR:-/tmp}/quiz.XXXXXX") || exit 1
trap '$T kill-server >/dev/null 2>&1; rm -rf "$dir"' EXIT INT TERM
exercise=$dir/ex1.hl
cp "$lessons/01-blocks/exercise-1.hl" "$exercise" || exit 1

echo "1..14"

# --- Esc skips, and the step is not asked about again --------------------------
# Step 1 is `a p 0` on an empty heap: it grows, and p's block is at 0.
start v -- view --quiz "$exercise"
wait_for v "quiz 0/0 right" >/dev/null
$T send-keys -t v Right
wait_for v "will the heap grow?" >/dev/null
$T send-keys -t v y
check "the first answer is counted" wait_for v "quiz 1/1 right"
$T send-keys -t v Escape
check "Esc skips the step's second question" wait_for v "skipped"
$T send-keys -t v Right
check "Right then shows the step, without asking again" \
  wait_for v "step 1/9"
check "and the score counts each question once" wait_for v "quiz 1/1 right"
# Step 2 is `a q 17`: it fits in the free rest, at 24.
$T send-keys -t v Right
wait_for v "a q 17: will the heap grow?" >/dev/null
$T send-keys -t v n
check "the next step is asked about" wait_for v "quiz 2/2 right"
$T send-keys -t v q
check "q prints the score as the viewer exits" \
  wait_for v "ex1.hl: quiz: 2/2 right" -S -
check "and exits 0" wait_for v "heaplab exited with status 0" -S -

# --- 80x24: the question is never cut off -----------------------------------------
# Lesson 5's exercise, step 5: the verdict of the first question and the
# events filled the panel, and the second question showed as
# "QUIZ (2/2 for step 5):" then "(+4 more lines)", its text and its
# choices unreadable.  The question comes first now; what does not fit
# beside the map is one key away (P).
SIZE=80x24 start small -- view --quiz "$lessons/05-growers/exercise-5.hl"
wait_for small "quiz 0/0 right" >/dev/null
for s in 1 2 3 4; do
  $T send-keys -t small Right
  wait_for small "for step $s):" >/dev/null
  $T send-keys -t small Escape
  wait_for small "skipped" >/dev/null
  $T send-keys -t small Right
  wait_for small "step $s/7" >/dev/null
done
$T send-keys -t small Right
wait_for small "QUIZ (1/2 for step 5):" >/dev/null
check "80x24: a call that fails is asked where it goes first" \
  wait_for small "a e 9000: at which offset will e's"
$T send-keys -t small null Enter
wait_for small "QUIZ (2/2 for step 5):" >/dev/null
check "80x24: the second question of step 5 is there whole" \
  wait_for small "a e 9000: will the heap grow?"
check "and how to answer it" wait_for small "y yes, n no"
check "a part cut beside the map says P shows it" \
  wait_for small ": P shows all)"
$T send-keys -t small P End
check "P shows the side panel whole, the stats at its end" \
  wait_for small "heap      16200 B (peak 16200)"
$T send-keys -t small Escape
check "Esc goes back to the question" wait_for small "your answer? y yes, n no"
$T send-keys -t small q

# --- a lesson's score, at its end ----------------------------------------------
start l "HEAPLAB_LESSONS=$lessons" -- lesson 1
wait_for l "1-one-object.hl" >/dev/null
$T send-keys -t l n
wait_for l "2-three-objects.hl" >/dev/null
$T send-keys -t l n
wait_for l "quiz 0/0 right" >/dev/null
$T send-keys -t l Right
wait_for l "will the heap grow?" >/dev/null
$T send-keys -t l y
wait_for l "quiz 1/1 right" >/dev/null
$T send-keys -t l q
check "heaplab lesson prints the lesson's score when it ends" \
  wait_for l "01-blocks: quiz: 1/1 right" -S -

exit $((failed > 0))

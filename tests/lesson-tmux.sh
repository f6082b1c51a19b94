#!/bin/sh
# lesson-tmux.sh - drives `heaplab lesson 1` in a tmux pane, as a learner
# would: the first script, the text key, moving on to the exercise, and
# quiz answers right and wrong, with the score at the end.  Prints TAP.
# Built like view-tmux.sh: every check polls the screen until its text shows
# up, on a private tmux server killed at the end.
set -u

TMUX_SOCKET=heaplab-lesson
. "${top_srcdir:-..}/tests/tmux-lib.sh"

lessons=${top_srcdir:-..}/lessons
L="HEAPLAB_LESSONS=$lessons"

echo "1..26"

# --- heaplab lesson 1: its first script, its text -----------------------------
start l $L -- lesson 1
check "heaplab lesson 1 opens its first script" wait_for l "1-one-object.hl"
# Its note, before the first operation, asks to predict it: the viewer
# opens on step 0, where the note is, not on step 1, which answers it.
check "on step 0, before the first operation" wait_for l "step 0/9"
check "with the note that asks to predict it" \
  wait_for l "Predict: where will x's"
$T send-keys -t l Right
check "Right then shows the first allocation" \
  wait_for l "alloc: block 0 [x], 16 B for 10"
$T send-keys -t l t
check "t shows the lesson's text" \
  wait_for l "# Lesson 1: Blocks, headers and objects"
# The text is wrapped at the pane's width, not the file's, without `**`.
$T resize-window -t l -x 200 -y 40
check "200 columns: a paragraph fills the pane's width" \
  wait_for l "for any small request, where its block starts, how big its object"
if screen l | grep -qF '**'; then
  not_ok "the text shows no markdown **"
else
  ok "the text shows no markdown **"
fi
# "<!-- output -->" (line 46) is a mark for the tests, hidden as a
# markdown reader hides a comment; the command block under it is shown.
check "the block under the hidden mark is on this page" \
  wait_for l "block 24 free 4064"
if screen l | grep -qF '<!--'; then
  not_ok "the text shows no HTML comment"
else
  ok "the text shows no HTML comment"
fi
$T resize-window -t l -x 120 -y 40
check "the text pane's hints come from its keys" \
  wait_for l "Up/Down PgUp/PgDn scroll  t, q or Esc: back to the heap"
$T send-keys -t l '?'
check "? in the text pane lists the text pane's keys" \
  wait_for l "keys in the lesson's text"
$T send-keys -t l x
wait_for l "lesson text:" >/dev/null
$T send-keys -t l t
check "t again goes back to the heap" wait_gone l "lesson text:"

# --- n goes on to the next scripts, the exercise is a quiz -------------------
$T send-keys -t l n
check "n goes on to the lesson's next script" wait_for l "2-three-objects.hl"
$T send-keys -t l n
check "the exercise opens in quiz mode" wait_for l "quiz 0/0 right"

# Step 1 is `a p 0` on an empty heap: it grows, and p's block is at 0.
$T send-keys -t l Right
wait_for l "will the heap grow?" >/dev/null
$T send-keys -t l y
check "a right answer to 'will the heap grow?' says right" \
  wait_for l "right: yes: the freelist was"
$T send-keys -t l 0 Enter
check "the right offset says right, and the score counts it" \
  wait_for l "quiz 2/2 right"

# Step 2 is `a q 17`: it fits in the free rest, at 24.
$T send-keys -t l Right
wait_for l "a q 17: will the heap grow?" >/dev/null
$T send-keys -t l y
check "a wrong answer says wrong, with the right one" \
  wait_for l "wrong: you said y, it is n."
$T send-keys -t l 9 9 Enter
check "a wrong offset says wrong, with the right one" \
  wait_for l "wrong: you said 99, it is 24."

# --- the score at the end ------------------------------------------------------
$T send-keys -t l End
wait_for l "step 9/9" >/dev/null
$T send-keys -t l Right
check "the end of the quiz shows the score" wait_for l "quiz over: 2/4 right"
$T send-keys -t l q
check "q exits with status 0" \
  wait_for l "heaplab exited with status 0" -S -

# --- lesson 4: its scripts in the order its text teaches them; N goes back ---
start m $L -- lesson 4
check "lesson 4 opens on lazy merging, as its text begins" \
  wait_for m "04-merging/1-lazy.hl"
$T send-keys -t m n
check "n: then immediate merging" wait_for m "04-merging/2-immediate.hl"
$T send-keys -t m N
check "N goes back to the previous script" wait_for m "04-merging/1-lazy.hl"
$T send-keys -t m N
check "N on the first script says so" \
  wait_for m "this is the lesson's first script"
$T send-keys -t m '?'
check "the help screen lists N" wait_for m "N             the previous script"
$T send-keys -t m x q

# A table wider than the pane: its rows wrap, no cell is cut off.
SIZE=80x30 start tb $L -- lesson 20
wait_for tb "exercise-20.hl" >/dev/null
$T send-keys -t tb t End
check "80 columns: a wide table row wraps, its last cell kept" \
  wait_for tb "  (check byte) | at the write |"
$T send-keys -t tb q q

exit $((failed > 0))

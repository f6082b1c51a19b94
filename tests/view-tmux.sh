#!/bin/sh
# view-tmux.sh - drives the real `heaplab view` in a tmux pane and reads
# the screen back, as a user would see it.  Prints TAP.
#
# Every check polls the pane until the text it waits for shows up (or a
# timeout passes), so a slow machine or a sanitizer build only makes it
# slower, not flaky.  The tmux server is private to this run (its own
# socket) and is killed at the end, whatever happens.
set -u

TMUX_SOCKET=heaplab-view
. "${top_srcdir:-..}/tests/tmux-lib.sh"

pane() { $T display-message -p -t "$1" "$2" 2>/dev/null; }

# wait_dead NAME: polls until the program in NAME has exited.
wait_dead() {
  end=$(( $(date +%s) + TIMEOUT ))
  while [ "$(date +%s)" -le "$end" ]; do
    [ "$(pane "$1" '#{pane_dead}')" = 1 ] && return 0
    sleep 0.1
  done
  return 1
}

# The map's rows (left of the panel) as they are now.
map() { screen "$1" | sed -n '2,10p' | cut -c1-74; }

# has_colour NAME: some cell of the pane has a colour (SGR 30-38, 40-48;
# 39 and 49 only put the defaults back).
has_colour() {
  $T capture-pane -e -p -t "$1" |
    grep -qE "$(printf '\033')\[([0-9]*;)*(3[0-8]|4[0-8])[;m]"
}

echo "1..$((70 + 2 * 7 + 2 + 2 * 4 + 3 + 2 + 2 + 2))"

# --- before the screen: a parse error ---------------------------------------
err=$(TERM=dumb $HEAPLAB view "$srcdir/view-bad.txt" 2>&1 </dev/null)
status=$?
check "a parse error exits 2 with FILE:LINE: message" \
  test "$status" = 2 -a "$err" = \
  "$srcdir/view-bad.txt:2: expected a size after 'a ID', got end of line"

# --- stepping -------------------------------------------------------------
start v -- view "$srcdir/view-demo.txt"
# A note comes before the first operation: the viewer opens on step 0,
# where that note is shown, before the step it introduces.
check "opens on step 0, with the note before the first operation" \
  wait_for v "the first allocation grows the heap by"
check "on step 0" wait_for v "step 0/9"
$T send-keys -t v Right
wait_for v "step 1/9" >/dev/null
check "the first step's map shows block a" wait_for v "#a~#"
first_map=$(map v)
$T send-keys -t v Right
check "Right goes to step 2" wait_for v "step 2/9"
check "step 2's map shows block b beside a" wait_for v "#a~#b"
$T send-keys -t v Left
wait_for v "step 1/9" >/dev/null
check "Left comes back to step 1 and its map" test "$(map v)" = "$first_map"
$T send-keys -t v g 6 Enter
check "g 6 Enter jumps to step 6 (merge)" wait_for v "merge: block 0 [d] absorbs"
$T send-keys -t v End
check "End goes to the last step" wait_for v "step 9/9"
$T send-keys -t v z z z
check "z at 8 B/cell says why it does nothing" \
  wait_for v "z: 8 B/cell is the finest zoom"
$T send-keys -t v 0

# --- help, colour, size -----------------------------------------------------
# The legends under the map and in the help are written from one table
# (vm_legend): '/' is "no block" in each, short or not.
$T resize-window -t v -x 80 -y 24
check "on 80 columns the short legend says /noblk" \
  wait_for v "#hdr =obj ~slk .free /noblk +cache"
$T resize-window -t v -x 120 -y 40
$T send-keys -t v '?'
check "? shows the help screen" wait_for v "heaplab view: keys"
check "the help's legend names every glyph as the map's does" \
  wait_for v "# header  = object  ~ slack  . free  / no block  + cached  % remote"
$T send-keys -t v x
check "any key closes it" wait_gone v "heaplab view: keys"
check "colours are used by default" has_colour v
$T resize-window -t v -x 50 -y 12
check "a small terminal says so" \
  wait_for v "terminal too small: need at least 80x20"
$T resize-window -t v -x 120 -y 40
check "growing it again draws the map" wait_for v "step 9/9"

# --- quitting restores the terminal ----------------------------------------
$T send-keys -t v q
# (After the resizes, the shell's line may have scrolled into history.)
if wait_for v "heaplab exited with status 0" -S - &&
   [ "$(pane v '#{alternate_on}')" = 0 ]; then
  ok "q exits with status 0 and leaves the alternate screen"
else
  not_ok "q exits with status 0 and leaves the alternate screen"
fi

start c -- view "$srcdir/view-demo.txt"
wait_for c "step 0/9" >/dev/null
$T send-keys -t c C-c
if wait_dead c && [ "$(pane c '#{alternate_on}')" = 0 ]; then
  ok "Ctrl-C ends the viewer and restores the terminal"
else
  not_ok "Ctrl-C ends the viewer and restores the terminal"
fi

# --- NO_COLOR and a failing expect ------------------------------------------
start e NO_COLOR=1 -- view "$srcdir/view-expect.txt"
check "a failed expect opens on its step" wait_for e "step 3/5"
if wait_for e "expected 32, got 24" && ! has_colour e; then
  ok "the failure is shown, with no colour under NO_COLOR"
else
  not_ok "the failure is shown, with no colour under NO_COLOR"
fi
$T send-keys -t e q

# --- a script on the brk grower is shown on the program break -------------
start b -- view "$srcdir/scripts/grower-brk.hl"
check "brk: the panel names the grower" wait_for b "grower    brk"
check "brk: step 1 grew the break to 5016 B" wait_for b "heap      5016 B"
$T send-keys -t b End
check "brk: the last step's heap is 9112 B" wait_for b "heap      9112 B"
$T send-keys -t b Home Right
check "brk: stepping back puts the break back, 5016 B again" \
  wait_for b "heap      5016 B (peak 5016)"
$T send-keys -t b q

# --- the screen's width: the panel takes its share, and wraps at words -------
SIZE=80x24 start w -- view "$srcdir/scripts/cache-on.hl"
# The settings line lost its "16" at 80 columns: it wraps, whole.
check "80 columns: the settings line wraps and keeps align 16" \
  wait_for w "  align 16"
$T send-keys -t w q
SIZE=200x30 start W -- view "$srcdir/scripts/cache-on.hl"
check "200 columns: the settings line is one line of the wide panel" \
  wait_for W "first fit, lifo, merge immediate, align 16"
check "200 columns: the step's line is whole" \
  wait_for W "line 6: a x 20               # block 8, contents 24: class 0"
check "no note before the first operation: opens on step 1" \
  wait_for W "step 1 of"
$T send-keys -t W q

# A note of two lines is one string with a newline in it; curses went on
# at the screen's left edge and wrote over the map ("a copy20", not 1920).
# Every row left of the panel starts with its offset (and a space, or a
# mark: > the block cursor, ^ v more rows), or with nothing.
margin_intact() { # margin_intact NAME ROWS
  screen "$1" | sed -n "2,$(($2 - 3))p" | cut -c1-9 |
    grep -qvE '^( *[0-9]+[ >^v]| *)$' && return 1
  screen "$1" | cut -c1-9 | grep -qE '^ +1920 $'
}
tags="${top_srcdir:-..}/lessons/16-implicit-explicit/2-boundary-tags.hl"
for size in 80x24 200x30; do
  k=note${size%x*}
  SIZE=$size start $k -- view "$tags"
  wait_for $k "step 1/15" >/dev/null
  $T send-keys -t $k g 6 Enter
  wait_for $k "step 6/15" >/dev/null
  wait_for $k "freeing b does." >/dev/null
  check "$size: a note of two lines stays in the panel; the map keeps its offsets" \
    margin_intact $k "${size#*x}"
  $T send-keys -t $k q
done

# At 80x24 the zoom that fit the whole 4096 bytes, 16 B a cell, hid a and
# c under their neighbours (##b##d#), and `f a` changed nothing; fit now
# zooms in until every block shows, and the map says that it goes on.
SIZE=80x24 start fit -- view "${top_srcdir:-..}/lessons/02-freelist/1-push-front.hl"
wait_for fit "step 1/13" >/dev/null
$T send-keys -t fit g 6 Enter
check "80x24: fit shows every block; a, freed, is free, c is there" \
  wait_for fit "       0 #..#b=#c=#d=#..."
check "80x24: the last row says the map goes on below" \
  wait_for fit "    3648v...................."
$T send-keys -t fit q

# At 80x24 what does not fit in the side panel was out of reach: lesson 9
# at step 21 hid two of its events, and with several heaps the stats went
# altogether.  A cut part says so, and P shows the panel whole.
SIZE=80x24 start pane -- view "${top_srcdir:-..}/lessons/09-real-heap/sort-words.hl"
wait_for pane "step 1/45" >/dev/null
$T send-keys -t pane g 2 1 Enter
wait_for pane "step 21/45" >/dev/null
check "80x24: a cut part of the side panel says P shows it" \
  wait_for pane "more lines: P shows all)"
$T send-keys -t pane P
check "P: the events that did not fit, the move" \
  wait_for pane "realloc: block 5064 moves"
check "and the free" wait_for pane "free: block 5064, 136 B"
check "its hints are its own" wait_for pane "P, q or Esc: back to the map"
$T send-keys -t pane P
check "P again: back to the map" wait_gone pane "the whole side panel"
$T send-keys -t pane q
SIZE=80x24 start pane2 -- view "${top_srcdir:-..}/lessons/14-remote-and-cache/4-cost.hl"
wait_for pane2 "step 1/18" >/dev/null
$T send-keys -t pane2 g 8 Enter
check "80x24, two heaps: the stats say they are there" \
  wait_for pane2 "(stats: 11 lines: P shows all)"
$T send-keys -t pane2 P End
check "and P shows them" wait_for pane2 "fragmentation"
$T send-keys -t pane2 q q

# A long path is shortened from the left; the step counter stays.
long=$srcdir
i=0
while [ $i -lt 60 ]; do long=$long/.; i=$((i + 1)); done
SIZE=80x24 start p -- view "$long/view-demo.txt"
check "80 columns, a long path: the step counter is in the title" \
  wait_for p "step 0/9"
check "the path is shortened from the left" wait_for p " heaplab view .../"
$T send-keys -t p q

# --- the block cursor and the sparklines, at 80 and 200 columns ------------
# view-demo.txt at step 5: a (0, 16 B) and b (24, 104 B) freed, the
# freelist b, a, then the rest of the heap at 184; c used at 136.
for size in 80x24 200x50; do
  k=k${size%x*}
  SIZE=$size start $k -- view "$srcdir/view-demo.txt"
  wait_for $k "step 0/9" >/dev/null
  $T send-keys -t $k Right
  check "$size: the sparklines of size and live bytes are under the map" \
    wait_for $k "size  #  live  ."
  $T send-keys -t $k g 5 Enter
  check "$size: at step 5 they have a glyph a step" \
    wait_for $k "size  #####  live  ....."
  $T send-keys -t $k Tab
  check "$size: Tab selects block 0, free, and decodes it" \
    wait_for $k "BLOCK 0: free, 16 B"
  check "$size: its header's fields" \
    wait_for $k "size 16  F 1  P 0  C 0  slack 0"
  check "$size: its node, from the freelist b, a, rest" \
    wait_for $k "node at 8: next 184, prev 24"
  check "$size: the check byte holds" wait_for $k ": holds"
  check "$size: the hints are block mode's" \
    wait_for $k "Tab/Esc leave  Left/Right block"
  check "$size: the selected block's row is marked in the margin" \
    wait_for $k "       0>#"
  $T send-keys -t $k Right
  check "$size: Right selects b" wait_for $k "BLOCK 24: free, 104 B"
  $T send-keys -t $k Right
  check "$size: Right again selects c, used" \
    wait_for $k "BLOCK 136 [c]: used, 40 B"
  check "$size: its object's first bytes" \
    wait_for $k "object at 144: 40 B asked, first 16:"
  $T send-keys -t $k Enter
  check "$size: Enter on a used block says why it does nothing" \
    wait_for $k "block 136 is not free"
  $T send-keys -t $k Left Left Enter
  check "$size: Enter on a follows the freelist to the rest" \
    wait_for $k "freelist: block 0, then block 184"
  check "$size: and decodes it, the last node" \
    wait_for $k "node at 192: next none, prev 0"
  $T send-keys -t $k '?'
  check "$size: ? in block mode lists block mode's keys" \
    wait_for $k "keys in block mode"
  $T send-keys -t $k x Escape
  check "$size: Esc leaves block mode: the freelist panel is back" \
    wait_for $k "freelist: 3 blocks"
  $T send-keys -t $k q
done

# --- a heap per thread: one map per heap ------------------------------------
remote="${top_srcdir:-..}/lessons/14-remote-and-cache/1-remote.hl"
for size in 80x24 200x50; do
  k=threads$size
  SIZE=$size start $k -- view "$remote"
  $T send-keys -t $k g 4 Enter
  check "$size: heap 1's map shows" wait_for $k "heap 1, thread 1  remote 1"
  check "$size: heap 2's map shows, marked as this step's thread" \
    wait_for $k "heap 2, thread 2 <- this step"
  check "$size: x waits on heap 1's remote list, drawn with %" \
    wait_for $k "#x%"
  check "$size: the event names the thread and the heap" \
    wait_for $k "thread 2 frees x: remote, queued on"
  check "$size: the panel lists heap 1's remote list" \
    wait_for $k "heap 1 remote list: 1 block"
  $T send-keys -t $k c
  check "$size: c moves the panel to heap 2" \
    wait_for $k "heap 2, thread 2 (c: the next heap):"
  $T send-keys -t $k g 9 Enter
  check "$size: thread 1's call drains its remote list first" \
    wait_for $k "thread 1's heap takes its remote list"
  $T send-keys -t $k q
done

# --- --compare --------------------------------------------------------------
workload="${top_srcdir:-..}/lessons/08-policies/01-workload.hl"
err=$(TERM=dumb $HEAPLAB view --compare fit=first "$workload" 2>&1 </dev/null)
status=$?
check "--compare with one setting exits 2 and says why" \
  test "$status" = 2 -a "$err" = "heaplab view: --compare takes 2 to 4 heap settings, then the script (got 1 setting)"
err=$(TERM=dumb $HEAPLAB view --compare fit=first fit=worse "$workload" \
  2>&1 </dev/null)
status=$?
check "a bad --compare value exits 2 and names it" \
  test "$status" = 2 -a "${err#heaplab view: bad --compare value \'fit=worse\': }" != "$err"
for size in 80x24 200x50; do
  k=compare$size
  SIZE=$size start $k -- view --compare fit=first fit=best "$workload"
  check "$size: fit=first's map shows, under its header" \
    wait_for $k "fit=first  208 B  util 96.2%"
  check "$size: fit=best's map shows, under its header" \
    wait_for $k "fit=best  208 B  util 96.2%"
  check "$size: each heap has its events" wait_for $k "fit=best: done"
  $T send-keys -t $k End
  if [ $size = 80x24 ]; then
    check "$size: blocks placed differently are counted" \
      wait_for $k "fit=best  7 differ  1464 B"
  else
    check "$size: blocks placed differently are named" \
      wait_for $k "fit=best  differs: c2 b3 b6 b7 b8 c1 c3  1464 B"
  fi
  $T send-keys -t $k q
done
SIZE=80x24 start compare4 -- view --compare fit=first fit=best fit=worst \
  fit=next "$workload"
check "80x24: four maps do not fit: one at a time, and it says so" \
  wait_for compare4 "map 1 of 4: c next"
$T send-keys -t compare4 c
check "c shows the next heap's map" wait_for compare4 "map 2 of 4: c next"
check "and its header" wait_for compare4 "fit=best  208 B"
$T send-keys -t compare4 q

# One heap against a heap per thread: the second map is the heap of the
# thread that ran the step, and says so.
SIZE=200x40 start perthread -- view --compare heaps=one heaps=per-thread \
  "$srcdir/../lessons/13-heap-per-thread/2-per-thread.hl"
$T send-keys -t perthread g 5 Enter
check "--compare heaps=one heaps=per-thread: thread 2's heap, named" \
  wait_for perthread "heaps=per-thread (heap 2 of 2)"
check "and b1 is first in it, where one heap put it second" \
  wait_for perthread "differs: a1 b1"
$T send-keys -t perthread q

exit $((failed > 0))

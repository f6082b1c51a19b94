#!/bin/sh
# draw-pictures.sh HEAPLAB LESSONS OUT - draws every picture of
# pictures.list with HEAPLAB, from the scripts in LESSONS, into OUT
# (keeping the lesson folders).  Scripts are named from LESSONS, so a
# picture's title is the same whichever tree draws it.  Used by
# `make pictures` (OUT is LESSONS) and by tests/lesson-pictures.sh (OUT is
# a temporary folder).  Exits 2 on the first picture it cannot draw.
set -u
[ $# -eq 3 ] || { echo "usage: draw-pictures.sh HEAPLAB LESSONS OUT" >&2; exit 2; }
heaplab=$1
lessons=$2
out=$(mkdir -p "$3" && cd "$3" && pwd) || exit 2
case $heaplab in /*) ;; *) heaplab=$PWD/$heaplab ;; esac
cd "$lessons" || exit 2
grep -v '^#' pictures.list | while read -r picture script options; do
  [ -n "$picture" ] || continue
  mkdir -p "$out/${picture%/*}" || exit 2
  # $options is split into words on purpose: "--steps 9-10".
  "$heaplab" draw $options -o "$out/$picture" "$script" || exit 2
done

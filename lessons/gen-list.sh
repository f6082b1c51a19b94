#!/bin/sh
# gen-list.sh - prints the lesson files for lessons/Makefile.am's list
# (run from lessons/ after adding a file: sh gen-list.sh).
find [0-9][0-9]-* -type f \( -name '*.md' -o -name '*.hl' -o -name '*.c' \
  -o -name '*.h' -o -name '*.svg' \) |
  LC_ALL=C sort | sed 's/^/\t/; s/$/ \\/' | sed '$ s/ \\$//'

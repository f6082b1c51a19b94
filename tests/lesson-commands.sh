#!/bin/sh
# lesson-commands.sh - every command a lesson's README (and its answer key,
# answers.md) shows is run as the reader would type it, from the top of a source tree with its build in
# _build/, and fails the test when it fails.  Prints TAP, one result per
# block of commands.
#
# A README's code blocks are its lines indented by four spaces or more
# after a blank line (seven in a numbered list).  A block is a list of shell commands,
# run in order by one `sh -e`, unless an HTML comment on the line before
# the blank line says otherwise:
#   <!-- not run: WHY -->       an excerpt or a format, not commands
#   <!-- output -->             what the block before it printed: each of
#                               its lines must be found, in order, in that
#                               output (anywhere in a line); "..." in
#                               a line matches anything
#   <!-- output, not compared: WHY -->  output that differs on each run or
#                               machine (timings): not compared
#   <!-- exits N -->            the block's last command exits N
#   <!-- needs PROGRAM -->      skipped, and said so, when PROGRAM is not
#                               installed
# `heaplab view` and `heaplab lesson` get a terminal (script(1)) and the
# key q, so they start, draw and quit as for a reader who presses q.
#
# Environment (set by `make check`): top_srcdir, abs_top_builddir,
# HEAPLAB_SANITIZED (yes: blocks that preload the drop-in or time
# something are skipped, and say so).
set -u

srcdir_top=$(cd "${top_srcdir:-..}" && pwd)
builddir_top=${abs_top_builddir:-$(cd .. && pwd)}
work=$(mktemp -d "${TMPDIR:-/tmp}/heaplab-lessons.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The reader's tree: the sources' lessons/ and the build in _build/.
mkdir "$work/top" "$work/bin"
for entry in "$srcdir_top"/*; do
  [ "${entry##*/}" = _build ] || ln -s "$entry" "$work/top/${entry##*/}"
done
ln -s "$builddir_top" "$work/top/_build"

# heaplab on the PATH, as after `make install`; view and lesson through a
# terminal that sends q.
cat >"$work/bin/heaplab" <<EOF
#!/bin/sh
case \${1:-} in
view|lesson)
  cmd="exec '$builddir_top/tools/heaplab'"
  for arg; do cmd="\$cmd '\$arg'"; done
  printf q | TERM=xterm COLUMNS=100 LINES=30 script -qec "\$cmd" /dev/null \\
    >/dev/null
  ;;
*) exec '$builddir_top/tools/heaplab' "\$@" ;;
esac
EOF
chmod +x "$work/bin/heaplab"

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
show() { sed 's/^/# /' "$1" | head -n 15; }

# blocks README: "LINE<TAB>MARK" then the block's lines, each block ended
# by a line "%%"; MARK is the comment before it, or "-".
blocks() {
  awk '
    function flush() { if (inb) print "%%"; inb = 0 }
    /^<!-- .* -->$/ { mark = $0; sub(/^<!-- */, "", mark);
                      sub(/ *-->$/, "", mark); marked = NR; next }
    /^    / && (inb || prev == "") {
      if (!inb) {
        inb = 1
        printf "%d\t%s\n", NR, (marked == NR - 2 ? mark : "-")
      }
      line = $0; sub(/^ +/, "", line); print line; prev = $0; next
    }
    { flush(); prev = $0 }
    END { flush() }' "$1"
}

# matches OUTPUT EXPECTED: every line of EXPECTED is found in OUTPUT, in
# order ("..." matching anything).
matches() {
  awk -v want="$2" '
    BEGIN { n = split(want, w, "\n"); i = 1 }
    function pattern(s,   p) {
      p = s; gsub(/[][\\.^$*+?(){}|]/, "\\\\&", p)
      gsub(/\\\.\\\.\\\./, ".*", p)
      return p
    }
    i <= n && $0 ~ pattern(w[i]) { i++ }
    END { exit i <= n }' "$1"
}

for readme in "$srcdir_top"/lessons/[0-9][0-9]-*/README.md \
              "$srcdir_top"/lessons/[0-9][0-9]-*/answers.md; do
  [ -f "$readme" ] || continue
  lesson=${readme%/*}
  lesson=${lesson##*/}
  page=${readme##*/}
  blocks "$readme" >"$work/blocks"
  last_out=
  last_skipped=no
  while IFS= read -r head <&3; do
    line=${head%%	*}
    mark=${head#*	}
    : >"$work/block"
    while IFS= read -r l <&3 && [ "$l" != "%%" ]; do
      printf '%s\n' "$l" >>"$work/block"
    done
    what="$lesson/$page:$line: $(head -n 1 "$work/block")"
    case $mark in
      "not run"*) continue ;;
      "output, not compared"*) continue ;;
      output)
        if [ "$last_skipped" = yes ]; then
          skip "$what" "the command before it was skipped"
        elif [ -z "$last_out" ]; then
          not_ok "$what: output of no command"
        elif matches "$last_out" "$(cat "$work/block")"; then
          ok "$what: shown as the command prints it"
        else
          not_ok "$what: not what the command prints"
          show "$last_out"
        fi
        continue ;;
      "needs "*)
        program=${mark#needs }
        if ! command -v "$program" >/dev/null 2>&1; then
          skip "$what" "$program is not installed"
          last_out=
          last_skipped=yes
          continue
        fi ;;
    esac
    last_skipped=no
    if [ "${HEAPLAB_SANITIZED:-no}" = yes ] &&
       grep -qE 'LD_PRELOAD|contention|gdb|valgrind|heaplab record|^cc |^\./' \
         "$work/block"; then
      skip "$what" "a sanitizer build: no preloaded malloc or recorder, no debugger, timings or programs built against its library"
      last_out=
      last_skipped=yes
      continue
    fi
    want=0
    case $mark in "exits "*) want=${mark#exits } ;; esac
    last_out=$work/out.$lesson.$page.$line
    (cd "$work/top" && PATH=$work/bin:$PATH HEAPLAB_LESSONS=$PWD/lessons \
       sh -e "$work/block" >"$last_out" 2>&1 </dev/null)
    status=$?
    if [ "$status" = "$want" ]; then
      ok "$what"
    else
      not_ok "$what: exit status $status, expected $want"
      show "$last_out"
    fi
  done 3<"$work/blocks"
done
echo "1..$n"
exit 0

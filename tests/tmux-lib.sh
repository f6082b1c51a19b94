# tmux-lib.sh - what the terminal tests share: a private tmux server, TAP
# helpers, and screens read back by polling.  Sourced by view-tmux.sh and
# lesson-tmux.sh after they set TMUX_SOCKET.
#
# Every wait polls the pane until the text it waits for shows up (or
# TIMEOUT passes), so a slow machine or a sanitizer build only makes a test
# slower, not flaky.  The server is killed at the end, whatever happens.
HEAPLAB=${HEAPLAB:-../tools/heaplab}
srcdir=${top_srcdir:-..}/tests
TIMEOUT=${VIEW_TEST_TIMEOUT:-20}   # seconds to wait for any one screen

if ! command -v tmux >/dev/null 2>&1; then
  echo "1..0 # SKIP tmux is not installed"
  exit 0
fi

unset TMUX TMUX_PANE
TERM=xterm-256color
export TERM
T="tmux -L ${TMUX_SOCKET:-heaplab-test}-$$ -f /dev/null"
trap '$T kill-server >/dev/null 2>&1' EXIT INT TERM

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
check() { # check DESCRIPTION COMMAND...: one TAP line from a command
  what=$1; shift
  if "$@"; then ok "$what"; else not_ok "$what"; fi
}

# start NAME ENV... -- ARGS...: `heaplab ARGS` in a 120x40 session (or
# as big as SIZE says, e.g. SIZE=80x24 start ...).  When it exits, the
# shell around it prints its status on the screen.
start() {
  name=$1; shift
  envs=
  while [ "$1" != -- ]; do envs="$envs $1"; shift; done
  shift
  size=${SIZE:-120x40}
  $T new-session -d -s "$name" -x "${size%x*}" -y "${size#*x}" \
    "env -u NO_COLOR $envs TERM=$TERM $HEAPLAB $*;
     echo \"heaplab exited with status \$?\"" &&
    $T set-option -t "$name" remain-on-exit on >/dev/null
}

# screen NAME [-S -]: the pane as it is now (with -S -: and its history).
screen() { name=$1; shift; $T capture-pane -p -t "$name" "$@" 2>/dev/null; }

# wait_for NAME TEXT [-S -]: polls until TEXT is on NAME's screen (or in
# its history too, with -S -).
wait_for() {
  end=$(( $(date +%s) + TIMEOUT ))
  name=$1 text=$2; shift 2
  while [ "$(date +%s)" -le "$end" ]; do
    screen "$name" "$@" | grep -qF -- "$text" && return 0
    sleep 0.1
  done
  set -- "$name" "$text"
  echo "# timed out waiting for '$2' on this screen:" >&2
  screen "$1" | sed 's/^/# /' >&2
  return 1
}

# wait_gone NAME TEXT: polls until TEXT has left the screen.
wait_gone() {
  end=$(( $(date +%s) + TIMEOUT ))
  while [ "$(date +%s)" -le "$end" ]; do
    screen "$1" | grep -qF -- "$2" || return 0
    sleep 0.1
  done
  return 1
}


# cli-lib.sh - what the TAP scripts that drive the heaplab command share
# (run-errors.sh, score.sh): a scratch directory to work in, and one TAP
# line per condition, with the command's stdout and stderr shown when it
# does not hold.  Set $cli_name before sourcing it.
: "${HEAPLAB:=../tools/heaplab}"
dir=$(mktemp -d "${TMPDIR:-/tmp}/$cli_name.XXXXXX") || exit 1
trap 'rm -rf "$dir"' EXIT
cd "$dir" || exit 1

n=0
failed=0
# ok WHAT CONDITION...: one TAP line for the outcome of CONDITION.
ok() {
  what=$1; shift
  n=$((n + 1))
  if "$@"; then
    echo "ok $n - $what"
  else
    echo "not ok $n - $what"
    failed=1
    echo "# stdout:"; sed 's/^/#   /' out
    echo "# stderr:"; sed 's/^/#   /' err
  fi
}
# run ARGS...: runs heaplab with ARGS, keeping stdout, stderr and status.
run() {
  "$HEAPLAB" "$@" >out 2>err
  status=$?
}
status_is() { [ "$status" -eq "$1" ]; }
err_is() { [ "$(cat err)" = "$1" ]; }
err_has() { grep -q -- "$1" err; }

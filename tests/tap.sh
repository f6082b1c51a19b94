# tap.sh - TAP for the shell tests (sourced, not run).
#
#   tap_result STATUS NAME   "ok N - NAME" when STATUS is 0, else "not ok"
#   tap_skip NAME WHY        "ok N - NAME # SKIP WHY": counted as skipped
#   tap_note TEXT...         a "# " line for the log
#   tap_skip_all WHY         the whole script does not apply: exit 77
#   tap_done                 the plan line; the script's exit status
tap_count=0
tap_failed=0

tap_result() {
  tap_status=$1; shift
  tap_count=$((tap_count + 1))
  if [ "$tap_status" -eq 0 ]; then
    echo "ok $tap_count - $*"
  else
    echo "not ok $tap_count - $*"
    tap_failed=$((tap_failed + 1))
  fi
}

tap_skip() {
  tap_count=$((tap_count + 1))
  echo "ok $tap_count - $1 # SKIP $2"
}

tap_note() {
  echo "$*" | sed 's/^/# /'
}

tap_skip_all() {
  echo "1..0 # SKIP $*"
  exit 77
}

tap_done() {
  echo "1..$tap_count"
  [ "$tap_failed" -eq 0 ]
}

# script_check.awk - is a recorded heaplab script well-formed?
#
#   awk -f script_check.awk FILE
# Checks what the script runner will insist on: at most one `heap` line,
# before any operation; `a ID SIZE`, `c ID COUNT SIZE`, `m ID ALIGN SIZE`
# name an ID that is not live; `f ID` and `r ID SIZE` name a live one
# (`f -1` frees NULL); numbers are numbers; `thread N` has 1 <= N <= 64;
# no line ends in a blank.
# Prints one summary line,
#   ops=N allocs=N frees=N reallocs=N comments=N live=N peak_live=N
#   capacity=N threads=N remote=N
# and exits 1 after printing the first few mistakes, if any.
#
# threads is the highest thread number; remote, what a heap per thread
# must find: the frees and reallocs of an object by another thread than
# the one whose heap holds it (an object is in the heap of the thread that
# allocated it, or that last moved it with a remote realloc).
function bad(why) {
  errors++
  if (errors <= 5) printf "%s:%d: %s: %s\n", FILENAME, FNR, why, $0
}
BEGIN { thread = 1; threads = 1 }
function number(s) { return s ~ /^[0-9]+$/ }
function id(s) { return s ~ /^[0-9]+$/ || s ~ /^[A-Za-z_][A-Za-z0-9_]*$/ }
function new_object(fields) {
  if (NF != fields || !id($2)) { bad("malformed"); return }
  for (i = 3; i <= NF; i++) if (!number($i)) { bad("not a number"); return }
  if ($2 in live) { bad("ID already live"); return }
  live[$2] = 1; nlive++; allocs++; owner[$2] = thread
  if (nlive > peak) peak = nlive
}
/[ \t]$/ { bad("trailing blank") }
/^[ \t]*(#|$)/ { comments++; next }
$1 == "heap" {
  if (ops > 0 || heaps > 0) bad("heap line after operations or twice")
  heaps++
  for (i = 2; i <= NF; i++) if ($i ~ /^capacity=/) capacity = substr($i, 10)
  next
}
$1 == "thread" {
  if (NF != 2 || !number($2) || $2 < 1 || $2 > 64) bad("malformed thread")
  else { thread = $2 + 0; if (thread > threads) threads = thread }
  next
}
{ ops++ }
$1 == "a" { new_object(3); next }
$1 == "c" || $1 == "m" { new_object(4); next }
$1 == "f" {
  if (NF != 2) bad("malformed")
  else if ($2 == "-1") frees++
  else if (!($2 in live)) bad("free of an ID that is not live")
  else {
    if (owner[$2] != thread) remote++
    delete live[$2]; nlive--; frees++
  }
  next
}
$1 == "r" {
  if (NF != 3 || !number($3)) bad("malformed")
  else if (!($2 in live)) bad("realloc of an ID that is not live")
  else {
    if (owner[$2] != thread) { remote++; owner[$2] = thread }
    reallocs++
  }
  next
}
{ bad("unknown command") }
END {
  printf "ops=%d allocs=%d frees=%d reallocs=%d comments=%d live=%d " \
         "peak_live=%d capacity=%s threads=%d remote=%d\n", ops, allocs,
         frees, reallocs, comments, nlive, peak, capacity, threads, remote
  exit errors > 0
}

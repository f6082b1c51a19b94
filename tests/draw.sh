#!/bin/sh
# draw.sh - `heaplab draw` as a teacher uses it: every picture is valid XML
# (xmllint), shows what `heaplab run --dump-at` says the heap holds at that
# step (one outlined block per dumped block, the same offsets in the same
# order, the IDs that hold them, one freelist arrow per link of the dump's
# freelist line, from and to the right blocks), escapes what a script
# brings in, comes out the same twice, and fails cleanly.  Prints TAP.
set -u
: "${HEAPLAB:=../tools/heaplab}"
: "${top_srcdir:=..}"
. "$top_srcdir/tests/tap.sh"

command -v xmllint >/dev/null 2>&1 ||
  tap_skip_all "xmllint is not installed (Debian: libxml2-utils; ./quickstart installs it)"

dir=$(mktemp -d "${TMPDIR:-/tmp}/draw.XXXXXX") || exit 1
trap 'rm -rf "$dir"' EXIT
cd "$dir" || exit 1

# check NAME COMMAND...: one TAP line for the outcome of COMMAND.
check() {
  what=$1; shift
  if "$@" >check.out 2>&1; then
    tap_result 0 "$what"
  else
    tap_result 1 "$what"
    tap_note "$(cat check.out)"
  fi
}
# same WANT GOT: the two strings are equal (says both when not).
same() {
  [ "$1" = "$2" ] && return 0
  echo "wanted: $1"; echo "got:    $2"; return 1
}
# draw ARGS...: runs `heaplab draw`, keeping stderr in err and the status.
draw() {
  "$HEAPLAB" draw "$@" 2>err
  status=$?
}

# What the dump says at step N of SCRIPT, and what the picture shows
# (only the map of that step, for a strip).
dump_at() { "$HEAPLAB" run --dump-at "$2" "$1" | sed -n "/^## step $2:/,/^counts/p"; }
dump_offsets() { dump_at "$1" "$2" | awk '$1 == "block" {printf "%s ", $2}'; }
dump_links() {
  dump_at "$1" "$2" | awk '$1 == "freelist" && $2 != "empty" {
    for (i = 2; i < NF; i++) printf "%s>%s ", $i, $(i + 1) }'
}
map_of() {
  awk -v start="<g class=\"map\" data-step=\"$2\">" '
    index($0, "<g class=\"map\"") == 1 { inside = ($0 == start) }
    inside' "$1"
}
svg_offsets() {
  map_of "$1" "$2" | sed -n 's/.*<text class="offset"[^>]*>\([0-9]*\)<.*/\1/p' |
    tr '\n' ' '
}
svg_blocks() { map_of "$1" "$2" | grep -c '<rect class="block"'; }
svg_ids() { map_of "$1" "$2" | sed -n 's/.*<text class="id"[^>]*>\([^<]*\)<.*/\1/p' | tr '\n' ' '; }
svg_links() {
  map_of "$1" "$2" |
    sed -n 's/.*class="freelist" data-from="\([0-9]*\)" data-to="\([0-9]*\)".*/\1>\2/p' |
    tr '\n' ' '
}

# A script whose heap has used and free blocks, a freelist of three, and
# a line whose comment needs escaping.
cat > blocks.hl <<'SCRIPT'
heap preset=reference
a first 16
a second 40
a third 12
a fourth 8
a fifth 24
f second
f fourth   # <b>"both" & more</b>
check
SCRIPT

# --- one step -----------------------------------------------------------------
draw --step 7 -o one.svg blocks.hl
check "draws step 7 (exit 0)" same 0 "$status"
check "step 7's picture is valid XML" xmllint --noout one.svg
nblocks=$(dump_at blocks.hl 7 | grep -c '^block ')
check "one outlined block per block of the dump ($nblocks)" \
  same "$nblocks" "$(svg_blocks one.svg 7)"
check "the offsets under the blocks are the dump's, in order" \
  same "$(dump_offsets blocks.hl 7)" "$(svg_offsets one.svg 7)"
check "the used blocks are labelled with the IDs that hold them" \
  same "first third fifth " "$(svg_ids one.svg 7)"
links=$(dump_links blocks.hl 7)
check "one arrow per freelist link, in list order ($links)" \
  same "$links" "$(svg_links one.svg 7)"
check "the freelist's first block is marked as its head" \
  same 1 "$(grep -c 'class="freelist-head"' one.svg)"
legend=$(sed -n 's/.*<text class="legend"[^>]*>\([^<]*\)<.*/\1/p' one.svg | tr '\n' ',')
check "the legend names header, object, slack, free, no block and the freelist" \
  same "header,object,slack,free,in no block,freelist, in list order," "$legend"
for part in header object slack free; do
  check "the map draws a part of class $part" grep -q "<rect class=\"$part\" x=\"[0-9]*\" y=\"1" one.svg
done
check "the caption quotes the step's line, escaped" \
  grep -q '>step 7: f fourth   # &lt;b&gt;&quot;both&quot; &amp; more&lt;/b&gt;<' one.svg
draw --step 7 -o again.svg blocks.hl
check "the same script and step give the same bytes" cmp one.svg again.svg

# Without --step: the script's last step.
draw -o last.svg blocks.hl
check "without --step it draws the last step (8)" \
  grep -q '<g class="map" data-step="8">' last.svg

# --- a strip of steps -----------------------------------------------------------
draw --steps 0-3 -o strip.svg blocks.hl
check "draws steps 0-3 (exit 0)" same 0 "$status"
check "the strip is valid XML" xmllint --noout strip.svg
check "the strip has one map per step (4)" same 4 "$(grep -c '<g class="map"' strip.svg)"
check "step 0 is captioned as the start" grep -q '>step 0: start<' strip.svg
check "step 2 is captioned with its line" grep -q '>step 2: a second 40<' strip.svg
ok=0
for step in 0 1 2 3; do
  [ "$(dump_offsets blocks.hl $step)" = "$(svg_offsets strip.svg $step)" ] &&
    [ "$(dump_at blocks.hl $step | grep -c '^block ')" = "$(svg_blocks strip.svg $step)" ] ||
    ok=1
done
check "each map of the strip has its step's blocks and offsets" same 0 "$ok"

# --- padding and the other knobs ------------------------------------------------
printf 'heap align=16\na x 20\n' > align16.hl
draw -o align16.svg align16.hl
check "align=16's picture is valid XML" xmllint --noout align16.svg
check "align=16 shows the 8 bytes in no block before the first block" \
  grep -q '<g class="no-block" data-offset="0">' align16.svg
check "align=16's first block is at 8" same "$(dump_offsets align16.hl 1)" "$(svg_offsets align16.svg 1)"
draw --heap 'cache=on' --step 7 -o cache.svg blocks.hl
check "with cache=on the two freed blocks are drawn cached (2 blocks)" \
  same 2 "$(grep -c '<g class="block-cached"' cache.svg)"
check "... and the legend names the cached colour" grep -q 'class="legend"[^>]*>cached<' cache.svg
draw --heap 'fit=segregated merge=immediate' --step 7 -o seg.svg blocks.hl
check "--heap applies (the title names fit=segregated)" grep -q 'fit=segregated' seg.svg
check "... and no place, which is front" sh -c '! grep -q "place=" seg.svg'
draw --heap 'place=apart' --step 7 -o apart.svg blocks.hl
check "the title names place=apart, so two placements never look alike" \
  grep -q 'merge=lazy place=apart grower=' apart.svg
check "the lesson 9 program, cache on, is valid XML" \
  sh -c '"$HEAPLAB" draw --heap cache=on -o real.svg "$top_srcdir/lessons/09-real-heap/sort-words.hl" && xmllint --noout real.svg'

# --- escaping a file name ----------------------------------------------------------
odd='a&b<c>"d'\''.hl'
cp blocks.hl "$odd"
draw -o odd.svg "$odd"
check "a file name with & < > \" draws (exit 0)" same 0 "$status"
check "its picture is valid XML" xmllint --noout odd.svg
check "the title escapes the file name" \
  grep -q '<title>a&amp;b&lt;c&gt;&quot;d'\''.hl</title>' odd.svg

# --- the timeline -----------------------------------------------------------------
# Heap sizes 0 112 320 320 320 320; live requested bytes 0 100 300 200 240 40.
printf 'heap preset=reference increment=0\na x 100\na y 200\nf x\na z 40\nf y\n' > grow.hl
draw --timeline -o timeline.svg grow.hl
check "--timeline draws (exit 0)" same 0 "$status"
check "the timeline is valid XML" xmllint --noout timeline.svg
check "it has one heap-size and one requested polyline" \
  same "1 1" "$(grep -c '<polyline class="heap-size"' timeline.svg) $(grep -c '<polyline class="requested"' timeline.svg)"
check "the bytes axis goes up to 320 rounded to a tick of 100" \
  same "0 100 200 300 400 " "$(sed -n 's/.*class="y-label"[^>]*>\([0-9]*\)<.*/\1/p' timeline.svg | tr '\n' ' ')"
# The plot is 800 px wide from x=96 (step 0 to 5: 160 px a step) and 300
# px high from y=396 (0 bytes) up to 400 bytes: v is drawn at 396 - v * 3/4.
points() {
  sed -n "s/.*<polyline class=\"$1\" points=\"\([^\"]*\)\".*/\1/p" timeline.svg
}
check "the heap size line: 0 112 320 320 320 320" \
  same "96,396 256,312 416,156 576,156 736,156 896,156" "$(points heap-size)"
check "the requested line: 0 100 300 200 240 40" \
  same "96,396 256,321 416,171 576,246 736,216 896,366" "$(points requested)"

# --- errors --------------------------------------------------------------------------
draw --step 9 -o past.svg blocks.hl
check "a step past the end exits 2" same 2 "$status"
check "... saying so" grep -q 'step 9 is past the end of blocks.hl, which has 8 steps' err
check "... and writes no file" test ! -e past.svg
echo keep > kept.svg
draw --steps 7-12 -o kept.svg blocks.hl
check "a range past the end leaves an existing picture alone" same keep "$(cat kept.svg)"
draw --step seven -o x.svg blocks.hl
check "--step seven exits 2" same 2 "$status"
check "... naming what it wanted" grep -q -- "--step wants a step number, got 'seven'" err
draw --steps 5-3 -o x.svg blocks.hl
check "--steps 5-3 exits 2" sh -c "[ $status = 2 ] && grep -q 'A-B with A <= B' err"
draw --step 1 --timeline -o x.svg blocks.hl
check "--step with --timeline exits 2" sh -c "[ $status = 2 ] && grep -q 'exclude each other' err"
draw --frobnicate -o x.svg blocks.hl
check "an unknown option exits 2" sh -c "[ $status = 2 ] && grep -q \"unknown option '--frobnicate'\" err"
draw blocks.hl
check "no -o exits 2" sh -c "[ $status = 2 ] && grep -q 'no output file' err"
draw -o x.svg
check "no script exits 2" sh -c "[ $status = 2 ] && grep -q 'no script given' err"
printf 'a x 16\nz y\n' > bad.hl
draw -o x.svg bad.hl
check "a mistake in the script exits 2 with FILE:LINE" sh -c "[ $status = 2 ] && grep -q '^bad.hl:2: ' err"
draw -o no/such/dir/x.svg blocks.hl
check "an output in a missing folder exits 2" \
  sh -c "[ $status = 2 ] && grep -q 'cannot write no/such/dir/x.svg' err"
mkdir taken.svg
draw -o taken.svg blocks.hl
check "an output that is a folder exits 2" sh -c "[ $status = 2 ] && grep -q 'cannot write taken.svg' err"
check "... and leaves no temporary file behind" same "" "$(ls -a | grep 'taken.svg\.')"
check "--help exits 0 and shows the usage" sh -c '"$HEAPLAB" draw --help | grep -q "usage: heaplab draw"'
check "--version exits 0" sh -c '"$HEAPLAB" draw --version | grep -q "^heaplab draw "'
check "heaplab --help lists draw" sh -c '"$HEAPLAB" --help | grep -q "^  draw "'

tap_done

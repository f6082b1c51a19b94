/* draw.h - `heaplab draw`'s pictures, as models and as SVG.
 *
 * A picture is computed first and drawn second, as the viewer's map is
 * (view_model.h): draw_map_build reads a replay's heap through the
 * library's public introspection - the blocks in address order, the
 * freelist in list order, the stats - and the IDs that hold each object,
 * into a plain struct; draw_write_maps lays such maps out and writes them
 * as SVG.  The timeline is the same: draw_series_collect steps a replay to
 * its end noting the heap's size and the live requested bytes after each
 * step, and draw_write_timeline plots them.  None of it needs a terminal,
 * so tests link it (libdraw.a).
 *
 * The map.  The heap's bytes from offset 0 to its size are a row of
 * pieces, in address order, with no gaps:
 *
 *     used block     header, object (what the caller asked), slack
 *     free block     header, free space
 *     cached block   header, contents kept in the heap's cache (cache=on)
 *     padding        bytes in no block: before the first block (align=16
 *                    starts it at 8), or after the last one
 *
 * Widths are not to scale: a header is always the same width (every
 * header is HL_HEADER_SIZE bytes), and contents get a width that grows
 * with the logarithm of their size, so a 16-byte object and a 4000-byte
 * free tail fit on one line and both stay readable; the offsets written
 * under the blocks give the true sizes.  Inside a used block the object
 * and its slack share the contents' width in proportion to their bytes.
 */
#ifndef HL_DRAW_H
#define HL_DRAW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "heaplab.h"
#include "replay.h"
#include "script.h"

typedef enum draw_kind {
    DRAW_USED,
    DRAW_FREE,
    DRAW_CACHED,
    DRAW_PADDING   /* bytes in no block; not a block */
} draw_kind;

typedef struct draw_piece {
    draw_kind kind;
    size_t offset;     /* of the header (of the first byte, for padding) */
    size_t size;       /* the contents (for padding: its bytes) */
    size_t requested;  /* a used block: what the caller asked for */
    size_t id;         /* the script ID holding its object, or
                          SCRIPT_NO_ID */
} draw_piece;

/* The heap after one step. */
typedef struct draw_map {
    size_t step;           /* 0: before the first operation */
    const char *source;    /* the step's script line, or "start" */
    hl_stats stats;
    draw_piece *pieces;    /* in address order */
    size_t npieces, nblocks; /* nblocks: the pieces that are blocks */
    size_t *freelist;      /* indexes into pieces, in list order */
    size_t nfree;
} draw_map;

/* Fills *map from the replay's heap as it is now, naming `step` and
 * `source`.  Returns 0, or ENOMEM (the map then empty). */
int draw_map_build(replay *r, size_t step, const char *source,
                   draw_map *map);
void draw_map_release(draw_map *map);

/* Writes maps[0..n-1] as one SVG, top to bottom, each captioned with its
 * step and script line, under a title (the script's name and heap) and a
 * legend of the colours.  The freelist of each map is drawn as arrows
 * from each free block to the next in list order: nfree - 1 arrows (class
 * "freelist"), and a mark on the first (class "freelist-head").
 * Returns 0, or ENOMEM, having written nothing. */
int draw_write_maps(FILE *out, const hl_script *script,
                    const draw_map *maps, size_t n);

/* Heap size and live requested bytes after each step, 0 to nsteps. */
typedef struct draw_series {
    size_t npoints;        /* nsteps + 1 */
    size_t *heap_size;
    size_t *requested;
} draw_series;

/* Steps the replay (at step 0) to its end.  Returns 0, or ENOMEM. */
int draw_series_collect(replay *r, draw_series *series);
void draw_series_release(draw_series *series);

/* Writes the series as an SVG chart: steps across, bytes up, two
 * polylines (classes "heap-size" and "requested") over labelled axes.
 * Returns 0, or ENOMEM (the picture then incomplete: do not keep it). */
int draw_write_timeline(FILE *out, const hl_script *script,
                        const draw_series *series);

/* The title line of a picture: "FILE: heap align=8 fit=first ...". */
void draw_heap_line(const hl_script *script, char *buf, size_t len);

#endif /* HL_DRAW_H */

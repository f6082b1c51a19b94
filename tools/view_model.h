/* view_model.h - what `heaplab view` shows, computed without a terminal.
 *
 * The viewer is split the way ncdu and htop split theirs: this model says
 * what is where (which block covers which cell of the map, what changed in
 * the step just taken, the lines of the side panels) and view_draw.c only
 * copies it to the screen.  Everything here is plain C over the library's
 * public introspection (lib/heaplab.h), so tests can look at a model the
 * way a reader looks at the screen.
 *
 * The map.  The heap's bytes, from offset 0 (the first byte the grower
 * handed out) to the heap's size, are laid out left to right, top to
 * bottom, `bytes_per_cell` bytes to a cell (the zoom) and `cells_per_row`
 * cells to a row.  Each cell gets one kind and one glyph, so the map reads
 * without colour:
 *
 *     #   header      the word before every block's contents
 *     =   object      what the caller asked for (the block's label, its
 *                     script ID, is written over the first object cells
 *                     of each row, where it fits whole: a label is never
 *                     cut); an object smaller than a cell, even of 0
 *                     bytes, still gets the cell its contents begin in
 *     ~   slack       object bytes nobody asked for: rounding, unsplit rest
 *     .   free        the contents of a free block
 *     /   no block    the grower's bytes that are in no block (before the
 *                     first block, after the last one)
 *     +   cached      a used block kept in the heap's cache (cache=on)
 *     %   remote      an object another thread freed, waiting on its
 *                     heap's remote list until the owner takes it
 *         unused      past the end of the heap
 *
 * A cell where a block begins shows that block's header, so every block
 * keeps its left edge until blocks get smaller than a cell; any other cell
 * shows whatever covers most of its bytes (the lower address on a tie).
 */
#ifndef HL_VIEW_MODEL_H
#define HL_VIEW_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "heaplab.h"

typedef enum vm_kind {
    VM_UNUSED,
    VM_PADDING,  /* in no block: not a padding block, which is free */
    VM_HEADER,
    VM_OBJECT,
    VM_SLACK,
    VM_FREE,
    VM_CACHED,  /* a used block kept in the heap's cache (cache=on) */
    VM_REMOTE   /* an object on the heap's remote list: freed by another
                   thread, still used until the owner drains the list */
} vm_kind;

#define VM_KINDS 8

/* What changed in this step, per cell (any byte of the cell counts). */
enum vm_mark {
    VM_MARK_NEW = 1,     /* an object allocated (or reallocated) here */
    VM_MARK_FREED = 2,   /* a block freed */
    VM_MARK_SPLIT = 4,   /* a free block cut off by a split */
    VM_MARK_MERGED = 8,  /* the block that neighbours merged into */
    VM_MARK_GROWN = 16,  /* bytes the grower added (or gave back) */
    VM_MARK_PADDING = 32 /* a free padding block left in front of an
                            aligned object (a split, too) */
};

#define VM_NO_BLOCK ((size_t)-1)
#define VM_NO_LABEL ((size_t)-1)

typedef struct vm_cell {
    vm_kind kind;
    unsigned marks;     /* enum vm_mark bits */
    char glyph;         /* the character drawn */
    size_t block;       /* header offset of the block shown, or VM_NO_BLOCK */
    size_t label;       /* that block's label id, or VM_NO_LABEL */
    bool selected;      /* the block under the block cursor */
    bool differs;       /* --compare: this heap placed the block's object
                           differently from the other heaps (vm_maps) */
} vm_cell;

/* A live script ID: the block at `offset` (of its header) is `name`.  `id`
 * is the ID's index in the script, stable for the whole run, so a block
 * keeps its colour from step to step.  Arrays of labels are sorted by
 * offset (vm_labels_sort). */
typedef struct vm_label {
    size_t offset;
    size_t id;
    const char *name;
    unsigned heap;      /* the heap (from 1) when labels of several heaps
                           are in one array; 0 otherwise */
    bool remote;        /* the object was freed by another thread and
                           waits on its heap's remote list */
} vm_label;

void vm_labels_sort(vm_label *labels, size_t count);

/* How a step ended, as the side panel says it. */
typedef enum vm_outcome {
    VM_STEP_DONE,         /* an operation that did what it was asked */
    VM_STEP_NULL,         /* an allocation that returned NULL */
    VM_STEP_CHECK_PASSED, /* a check or expect that held */
    VM_STEP_CHECK_FAILED, /* a check or expect that did not */
    VM_STEP_ERROR         /* misuse the library reported: nothing done */
} vm_outcome;

/* The call a step's operation made, as the script parser read its line
 * (its command word: a, f, r, c, m; check and expect make none). */
typedef enum vm_call {
    VM_CALL_NONE,     /* a check or an expect, or no step yet */
    VM_CALL_MALLOC,
    VM_CALL_FREE,
    VM_CALL_REALLOC,
    VM_CALL_CALLOC,
    VM_CALL_MEMALIGN
} vm_call;

/* The step just taken, as the replay reported it.  position is 0 before
 * the first operation, k after operation k of `count`. */
typedef struct vm_step {
    size_t position, count;
    unsigned line;        /* the operation's line in the script, or 0 */
    const char *op_text;  /* the operation as written, or NULL */
    const char *note;     /* the step's note, or NULL */
    vm_outcome outcome;
    const char *message;  /* why a check failed, or what the misuse was */
    const hl_event *events;
    size_t event_count;
    size_t events_lost;   /* events the replay counted but did not keep */

    /* Scripts with `thread` lines (the rest stays 0 or NULL otherwise). */
    unsigned thread;      /* the thread the operation ran on, from 1 */
    unsigned heap;        /* the heap that thread uses, from 1 */
    unsigned remote_heap; /* a free (or realloc) of another heap's object:
                             the heap whose remote list got it */
    unsigned heap_count;  /* heaps in the replay */
    const unsigned *event_heap; /* the heap of each event, from 1 */
    const char *id_name;  /* the operation's ID, or NULL */
    const vm_label *drained; /* the objects this step's drains took off a
                                remote list (their heap and offset) */
    size_t drained_count;
    vm_call call;         /* what the operation calls, if anything */
} vm_step;

/* The zoom and the window onto the map. */
typedef struct vm_geometry {
    size_t bytes_per_cell; /* a power of two, at least VM_MIN_BYTES_PER_CELL */
    size_t cells_per_row;
    size_t first_row;      /* the top row shown (scrolling) */
    size_t rows;           /* how many rows are shown */
} vm_geometry;

#define VM_MIN_BYTES_PER_CELL ((size_t)8)
#define VM_MAX_BYTES_PER_CELL ((size_t)1 << 40)

/* Zoom and scroll arithmetic (view_zoom.c). */
size_t vm_rows_needed(size_t heap_size, const vm_geometry *geo);
size_t vm_row_offset(const vm_geometry *geo, size_t row);
void vm_clamp_scroll(vm_geometry *geo, size_t heap_size);
/* False when the zoom is already at its bound (nothing changed). */
bool vm_zoom(vm_geometry *geo, bool in, size_t heap_size);
void vm_fit(vm_geometry *geo, size_t heap_size);
/* The coarsest zoom, `bytes_per_cell` or finer (VM_MIN_BYTES_PER_CELL at
 * least), at which every block of `heap` shows (view_model_cells.c): its
 * header in a cell of its own, and a cell of its own contents after it (a
 * used block's object: '=', and its label when it fits), so that no block
 * hides under its neighbours and freeing one always changes the map.  At
 * VM_MIN_BYTES_PER_CELL every block does. */
size_t vm_zoom_showing_blocks(hl_heap *heap, size_t bytes_per_cell);
/* The zoom "fit" picks (the viewer's default, and the key 0), for one map
 * or several at one zoom: the coarsest at which the largest heap fits the
 * window's rows (vm_fit), then finer until every block of every heap
 * shows (vm_zoom_showing_blocks): a heap that then needs more rows than
 * the window scrolls.  When the zoom changes, the byte at the window's
 * top left stays in its top row.  Returns the largest heap's size. */
size_t vm_fit_blocks(vm_geometry *geo, hl_heap *const *heaps, size_t count);
/* The bytes the step's events are about (what the map marks), as one
 * span [*from, *to); false when they are about none. */
bool vm_step_bytes(const vm_step *step, size_t *from, size_t *to);
/* Scrolls the window, when the step's bytes are out of it, so that they
 * (or, when they take more than the window, their start) are in it. */
void vm_follow(vm_geometry *geo, const vm_step *step, size_t heap_size);
/* The side panel's width, in columns of text, on a screen `cols` wide: a
 * third of it, from VM_PANEL_WIDTH to VM_PANEL_MAX_WIDTH. */
size_t vm_panel_width(size_t cols);

/* Side panels are lines of text, VM_LINE_MAX bytes each at most, wrapped
 * at words to the panel's width: `width` columns, VM_PANEL_WIDTH (the
 * narrowest panel, on an 80-column screen) when it is 0.  A line that
 * does not fit goes on, on the next lines, indented by two spaces (or as
 * deep as the line itself is), so that no number is ever cut in two. */
#define VM_LINE_MAX 96
#define VM_PANEL_WIDTH 38
#define VM_PANEL_MAX_WIDTH 72
#define VM_PANEL_LINES 48

typedef struct vm_panel {
    size_t width;       /* columns a line may take; 0: VM_PANEL_WIDTH */
    size_t count;
    char line[VM_PANEL_LINES][VM_LINE_MAX];
} vm_panel;

/* Fitting text to a width (view_model_text.c), the one way every pane of
 * the viewer wraps.  vm_wrap: the first line of text[0, len) at most
 * `width` columns wide, cut after a word or at a newline ('\n', as
 * between a note's lines, always ends a line: no line it returns holds
 * one); returns its length (without the spaces it ends on) and sets *next
 * to where the next line begins.  Only a word longer than the whole width
 * is cut inside. */
size_t vm_wrap(const char *text, size_t len, size_t width, size_t *next);
/* In a panel's text, a space no line breaks at ("align" VM_NBSP "16"). */
#define VM_NBSP "\037"
/* Adds prose to the panel, wrapped at the panel's width (every line as
 * far in as the first), in `max_lines` lines at most (0: as many as the
 * panel holds).  False when it was cut. */
bool vm_panel_add_text(vm_panel *p, const char *text, size_t max_lines);
/* A formatted line, wrapped like the panels' own: what does not fit
 * hangs two spaces in (or as deep as the line is).  False when cut. */
bool vm_panel_printf(vm_panel *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* `text` in `width` columns at most, shortened from the left when it is
 * longer ("...", then its end): for a path whose end says the most. */
const char *vm_shorten_left(char *buf, size_t size, const char *text,
                            size_t width);

/* The side panel beside the map is made of parts, a panel each (the step,
 * the note, a quiz's question, the events, the freelist, the stats ...),
 * drawn one under another with blank rows between them.  When they do not
 * all fit, vm_parts_place shares the rows out by priority: in priority
 * order each part gets what it needs, but for a row (and its gap) kept for
 * each part after it, so that every part at least says it is there.  A
 * part that gets fewer rows than it has lines shows what fits and a line
 * that says how many are left out (VM_PART_MORE), and the viewer's P key
 * shows them all. */
typedef struct vm_part {
    const vm_panel *panel;  /* NULL or no lines: not shown */
    const char *name;       /* "freelist": for a part cut to one line */
    size_t gap;             /* blank rows above it */
    bool tail;              /* when cut, its last lines are kept: a quiz
                               question comes after the last verdict */
    bool shares;            /* takes, of the rows left, what the parts after
                               it (in priority) do not need, or half */
    size_t rows;            /* out: the rows it gets, its gap included */
} vm_part;

/* The line a cut part ends (or, with `tail`, begins) with; a part cut
 * to that line alone says what it is: "  (freelist: 4 lines: P shows
 * all)" (vm_part_more). */
#define VM_PART_MORE "  (+%zu more lines: P shows all)"
const char *vm_part_more(const vm_part *part, size_t more, char *buf,
                         size_t size);

/* Shares `room` rows among parts[priority[0]], parts[priority[1]] ...
 * (count indexes); the others get none.  Sets each part's rows. */
void vm_parts_place(vm_part *parts, const size_t *priority, size_t count,
                    size_t room);
/* The lines of a part that `rows` rows show: its first line's index and
 * how many of its lines; *more is how many are left out (the line that
 * says so comes after them, or before them with `tail`). */
size_t vm_part_lines(const vm_part *part, size_t *first, size_t *more);

/* Utilization over time (view_model_spark.c).  The heap's size and its
 * live requested bytes at a step; the timeline samples them in its first
 * pass. */
typedef struct vm_usage {
    size_t heap_size, live;
} vm_usage;

/* A sparkline's glyphs, from nothing to the highest value. */
#define VM_SPARK_GLYPHS " .:-=+*#"
#define VM_SPARK_MAX 128

/* The sparklines of samples[0, count), the steps up to the current one,
 * oldest first: one glyph a sample, or, for more samples than `width`,
 * one glyph for each run of them, as high as the run's highest value.
 * Both lines share one scale, the highest heap size among the samples, so
 * the gap between them is the space the heap holds and nobody asked for.
 * heap_line and live_line get at most `width` glyphs (VM_SPARK_MAX at
 * most) and a '\0'. Returns the glyphs written to each. */
size_t vm_sparklines(char *heap_line, char *live_line, size_t width,
                     const vm_usage *samples, size_t count);
/* The glyph for `value` on a scale up to `max`: VM_SPARK_GLYPHS[0] for 0
 * alone, the last for max. */
char vm_spark_glyph(size_t value, size_t max);

typedef struct view_model {
    vm_geometry geo;
    size_t heap_size;     /* bytes the map covers */
    size_t total_rows;    /* rows the whole heap needs at this zoom */
    vm_cell *cells;       /* geo.rows * geo.cells_per_row, row by row */
    size_t cells_capacity;

    vm_panel step;        /* "step 3/10  line 4: a = alloc 100", outcome */
    vm_panel events;      /* the step's events, spelled out */
    vm_panel freelist;    /* the freelist, in list order */
    vm_panel stats;       /* heap size, used/free, largest, ratios */
    char note[VM_LINE_MAX * 2]; /* the step's note (its start, if longer) */
    vm_panel note_lines;  /* the whole note, wrapped, a line of the panel
                             for each of its own lines at least */
    size_t panel_width;   /* the panels' width (view_model_init: the
                             narrowest, VM_PANEL_WIDTH) */
    size_t cursor;        /* the selected block's offset, or VM_NO_BLOCK
                             (vm_select) */
    vm_panel block;       /* that block, decoded (vm_text_block) */
    char spark_heap[VM_SPARK_MAX + 1]; /* vm_sparklines: the heap's size */
    char spark_live[VM_SPARK_MAX + 1]; /* and its live bytes, step by step */
} view_model;

void view_model_init(view_model *m);
void view_model_free(view_model *m);

/* Computes the whole model for `heap` after `step`, with the map seen
 * through `geo` (whose scroll is clamped to the heap first) and blocks
 * named by `labels` (sorted by offset; may be NULL when count is 0).
 * Returns 0, or -1 with errno = ENOMEM when the cells cannot be held.
 * The heap is only looked at, through its visitors and stats. */
int view_model_build(view_model *m, hl_heap *heap, const vm_step *step,
                     const vm_geometry *geo, const vm_label *labels,
                     size_t label_count);
/* The map alone (view_model_cells.c), for view_model_build: fills the
 * cells of m's window (geo and heap_size set, room for the cells and a
 * weight for each reserved behind them) and marks what `step` changed. */
void vm_build_map(view_model *m, hl_heap *heap, const vm_step *step,
                  const vm_label *labels, size_t label_count);

/* The cell at (row, column) of the window. */
const vm_cell *vm_cell_at(const view_model *m, size_t row, size_t column);
/* The legend of the map's glyphs, for the kinds in `list`, in its order:
 * "# header  = object  / no block", or with `brief` "#hdr =obj /noblk"
 * for a narrow screen.  Every legend of the viewer is written with it, so
 * that they all say the same.  Returns the length written to buf. */
size_t vm_legend(char *buf, size_t size, const vm_kind *list, size_t count,
                 bool brief);
/* The glyphs of one window row as a string (buf holds cells_per_row + 1). */
char *vm_row_text(const view_model *m, size_t row, char *buf, size_t size);
/* The label of the block at offset, or NULL (binary search). */
const vm_label *vm_label_of(const vm_label *labels, size_t count,
                            size_t offset);

/* The panels, each usable alone (view_model_text.c). */
/* "done", "returned NULL", "passed", "FAILED" ... */
const char *vm_outcome_text(vm_outcome outcome);
void vm_text_step(vm_panel *p, const vm_step *step);
void vm_text_events(vm_panel *p, const vm_step *step, const vm_label *labels,
                    size_t label_count);
void vm_text_freelist(vm_panel *p, hl_heap *heap);
void vm_text_stats(vm_panel *p, hl_heap *heap);
/* One event in words, its blocks named by `labels` (sorted by offset). */
void vm_text_event(vm_panel *p, const hl_event *ev, const vm_label *labels,
                   size_t label_count);
/* The events of a script with threads: who did what on which heap
 * ("thread 2 frees x: remote, queued on heap 1"), the drains spelled out
 * ("thread 1's heap takes its remote list: x freed"), then each heap's
 * events.  `labels` are those of every heap, each with its `heap`. */
void vm_text_thread_events(vm_panel *p, const vm_step *step,
                           const vm_label *labels, size_t label_count);
/* Heap `number`'s remote list, newest first, named by `labels` (that
 * heap's, remote ones included): "heap 1 remote list: 1 block" and the
 * blocks; returns how many blocks wait on it. */
size_t vm_text_remote(vm_panel *p, hl_heap *heap, unsigned number,
                      const vm_label *labels, size_t label_count);

/* The block cursor (view_model_block.c).  Offsets are of block headers,
 * in address order as hl_heap_visit_blocks walks them. */

/* The block that holds the byte at `offset` (its header or contents), or
 * VM_NO_BLOCK when none does. */
size_t vm_block_at(hl_heap *heap, size_t offset);
/* The first block whose bytes reach `offset` or later, or VM_NO_BLOCK. */
size_t vm_block_from(hl_heap *heap, size_t offset);
/* The block after (by > 0) or before (by < 0) the one at `offset`; the
 * same offset at either end of the heap. */
size_t vm_block_step(hl_heap *heap, size_t offset, int by);
/* The block a map row below (by > 0) or above (by < 0) the one at
 * `offset`, `row_bytes` bytes a row: the block under the same column, or
 * the next (the one before) when the block itself spans that row; the
 * same offset when there is no row there. */
size_t vm_block_row(hl_heap *heap, size_t offset, size_t row_bytes, int by);
/* The free block after the one at `offset` in the freelist's order (as
 * hl_heap_visit_freelist walks it), or VM_NO_BLOCK at its end or when the
 * block is not on it. */
size_t vm_freelist_after(hl_heap *heap, size_t offset);

/* Selects the block at `offset` (or the one holding that byte, or the
 * first block after it) in a built model: sets m->cursor, marks its cells
 * `selected` and decodes it into m->block.  VM_NO_BLOCK clears them. */
void vm_select(view_model *m, hl_heap *heap, size_t offset,
               const vm_label *labels, size_t label_count);
/* The block at `offset`, decoded from the heap's own bytes
 * (hl_heap_block_bits): its header word, byte by byte and field by field,
 * whether the check byte holds, a free block's node and footer, and a used
 * block's first object bytes in hex and as text. */
void vm_text_block(vm_panel *p, hl_heap *heap, size_t offset,
                   const vm_label *labels, size_t label_count);

/* ---------------------------------------------------------------------------
 * Several maps on one screen (view_model_maps.c)
 *
 * A script with a heap per thread has several heaps, and `--compare` runs
 * one script on two to four heaps of different settings.  Either way the
 * screen shows one map per heap, each under a header line that says which
 * heap it is and how it stands.  They are stacked when each gets at least
 * VM_MAP_MIN_ROWS rows of cells; otherwise one is shown at a time, the
 * selected one, and the maps' notice says so (a key cycles through them).
 * All maps share one zoom, so the same bytes take the same room in each.
 * The side panel describes the selected map (its freelist and stats),
 * after the panels about all of them (`events`, `remote`).
 * ------------------------------------------------------------------------- */

#define VM_MAP_MIN_ROWS 5
#define VM_MAX_MAPS 64  /* a heap per thread: as many as a script's threads */

/* What one map is built from. */
typedef struct vm_map_source {
    hl_heap *heap;
    const char *title;      /* "heap 1, thread 1"; "fit=best" */
    bool current;           /* the heap the step's thread used */
    vm_step step;           /* the step as this heap saw it: its events */
    const vm_label *labels; /* this heap's, sorted by offset */
    size_t label_count;
} vm_map_source;

typedef struct vm_map {
    view_model model;       /* its cells and its panels */
    char header[VM_LINE_MAX]; /* the line above its cells */
    bool current;
    size_t differs;         /* blocks it placed differently (compare) */
    size_t remote;          /* blocks waiting on its remote list */
} vm_map;

typedef struct vm_maps {
    size_t count;
    vm_map *map;            /* count of them (vm_maps_build allocates) */
    size_t capacity;
    size_t selected;        /* the map the panel describes */
    bool stacked;           /* all on the screen; else the selected alone */
    size_t rows_each;       /* rows of cells each shown map gets */
    char notice[VM_LINE_MAX]; /* when one at a time: says so, or "" */
    vm_panel events;        /* compare: each heap's outcome and events
                               (threads: the caller's, from
                               vm_text_thread_events) */
    vm_panel remote;        /* threads: each heap's remote list */
    vm_panel which;         /* whose freelist and stats follow */
} vm_maps;

void vm_maps_init(vm_maps *ms);
void vm_maps_free(vm_maps *ms);

/* The layout of `count` maps in `rows` screen rows (header lines
 * included): true when they stack, each with *rows_each rows of cells;
 * false when one is shown at a time (*rows_each: the rows it gets, under
 * its header and the notice). */
bool vm_maps_layout(size_t count, size_t rows, size_t *rows_each);

/* Builds every map from src[0, count) through `geo` (its rows are set to
 * the layout's rows_each in `rows` screen rows), `width` columns wide for
 * the headers, then: with `compare`, marks the blocks each heap placed
 * differently from the others (vm_cell.differs) and spells out each
 * heap's outcome and events; with `remote`, lists each heap's remote
 * list.  Returns 0, or -1 (ENOMEM). */
int vm_maps_build(vm_maps *ms, const vm_map_source *src, size_t count,
                  const vm_geometry *geo, size_t rows, size_t width,
                  bool compare, bool remote);

/* The differences, alone: in each map, the blocks whose object (by ID)
 * sits at another offset, or in no block, in other maps, when this map is
 * among the fewest that agree on where it is (so with two maps both show
 * it, with three the odd one out).  Sets `differs` on their cells, counts
 * them in each map's `differs`; names[k] gets their IDs ("x, y") for the
 * header. */
void vm_maps_mark_differences(vm_maps *ms, const vm_map_source *src,
                              char names[][VM_LINE_MAX]);

#endif /* HL_VIEW_MODEL_H */

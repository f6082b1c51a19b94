/* view_model_cells.c - the map of the heap: which block covers which cell,
 * and what the step just taken changed (see view_model.h for the picture).
 *
 * Building the map is one walk of the blocks in address order.  Each part
 * of the heap (the padding in front, then each block's header, object,
 * slack or free contents, then the padding behind) "covers" the cells it
 * overlaps; a cell keeps the part that covered the most of its bytes, and a
 * cell where a block begins keeps that block's header whatever comes after.
 * Only the cells of the window are computed, so a large heap costs one walk
 * and no more memory than the screen.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "view_model.h"

/* A cell that shows a block's start keeps it: nothing weighs more. */
#define VM_LOCKED SIZE_MAX

/* The walk's state: the window in bytes and the cells being filled. */
typedef struct builder {
    view_model *m;
    size_t *weight;             /* bytes of each cell its current part covers */
    size_t window_start, window_end;
    const vm_label *labels;
    size_t label_count;
    size_t blocks_end;          /* where the last block seen ends */
    size_t *remote;             /* the blocks on the remote list, sorted */
    size_t remote_count, remote_capacity;
} builder;

/* ---------------------------------------------------------------------------
 * Covering cells
 * ------------------------------------------------------------------------- */

/* Cuts [*from, *to) to the window; false when nothing of it is left.
 * Otherwise *first and *last are the cells it overlaps. */
static bool clip_to_window(const builder *b, size_t *from, size_t *to,
                           size_t *first, size_t *last)
{
    size_t size = b->m->geo.bytes_per_cell;

    if (*from < b->window_start)
        *from = b->window_start;
    if (*to > b->window_end)
        *to = b->window_end;
    if (*from >= *to)
        return false;
    *first = (*from - b->window_start) / size;
    *last = (*to - 1 - b->window_start) / size;
    return true;
}

/* Part [from, to) of the heap, of `kind`, belonging to `block`, covers the
 * window's cells it overlaps; each cell keeps its heaviest part. */
static void cover(builder *b, size_t from, size_t to, vm_kind kind,
                  size_t block, size_t label)
{
    size_t size = b->m->geo.bytes_per_cell, c, first, last;

    if (!clip_to_window(b, &from, &to, &first, &last))
        return;
    for (c = first; c <= last; c++) {
        size_t cell_start = b->window_start + c * size;
        size_t low = from > cell_start ? from : cell_start;
        size_t high = to < cell_start + size ? to : cell_start + size;
        vm_cell *cell = &b->m->cells[c];

        if (high - low > b->weight[c]) {
            b->weight[c] = high - low;
            cell->kind = kind;
            cell->block = block;
            cell->label = label;
        }
    }
}

/* The header of the block at `block` claims the cell it lies in, unless an
 * earlier block already begins there. */
static void cover_header(builder *b, size_t block, size_t label)
{
    size_t c;

    if (block < b->window_start || block >= b->window_end)
        return;
    c = (block - b->window_start) / b->m->geo.bytes_per_cell;
    if (b->weight[c] == VM_LOCKED)
        return;
    b->weight[c] = VM_LOCKED;
    b->m->cells[c].kind = VM_HEADER;
    b->m->cells[c].block = block;
    b->m->cells[c].label = label;
}

/* An object smaller than a cell (even of 0 bytes) still shows, with its
 * label, in the cell where its contents begin, when that cell shows its
 * block at all: it would be all slack otherwise, and the block nameless. */
static void cover_object_start(builder *b, size_t contents, size_t block)
{
    vm_cell *cell;

    if (contents < b->window_start || contents >= b->window_end)
        return;
    cell = &b->m->cells[(contents - b->window_start) /
                        b->m->geo.bytes_per_cell];
    if (cell->block == block && cell->kind == VM_SLACK)
        cell->kind = VM_OBJECT;
}

/* ---------------------------------------------------------------------------
 * The remote list
 * ------------------------------------------------------------------------- */

static bool note_remote(const hl_block_info *info, void *arg)
{
    builder *b = arg;

    if (b->remote_count == b->remote_capacity) {
        size_t capacity = b->remote_capacity ? 2 * b->remote_capacity : 16;
        size_t *more = realloc(b->remote, capacity * sizeof *more);
        if (!more)
            return false;   /* the rest are drawn as used: said in the panel */
        b->remote = more;
        b->remote_capacity = capacity;
    }
    b->remote[b->remote_count++] = info->offset;
    return true;
}

static int by_value(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

static bool is_remote(const builder *b, size_t offset)
{
    return b->remote_count &&
           bsearch(&offset, b->remote, b->remote_count, sizeof offset,
                   by_value) != NULL;
}

static bool cover_block(const hl_block_info *info, void *arg)
{
    builder *b = arg;
    size_t contents = info->offset + HL_HEADER_SIZE;
    size_t end = contents + info->size;
    size_t label = VM_NO_LABEL;

    if (b->blocks_end == 0 && info->offset > 0)
        cover(b, 0, info->offset, VM_PADDING, VM_NO_BLOCK, VM_NO_LABEL);
    b->blocks_end = end;
    if (end <= b->window_start)
        return true;
    if (info->offset >= b->window_end)
        return false;
    if (!info->free && !info->cached) {
        const vm_label *l =
            vm_label_of(b->labels, b->label_count, info->offset);
        label = l ? l->id : VM_NO_LABEL;
    }
    cover_header(b, info->offset, label);
    if (info->free) {
        cover(b, contents, end, VM_FREE, info->offset, label);
    } else if (is_remote(b, info->offset)) {
        cover(b, contents, end, VM_REMOTE, info->offset, label);
    } else if (info->cached) {
        cover(b, contents, end, VM_CACHED, info->offset, label);
    } else {
        cover(b, contents, contents + info->requested, VM_OBJECT,
              info->offset, label);
        cover(b, contents + info->requested, end, VM_SLACK, info->offset,
              label);
        cover_object_start(b, contents, info->offset);
    }
    return true;
}

/* ---------------------------------------------------------------------------
 * What changed
 * ------------------------------------------------------------------------- */

static void mark(builder *b, size_t from, size_t to, unsigned marks)
{
    size_t c, first, last;

    if (!clip_to_window(b, &from, &to, &first, &last))
        return;
    for (c = first; c <= last; c++)
        b->m->cells[c].marks |= marks;
}

/* The bytes an event is about, [*from, *to), and how they are
 * highlighted; 0 for an event about no bytes. */
static unsigned event_bytes(const hl_event *ev, size_t *from, size_t *to)
{
    size_t whole = HL_HEADER_SIZE + ev->size;

    *from = ev->offset;
    *to = ev->offset + whole;
    switch (ev->kind) {
    case HL_EVENT_ALLOC:
    case HL_EVENT_REALLOC_IN_PLACE:
    case HL_EVENT_REALLOC_MOVE:
    case HL_EVENT_CACHE_HIT:
        return VM_MARK_NEW;
    case HL_EVENT_FREE:
    case HL_EVENT_CACHE_PUT:
    case HL_EVENT_FLUSH:
    case HL_EVENT_REMOTE_FREE:
        return VM_MARK_FREED;
    case HL_EVENT_SPLIT:
        *from = ev->other_offset;
        *to = ev->other_offset + HL_HEADER_SIZE + ev->other_size;
        return ev->other_offset < ev->offset
                   ? VM_MARK_SPLIT | VM_MARK_PADDING : VM_MARK_SPLIT;
    case HL_EVENT_MERGE:
        return VM_MARK_MERGED;
    case HL_EVENT_GROW:
    case HL_EVENT_TRIM:
        *to = ev->offset + ev->size;
        return VM_MARK_GROWN;
    case HL_EVENT_FAIL:
    case HL_EVENT_DRAIN:
        break;
    }
    return 0;
}

static void mark_event(builder *b, const hl_event *ev)
{
    size_t from, to;
    unsigned marks = event_bytes(ev, &from, &to);

    if (marks)
        mark(b, from, to, marks);
}

bool vm_step_bytes(const vm_step *step, size_t *from, size_t *to)
{
    bool any = false;
    size_t i;

    for (i = 0; step && i < step->event_count; i++) {
        size_t low, high;
        if (!event_bytes(&step->events[i], &low, &high) || low >= high)
            continue;
        if (!any || low < *from)
            *from = low;
        if (!any || high > *to)
            *to = high;
        any = true;
    }
    return any;
}

/* ---------------------------------------------------------------------------
 * Glyphs
 * ------------------------------------------------------------------------- */

/* Each kind's glyph and the words every legend says it with: the status
 * bar's, short or not, and the help's (view_draw.c). */
static const struct {
    char glyph;
    const char *name, *brief;
} kinds[VM_KINDS] = {
    [VM_UNUSED] = {' ', "unused", "unused"},
    [VM_PADDING] = {'/', "no block", "noblk"},
    [VM_HEADER] = {'#', "header", "hdr"},
    [VM_OBJECT] = {'=', "object", "obj"},
    [VM_SLACK] = {'~', "slack", "slk"},
    [VM_FREE] = {'.', "free", "free"},
    [VM_CACHED] = {'+', "cached", "cache"},
    [VM_REMOTE] = {'%', "remote", "remote"},
};

static char kind_glyph(vm_kind kind)
{
    return kinds[kind].glyph;
}

size_t vm_legend(char *buf, size_t size, const vm_kind *list, size_t count,
                 bool brief)
{
    size_t i, len = 0;
    int n;

    if (size == 0)
        return 0;
    buf[0] = '\0';
    for (i = 0; i < count && len + 1 < size; i++) {
        const char *gap = i == 0 ? "" : brief ? " " : "  ";
        n = brief ? snprintf(buf + len, size - len, "%s%c%s", gap,
                             kinds[list[i]].glyph, kinds[list[i]].brief)
                  : snprintf(buf + len, size - len, "%s%c %s", gap,
                             kinds[list[i]].glyph, kinds[list[i]].name);
        if (n < 0)
            break;
        len += (size_t)n < size - len ? (size_t)n : size - len - 1;
    }
    return len;
}

/* Cells that carry their block's label: an object's, and a remote one's
 * (still the object it was, until its owner takes it). */
static bool is_labelled(vm_kind kind)
{
    return kind == VM_OBJECT || kind == VM_REMOTE;
}

/* The labelled cells of one block from cell c of a row on. */
static size_t run_length(const vm_cell *row, size_t width, size_t c)
{
    size_t n = 1;

    while (c + n < width && row[c + n].kind == row[c].kind &&
           row[c + n].block == row[c].block)
        n++;
    return n;
}

/* Within one row, a run of object cells of one block begins with the
 * block's label when the whole label fits in the run, and shows none when
 * it does not: a label cut short ("7" of 703) would read as another name,
 * or as a number of the map's. */
static void set_row_glyphs(builder *b, vm_cell *row)
{
    size_t width = b->m->geo.cells_per_row, c, run = 0;
    const char *name = NULL;

    for (c = 0; c < width; c++) {
        vm_cell *cell = &row[c];
        cell->glyph = kind_glyph(cell->kind);
        if (!is_labelled(cell->kind)) {
            name = NULL;
            continue;
        }
        if (c == 0 || row[c - 1].kind != cell->kind ||
            row[c - 1].block != cell->block) {
            const vm_label *l =
                vm_label_of(b->labels, b->label_count, cell->block);
            name = l && strlen(l->name) <= run_length(row, width, c)
                       ? l->name
                       : NULL;
            run = 0;
        }
        if (name && run < strlen(name))
            cell->glyph = name[run];
        run++;
    }
}

/* ---------------------------------------------------------------------------
 * The map
 * ------------------------------------------------------------------------- */

void vm_build_map(view_model *m, hl_heap *heap, const vm_step *step,
                  const vm_label *labels, size_t label_count)
{
    size_t count = m->geo.rows * m->geo.cells_per_row, i;
    builder b = {m, (size_t *)(void *)(m->cells + count), 0, 0, labels,
                 label_count, 0, NULL, 0, 0};

    b.window_start = vm_row_offset(&m->geo, m->geo.first_row);
    b.window_end = b.window_start + count * m->geo.bytes_per_cell;
    for (i = 0; i < count; i++) {
        m->cells[i] = (vm_cell){VM_UNUSED, 0, ' ', VM_NO_BLOCK, VM_NO_LABEL,
                                false, false};
        b.weight[i] = 0;
    }
    hl_heap_visit_remote(heap, note_remote, &b);
    if (b.remote_count > 1)
        qsort(b.remote, b.remote_count, sizeof *b.remote, by_value);
    hl_heap_visit_blocks(heap, cover_block, &b);
    free(b.remote);
    if (b.blocks_end < m->heap_size)
        cover(&b, b.blocks_end, m->heap_size, VM_PADDING, VM_NO_BLOCK,
              VM_NO_LABEL);
    for (i = 0; step && i < step->event_count; i++)
        mark_event(&b, &step->events[i]);
    for (i = 0; i < m->geo.rows; i++)
        set_row_glyphs(&b, m->cells + i * m->geo.cells_per_row);
}

/* ---------------------------------------------------------------------------
 * A zoom that shows every block
 * ------------------------------------------------------------------------- */

/* Whether the block shows at `size` bytes a cell, by the rules above: its
 * header gets the cell it begins in, and a cell after that lies wholly in
 * the block (no later header can take it), showing its contents: a free
 * or cached block's, a used block's object (the cell its contents begin
 * in, or a first cell the object covers half of at least). */
static bool block_shows(const hl_block_info *info, size_t size)
{
    size_t contents = info->offset + HL_HEADER_SIZE;
    size_t end = contents + info->size, head = info->offset / size;
    size_t last = (end - 1) / size, cell, object_end;

    /* The last cell is the block's own only when the block ends with it. */
    if (last < head + 1 + (end % size != 0))
        return false;
    if (info->free || info->cached || contents / size > head)
        return true;
    cell = (head + 1) * size;
    object_end = contents + info->requested;
    if (object_end > cell + size)
        object_end = cell + size;
    return object_end > cell && 2 * (object_end - cell) >= size;
}

static bool finest_needed(const hl_block_info *info, void *arg)
{
    size_t *size = arg;

    while (*size > VM_MIN_BYTES_PER_CELL && !block_shows(info, *size))
        *size /= 2;
    return true;
}

size_t vm_zoom_showing_blocks(hl_heap *heap, size_t bytes_per_cell)
{
    size_t size = bytes_per_cell;

    if (size < VM_MIN_BYTES_PER_CELL)
        size = VM_MIN_BYTES_PER_CELL;
    hl_heap_visit_blocks(heap, finest_needed, &size);
    return size;
}

size_t vm_fit_blocks(vm_geometry *geo, hl_heap *const *heaps, size_t count)
{
    size_t largest = 0, size, top, k;
    vm_geometry whole = *geo;

    for (k = 0; k < count; k++) {
        hl_stats s;
        hl_heap_stats(heaps[k], &s);
        if (s.heap_size > largest)
            largest = s.heap_size;
    }
    vm_fit(&whole, largest);
    size = whole.bytes_per_cell;
    for (k = 0; k < count; k++)
        size = vm_zoom_showing_blocks(heaps[k], size);
    if (size != geo->bytes_per_cell) {
        /* The byte at the window's top left stays in its top row. */
        top = vm_row_offset(geo, geo->first_row);
        geo->bytes_per_cell = size;
        geo->first_row = top / (size * geo->cells_per_row);
    }
    vm_clamp_scroll(geo, largest);
    return largest;
}

void vm_follow(vm_geometry *geo, const vm_step *step, size_t heap_size)
{
    size_t from = 0, to = 0, row_bytes = geo->bytes_per_cell *
                                         geo->cells_per_row;
    size_t first, last;

    if (!vm_step_bytes(step, &from, &to) || row_bytes == 0)
        return;
    first = from / row_bytes;
    last = (to - 1) / row_bytes;
    if (first >= geo->first_row && last < geo->first_row + geo->rows)
        return;     /* all of it in sight */
    if (first >= geo->first_row && first < geo->first_row + geo->rows &&
        last - first >= geo->rows)
        return;     /* more than the window: its start is in sight */
    /* Its start a quarter of the window down, or its end in sight when
     * that shows all of it. */
    geo->first_row = first - (first < geo->rows / 4 ? first : geo->rows / 4);
    if (last - first < geo->rows && last >= geo->first_row + geo->rows)
        geo->first_row = last + 1 - geo->rows;
    vm_clamp_scroll(geo, heap_size);
}

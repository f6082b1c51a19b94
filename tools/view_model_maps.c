/* view_model_maps.c - several heap maps on one screen (see view_model.h):
 * a heap per thread, or the heaps of `heaplab view --compare`.
 *
 * Each map is an ordinary model (view_model_build) of its own heap; this
 * file decides how the maps share the screen, writes the header line of
 * each, finds the blocks that one heap placed differently from the others
 * and fills the panels that are about all the heaps at once.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "view_model.h"

void vm_maps_init(vm_maps *ms)
{
    memset(ms, 0, sizeof *ms);
}

void vm_maps_free(vm_maps *ms)
{
    size_t i;

    for (i = 0; i < ms->capacity; i++)
        view_model_free(&ms->map[i].model);
    free(ms->map);
    vm_maps_init(ms);
}

/* Room for `count` maps. */
static int reserve_maps(vm_maps *ms, size_t count)
{
    vm_map *more;
    size_t i;

    if (count <= ms->capacity)
        return 0;
    more = realloc(ms->map, count * sizeof *more);
    if (!more)
        return -1;
    for (i = ms->capacity; i < count; i++) {
        memset(&more[i], 0, sizeof more[i]);
        view_model_init(&more[i].model);
    }
    ms->map = more;
    ms->capacity = count;
    return 0;
}

/* ---------------------------------------------------------------------------
 * The layout
 * ------------------------------------------------------------------------- */

bool vm_maps_layout(size_t count, size_t rows, size_t *rows_each)
{
    /* Stacked, each map is its header line and its cells. */
    if (count > 0 && rows / count >= 1 + VM_MAP_MIN_ROWS) {
        *rows_each = rows / count - 1;
        return true;
    }
    /* Alone: its header, the notice, its cells. */
    *rows_each = rows > 3 ? rows - 2 : 1;
    return false;
}

/* ---------------------------------------------------------------------------
 * Header lines
 * ------------------------------------------------------------------------- */

/* Appends `piece` when it fits whole in `width` columns. */
static void put_piece(char *line, size_t width, const char *piece)
{
    size_t len = strlen(line), add = strlen(piece);

    if (len + add <= width && len + add < VM_LINE_MAX)
        memcpy(line + len, piece, add + 1);
}

/* "heap 1, thread 1 <- this step  remote 1  4096 B  util 45.3%": what
 * matters most first, so that a narrow map keeps it. */
static void write_header(vm_map *map, const vm_map_source *src,
                         size_t width, const char *differ_names)
{
    char piece[VM_LINE_MAX];
    hl_stats s;

    hl_heap_stats(src->heap, &s);
    snprintf(map->header, sizeof map->header, "%.*s",
             (int)(width < VM_LINE_MAX ? width : VM_LINE_MAX - 1),
             src->title);
    if (src->current)
        put_piece(map->header, width, " <- this step");
    if (map->remote) {
        snprintf(piece, sizeof piece, "  remote %zu", map->remote);
        put_piece(map->header, width, piece);
    }
    if (map->differs) {
        /* The IDs when they fit, else how many. */
        size_t before = strlen(map->header);
        snprintf(piece, sizeof piece, "  differs: %.*s", VM_LINE_MAX / 2,
                 differ_names);
        put_piece(map->header, width, piece);
        snprintf(piece, sizeof piece, "  %zu differ", map->differs);
        if (strlen(map->header) == before)
            put_piece(map->header, width, piece);
    }
    snprintf(piece, sizeof piece, "  %zu B", s.heap_size);
    put_piece(map->header, width, piece);
    snprintf(piece, sizeof piece, "  util %.1f%%", 100.0 * s.utilization);
    put_piece(map->header, width, piece);
}

/* ---------------------------------------------------------------------------
 * Differences
 * ------------------------------------------------------------------------- */

/* Where map k holds ID `id`: its block's offset, or VM_NO_BLOCK. */
static size_t offset_of(const vm_map_source *src, size_t id)
{
    size_t i;

    for (i = 0; i < src->label_count; i++)
        if (src->labels[i].id == id && !src->labels[i].remote)
            return src->labels[i].offset;
    return VM_NO_BLOCK;
}

/* How many maps hold ID `id` at `offset` (VM_NO_BLOCK: nowhere). */
static size_t agreeing(const vm_map_source *src, size_t count, size_t id,
                       size_t offset)
{
    size_t k, n = 0;

    for (k = 0; k < count; k++)
        n += offset_of(&src[k], id) == offset;
    return n;
}

/* Whether map k's place for `id` is among the fewest that agree. */
static bool placed_differently(const vm_map_source *src, size_t count,
                               size_t k, size_t id)
{
    size_t mine = agreeing(src, count, id, offset_of(&src[k], id)), j;

    if (mine == count)
        return false;
    for (j = 0; j < count; j++)
        if (agreeing(src, count, id, offset_of(&src[j], id)) < mine)
            return false;
    return true;
}

static void mark_block(view_model *m, size_t block)
{
    size_t i, cells = m->geo.rows * m->geo.cells_per_row;

    for (i = 0; i < cells; i++)
        if (m->cells[i].block == block)
            m->cells[i].differs = true;
}

void vm_maps_mark_differences(vm_maps *ms, const vm_map_source *src,
                              char names[][VM_LINE_MAX])
{
    size_t k, i;

    for (k = 0; k < ms->count; k++) {
        const vm_map_source *s = &src[k];
        size_t len = 0;
        names[k][0] = '\0';
        ms->map[k].differs = 0;
        for (i = 0; i < s->label_count; i++) {
            if (s->labels[i].remote ||
                !placed_differently(src, ms->count, k, s->labels[i].id))
                continue;
            mark_block(&ms->map[k].model, s->labels[i].offset);
            ms->map[k].differs++;
            if (len < VM_LINE_MAX)
                len += (size_t)snprintf(names[k] + len, VM_LINE_MAX - len,
                                        "%s%s", len ? " " : "",
                                        s->labels[i].name);
        }
    }
}

/* ---------------------------------------------------------------------------
 * The panels about every heap
 * ------------------------------------------------------------------------- */

/* --compare: each heap's title and outcome, then its events. */
static void compare_events(vm_maps *ms, const vm_map_source *src)
{
    size_t k, i;

    ms->events.count = 0;
    for (k = 0; k < ms->count; k++) {
        const vm_step *step = &src[k].step;
        vm_panel_printf(&ms->events, "%s: %s", src[k].title,
                        step->position ? vm_outcome_text(step->outcome)
                                       : "the start");
        for (i = 0; i < step->event_count; i++)
            vm_text_event(&ms->events, &step->events[i], src[k].labels,
                          src[k].label_count);
        if (step->position && step->event_count == 0)
            vm_panel_printf(&ms->events, "(no events)");
    }
}

static void remote_lists(vm_maps *ms, const vm_map_source *src)
{
    size_t k;

    ms->remote.count = 0;
    for (k = 0; k < ms->count; k++)
        ms->map[k].remote =
            vm_text_remote(&ms->remote, src[k].heap, (unsigned)k + 1,
                           src[k].labels, src[k].label_count);
}

/* ---------------------------------------------------------------------------
 * Building
 * ------------------------------------------------------------------------- */

int vm_maps_build(vm_maps *ms, const vm_map_source *src, size_t count,
                  const vm_geometry *geo, size_t rows, size_t width,
                  bool compare, bool remote)
{
    char names[VM_MAX_MAPS][VM_LINE_MAX];
    vm_geometry each = *geo;
    size_t k, panel_width = ms->events.width;

    if (count == 0 || count > VM_MAX_MAPS || reserve_maps(ms, count) != 0) {
        errno = ENOMEM;
        return -1;
    }
    ms->count = count;
    if (ms->selected >= count)
        ms->selected = 0;
    ms->stacked = vm_maps_layout(count, rows, &ms->rows_each);
    each.rows = ms->rows_each;
    for (k = 0; k < count; k++) {
        vm_map *map = &ms->map[k];
        map->model.panel_width = panel_width ? panel_width : VM_PANEL_WIDTH;
        if (view_model_build(&map->model, src[k].heap, &src[k].step, &each,
                             src[k].labels, src[k].label_count) != 0)
            return -1;
        map->current = src[k].current;
        map->remote = 0;
        map->differs = 0;
        names[k][0] = '\0';
    }
    if (compare) {
        vm_maps_mark_differences(ms, src, names);
        compare_events(ms, src);
    }
    ms->remote.width = ms->events.width;
    ms->remote.count = 0;
    if (remote)
        remote_lists(ms, src);
    for (k = 0; k < count; k++)
        write_header(&ms->map[k], &src[k], width, names[k]);
    ms->notice[0] = '\0';
    if (!ms->stacked) {
        char notice[VM_LINE_MAX];
        snprintf(notice, sizeof notice, "map %zu of %zu (no room for all): "
                 "c shows the next", ms->selected + 1, count);
        if (strlen(notice) > width)
            snprintf(notice, sizeof notice, "map %zu of %zu: c next",
                     ms->selected + 1, count);
        snprintf(ms->notice, sizeof ms->notice, "%s", notice);
    }
    ms->which.width = ms->events.width;
    ms->which.count = 0;
    vm_panel_printf(&ms->which, "%s (c: the next heap):",
                    src[ms->selected].title);
    return 0;
}

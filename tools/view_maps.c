/* view_maps.c - the viewer with several maps: one per heap of a script
 * with a heap per thread, or one per heap setting of `--compare`.
 *
 * The maps themselves are the model's (view_model_maps.c); here the
 * view gathers what each is built from (its heap, its events, its labels),
 * keeps the timelines of --compare in lockstep, and moves the selection.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "view.h"

bool view_many_maps(const view *v)
{
    return v->compare > 1 || timeline_heap_count(v->tl) > 1;
}

/* ---------------------------------------------------------------------------
 * Lockstep
 * ------------------------------------------------------------------------- */

int view_go_all(view *v, size_t position)
{
    size_t k;
    int rc = timeline_go(v->tl, position);

    for (k = 1; k < v->compare; k++)
        if (timeline_go(v->tls[k], position) != 0)
            rc = -1;
    return rc;
}

size_t view_find(const view *v, unsigned flags)
{
    const timeline *one = v->tl;

    return v->compare
               ? timeline_find_any((const timeline *const *)v->tls,
                                   v->compare, timeline_position(v->tl),
                                   flags)
               : timeline_find_any(&one, 1, timeline_position(v->tl), flags);
}

void view_next_map(view *v)
{
    if (!view_many_maps(v)) {
        snprintf(v->message, sizeof v->message,
                 "c: one heap, one map (c cycles when there are several)");
        return;
    }
    v->maps.selected = (v->maps.selected + 1) % v->maps.count;
    v->block_mode = false;
}

/* ---------------------------------------------------------------------------
 * The selected map
 * ------------------------------------------------------------------------- */

view_model *view_selected_model(view *v)
{
    return view_many_maps(v) && v->maps.count
               ? &v->maps.map[v->maps.selected].model : &v->model;
}

hl_heap *view_selected_heap(view *v)
{
    if (!view_many_maps(v))
        return timeline_heap(v->tl);
    if (v->compare)
        return timeline_heap(v->tls[v->maps.selected]);
    return timeline_heap_at(v->tl, (unsigned)v->maps.selected + 1);
}

const vm_label *view_selected_labels(view *v, size_t *count)
{
    if (!view_many_maps(v))
        return timeline_labels(v->tl, count);
    if (v->compare)
        return timeline_labels(v->tls[v->maps.selected], count);
    return timeline_labels_of(v->tl, (unsigned)v->maps.selected + 1, count);
}

/* ---------------------------------------------------------------------------
 * Building the maps
 * ------------------------------------------------------------------------- */

/* Copies labels into v->map_labels at `at` (they live in the timeline
 * only until the next heap's are asked for).  Returns the copy. */
static vm_label *keep_labels(view *v, size_t at, const vm_label *labels,
                             size_t count)
{
    if (at + count > v->map_labels_capacity) {
        size_t capacity = 2 * (at + count) + 16;
        vm_label *more = realloc(v->map_labels, capacity * sizeof *more);
        if (!more)
            return NULL;
        v->map_labels = more;
        v->map_labels_capacity = capacity;
    }
    if (!v->map_labels) /* nothing kept yet: no pointer to offset */
        return NULL;
    if (count)
        memcpy(v->map_labels + at, labels, count * sizeof *labels);
    return v->map_labels + at;
}

/* The events of the whole step that happened on heap `heap`. */
static void events_of_heap(const vm_step *all, unsigned heap, hl_event *buf,
                           vm_step *out)
{
    size_t i;

    *out = *all;
    out->events = buf;
    out->event_count = 0;
    for (i = 0; i < all->event_count; i++)
        if (all->event_heap && all->event_heap[i] == heap)
            buf[out->event_count++] = all->events[i];
}

/* A heap per thread: the sources of its maps; the step's events go, each,
 * to the map of the heap it happened on.  Labels at [0, *total). */
static size_t thread_sources(view *v, vm_map_source *src, vm_step *all,
                             hl_event (*events)[REPLAY_MAX_EVENTS],
                             char (*titles)[32], size_t *total)
{
    size_t n = timeline_heap_count(v->tl), k, at = 0, offsets[VM_MAX_MAPS];

    timeline_step(v->tl, all);
    for (k = 0; k < n; k++) {
        size_t count;
        const vm_label *labels =
            timeline_labels_of(v->tl, (unsigned)k + 1, &count);
        if (!keep_labels(v, at, labels, count))
            count = 0;
        offsets[k] = at;
        at += count;
        snprintf(titles[k], sizeof titles[k], "heap %zu, thread %zu", k + 1,
                 k + 1);
        src[k].heap = timeline_heap_at(v->tl, (unsigned)k + 1);
        src[k].title = titles[k];
        src[k].current = all->position > 0 && all->heap == k + 1;
        events_of_heap(all, (unsigned)k + 1, events[k], &src[k].step);
        src[k].label_count = count;
    }
    for (k = 0; k < n; k++)   /* v->map_labels may have moved meanwhile */
        src[k].labels = v->map_labels ? v->map_labels + offsets[k] : NULL;
    *total = at;
    return n;
}

/* --compare: one map a setting.  A setting with a heap per thread shows
 * the heap of the thread that ran the step, and its title says which. */
static size_t compare_sources(view *v, vm_map_source *src)
{
    static char titles[VIEW_MAX_COMPARE][VM_LINE_MAX];
    size_t k;

    for (k = 0; k < v->compare; k++) {
        unsigned heaps = timeline_heap_count(v->tls[k]), n = 1;
        src[k].heap = timeline_heap(v->tls[k]);
        src[k].title = v->settings[k];
        while (n < heaps && timeline_heap_at(v->tls[k], n) != src[k].heap)
            n++;
        if (heaps > 1) {
            snprintf(titles[k], sizeof titles[k], "%s (heap %u of %u)",
                     v->settings[k], n, heaps);
            src[k].title = titles[k];
        }
        src[k].current = false;
        timeline_step(v->tls[k], &src[k].step);
        src[k].labels = timeline_labels(v->tls[k], &src[k].label_count);
    }
    return v->compare;
}

/* Fit: the zoom at which the largest heap fits each map's rows, or finer
 * so that every block of every heap shows (vm_fit_blocks); the window
 * follows what the step changed in any of them. */
static void fit_all(view *v, const vm_map_source *src, size_t n,
                    size_t rows_each)
{
    hl_heap *heaps[VM_MAX_MAPS];
    vm_geometry geo = v->geo;
    size_t largest, k;

    for (k = 0; k < n; k++)
        heaps[k] = src[k].heap;
    geo.rows = rows_each;
    if (!v->fit) {
        for (k = 0, largest = 0; k < n; k++) {
            hl_stats s;
            hl_heap_stats(heaps[k], &s);
            if (s.heap_size > largest)
                largest = s.heap_size;
        }
        v->model.heap_size = largest;
        return;
    }
    v->model.heap_size = largest = vm_fit_blocks(&geo, heaps, n);
    if (v->followed != src[0].step.position)
        for (k = 0; k < n; k++)
            vm_follow(&geo, &src[k].step, largest);
    v->followed = src[0].step.position;
    v->geo.bytes_per_cell = geo.bytes_per_cell;
    v->geo.first_row = geo.first_row;
}

void view_refresh_maps(view *v)
{
    static hl_event events[VM_MAX_MAPS][REPLAY_MAX_EVENTS];
    static char titles[VM_MAX_MAPS][32];
    vm_map_source src[VM_MAX_MAPS];
    size_t n, rows_each, total = 0;
    vm_step all;
    bool threads = v->compare == 0;

    n = threads ? thread_sources(v, src, &all, events, titles, &total)
                : compare_sources(v, src);
    vm_maps_layout(n, v->geo.rows, &rows_each);
    fit_all(v, src, n, rows_each);
    v->maps.events.width = v->model.panel_width;
    if (vm_maps_build(&v->maps, src, n, &v->geo, v->geo.rows,
                      VIEW_GUTTER_COLS + v->geo.cells_per_row, !threads,
                      threads) != 0) {
        snprintf(v->message, sizeof v->message, "out of memory for the maps");
        return;
    }
    if (threads)
        vm_text_thread_events(&v->maps.events, &all, v->map_labels, total);
    v->geo.first_row = v->maps.map[v->maps.selected].model.geo.first_row;
    v->geo.rows = v->maps.rows_each;   /* what scrolling pages by */
    {
        size_t count;
        const vm_label *labels = view_selected_labels(v, &count);
        view_model *m = view_selected_model(v);
        vm_select(m, view_selected_heap(v),
                  v->block_mode ? v->cursor : VM_NO_BLOCK, labels, count);
        if (v->block_mode && (v->cursor = m->cursor) == VM_NO_BLOCK)
            v->block_mode = false;
    }
}

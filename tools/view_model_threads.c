/* view_model_threads.c - the panels of a script with `thread` lines: who
 * did what on which heap, the drains of the remote lists, and each heap's
 * remote list.
 *
 * With heaps=per-thread, thread N allocates from heap N.  A free of an
 * object of another heap does not touch that heap: it pushes the object
 * on the heap's remote list and nothing else happens yet, so the library
 * reports no event then; the panel says it from the step itself
 * ("thread 2 frees x: remote, queued on heap 1").  The owner's next call
 * takes the whole list first, one HL_EVENT_REMOTE_FREE and the frees that
 * follow for each object, then one HL_EVENT_DRAIN; the panel says that as
 * one line ("thread 1's heap takes its remote list: x freed") before the
 * frees and merges it caused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "view_model.h"

/* ---------------------------------------------------------------------------
 * Names
 * ------------------------------------------------------------------------- */

/* Names for the events of heap `heap`, sorted by offset for
 * vm_text_event: its live labels, or, with `drain`, the objects the step's
 * drain took off its remote list first (a block is theirs until the drain
 * ends, then it may be the object allocated after).  The caller frees it;
 * NULL (and *count 0) when there is no memory: blocks then go by their
 * offsets alone. */
static vm_label *names_of_heap(const vm_step *step, unsigned heap,
                               const vm_label *labels, size_t label_count,
                               bool drain, size_t *count)
{
    vm_label *names = malloc((label_count + step->drained_count + 1) *
                             sizeof *names);
    size_t i, j;

    *count = 0;
    if (!names)
        return NULL;
    for (i = 0; drain && i < step->drained_count; i++)
        if (step->drained[i].heap == heap)
            names[(*count)++] = step->drained[i];
    for (i = 0; i < label_count; i++) {
        bool taken = false;
        if (labels[i].heap != heap)
            continue;
        for (j = 0; j < *count && !taken; j++)
            taken = names[j].remote && names[j].offset == labels[i].offset;
        if (!taken)
            names[(*count)++] = labels[i];
    }
    vm_labels_sort(names, *count);
    return names;
}

/* What the thread did, in words; NULL when it made no call. */
static const char *verb_of(vm_call call)
{
    switch (call) {
    case VM_CALL_MALLOC: return "allocates";
    case VM_CALL_CALLOC: return "callocs";
    case VM_CALL_MEMALIGN: return "allocates (aligned)";
    case VM_CALL_REALLOC: return "reallocs";
    case VM_CALL_FREE: return "frees";
    case VM_CALL_NONE: break;
    }
    return NULL;   /* a check or an expect: no call */
}

/* The step's first line: the thread, what it did, on which heap. */
static void say_who(vm_panel *p, const vm_step *step)
{
    const char *verb = verb_of(step->call);
    const char *id = step->id_name ? step->id_name : "NULL";

    if (!verb) {
        vm_panel_printf(p, "thread %u looks (no call)", step->thread);
    } else if (step->remote_heap && step->call == VM_CALL_FREE) {
        vm_panel_printf(p, "thread %u frees %s: remote, queued on heap %u",
                        step->thread, id, step->remote_heap);
    } else if (step->remote_heap) {
        vm_panel_printf(p, "thread %u reallocs %s into heap %u; the old "
                        "block: remote, queued on heap %u", step->thread,
                        id, step->heap, step->remote_heap);
    } else {
        vm_panel_printf(p, "thread %u %s %s on heap %u", step->thread, verb,
                        id, step->heap);
    }
}

/* "thread 1's heap takes its remote list: x, y freed", from the
 * remote-free events at `from` up to the drain that ends them. */
static void say_drain(vm_panel *p, const vm_step *step, size_t from,
                        unsigned heap, const vm_label *names, size_t count)
{
    char list[2 * VM_LINE_MAX] = "";
    size_t i, len = 0;

    for (i = from; i < step->event_count; i++) {
        const hl_event *ev = &step->events[i];
        const vm_label *l;
        if (ev->kind == HL_EVENT_DRAIN)
            break;
        if (ev->kind != HL_EVENT_REMOTE_FREE)
            continue;
        l = vm_label_of(names, count, ev->offset);
        if (l)
            len += (size_t)snprintf(list + len, len < sizeof list
                                                ? sizeof list - len : 0,
                                    "%s%s", len ? ", " : "", l->name);
        else
            len += (size_t)snprintf(list + len, len < sizeof list
                                                ? sizeof list - len : 0,
                                    "%sblock %zu", len ? ", " : "",
                                    ev->offset);
    }
    if (step->heap_count > 1)
        vm_panel_printf(p, "thread %u's heap takes its remote list: %s "
                        "freed", heap, list);
    else
        vm_panel_printf(p, "the heap takes its remote list: %s freed", list);
}

/* ---------------------------------------------------------------------------
 * The panels
 * ------------------------------------------------------------------------- */

void vm_text_thread_events(vm_panel *p, const vm_step *step,
                           const vm_label *labels, size_t label_count)
{
    unsigned names_heap = 0;
    bool draining = false, names_drain = false;
    vm_label *names = NULL;
    size_t count = 0, i;

    p->count = 0;
    if (!step || step->position == 0) {
        vm_panel_printf(p, "(no events)");
        return;
    }
    say_who(p, step);
    for (i = 0; i < step->event_count && p->count + 2 < VM_PANEL_LINES;
         i++) {
        const hl_event *ev = &step->events[i];
        unsigned heap = step->event_heap ? step->event_heap[i] : 1;
        if (heap != names_heap && step->heap_count > 1)
            vm_panel_printf(p, "on heap %u:", heap);
        if (heap != names_heap)
            draining = false;
        if (ev->kind == HL_EVENT_REMOTE_FREE && !draining)
            draining = true;
        if (heap != names_heap || draining != names_drain) {
            free(names);
            names = names_of_heap(step, heap, labels, label_count, draining,
                                  &count);
            names_heap = heap;
            names_drain = draining;
            if (ev->kind == HL_EVENT_REMOTE_FREE)
                /* The whole drain in one line, at its first object. */
                say_drain(p, step, i, heap, names, count);
        }
        if (ev->kind == HL_EVENT_DRAIN)
            draining = false;
        if (ev->kind != HL_EVENT_REMOTE_FREE && ev->kind != HL_EVENT_DRAIN)
            vm_text_event(p, ev, names, count);
    }
    free(names);
    if (i < step->event_count || step->events_lost)
        vm_panel_printf(p, "  ... %zu more events",
                        step->event_count - i + step->events_lost);
}

typedef struct remote_walk {
    vm_panel *panel;
    const vm_label *labels;
    size_t label_count, seen;
} remote_walk;

static bool add_remote_block(const hl_block_info *block, void *arg)
{
    remote_walk *w = arg;
    const vm_label *l = vm_label_of(w->labels, w->label_count, block->offset);

    w->seen++;
    if (l)
        vm_panel_printf(w->panel, "  block %zu [%s], %zu B", block->offset,
                        l->name, block->size);
    else
        vm_panel_printf(w->panel, "  block %zu, %zu B", block->offset,
                        block->size);
    return true;
}

size_t vm_text_remote(vm_panel *p, hl_heap *heap, unsigned number,
                      const vm_label *labels, size_t label_count)
{
    remote_walk w = {p, labels, label_count, 0};
    size_t title = p->count;

    vm_panel_printf(p, "heap %u remote list", number);
    hl_heap_visit_remote(heap, add_remote_block, &w);
    /* The title says how many, once they are counted. */
    if (title < p->count && w.seen == 0)
        snprintf(p->line[title], VM_LINE_MAX, "heap %u remote list: empty",
                 number);
    else if (title < p->count)
        snprintf(p->line[title], VM_LINE_MAX,
                 "heap %u remote list: %zu block%s", number, w.seen,
                 w.seen == 1 ? "" : "s");
    return w.seen;
}

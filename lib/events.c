/* events.c - the observer: each event reported as it happens, and counted.
 * Offsets are from the heap's base, so the same script gives the same
 * events on every run. */
#include "internal.h"

const char *hl_event_name(hl_event_kind kind)
{
    static const char *const names[] = {
        "alloc", "free", "split", "merge", "grow", "trim",
        "realloc-in-place", "realloc-move", "fail", "cache-put",
        "cache-hit", "flush", "remote-free", "drain",
    };
    return (unsigned)kind < sizeof names / sizeof names[0] ? names[kind]
                                                           : "unknown";
}

size_t heap_offset(const hl_heap *heap, const char *p)
{
    return p ? (size_t)(p - heap->start) : 0;
}

static void count(hl_heap *heap, hl_event_kind kind)
{
    hl_stats *c = &heap->counters;

    switch (kind) {
    case HL_EVENT_ALLOC: c->allocs++; break;
    case HL_EVENT_FREE: c->frees++; break;
    case HL_EVENT_SPLIT: c->splits++; break;
    case HL_EVENT_MERGE: c->merges++; break;
    case HL_EVENT_GROW: c->grows++; break;
    case HL_EVENT_TRIM: c->trims++; break;
    case HL_EVENT_REALLOC_IN_PLACE:
    case HL_EVENT_REALLOC_MOVE: c->reallocs++; break;
    case HL_EVENT_FAIL: c->failures++; break;
    case HL_EVENT_CACHE_PUT: c->frees++; c->cache_puts++; break;
    case HL_EVENT_CACHE_HIT: c->allocs++; c->cache_hits++; break;
    case HL_EVENT_FLUSH: c->flushes++; break;
    case HL_EVENT_REMOTE_FREE: c->remote_frees++; break;
    case HL_EVENT_DRAIN: c->drains++; break;
    }
}

void heap_event(hl_heap *heap, hl_event_kind kind, const char *b,
                size_t size, const char *other, size_t other_size,
                size_t requested)
{
    hl_event ev;

    count(heap, kind);
    if (!heap->observer)
        return;
    ev.kind = kind;
    ev.offset = heap_offset(heap, b);
    ev.size = size;
    ev.other_offset = heap_offset(heap, other);
    ev.other_size = other_size;
    ev.requested = requested;
    heap->observer(&ev, heap->observer_arg);
}

void hl_heap_set_observer(hl_heap *heap, hl_observer observer, void *arg)
{
    heap->observer = observer;
    heap->observer_arg = arg;
}

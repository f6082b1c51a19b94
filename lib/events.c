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

void heap_report_event(hl_heap *heap, hl_event_kind kind, const char *b,
                       size_t size, const char *other, size_t other_size,
                       size_t requested)
{
    hl_event ev;

    ev.kind = kind;
    ev.offset = heap_offset(heap, b);
    ev.object_offset = b ? ev.offset + HL_HEADER_SIZE : 0;
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

size_t hl_heap_released_bytes(const hl_heap *heap)
{
    return heap->counters.released_bytes;
}

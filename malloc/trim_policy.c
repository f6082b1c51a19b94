/* trim_policy.c - when free memory at the top of a heap goes back.
 *
 * hl_heap_trim() gives back the free block at the top of the heap, all but
 * the `keep` bytes asked for (flushing the cache first).  It is not tried
 * after every free: each heap's observer adds up the bytes that frees and
 * cache flushes give back to it, and once they reach the trim threshold
 * (HEAPLAB_TRIM_THRESHOLD, default 1 MiB) the next free() on that heap
 * trims, keeping the threshold's worth of free memory at the top for the
 * allocations to come.  So at most one trim per threshold's worth of
 * frees, and a heap whose top is free never holds much more than the
 * threshold.  Frees that stay in the cache give nothing back and count
 * nothing.
 *
 * The count is the slot's own.  A per-thread heap is only touched by its
 * owner; the shared heap's observer runs under its lock, and the check
 * after the free reads the count with a relaxed atomic load.
 */
#include <stdatomic.h>

#include "global.h"

static atomic_size_t trimmed_total;

/* The observer: called inside the heap's operation, for every event. */
static void count_freed_bytes(const hl_event *event, void *arg)
{
    global_slot *slot = arg;

    if (event->kind == HL_EVENT_FREE || event->kind == HL_EVENT_FLUSH)
        atomic_store_explicit(
            &slot->freed_since_trim,
            atomic_load_explicit(&slot->freed_since_trim,
                                 memory_order_relaxed) + event->size,
            memory_order_relaxed);
}

void trim_policy_watch(global_slot *slot)
{
    if (global_knobs_in_force.trim_threshold != GLOBAL_NEVER)
        hl_heap_set_observer(slot->heap, count_freed_bytes, slot);
}

void trim_policy_after_free(global_slot *slot)
{
    size_t threshold = global_knobs_in_force.trim_threshold;

    if (threshold == GLOBAL_NEVER ||
        atomic_load_explicit(&slot->freed_since_trim, memory_order_relaxed) <
            threshold)
        return;
    atomic_store_explicit(&slot->freed_since_trim, 0, memory_order_relaxed);
    trim_policy_count(hl_heap_trim(slot->heap, threshold));
}

void trim_policy_count(size_t trimmed)
{
    if (trimmed)
        atomic_fetch_add(&trimmed_total, trimmed);
}

size_t trim_policy_trimmed_bytes(void)
{
    return atomic_load(&trimmed_total);
}

/* trim_policy.c - when free memory at the top of the heap goes back.
 *
 * hl_heap_trim() gives back the free block at the top of the heap, all but
 * the `keep` bytes asked for.  Finding that block can mean a walk over the
 * heap (with lazy merging), so it is not tried after every free: the heap's
 * observer adds up the bytes that free() releases, and once they reach the
 * trim threshold (HEAPLAB_TRIM_THRESHOLD, default 1 MiB) the next free()
 * trims, keeping the threshold's worth of free memory at the top for the
 * allocations to come.  So at most one trim per threshold's worth of frees,
 * and a heap whose top is free never holds much more than the threshold.
 */
#include <stdatomic.h>

#include "global.h"

static atomic_size_t freed_since_trim, trimmed_total;

/* The observer: called inside the heap's lock, for every event. */
static void count_freed_bytes(const hl_event *event, void *arg)
{
    (void)arg;
    if (event->kind == HL_EVENT_FREE)
        atomic_fetch_add_explicit(&freed_since_trim, event->size,
                                  memory_order_relaxed);
}

void trim_policy_watch(hl_heap *heap)
{
    if (global_knobs_in_force.trim_threshold != GLOBAL_NEVER)
        hl_heap_set_observer(heap, count_freed_bytes, NULL);
}

void trim_policy_after_free(hl_heap *heap)
{
    size_t threshold = global_knobs_in_force.trim_threshold;

    if (threshold == GLOBAL_NEVER ||
        atomic_load_explicit(&freed_since_trim, memory_order_relaxed) <
            threshold)
        return;
    atomic_store_explicit(&freed_since_trim, 0, memory_order_relaxed);
    atomic_fetch_add(&trimmed_total, hl_heap_trim(heap, threshold));
}

size_t trim_policy_trimmed_bytes(void)
{
    return atomic_load(&trimmed_total);
}

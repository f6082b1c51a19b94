/* trim_policy.c - when free memory at the top of a heap goes back.
 *
 * hl_heap_trim() gives back the free block at the top of the heap, all but
 * the `keep` bytes asked for (the cache is left alone: it is what the next
 * allocations will use).  It is not tried
 * after every free: each heap counts the bytes that frees and cache
 * flushes give back to its free blocks (hl_heap_released_bytes, O(1)),
 * and once a trim threshold's worth (HEAPLAB_TRIM_THRESHOLD, default 1
 * MiB) has been released since the last trim, the next free() on that heap
 * trims, keeping the threshold's worth of free memory at the top for the
 * allocations to come.  So at most one trim per threshold's worth of
 * frees, and a heap whose top is free never holds much more than the
 * threshold.  Frees that stay in the cache release nothing.
 *
 * The mark is the slot's own.  A per-thread heap is only touched by its
 * owner; the shared heap's mark is read and written with relaxed atomics
 * (two threads may both trim: the heap's lock makes that harmless).
 */
#include <stdatomic.h>

#include "global.h"

static atomic_size_t trimmed_total;

/* The inline test of trim_policy_after_free (global.h) found a threshold's
 * worth released since the last trim.  GLOBAL_NEVER as a threshold is
 * never reached: released bytes never come near SIZE_MAX. */
void trim_policy_trim(global_slot *slot, size_t released)
{
    atomic_store_explicit(&slot->released_at_trim, released,
                          memory_order_relaxed);
    trim_policy_count(hl_heap_trim(slot->heap, threshold_trim()));
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

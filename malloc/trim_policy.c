/* trim_policy.c - when free memory at the top of a heap goes back.
 *
 * A heap with immediate merging (the default) trims by itself: its free
 * top is known in O(1), so lib/trim.c's auto trim gives it back at the
 * very free that makes it big, and learns to keep it when the program
 * grows back (trim_policy_watch turns that on).  The rest of this file is
 * for heaps with lazy or no merging, whose top costs a walk to find.
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
#include <malloc.h>
#include <stdatomic.h>

#include "global.h"

/* The inline test of trim_policy_after_free (global.h) found a threshold's
 * worth released since the last trim.  GLOBAL_NEVER as a threshold is
 * never reached: released bytes never come near SIZE_MAX. */
void trim_policy_trim(global_slot *slot, size_t released)
{
    atomic_store_explicit(&slot->released_at_trim, released,
                          memory_order_relaxed);
    hl_heap_trim(slot->heap, threshold_trim());
}

/* With immediate merging the heap trims by itself, at once, when a free
 * leaves more than twice the threshold free at its top (lib/trim.c): the
 * last free of a heap freed from the bottom up gives everything back. */
void trim_policy_watch(global_slot *slot)
{
    size_t threshold = threshold_trim();

    slot->auto_trims = hl_heap_config(slot->heap)->merge ==
                           HL_MERGE_IMMEDIATE &&
                       threshold != GLOBAL_NEVER;
    /* A threshold of 0 asks for everything past nothing to go back; the
     * library reads 0 as "never", so it gets the smallest that is not. */
    if (slot->auto_trims)
        hl_heap_set_auto_trim(slot->heap, threshold ? threshold : 1);
}

/* malloc_trim(pad), as glibc has it: the calling thread's heap and the
 * shared one flush their caches and give back all but `pad` bytes of
 * their free top; heaps whose threads are gone are visited too (other
 * threads' heaps are theirs alone).  Returns 1 when memory went back. */
int hl_global_trim(size_t pad)
{
    global_slot *mine, *shared;
    size_t got = 0;

    if (!global_ready())
        return 0;
    mine = heaps_mine();
    shared = heaps_shared();
    hl_global_flush_remote_frees();
    hl_heap_flush_cache(mine->heap);
    got += hl_heap_trim(mine->heap, pad);
    if (shared != mine) {
        hl_heap_flush_cache(shared->heap);
        got += hl_heap_trim(shared->heap, pad);
    }
    got += heaps_trim_abandoned();
    return got > 0;
}

int malloc_trim(size_t pad)
{
    return hl_global_trim(pad);
}

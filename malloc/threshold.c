/* threshold.c - the mmap threshold that follows the program.
 *
 * A request of at least the mmap threshold gets a mapping of its own
 * (mapping.c), and free() unmaps it.  That is right for a buffer made
 * once, and costly for one made and freed over and over: each round maps,
 * faults every page in and unmaps again.  sort(1), for one, does that
 * with buffers of 8 and 16 MiB.
 *
 * So, as glibc has done since 2.4, the threshold moves: when a mapped
 * object is freed, the threshold rises to just above its size (at most
 * THRESHOLD_MAX), so that the next request of that size comes from the
 * heap, and the trim threshold to twice that, so that the heap keeps the
 * freed memory at its top for the next round instead of giving it back.
 * A program that makes a big buffer once pays once; one that makes it in
 * a loop pays once too.  Thresholds set in the environment
 * (HEAPLAB_MMAP_THRESHOLD, HEAPLAB_TRIM_THRESHOLD) never move.
 *
 * The two values are read on every malloc and free: relaxed atomics, plain
 * loads on x86-64 and arm64.
 */
#include "global.h"

#define THRESHOLD_MAX ((size_t)32 << 20) /* glibc's limit on 64 bits */

atomic_size_t threshold_mmap_now, threshold_trim_now;
static bool fixed;

void threshold_start(const global_knobs *knobs)
{
    atomic_store_explicit(&threshold_mmap_now, knobs->mmap_threshold,
                          memory_order_relaxed);
    atomic_store_explicit(&threshold_trim_now, knobs->trim_threshold,
                          memory_order_relaxed);
    fixed = knobs->thresholds_fixed;
}

/* After a mapped object of `usable` bytes was freed. */
void threshold_after_unmap(size_t usable)
{
    if (fixed || usable >= THRESHOLD_MAX || usable < threshold_mmap())
        return;
    atomic_store_explicit(&threshold_mmap_now, usable + 1,
                          memory_order_relaxed);
    atomic_store_explicit(&threshold_trim_now, 2 * (usable + 1),
                          memory_order_relaxed);
}

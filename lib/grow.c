/* grow.c - asking the grower for more, when no free block fits (rule 5).
 *
 * The heap's blocks tile [first, end).  `first` is the first byte the
 * grower handed out, moved on when needed so that objects (one header past
 * each block's start) are aligned.  `grower_end` is where the grower's
 * buffer ends; it is normally `end`, except before the first growth and
 * after a trim that gave back less than a block.
 *
 * With lazy merging (the reference) and no merging, a new object goes right
 * at the end: the grower grows by the distance to the object's end (or by
 * its minimum increment), and the new range is split like any free block.
 * A free block that ended at the old end is left alone.  With immediate
 * merging the new range joins that free block first, so the heap only grows
 * by what the block lacks.
 */
#include <errno.h>
#include <stdint.h>

#include "internal.h"

/* Asks the grower where the buffer starts, once. */
bool heap_start(hl_heap *heap)
{
    char *at;
    size_t grown, lead;
    int rc;

    if (heap->started)
        return true;
    rc = heap->grower->grow(heap->grower, 0, &at, &grown);
    if (rc != 0) {
        errno = rc;
        return false;
    }
    lead = (heap->cfg.align - ((uintptr_t)at + HL_HEADER_SIZE) %
                                  heap->cfg.align) % heap->cfg.align;
    shadow_hide(at, grown);
    heap->start = heap->grower_end = at;
    heap->first = heap->end = at + lead;
    heap->started = true;
    return true;
}

/* Grows the buffer so that it reaches at least `target`; moves `end` to the
 * last block boundary inside it.  Returns the old end, or NULL with errno
 * set (the heap unchanged). */
static char *grow_to(hl_heap *heap, char *target)
{
    char *old_end = heap->end, *at;
    size_t grown, span;
    int rc;

    rc = heap->grower->grow(heap->grower, (size_t)(target - heap->grower_end),
                            &at, &grown);
    if (rc != 0) {
        errno = rc;
        return NULL;
    }
    if (at != heap->grower_end ||
        grown < (size_t)(target - heap->grower_end)) {
        heap_error(heap, HL_ERROR_GROWER, "grow", at,
                   "the grower did not extend its buffer where it ended:");
        errno = ENOMEM;
        return NULL;
    }
    shadow_hide(heap->grower_end, grown);
    heap_event(heap, HL_EVENT_GROW, heap->grower_end, grown, NULL, 0, 0);
    heap->grower_end += grown;
    heap_auto_trim_regrown(heap, grown);
    span = (size_t)(heap->grower_end - heap->first);
    heap->end = heap->first + (span - span % heap->cfg.align);
    if (heap->grower_end - heap->start > (ptrdiff_t)heap->counters.peak_heap_size)
        heap->counters.peak_heap_size = (size_t)(heap->grower_end - heap->start);
    return old_end;
}

/* Grows the heap so that a `size`-byte object aligned to `align` fits in a
 * free block at its end.  Returns that block (in the freelist) and sets
 * *object, or returns NULL with errno = ENOMEM. */
char *grow_for(hl_heap *heap, size_t size, size_t align, char **object)
{
    char *b, *old_end;
    int prev_free = 0;

    if (!heap_start(heap))
        return NULL;
    b = heap->end;
    if (heap->cfg.merge == HL_MERGE_IMMEDIATE && heap->end_prev_free) {
        b = free_block_at_end(heap);
        prev_free = 1;
    }
    *object = place_start(heap, b, align);
    old_end = grow_to(heap, *object + size);
    if (!old_end)
        return NULL;
    if (heap->end > old_end)
        release_range(heap, old_end,
                      (size_t)(heap->end - old_end) - HL_HEADER_SIZE,
                      prev_free);
    /* The new free block at the end may be longer than asked (the
     * grower's minimum increment): place=apart puts a large object at
     * its back. */
    if (heap->cfg.place != HL_PLACE_FRONT)
        *object = place_find(heap, b, size, align);
    return b;
}

/* Grows the heap so that used block b, the last one, reaches `size` bytes.
 * Returns false with errno = ENOMEM when the grower cannot. */
bool grow_last_block(hl_heap *heap, char *b, size_t size, size_t requested)
{
    if (!grow_to(heap, BLOCK_OBJECT(b) + size))
        return false;
    block_make_used(heap, b, (size_t)(heap->end - b) - HL_HEADER_SIZE,
                    requested);
    return true;
}

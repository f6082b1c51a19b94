/* realloc.c - resizing an object: in place when possible (rule 7).
 *
 *   1. The block is big enough: shrink it in place, splitting off a rest
 *      that can hold a block.
 *   2. Otherwise take in the free blocks that follow it, one by one, until
 *      it is big enough (stopping at a used block or the heap end).  With
 *      merge=none nothing is taken in.  Each is checked before it is taken
 *      in (merge.c): a broken one makes the heap corrupt, and realloc fail.
 *   3. Still too small and the last block of the heap: grow the heap in
 *      place (not in the reference, whose lazy heap never does this).
 *   4. Otherwise allocate anew, copy, and free the old block together with
 *      whatever it took in: those neighbours stay taken in.
 */
#include <errno.h>
#include <string.h>

#include "internal.h"

static void *resized_in_place(hl_heap *heap, char *b, size_t size,
                              size_t old_requested, size_t requested)
{
    size_t before = block_size(b); /* what a shrink may split off lies in it */

    /* A shrink writes a header where the object was: closed first, so that
     * memcheck never sees a header half in the object, half out. */
    if (requested < old_requested)
        shadow_hide(BLOCK_OBJECT(b) + requested, old_requested - requested);
    place_shrink(heap, b, size, requested);
    shadow_object_resize(heap, BLOCK_OBJECT(b),
                         before > block_size(b) ? before : block_size(b),
                         old_requested, requested);
    heap_event(heap, HL_EVENT_REALLOC_IN_PLACE, b, block_size(b), NULL, 0,
               requested);
    heap_note_peak(heap);
    return BLOCK_OBJECT(b);
}

/* Step 4 (place=apart or zoned): b, grown as far as step 2 could, and the free
 * block before it hold `size` bytes together.  The object moves down to
 * the start of that block (memmove: the two overlap), which takes b in.
 * Returns the object's new block, or NULL when there is no such block or
 * it is too small. */
static char *grown_backwards(hl_heap *heap, char *b, size_t size,
                             size_t requested, size_t old_size,
                             size_t old_requested)
{
    char *before;
    size_t room, absorbed = block_size(b);

    if (heap->cfg.place == HL_PLACE_FRONT)
        return NULL;
    before = free_block_before(heap, b);
    if (!before)
        return NULL;
    room = block_size(before) + HL_HEADER_SIZE + absorbed;
    if (room < size || !freelist_remove(heap, before))
        return NULL;
    shadow_object_move(heap, BLOCK_OBJECT(before), BLOCK_OBJECT(b),
                       SHADOW_USABLE(old_size, old_requested), room,
                       requested);
    block_set(before, room, 0, HL_MAX_SLACK);
    heap_event(heap, HL_EVENT_MERGE, before, room, b, absorbed, 0);
    place_shrink(heap, before, size, requested);
    heap_event(heap, HL_EVENT_REALLOC_MOVE, before, block_size(before), b,
               absorbed, requested);
    return before;
}

void *heap_realloc_unlocked(hl_heap *heap, void *ptr, size_t requested)
{
    char *b, *next;
    size_t size, old_size, old_requested;
    void *moved;

    if (!ptr)
        return heap_alloc_unlocked(heap, requested, heap->cfg.align);
    if (heap->corrupt) {
        errno = ENOMEM;
        return NULL;
    }
    b = heap_live_block(heap, ptr, "realloc");
    if (!b) {
        errno = EINVAL;
        return NULL;
    }
    if (requested > HL_MAX_REQUEST) {
        heap_event(heap, HL_EVENT_FAIL, NULL, 0, NULL, 0, requested);
        errno = ENOMEM;
        return NULL;
    }
    size = heap_adjust_size(heap, requested);
    old_size = block_size(b);
    old_requested = old_size - block_slack(b);
    heap->live_requested += requested - old_requested;

    /* Step 1 */
    if (old_size >= size)
        return resized_in_place(heap, b, size, old_requested, requested);

    /* Step 2 */
    if (heap->cfg.merge != HL_MERGE_NONE) {
        next = block_next(b);
        while (block_size(b) < size && next != heap->end &&
               block_is_free(next)) {
            if (!absorb_next(heap, b)) {
                heap->live_requested -= requested - old_requested;
                errno = ENOMEM;
                return NULL;
            }
            next = block_next(b);
        }
        if (block_size(b) >= size)
            return resized_in_place(heap, b, size, old_requested, requested);
    }

    /* Step 3 */
    if (heap->cfg.merge != HL_MERGE_LAZY && block_next(b) == heap->end &&
        grow_last_block(heap, b, size, requested))
        return resized_in_place(heap, b, size, old_requested, requested);

    /* Step 4 */
    if ((next = grown_backwards(heap, b, size, requested, old_size,
                                old_requested))) {
        heap_note_peak(heap);
        return BLOCK_OBJECT(next);
    }
    if (heap->corrupt) {
        heap->live_requested -= requested - old_requested;
        errno = ENOMEM;
        return NULL;
    }

    /* Step 5: the old object stays live (and counted) until it is copied. */
    heap->live_requested -= requested - old_requested;
    heap->moving = true;
    moved = heap_alloc_unlocked(heap, requested, heap->cfg.align);
    heap->moving = false;
    if (!moved) {
        place_shrink(heap, b, heap_adjust_size(heap, old_requested),
                     old_requested);
        return NULL;
    }
    old_size = SHADOW_USABLE(old_size, old_requested);
    memcpy(moved, ptr, old_size < requested ? old_size : requested);
    heap_event(heap, HL_EVENT_REALLOC_MOVE, OBJECT_BLOCK(moved),
               block_size(OBJECT_BLOCK(moved)), b, block_size(b), requested);
    heap_free_block(heap, b, old_requested);
    heap_note_peak(heap);
    return moved;
}

/* trim.c - giving free memory at the top of the heap back to the grower.
 *
 * The reference never gives memory back.  Here, when the last block of the
 * heap is free, all of it but `keep` bytes can go back to the grower (for
 * mmap: whole pages returned to the system).  What the grower takes back is
 * cut off the end of that block; a rest too small to be a block is left
 * beyond `end`, where the next growth uses it again.
 *
 * With auto trimming (hl_heap_set_auto_trim), a free that leaves more than
 * twice the threshold free at the top trims at once: in whatever order a
 * program frees its objects, the last free gives the memory back, with no
 * policy outside the heap having to guess when.  A heap that grows back
 * after an auto trim learns to keep what it grew back to (a program in
 * phases would otherwise give its memory back and fault it in again at
 * every phase).
 */
#include "internal.h"

/* Trims with the lock held (or none needed); see hl_heap_trim. */
size_t heap_trim_unlocked(hl_heap *heap, size_t keep)
{
    char *last, *new_grower_end;
    size_t want, got, span, remaining;
    int prev_free;

    last = free_block_at_end(heap);
    got = 0;
    if (!heap->grower->trim || !last)
        goto out;
    want = (size_t)(heap->grower_end - last);
    if (keep > 0)
        want -= HL_HEADER_SIZE + heap_adjust_size(heap, keep);
    if ((ptrdiff_t)want <= 0 || want > (size_t)(heap->grower_end - last))
        goto out;
    /* The block leaves the list before the grower takes pages away: its
     * node may lie on the first page given back (a header in a page's last
     * word), and must not be read after. */
    prev_free = block_prev_is_free(last);
    freelist_remove(heap, last);
    /* What goes back is open again, as it was before the heap took it;
     * what the grower keeps after all is closed again. */
    shadow_reveal(heap->grower_end - want, want);
    got = heap->grower->trim(heap->grower, want);
    shadow_hide(heap->grower_end - want, want - got);
    if (got == 0) {
        freelist_push(heap, last);
        goto out;
    }

    /* It comes back cut to what remains. */
    new_grower_end = heap->grower_end - got;
    span = (size_t)(new_grower_end - heap->first);
    heap->end = heap->first + (span - span % heap->cfg.align);
    if (heap->end >= last + heap->min_block) {
        remaining = (size_t)(heap->end - last);
        block_make_free(heap, last, remaining - HL_HEADER_SIZE, prev_free);
    } else {
        heap->end = last;
        heap->end_prev_free = prev_free;
    }
    heap->grower_end = new_grower_end;
    heap_event(heap, HL_EVENT_TRIM, heap->grower_end, got, NULL, 0, 0);
out:
    return got;
}

size_t hl_heap_trim(hl_heap *heap, size_t keep)
{
    size_t got;

    LOCK(heap);
    got = heap_trim_unlocked(heap, keep);
    UNLOCK(heap);
    return got;
}

/* An auto trim: all but auto_keep of the free top goes back. */
size_t heap_auto_trim_now(hl_heap *heap)
{
    size_t before = (size_t)(heap->grower_end - heap->start);
    size_t got = heap_trim_unlocked(heap, heap->auto_keep);

    if (got) {
        heap->auto_trimmed = got;
        heap->auto_peak = before;
    }
    return got;
}

/* After a free left the free block b at the top: with auto trimming on,
 * a top of more than twice the threshold goes back at once.  Only a free
 * that reaches the top pays the test. */
void heap_auto_trim(hl_heap *heap, char *b)
{
    if (heap->auto_trim && block_next(b) == heap->end &&
        block_size(b) > 2 * heap->auto_trim)
        heap_auto_trim_now(heap);
}

/* The heap grew by `grown` bytes.  A program that gets back half of what
 * an auto trim gave away was in a phase, not at its end (a loop that frees
 * everything and starts over): from now on an auto trim keeps what the
 * heap held before that trim, so the phases stop paying for the memory
 * twice - for giving it back and for faulting it in again. */
void heap_auto_trim_regrown(hl_heap *heap, size_t grown)
{
    if (!heap->auto_trimmed)
        return;
    if (grown >= heap->auto_trimmed / 2) {
        if (heap->auto_peak > heap->auto_keep)
            heap->auto_keep = heap->auto_peak;
        heap->auto_trimmed = 0;
    } else {
        heap->auto_trimmed -= grown;
    }
}

void hl_heap_set_auto_trim(hl_heap *heap, size_t threshold)
{
    LOCK(heap);
    heap->auto_trim = threshold;
    if (heap->auto_keep < threshold)
        heap->auto_keep = threshold;
    UNLOCK(heap);
}

size_t hl_heap_free_top(hl_heap *heap)
{
    char *last;
    size_t size;

    LOCK(heap);
    last = free_block_at_end(heap);
    size = last ? block_size(last) : 0;
    UNLOCK(heap);
    return size;
}

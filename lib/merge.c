/* merge.c - turning blocks free or used, and joining free neighbours.
 *
 * Three merge policies share these helpers:
 *   lazy       (the reference) free() only tags the block and pushes it; the
 *              search merges each block it visits with the free blocks that
 *              physically follow it (merge_forward_lazily).
 *   immediate  free() joins the block at once with a free block after it
 *              (found by its size) and a free block before it (found by the
 *              P bit and the footer that free blocks carry: boundary tags).
 *   none       nothing is ever joined.
 * Only immediate merging keeps P bits and footers; the other two leave the P
 * bit clear and write no footer.
 *
 * A footer lies in the last word of a free block's contents, where a write
 * after free lands; a header may be hit by a write past the end of the
 * object before it.  So a neighbour is checked before it is joined: its
 * header is one the heap wrote, it lies inside the heap, and (immediate
 * merging) its footer equals its header.  One that fails is reported as
 * corruption (errors.c) and not joined.
 */
#include "internal.h"

static int merging_is_immediate(const hl_heap *heap)
{
    return heap->cfg.merge == HL_MERGE_IMMEDIATE;
}

/* Tells the block after b (or the heap end) whether b is free. */
static void tell_next_about(hl_heap *heap, char *b, int free)
{
    char *next = block_next(b);

    if (!merging_is_immediate(heap))
        return;
    if (next == heap->end)
        heap->end_prev_free = free != 0;
    else
        block_set_prev_free(next, free);
}

/* Makes [b, b + 8 + size) a free block and pushes it on the freelist.
 * prev_free: whether the block before b is free (immediate merging only).
 * heap_whole: every header after b is written and every other free block
 * is on its list (freelist_push_freed). */
static void make_free(hl_heap *heap, char *b, size_t size, int prev_free,
                      bool heap_whole)
{
    block_init(b, size, 1, 0, merging_is_immediate(heap) && prev_free);
    if (merging_is_immediate(heap))
        meta_store(block_footer(b), HEADER(b));
    tell_next_about(heap, b, 1);
    freelist_push_freed(heap, b, heap_whole);
}

void block_make_free(hl_heap *heap, char *b, size_t size, int prev_free)
{
    make_free(heap, b, size, prev_free, false);
}

/* Makes b a used block of `size` bytes holding `requested` of them.  b is
 * not in the freelist.  Its P bit is kept. */
void block_make_used(hl_heap *heap, char *b, size_t size, size_t requested)
{
    size_t slack = size - requested;

    block_set(b, size, 0, slack > HL_MAX_SLACK ? HL_MAX_SLACK : slack);
    tell_next_about(heap, b, 0);
}

/* The free block whose footer sits just before b (immediate merging, P
 * set), or NULL, reported, when that footer does not lead to one: the
 * block it names must start inside the heap, have a sound header equal to
 * the footer, and be free.  Its header gives it the footer's size, so it
 * then ends exactly at b. */
static char *block_before(hl_heap *heap, char *b)
{
    uint64_t footer = meta_load(b - HL_HEADER_SIZE);
    size_t size = (size_t)(footer & HL_SIZE_MASK);
    char *before = b - size - HL_HEADER_SIZE;

    if (size + HL_HEADER_SIZE <= (size_t)(b - heap->first) &&
        HEADER(before) == footer && block_header_is_sound(before) &&
        block_is_free(before))
        return before;
    heap_report_corrupt(heap, BLOCK_OBJECT(b),
                        "the free block before it has a broken footer "
                        "(written after free?):");
    return NULL;
}

/* The free block just before b, found through its footer (immediate
 * merging, b's P bit set), or NULL: none, or one that fails its checks
 * (reported). */
char *free_block_before(hl_heap *heap, char *b)
{
    if (!merging_is_immediate(heap) || !block_prev_is_free(b) ||
        heap->corrupt)
        return NULL;
    return block_before(heap, b);
}

/* Whether next, a block after another one, may be joined to it: inside
 * the heap, with a sound header, and (immediate merging, where it is
 * free) a footer equal to its header.  If not, it is reported. */
static bool block_after_is_sound(hl_heap *heap, char *next)
{
    if (block_header_is_sound(next) && block_next(next) <= heap->end &&
        block_size(next) >= heap->min_contents &&
        (!merging_is_immediate(heap) || !block_is_free(next) ||
         meta_load(block_footer(next)) == HEADER(next)))
        return true;
    heap_report_corrupt(heap, BLOCK_OBJECT(next),
                        "block with a broken header or footer (written "
                        "past an object, or after free?):");
    return false;
}

/* Frees the range [b, b + 8 + size): with immediate merging it is first
 * joined with a free block after it, then with one before it; the result is
 * pushed on the freelist.  Returns the header of the free block that now
 * holds the range. */
char *release_range(hl_heap *heap, char *b, size_t size, int prev_free)
{
    char *next = b + HL_HEADER_SIZE + size;

    if (heap->corrupt)
        return b;
    if (merging_is_immediate(heap)) {
        if (next != heap->end && block_is_free(next)) {
            size_t absorbed = block_size(next);
            if (!block_after_is_sound(heap, next) ||
                !freelist_remove(heap, next))
                return b;
            size += HL_HEADER_SIZE + absorbed;
            heap_event(heap, HL_EVENT_MERGE, b, size, next, absorbed, 0);
        }
        if (prev_free) {
            char *before = block_before(heap, b);
            if (!before || !freelist_remove(heap, before))
                return b;
            size += block_size(before) + HL_HEADER_SIZE;
            heap_event(heap, HL_EVENT_MERGE, before, size, b,
                       (size_t)(next - b) - HL_HEADER_SIZE, 0);
            prev_free = block_prev_is_free(before);
            b = before;
        }
    }
    make_free(heap, b, size, prev_free, true);
    return b;
}

/* Joins free block b (in the freelist) with every free block that
 * physically follows it: rule 3 of the reference.  It stops at a block
 * whose header the heap did not write, and reports it. */
void merge_forward_lazily(hl_heap *heap, char *b)
{
    char *next = block_next(b);

    while (next < heap->end && block_after_is_sound(heap, next) &&
           block_is_free(next)) {
        size_t absorbed = block_size(next);
        size_t size = block_size(b) + HL_HEADER_SIZE + absorbed;
        if (!freelist_remove(heap, next))
            return;
        block_set(b, size, 1, 0);
        heap_event(heap, HL_EVENT_MERGE, b, size, next, absorbed, 0);
        next = block_next(b);
    }
}

/* Used block b takes in the free block right after it (realloc, rule 7).
 * The slack is left for the caller to set once the final size is known.
 * False, with nothing changed, when that block is not sound (reported). */
bool absorb_next(hl_heap *heap, char *b)
{
    char *next = block_next(b);
    size_t absorbed = block_size(next);
    size_t size = block_size(b) + HL_HEADER_SIZE + absorbed;

    if (!block_after_is_sound(heap, next) || !freelist_remove(heap, next))
        return false;
    block_set(b, size, 0, HL_MAX_SLACK);
    tell_next_about(heap, b, 0);
    heap_event(heap, HL_EVENT_MERGE, b, size, next, absorbed, 0);
    return true;
}

/* The last block of the heap when it is free; NULL when it is used or the
 * heap has no block, or is corrupt.  O(1) with immediate merging (the heap
 * end's P bit and the footer before it, checked); a walk of the heap
 * otherwise. */
char *free_block_at_end(hl_heap *heap)
{
    char *b, *last = NULL;

    if (!heap->started || heap->first == heap->end || heap->corrupt)
        return NULL;
    if (merging_is_immediate(heap))
        return heap->end_prev_free ? block_before(heap, heap->end) : NULL;
    for (b = heap->first; b < heap->end; b = block_next(b)) {
        if (!block_after_is_sound(heap, b))
            return NULL;
        last = b;
    }
    return block_is_free(last) ? last : NULL;
}

/* Whether the heap may grow (grow.c): with immediate merging the growth
 * joins a free last block, found through its footer, which is checked
 * here first. */
bool heap_end_is_sound(hl_heap *heap)
{
    return !merging_is_immediate(heap) || !heap->end_prev_free ||
           free_block_at_end(heap) != NULL;
}

/* place.c - where an object goes inside a free block, and the splits that
 * follow (rules 2 and 4 of the reference).
 *
 * The object starts at the lowest address aligned as asked whose distance
 * from the block's start is exactly one header (the object sits right after
 * the header) or leaves room for a whole free block in front of it (a
 * "padding" block).  What is left on the right becomes a free block when a
 * minimum block fits there; a smaller rest stays inside the object as
 * slack.  The padding is pushed on the freelist first, then the rest, so
 * with lifo order the rest ends up at the front.
 *
 * place=apart and zoned tell small objects from large ones.  Large is
 * HL_PLACE_LARGE bytes and up, or less for a program whose requests are
 * small: a block half again as big as the running mean of the block
 * sizes asked for so far is large too.  A program that alternates 16- and
 * 96-byte objects so keeps the two apart, though both are small to the
 * fixed split; one whose mean is 171 bytes or more sees the fixed split
 * only.  (place=zoned's low zone, in fit.c, keeps the fixed split.)
 *
 * And they put large objects at the back only while the program asks for
 * the two kinds in turn: while at least two requests in three are of the
 * other kind than the one before.  Then front placement would interleave
 * them, and freeing one kind would leave holes of one object each; apart,
 * each kind stays in one piece.  A program whose sizes come in phases
 * (one size for a while, then another) seldom switches, and one whose
 * sizes are drawn at random switches at most one time in two: neither
 * has two kinds to keep apart, and a large object at the back would only
 * cut the free space in two, so all go to the front.
 */
#include <stdint.h>

#include "internal.h"

/* Where an object aligned to `align` would start in a block at b,
 * whatever the block's size. */
char *place_start(const hl_heap *heap, char *b, size_t align)
{
    uintptr_t at = (uintptr_t)b;
    uintptr_t object = align_up(at + HL_HEADER_SIZE, align);

    if (object - at != HL_HEADER_SIZE &&
        object - at < HL_HEADER_SIZE + heap->min_block)
        object = align_up(at + HL_HEADER_SIZE + heap->min_block, align);
    return (char *)object;
}

/* The running mean, in fixed point (times 1 << PLACE_MEAN_SHIFT): the
 * plain mean of the requests so far, until there have been
 * PLACE_MEAN_SPAN of them; from then on each new one weighs
 * 1 / PLACE_MEAN_SPAN (an exponential moving average), so the mean
 * follows a program that changes its sizes.  realloc's moves do not
 * count: they are growth, not what the program asks for anew.  With
 * place=front nothing reads the mean, and nothing keeps it (the drop-in's
 * malloc pays no division). */
#define PLACE_MEAN_SHIFT 10
#define PLACE_MEAN_SPAN_SHIFT 10
#define PLACE_MEAN_SPAN (1 << PLACE_MEAN_SPAN_SHIFT)

enum { PLACE_SMALL = 1, PLACE_LARGE = 2 };

/* delta / count, rounded toward zero.  Once the count has reached
 * PLACE_MEAN_SPAN, a power of two, a shift does it: every malloc after the
 * first thousand pays no division. */
static int64_t mean_step(int64_t delta, size_t count)
{
    if (count != PLACE_MEAN_SPAN)
        return delta / (int64_t)count;
    return delta >= 0 ? delta >> PLACE_MEAN_SPAN_SHIFT
                      : -((-delta) >> PLACE_MEAN_SPAN_SHIFT);
}

void place_note_request(hl_heap *heap, size_t size)
{
    int64_t target, mean;
    unsigned char kind;

    if (heap->moving || heap->cfg.place == HL_PLACE_FRONT)
        return;
    /* Its kind, by the split as it stood before it; then whether the
     * kind switched, counted over about the last thousand requests. */
    kind = size >= place_large(heap) ? PLACE_LARGE : PLACE_SMALL;
    if (heap->last_kind) {
        if (heap->turn_requests == PLACE_MEAN_SPAN) {
            heap->turns /= 2;
            heap->turn_requests /= 2;
        }
        heap->turn_requests++;
        heap->turns += kind != heap->last_kind;
    }
    heap->last_kind = kind;
    if (heap->mean_count < PLACE_MEAN_SPAN)
        heap->mean_count++;
    target = (int64_t)size << PLACE_MEAN_SHIFT;
    mean = (int64_t)heap->mean_block;
    heap->mean_block = (size_t)(mean + mean_step(target - mean,
                                                 heap->mean_count));
}

/* The smallest block size place=apart and zoned put at the back. */
size_t place_large(const hl_heap *heap)
{
    size_t mean = heap->mean_block >> PLACE_MEAN_SHIFT;
    size_t large = mean + mean / 2;

    return mean == 0 || large > HL_PLACE_LARGE ? HL_PLACE_LARGE : large;
}

/* The percentage of the requests counted that switched kind (100 before
 * there are two). */
unsigned place_in_turn_percent(const hl_heap *heap)
{
    return heap->turn_requests
               ? (unsigned)(100u * heap->turns / heap->turn_requests)
               : 100;
}

/* Whether place=apart or zoned put large objects at the back now: while
 * the program asks for small and large objects in turn, at least two
 * requests in three having switched kind (or too few to tell). */
bool place_large_at_back(const hl_heap *heap)
{
    return heap->cfg.place != HL_PLACE_FRONT &&
           3u * heap->turns >= 2u * heap->turn_requests;
}

/* Whether this object goes to the back of its free block: a large one,
 * aligned as every object is, that realloc is not moving, while large
 * objects go there. */
static bool goes_to_back(const hl_heap *heap, size_t size, size_t align)
{
    return place_large_at_back(heap) && size >= place_large(heap) &&
           align <= heap->cfg.align && !heap->moving;
}

/* Where a `size`-byte object aligned to `align` goes in free block b, or
 * NULL when it does not fit.  At the front, unless place=apart or zoned
 * sends it to the back and what it leaves in front can be a free block. */
char *place_find(const hl_heap *heap, char *b, size_t size, size_t align)
{
    char *object = place_start(heap, b, align);
    char *end = block_next(b), *back;

    if (object > end || (size_t)(end - object) < size)
        return NULL;
    if (goes_to_back(heap, size, align)) {
        back = end - size;
        if ((size_t)(back - HL_HEADER_SIZE - b) >= heap->min_block)
            return back;
    }
    return object;
}

/* Puts a `size`-byte object (requested bytes of it) at `object` in free
 * block b, which is in the freelist.  Returns the object's block. */
char *place_object(hl_heap *heap, char *b, char *object, size_t size,
                   size_t requested)
{
    char *end = block_next(b);
    int prev_free = block_prev_is_free(b);
    char *used = OBJECT_BLOCK(object);
    size_t rest;

    /* Step 1: the block leaves the freelist before its leftovers enter. */
    freelist_remove(heap, b);

    /* Step 2: a padding block in front of the object.  In the split event
     * the object's block is what remains and the padding the new free
     * block, which lies in front of it (heaplab.h). */
    if (used != b) {
        size_t padding = (size_t)(used - b) - HL_HEADER_SIZE;
        block_make_free(heap, b, padding, prev_free);
        heap_event(heap, HL_EVENT_SPLIT, used, (size_t)(end - object), b,
                   padding, 0);
        prev_free = heap->cfg.merge == HL_MERGE_IMMEDIATE;
    }

    /* Step 3: a free rest on the right, then the object's block.  The rest
     * is written first: making the object's block used tells the block
     * after it, which is then the rest, already written.  (Told first, a
     * rest on a fresh page would be read before it is written: the kernel
     * maps its zero page for the read and must copy it on the write, a
     * second fault and a TLB flush on every core.) */
    rest = (size_t)(end - object) - size;
    if (rest < heap->min_block)
        size += rest;
    else
        block_make_free(heap, object + size, rest - HL_HEADER_SIZE, 0);
    block_init(used, size, 0, 0, prev_free);
    block_make_used(heap, used, size, requested);
    if (rest >= heap->min_block)
        heap_event(heap, HL_EVENT_SPLIT, used, size, object + size,
                   rest - HL_HEADER_SIZE, 0);
    return used;
}

/* Shrinks used block b to `size` bytes (requested of them) in place: a rest
 * that can hold a block becomes free (and, with immediate merging, joins a
 * free block after it); a smaller rest stays as slack. */
void place_shrink(hl_heap *heap, char *b, size_t size, size_t requested)
{
    size_t old = block_size(b);
    size_t rest = old - size;

    if (rest < heap->min_block) {
        block_make_used(heap, b, old, requested);
        return;
    }
    block_make_used(heap, b, size, requested);
    heap_event(heap, HL_EVENT_SPLIT, b, size, block_next(b),
               rest - HL_HEADER_SIZE, 0);
    release_range(heap, block_next(b), rest - HL_HEADER_SIZE, 0);
}

/* fit.c - the search for a free block: first, next, best and worst fit.
 *
 * Every policy walks the freelist.  With lazy merging (the reference, rule
 * 3) each block visited first takes in the free blocks physically after it,
 * so the search is also where merging happens.  First fit stops at the first
 * block where the object fits; next fit does the same but starts where the
 * last search stopped and wraps around; best and worst fit look at every
 * block and take the smallest or largest that fits (the first one, in list
 * order, among equals).  Segregated fit looks only in the bin of the
 * request's size class (at most 8 of its blocks) and the bins above it,
 * where every block is big enough, so a search rarely visits a block that
 * is too small; it is first fit within each bin, and close to best fit
 * overall.
 *
 * place=zoned changes the choice for small objects (under HL_PLACE_LARGE
 * bytes: the fixed split, not the running one of place.c) and for the
 * objects realloc moves: every fit but segregated gives them the lowest-addressed
 * free block that fits, the free block at the heap's end only when no
 * other fits (lowest_fit).  Small objects so gather at the bottom of the
 * heap instead of landing in the holes that large objects left, and a
 * buffer that realloc moves goes down into the first hole with room for
 * it, which leaves the holes above whole for the next large request.
 */
#include <stdint.h>

#include "internal.h"

static int merging_is_lazy(const hl_heap *heap)
{
    return heap->cfg.merge == HL_MERGE_LAZY;
}

/* Whether node n, reached through the freelist, heads a free block of
 * this heap with a header the heap wrote.  A program that writes into an
 * object after freeing it breaks this; the search then reports the heap
 * corrupt instead of following a wild link, and finds nothing. */
static bool node_is_sound(hl_heap *heap, hl_node *n)
{
    char *b = NODE_BLOCK(n);

    if ((uintptr_t)n % 8 == 0 && b >= heap->first && b < heap->end &&
        block_header_is_sound(b) && block_is_free(b) &&
        block_next(b) <= heap->end)
        return true;
    heap_report_corrupt(heap, n,
                        "freelist node without a sound free block (written "
                        "after free?):");
    return false;
}

/* With lazy merging, joins b with the free blocks after it.  False when
 * that found the heap corrupt (reported). */
static bool merged_if_lazy(hl_heap *heap, char *b)
{
    if (merging_is_lazy(heap))
        merge_forward_lazily(heap, b);
    return !heap->corrupt;
}

static char *first_fit(hl_heap *heap, size_t size, size_t align,
                       char **object)
{
    hl_node *n;

    for (n = heap->bins[0].head; n; n = node_next(n)) {
        char *b = NODE_BLOCK(n);
        if (!node_is_sound(heap, n))
            return NULL;
        if (!merged_if_lazy(heap, b))
            return NULL;
        if ((*object = place_find(heap, b, size, align)))
            return b;
    }
    return NULL;
}

/* The number of nodes on the list: bounds next fit's walk, since merging
 * along the way may take the node it started from out of the list.  0
 * when a node is not sound (reported). */
static size_t freelist_length(hl_heap *heap)
{
    size_t count = 0;
    hl_node *n;

    for (n = heap->bins[0].head; n; n = node_next(n)) {
        if (!node_is_sound(heap, n))
            return 0;
        count++;
    }
    return count;
}

static char *next_fit(hl_heap *heap, size_t size, size_t align,
                      char **object)
{
    size_t steps = freelist_length(heap);
    hl_node *n = heap->rover ? heap->rover : heap->bins[0].head;

    for (; steps > 0 && n; steps--) {
        char *b = NODE_BLOCK(n);
        if (!node_is_sound(heap, n))
            return NULL;
        if (!merged_if_lazy(heap, b))
            return NULL;
        if ((*object = place_find(heap, b, size, align))) {
            heap->rover = n; /* placing b moves the rover to its successor */
            return b;
        }
        n = node_next(n) ? node_next(n) : heap->bins[0].head;
    }
    return NULL;
}

/* Best (want_largest = 0) and worst (want_largest = 1) fit.  With lazy
 * merging every block is merged first, in a walk of its own; otherwise
 * the one walk checks each node.  Best fit stops at the first block of
 * exactly the size asked for: none can be smaller, and among equals the
 * first in the list wins anyway (with place=apart or zoned, not the block
 * at the heap's end, which is taken last). */
static char *extreme_fit(hl_heap *heap, size_t size, size_t align,
                         char **object, int want_largest)
{
    char *chosen = NULL;
    hl_node *n;

    if (merging_is_lazy(heap))
        for (n = heap->bins[0].head; n; n = node_next(n))
            if (!node_is_sound(heap, n) ||
                !merged_if_lazy(heap, NODE_BLOCK(n)))
                return NULL;
    for (n = heap->bins[0].head; n; n = node_next(n)) {
        char *b = NODE_BLOCK(n);
        if (!merging_is_lazy(heap) && !node_is_sound(heap, n))
            return NULL;
        if (!place_find(heap, b, size, align))
            continue;
        if (!want_largest && block_size(b) == size &&
            (heap->cfg.place == HL_PLACE_FRONT ||
             block_next(b) != heap->end)) {
            chosen = b;
            break;
        }
        if (chosen && heap->cfg.place != HL_PLACE_FRONT &&
            (block_next(b) == heap->end) != (block_next(chosen) == heap->end)) {
            if (block_next(chosen) == heap->end)
                chosen = b;
            continue;
        }
        if (!chosen ||
            (want_largest ? block_size(b) > block_size(chosen)
                          : block_size(b) < block_size(chosen)))
            chosen = b;
    }
    if (chosen)
        *object = place_find(heap, chosen, size, align);
    return chosen;
}

/* place=zoned's choice (see the top of this file): the free block that
 * fits at the lowest address, leaving the one at the heap's end for last.
 * With lazy merging, every block is first merged with its followers. */
static char *lowest_fit(hl_heap *heap, size_t size, size_t align,
                        char **object)
{
    char *chosen = NULL;
    hl_node *n;

    for (n = heap->bins[0].head; n; n = node_next(n)) {
        char *b = NODE_BLOCK(n);
        if (!node_is_sound(heap, n) || !merged_if_lazy(heap, b))
            return NULL;
        if (!place_find(heap, b, size, align))
            continue;
        if (!chosen || block_next(chosen) == heap->end ||
            (b < chosen && block_next(b) != heap->end))
            chosen = b;
        /* In address order the first that fits is the lowest. */
        if (heap->cfg.order == HL_ORDER_ADDRESS && !merging_is_lazy(heap) &&
            block_next(chosen) != heap->end)
            break;
    }
    if (chosen)
        *object = place_find(heap, chosen, size, align);
    return chosen;
}

/* Whether place=zoned sends this request to lowest_fit. */
static bool goes_to_low_zone(const hl_heap *heap, size_t size)
{
    return heap->cfg.place == HL_PLACE_ZONED &&
           heap->cfg.fit != HL_FIT_SEGREGATED &&
           (size < HL_PLACE_LARGE || heap->moving);
}

/* Segregated fit looks at a few blocks of the request's own bin, whose
 * blocks may be a little too small; in the bins above, every block is big
 * enough, so the first one that can take the alignment wins.  Below 512
 * bytes a bin holds one or two sizes (16 bytes apart), so two looks
 * settle it; above, a bin spans a quarter of a power of two, and eight
 * looks are tried.  The bound keeps a long bin of near misses from turning
 * each malloc into a walk. */
#define SEGREGATED_SMALL_BIN_LOOKS 2
#define SEGREGATED_OWN_BIN_LOOKS 8

static char *segregated_fit(hl_heap *heap, size_t size, size_t align,
                            char **object)
{
    size_t own = freelist_bin(heap, size), bin, looks;
    hl_node *n;

    for (bin = freelist_next_bin(heap, own); bin < HL_BINS;
         bin = freelist_next_bin(heap, bin + 1)) {
        looks = bin != own ? (size_t)-1
                : size < 512 ? SEGREGATED_SMALL_BIN_LOOKS
                             : SEGREGATED_OWN_BIN_LOOKS;
        for (n = heap->bins[bin].head; n && looks > 0; n = node_next(n), looks--) {
            if (!node_is_sound(heap, n))
                return NULL;
            if ((*object = place_find(heap, NODE_BLOCK(n), size, align)))
                return NODE_BLOCK(n);
        }
    }
    return NULL;
}

static char *search(hl_heap *heap, size_t size, size_t align, char **object)
{
    if (goes_to_low_zone(heap, size))
        return lowest_fit(heap, size, align, object);
    switch (heap->cfg.fit) {
    case HL_FIT_NEXT:
        return next_fit(heap, size, align, object);
    case HL_FIT_BEST:
        return extreme_fit(heap, size, align, object, 0);
    case HL_FIT_WORST:
        return extreme_fit(heap, size, align, object, 1);
    case HL_FIT_SEGREGATED:
        return segregated_fit(heap, size, align, object);
    case HL_FIT_FIRST:
    default:
        return first_fit(heap, size, align, object);
    }
}

/* The block found is taken off the freelist next (place.c): its links
 * are checked first, so that a forged one is reported, never followed. */
char *fit_search(hl_heap *heap, size_t size, size_t align, char **object)
{
    char *b = search(heap, size, align, object);

    if (b && !freelist_links_are_sound(heap, b))
        return NULL;
    return heap->corrupt ? NULL : b;
}

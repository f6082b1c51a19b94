/* check.c - the heap checker: every invariant of internal.h, in code.
 *
 * hl_heap_check walks the blocks in address order, then the freelist, and
 * stops at the first violation, which it describes in words with the
 * offsets involved.  Tests run it after every operation.
 */
#include <stdarg.h>

#include "internal.h"

typedef struct check {
    hl_heap *heap;
    char *msg;
    size_t msg_size;
} check;

static bool violated(check *c, const char *fmt, ...)
{
    va_list ap;

    if (c->msg && c->msg_size > 0) {
        va_start(ap, fmt);
        vsnprintf(c->msg, c->msg_size, fmt, ap);
        va_end(ap);
    }
    return false;
}

#define OFF(b) heap_offset(c->heap, (b))

/* Invariants 1, 4 and 5, and the sums of 6: walk the blocks. */
static bool check_blocks(check *c, size_t *free_count, size_t *cached_count)
{
    hl_heap *heap = c->heap;
    int immediate = heap->cfg.merge == HL_MERGE_IMMEDIATE;
    int prev_free = 0;
    size_t requested = 0;
    char *b;

    *free_count = *cached_count = 0;
    for (b = heap->first; b < heap->end; b = block_next(b)) {
        size_t size = block_size(b);
        if (!block_header_is_sound(b))
            return violated(c, "block at %zu: header check byte is wrong",
                            OFF(b));
        if (size < heap->min_contents ||
            (size + HL_HEADER_SIZE) % heap->cfg.align != 0)
            return violated(c, "block at %zu: size %zu is not a valid size",
                            OFF(b), size);
        if (size > (size_t)(heap->end - b) - HL_HEADER_SIZE)
            return violated(c, "block at %zu: size %zu runs past the heap end",
                            OFF(b), size);
        if (immediate && block_prev_is_free(b) != prev_free)
            return violated(c, "block at %zu: P bit says %s but the block "
                            "before is %s", OFF(b),
                            prev_free ? "used" : "free",
                            prev_free ? "free" : "used");
        if (!immediate && block_prev_is_free(b))
            return violated(c, "block at %zu: P bit set without immediate "
                            "merging", OFF(b));
        if (block_is_free(b)) {
            (*free_count)++;
            if (immediate && prev_free)
                return violated(c, "blocks at %zu and before it: two free "
                                "neighbours with immediate merging", OFF(b));
            if (immediate && meta_load(block_footer(b)) != HEADER(b))
                return violated(c, "block at %zu: footer disagrees with "
                                "header", OFF(b));
        } else if (block_is_cached(b)) {
            (*cached_count)++;
        } else {
            if (block_slack(b) > size)
                return violated(c, "block at %zu: slack %zu exceeds size %zu",
                                OFF(b), block_slack(b), size);
            requested += size - block_slack(b);
        }
        prev_free = block_is_free(b);
    }
    if (b != heap->end)
        return violated(c, "blocks do not tile the heap: the walk ends at %zu, "
                        "the heap at %zu", OFF(b), OFF(heap->end));
    if (heap->end > heap->grower_end && heap->end != heap->first)
        return violated(c, "heap end %zu lies past the grower's end %zu",
                        OFF(heap->end), OFF(heap->grower_end));
    if (immediate && heap->end_prev_free != (prev_free != 0))
        return violated(c, "the heap end says the last block is %s, it is %s",
                        heap->end_prev_free ? "free" : "used",
                        prev_free ? "free" : "used");
    if (requested != heap->live_requested)
        return violated(c, "used blocks hold %zu requested bytes, the heap "
                        "counts %zu", requested, heap->live_requested);
    return true;
}

/* Invariants 2 and 3 for one bin; *count adds up its nodes. */
static bool check_bin(check *c, size_t index, size_t free_count,
                      size_t *count)
{
    hl_heap *heap = c->heap;
    const hl_bin *bin = &heap->bins[index];
    hl_node *n, *prev = NULL;

    for (n = bin->head; n; prev = n, n = node_next(n)) {
        char *b = NODE_BLOCK(n);
        if (++*count > free_count)
            return violated(c, "the freelist holds more nodes than the heap "
                            "has free blocks (%zu): a cycle or a stray node",
                            free_count);
        if (b < heap->first || b >= heap->end)
            return violated(c, "freelist node %zu lies outside the heap",
                            *count);
        if (!block_is_free(b))
            return violated(c, "block at %zu is on the freelist but tagged "
                            "used", OFF(b));
        if (node_prev(n) != prev)
            return violated(c, "block at %zu: prev link does not point back",
                            OFF(b));
        if (freelist_bin(heap, block_size(b)) != index)
            return violated(c, "block at %zu: size %zu is in bin %zu, not "
                            "bin %zu", OFF(b), block_size(b), index,
                            freelist_bin(heap, block_size(b)));
        if (heap->cfg.order == HL_ORDER_ADDRESS && prev && prev > n)
            return violated(c, "block at %zu: freelist not in address order",
                            OFF(b));
    }
    if (bin->tail != prev)
        return violated(c, "the freelist's tail is not its last node");
    if (((heap->bin_map[index / 64] >> (index % 64)) & 1) != (bin->head != NULL))
        return violated(c, "bin %zu is %s but its bit in the bin map says "
                        "otherwise", index, bin->head ? "in use" : "empty");
    return true;
}

/* Invariants 2 and 3: walk every bin of the freelist. */
static bool check_freelist(check *c, size_t free_count)
{
    size_t count = 0, i;

    for (i = 0; i < HL_BINS; i++)
        if (!check_bin(c, i, free_count, &count))
            return false;
    if (count != free_count)
        return violated(c, "%zu blocks are tagged free but the freelist holds "
                        "%zu", free_count, count);
    return true;
}

/* Invariant 7: every class's list holds as many blocks as it counts, each
 * a sound cached block of the class's size, and the lists together hold
 * every block whose C bit is set. */
static bool check_cache(check *c, size_t cached_count)
{
    hl_heap *heap = c->heap;
    size_t class, total = 0;

    for (class = 0; class < HL_CACHE_CLASSES; class++) {
        size_t size = heap->min_contents + class * heap->cfg.align, n = 0;
        char *b;
        if (heap->cache_count[class] > HL_CACHE_DEPTH)
            return violated(c, "cache class %zu counts %u blocks, more than "
                            "%d", class, heap->cache_count[class],
                            HL_CACHE_DEPTH);
        for (b = heap->cache[class]; b; b = meta_load_ptr(BLOCK_OBJECT(b))) {
            if (++n > heap->cache_count[class])
                return violated(c, "cache class %zu holds more blocks than "
                                "its count %u", class,
                                heap->cache_count[class]);
            if (b < heap->first || b >= heap->end)
                return violated(c, "cache class %zu: a block outside the "
                                "heap", class);
            if (!block_header_is_sound(b) || !block_is_cached(b) ||
                block_is_free(b))
                return violated(c, "block at %zu is in the cache but its "
                                "header does not say cached", OFF(b));
            if (block_size(b) != size)
                return violated(c, "block at %zu: size %zu in cache class "
                                "%zu of size %zu", OFF(b), block_size(b),
                                class, size);
        }
        if (n != heap->cache_count[class])
            return violated(c, "cache class %zu holds %zu blocks but counts "
                            "%u", class, n, heap->cache_count[class]);
        total += n;
    }
    if (total != cached_count)
        return violated(c, "%zu blocks have the C bit set but the cache "
                        "holds %zu", cached_count, total);
    if (total && !heap->cfg.cache)
        return violated(c, "blocks in the cache of a heap without one");
    return true;
}

bool hl_heap_check(hl_heap *heap, char *msg, size_t msg_size)
{
    check c = {heap, msg, msg_size};
    size_t free_count, cached_count;

    if (msg && msg_size)
        msg[0] = '\0';
    if (!heap->started)
        return freelist_first(heap) == NULL ||
               violated(&c, "a freelist in a heap that has not started");
    return check_blocks(&c, &free_count, &cached_count) &&
           check_freelist(&c, free_count) && check_cache(&c, cached_count);
}

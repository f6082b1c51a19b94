/* cache.c - freed small blocks kept per size class and handed out in O(1).
 *
 * The heap's slow path is a search, a split and, on free, up to two
 * merges: a few dozen instructions and cache lines each time.  Programs
 * mostly free an object and soon ask for one of the same size, so the
 * cheapest free block is the one just freed.  With cfg.cache, free() keeps
 * a block of up to cache_max_size bytes on a short list of its size class
 * and malloc() of that class takes it back: a push and a pop, as glibc's
 * tcache does (since 2.26).
 *
 * Why this design and not mimalloc's pages of one size class: it keeps the
 * heap as it is.  A cached block is still an ordinary block in the heap,
 * tagged used, with the C bit of its header set, so the walkers, the
 * checker, the dump and every lesson before this one still describe the
 * heap exactly; the cache is one bit and one list per class on top.  What
 * it costs is memory: up to HL_CACHE_DEPTH blocks a class that no one can
 * merge or reuse for another size until they are flushed.
 *
 *   cache[class] --> block --> block --> NULL    (through each object's
 *                    C set      C set             first word)
 *
 * Classes are one alignment step apart, from the smallest block up:
 * class = (size - min_contents) / align, so a class holds blocks of one
 * size only and a hit needs no search.  A free that finds its class full
 * goes to the heap as usual: the bound keeps the memory held small.
 * hl_heap_flush_cache gives every cached block back: at thread exit, and
 * whenever the heap would otherwise grow (heap.c), so that what the cache
 * holds never makes the heap bigger.
 *
 * A program that writes into an object after freeing it may overwrite the
 * link.  Each block is checked before its link is followed: it must lie in
 * the heap, have a sound header with the C bit, and be of the class's
 * size.  Otherwise the heap is reported corrupt and the class dropped.
 */
#include "cache.h"

/* A cache list led to b, which is not a cached block of this heap: the
 * heap is reported corrupt and the class dropped (its blocks stay tagged
 * used: leaked, never followed). */
void cache_report_corrupt(hl_heap *heap, char *b, size_t class,
                          const char *op)
{
    heap->cache[class] = NULL;
    heap->cache_count[class] = 0;
    heap_error(heap, HL_ERROR_CORRUPT, op, BLOCK_OBJECT(b),
               "cache entry without a sound cached block (written after "
               "free?):");
}

/* Gives the cached blocks of one class to the heap. */
static size_t flush_class(hl_heap *heap, size_t class)
{
    size_t count = 0;
    char *b;

    while ((b = heap->cache[class]) &&
           cache_block_is_sound(heap, b, class, "flush")) {
        heap->cache[class] = CACHE_LINK(b);
        heap->cache_count[class]--;
        block_set(b, block_size(b), 1, 0);
        heap_event(heap, HL_EVENT_FLUSH, b, block_size(b), NULL, 0, 0);
        heap_auto_trim(heap, release_range(heap, b, block_size(b),
                                           block_prev_is_free(b)));
        count++;
    }
    return count;
}

size_t cache_flush_unlocked(hl_heap *heap)
{
    size_t class, count = 0;

    for (class = 0; class < HL_CACHE_CLASSES; class++)
        count += flush_class(heap, class);
    return count;
}

size_t hl_cache_class(const hl_heap *heap, size_t size)
{
    if (!heap || size < heap->min_contents ||
        (size - heap->min_contents) % heap->cfg.align != 0 ||
        cache_class_of(heap, size) >= HL_CACHE_CLASSES)
        return HL_CACHE_CLASSES;
    return cache_class_of(heap, size);
}

size_t hl_heap_flush_cache(hl_heap *heap)
{
    size_t count;

    LOCK(heap);
    count = cache_flush_unlocked(heap);
    UNLOCK(heap);
    return count;
}

size_t hl_heap_visit_cache(hl_heap *heap, hl_block_visitor visit, void *arg)
{
    hl_block_info info;
    size_t class, count = 0, left;
    char *b;

    /* A link smashed by a write after free ends the class's walk: the
     * walker stops where a take would report the heap corrupt. */
    for (class = 0; class < HL_CACHE_CLASSES; class++)
        for (b = heap->cache[class], left = heap->cache_count[class];
             b && left > 0 && cache_block_is_cached(heap, b, class);
             b = CACHE_LINK(b), left--) {
            info.offset = heap_offset(heap, b);
            info.object_offset = info.offset + HL_HEADER_SIZE;
            info.size = block_size(b);
            info.requested = info.slack = 0;
            info.free = false;
            info.cached = true;
            count++;
            if (!visit(&info, arg))
                return count;
        }
    return count;
}

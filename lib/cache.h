/* cache.h - the cache's two fast paths, inline: a push on free and a pop
 * on malloc (the rest, and the design, is in cache.c).  Not installed. */
#ifndef HL_CACHE_H
#define HL_CACHE_H

#include <stdint.h>

#include "internal.h"

/* A cached block's object starts with the link to the next one. */
#define CACHE_LINK(b) ((char *)meta_load_ptr(BLOCK_OBJECT(b)))
#define CACHE_LINK_STORE(b, next) meta_store_ptr(BLOCK_OBJECT(b), (next))
#define CACHE_SLACK_BITS ((uint64_t)HL_MAX_SLACK << HL_SLACK_SHIFT)

static inline size_t cache_class_of(const hl_heap *heap, size_t size)
{
    return (size - heap->min_contents) >> heap->align_shift;
}

/* Whether b, reached through the list of `class`, is a cached block of
 * this heap, of the class's size.  Reads nothing outside the heap. */
static inline __attribute__((always_inline)) bool
cache_block_is_cached(const hl_heap *heap, char *b, size_t class)
{
    return (uintptr_t)b % 8 == 0 && b >= heap->first && b < heap->end &&
           block_header_is_sound(b) &&
           (HEADER(b) & (HL_TAG_CACHED | HL_TAG_FREE)) == HL_TAG_CACHED &&
           block_size(b) == heap->min_contents + (class << heap->align_shift);
}

/* The same; if not, it is reported (cache.c) and the class dropped. */
static inline __attribute__((always_inline)) bool
cache_block_is_sound(hl_heap *heap, char *b, size_t class, const char *op)
{
    if (cache_block_is_cached(heap, b, class))
        return true;
    cache_report_corrupt(heap, b, class, op);
    return false;
}

/* Keeps used block b in the cache instead of freeing it; false when the
 * heap has no cache, b is too big, or its class is full. */
static inline __attribute__((always_inline)) bool cache_put(hl_heap *heap, char *b)
{
    size_t size = block_size(b), class, requested;
    char *next;

    if (size > heap->cache_max_size)
        return false;
    class = cache_class_of(heap, size);
    if (heap->cache_count[class] == HL_CACHE_DEPTH)
        return false;
    /* The last block, or the one under a free last block, merges instead:
     * cached, it would keep the memory under the top from being given
     * back.  (It costs a look at the next header.) */
    next = block_next(b);
    if (next == heap->end ||
        (block_is_free(next) && block_next(next) == heap->end))
        return false;
    requested = size - block_slack(b);
    heap->live_requested -= requested;
    shadow_object_free(heap, BLOCK_OBJECT(b), size);
    HEADER_STORE(b, HEADER(b) | HL_TAG_CACHED);
    CACHE_LINK_STORE(b, heap->cache[class]);
    heap->cache[class] = b;
    heap->cache_count[class]++;
    heap_event(heap, HL_EVENT_CACHE_PUT, b, size, NULL, 0, requested);
    return true;
}

/* A cached block of `size` bytes or one class more, made the caller's
 * object of `requested` bytes; NULL when both classes are empty.  The next
 * class is tried because a block cut from a free block keeps a rest too
 * small to split off (place.c): such blocks land one class up when freed,
 * and without this the class below would starve while they overflow. */
static inline __attribute__((always_inline)) void *
cache_take(hl_heap *heap, size_t size, size_t requested)
{
    size_t class;
    char *b;

    if (size > heap->cache_max_size)
        return NULL;
    class = cache_class_of(heap, size);
    b = heap->cache[class];
    if (!b && class + 1 < HL_CACHE_CLASSES && (b = heap->cache[class + 1]))
        class++;
    if (!b || !cache_block_is_sound(heap, b, class, "malloc"))
        return NULL;
    heap->cache[class] = CACHE_LINK(b);
    heap->cache_count[class]--;
    size = block_size(b);
    /* Its size, and so its check byte, stay: only C and the slack change. */
    HEADER_STORE(b, (HEADER(b) & ~(HL_TAG_CACHED | CACHE_SLACK_BITS)) |
                        ((uint64_t)(size - requested) << HL_SLACK_SHIFT));
    shadow_object_alloc(heap, BLOCK_OBJECT(b), requested);
    heap->live_requested += requested;
    heap_note_peak(heap);
    heap_event(heap, HL_EVENT_CACHE_HIT, b, size, NULL, 0, requested);
    return BLOCK_OBJECT(b);
}

#endif /* HL_CACHE_H */

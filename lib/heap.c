/* heap.c - a heap's life and its public operations.
 *
 * Each public function here is a thin shell: it takes the heap's mutex when
 * the heap is locked (the seed's RustyMalloc: one lock around one heap),
 * takes in what other threads freed (remote.c), and calls the unlocked
 * operation, which the other files build: cache.c keeps and hands back
 * small blocks, fit.c searches, place.c splits, grow.c grows, merge.c
 * frees and joins, realloc.c resizes.
 *
 * Each also names itself in heap->op, which a report of corruption found
 * deep inside the operation (a broken link in freelist.c) gives the error
 * hook; UNLOCK clears it.  Once the heap is corrupt (errors.c), the
 * allocations fail with ENOMEM and the frees do nothing.
 */
#include <errno.h>
#include <string.h>

#include "cache.h"
#include "internal.h"

/* Lazy merging grows free blocks while they sit on a list, which a
 * segregated heap cannot allow (a block's bin follows from its size). */
static bool config_is_valid(const hl_config *cfg)
{
    return (cfg->align == 8 || cfg->align == 16) &&
           (unsigned)cfg->fit <= HL_FIT_SEGREGATED &&
           !(cfg->fit == HL_FIT_SEGREGATED && cfg->merge == HL_MERGE_LAZY) &&
           (unsigned)cfg->order <= HL_ORDER_ADDRESS &&
           (unsigned)cfg->merge <= HL_MERGE_NONE &&
           (unsigned)cfg->place <= HL_PLACE_ZONED &&
           (unsigned)cfg->heaps <= HL_HEAPS_PER_THREAD;
}

hl_heap *hl_heap_init(hl_heap_space *space, const hl_config *cfg,
                      hl_grower *grower)
{
    hl_heap *heap = (hl_heap *)(void *)space;
    size_t floor_contents;

    if (!space || !cfg || !grower || !grower->grow || !config_is_valid(cfg)) {
        errno = EINVAL;
        return NULL;
    }
    memset(space, 0, sizeof *space);
    heap->cfg = *cfg;
    heap->grower = grower;
    /* A free block holds a node, and with immediate merging a footer too. */
    floor_contents = cfg->merge == HL_MERGE_IMMEDIATE ? 24 : 16;
    heap->min_contents = align_up(floor_contents + HL_HEADER_SIZE,
                                  cfg->align) - HL_HEADER_SIZE;
    heap->min_block = HL_HEADER_SIZE + heap->min_contents;
    heap->cache_max_size = cfg->cache ? HL_CACHE_MAX_SIZE(cfg->align,
                                                          heap->min_contents)
                                      : 0;
    heap->align_shift = cfg->align == 16 ? 4 : 3;
    atomic_init(&heap->remote, NULL);
    heap->error_hook = hl_default_error_hook;
    if (cfg->locked && pthread_mutex_init(&heap->lock, NULL) != 0) {
        errno = EINVAL;
        return NULL;
    }
    shadow_heap_init(heap);
    return heap;
}

void hl_heap_destroy(hl_heap *heap)
{
    if (heap)
        shadow_heap_destroy(heap);
    if (heap && heap->cfg.locked)
        pthread_mutex_destroy(&heap->lock);
}

const hl_config *hl_heap_config(const hl_heap *heap) { return &heap->cfg; }
hl_grower *hl_heap_grower(const hl_heap *heap) { return heap->grower; }

static void *fail(hl_heap *heap, size_t requested, int error)
{
    heap_event(heap, HL_EVENT_FAIL, NULL, 0, NULL, 0, requested);
    errno = error;
    return NULL;
}

/* Allocates without taking the lock: the cache, else search, else flush
 * the cache and search again, else grow; then place. */
void *heap_alloc_unlocked(hl_heap *heap, size_t requested, size_t align)
{
    size_t size;
    char *b, *object, *used;

    if (requested > HL_MAX_REQUEST || heap->corrupt)
        return fail(heap, requested, ENOMEM);
    size = heap_adjust_size(heap, requested);
    place_note_request(heap, size);
    if (align <= heap->cfg.align) {
        if ((object = cache_take(heap, size, requested)))
            return object;
        align = heap->cfg.align;
    }
    b = fit_search(heap, size, align, &object);
    /* Before the heap grows, the cache gives its blocks back: merged with
     * their free neighbours they may make room (glibc consolidates its
     * fastbins at the same point). */
    if (!b && !heap->corrupt && cache_flush_unlocked(heap) > 0)
        b = fit_search(heap, size, align, &object);
    if (!b && !heap->corrupt && heap_end_is_sound(heap))
        b = grow_for(heap, size, align, &object);
    if (!b || heap->corrupt)
        return fail(heap, requested, ENOMEM);
    used = place_object(heap, b, object, size, requested);
    heap->live_requested += requested;
    heap_note_peak(heap);
    heap_event(heap, HL_EVENT_ALLOC, used, block_size(used), NULL, 0,
               requested);
    shadow_object_alloc(heap, object, requested);
    return object;
}

/* Frees live block b, which held `requested` bytes for the caller: rule 6,
 * or immediate merging. */
void heap_free_block(hl_heap *heap, char *b, size_t requested)
{
    size_t size = block_size(b);

    shadow_object_free(heap, BLOCK_OBJECT(b), size);
    heap->live_requested -= requested;
    /* Tagged free at once: should b be merged into the block before it,
     * its old header still says "free" to a second free(). */
    block_set(b, size, 1, 0);
    heap_event(heap, HL_EVENT_FREE, b, size, NULL, 0, requested);
    heap_auto_trim(heap, release_range(heap, b, size, block_prev_is_free(b)));
}

void heap_free_object(hl_heap *heap, char *b)
{
    if (heap->corrupt)
        return;
    if (!cache_put(heap, b))
        heap_free_block(heap, b, block_size(b) - block_slack(b));
    /* The last live object of a big auto-trimmed heap is gone: whatever
     * the order of the frees, the cached blocks left among the free ones
     * now serve nothing, and the heap gives everything back. */
    if (heap->auto_trim &&
        heap->counters.allocs == heap->counters.frees &&
        (size_t)(heap->grower_end - heap->start) > 4 * heap->auto_keep &&
        cache_flush_unlocked(heap) > 0)
        heap_auto_trim_now(heap);
}

void *hl_alloc(hl_heap *heap, size_t size)
{
    void *p;

    /* The fast path of an unlocked heap with nothing queued: the cache. */
    if (!heap->cfg.locked && size <= heap->cache_max_size &&
        !atomic_load_explicit(&heap->remote, memory_order_relaxed) &&
        (p = cache_take(heap, heap_adjust_size(heap, size), size)))
        return p;
    LOCK(heap);
    heap->op = "malloc";
    DRAIN_REMOTE(heap);
    p = heap_alloc_unlocked(heap, size, heap->cfg.align);
    UNLOCK(heap);
    return p;
}

void *hl_aligned_alloc(hl_heap *heap, size_t align, size_t size)
{
    void *p;

    if (align == 0 || (align & (align - 1)) != 0 || align > HL_MAX_ALIGN) {
        errno = EINVAL;
        return NULL;
    }
    LOCK(heap);
    heap->op = "aligned_alloc";
    DRAIN_REMOTE(heap);
    p = heap_alloc_unlocked(heap, size, align);
    UNLOCK(heap);
    return p;
}

void *hl_calloc(hl_heap *heap, size_t count, size_t size)
{
    void *p;

    if (size != 0 && count > (size_t)-1 / size) {
        errno = ENOMEM;
        return NULL;
    }
    LOCK(heap);
    heap->op = "calloc";
    DRAIN_REMOTE(heap);
    p = heap_alloc_unlocked(heap, count * size, heap->cfg.align);
    if (p)
        memset(p, 0, SHADOW_USABLE(block_size(OBJECT_BLOCK(p)), count * size));
    UNLOCK(heap);
    return p;
}

void hl_free(hl_heap *heap, void *ptr)
{
    char *b;

    if (!ptr)
        return;
    LOCK(heap);
    heap->op = "free";
    DRAIN_REMOTE(heap);
    b = heap->corrupt ? NULL : heap_live_block(heap, ptr, "free");
    if (b)
        heap_free_object(heap, b);
    UNLOCK(heap);
}

void *hl_realloc(hl_heap *heap, void *ptr, size_t size)
{
    void *p;

    LOCK(heap);
    heap->op = "realloc";
    DRAIN_REMOTE(heap);
    p = heap_realloc_unlocked(heap, ptr, size);
    UNLOCK(heap);
    return p;
}

size_t hl_usable_size(hl_heap *heap, const void *ptr)
{
    char *b;
    size_t size = 0;

    if (!ptr)
        return 0;
    LOCK(heap);
    heap->op = "usable_size";
    b = heap_live_block(heap, ptr, "usable_size");
    if (b)
        size = block_size(b);
    UNLOCK(heap);
    return size;
}

bool hl_heap_contains(const hl_heap *heap, const void *ptr)
{
    const char *p = ptr;
    return heap->started && p >= heap->start && p < heap->grower_end;
}

void *hl_heap_base(const hl_heap *heap)
{
    return heap->started ? heap->start : NULL;
}

/* internal.h - the heap's state and the functions the library's files share.
 * Not installed: nothing outside lib/ may depend on it.
 *
 * Invariants of a heap (hl_heap_check verifies each one):
 *   1. Blocks tile [first, end) exactly: walking block_next from `first`
 *      lands on `end`.  Every header is sound (its check byte matches).
 *   2. A block is in the freelist if and only if its F tag is set.
 *   3. The freelist's links are symmetric (n->next->prev == n), it has no
 *      cycle, head->prev and tail->next are NULL, and with order=address it
 *      is sorted by address.  With fit=segregated the freelist is one list
 *      per size class (a bin), and every block is in the bin of its size;
 *      otherwise every block is in bin 0.  bin_map has bit i set exactly
 *      when bin i is not empty.
 *   4. With immediate merging: every free block's footer equals its header,
 *      every block's P bit says whether the block before it is free,
 *      `end_prev_free` says whether the last block is free, and no two free
 *      blocks are neighbours.
 *   5. The sizes add up: the blocks' headers and contents sum to
 *      end - first, and end <= grower_end once anything has been grown.
 *   6. used + free counters agree with the walk (live_requested is the sum of
 *      size - slack over used blocks that are not cached).
 *   7. The cache: a block has its C bit set if and only if it is on the
 *      cache list of its size class; cached blocks are tagged used, sound,
 *      and each class holds at most HL_CACHE_DEPTH of them, as counted.
 *      With cfg.cache off the cache is empty.
 * The remote list is not an invariant of the heap's: other threads push on
 * it at any time.  It holds objects that are still tagged used.
 */
#ifndef HL_INTERNAL_H
#define HL_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>

#include "block.h"
#include "heaplab.h"

/* One freelist; a segregated heap has one per size class. */
typedef struct hl_bin {
    hl_node *head, *tail;
} hl_bin;

/* Size classes: 16 bytes wide below 512, then four per power of two. */
#define HL_BINS 188

struct hl_heap {
    hl_config cfg;
    hl_grower *grower;
    size_t min_contents;   /* the smallest contents a block may have */
    size_t min_block;      /* header + min_contents */

    bool started;          /* the grower has been asked where it starts */
    char *start;           /* the first byte the grower handed out */
    char *first;           /* the first block's header (start + lead) */
    char *end;             /* the end of the last block */
    char *grower_end;      /* the end of what the grower handed out */
    bool end_prev_free;    /* immediate merging: the last block is free */

    hl_bin bins[HL_BINS];  /* the freelist: bin 0 only, unless segregated */
    uint64_t bin_map[(HL_BINS + 63) / 64]; /* bit i: bins[i] is not empty */
    hl_node *rover;        /* next fit: where the next search starts */

    char *cache[HL_CACHE_CLASSES];  /* the cached blocks of each class, as
                                       a list through their objects */
    unsigned char cache_count[HL_CACHE_CLASSES];
    size_t cache_max_size;          /* the largest contents cached */
    unsigned align_shift;           /* log2(cfg.align): classes by shift */
    size_t auto_trim;               /* 0, or trim.c's threshold */
    size_t auto_keep;               /* what an auto trim keeps (trim.c) */
    size_t auto_trimmed;            /* given back by the last auto trim and
                                       not grown back yet */
    size_t auto_peak;               /* the heap's size before that trim */
    /* Objects other threads freed, newest first, linked through their
     * objects.  Other threads write it all the time: the padding keeps it
     * off the cache lines of the fields the owner writes. */
    char remote_pad_before[64];
    _Atomic(void *) remote;
    char remote_pad_after[64 - sizeof(void *)];

    size_t live_requested; /* bytes the caller asked for, live objects */
    size_t mean_block;     /* the running mean of the block sizes malloc
                              was asked for, times 1024 (place.c) */
    size_t mean_count;     /* requests in that mean, up to 1024 */
    unsigned turns;        /* of the requests since (halved at 1024), */
    unsigned turn_requests; /* how many switched kind, and how many */
    unsigned char last_kind; /* the last request's: 0 (none yet),
                              PLACE_SMALL or PLACE_LARGE (place.c) */
    hl_stats counters;     /* the counting fields of hl_stats */

    hl_observer observer;
    void *observer_arg;
    hl_error_hook error_hook;
    void *error_arg;
    const char *op;        /* the public operation under way, as the error
                              hook names it ("malloc", "free"...); NULL
                              between operations */
    bool moving;           /* realloc is finding its object a new block:
                              place=apart and zoned put it at the front, where the
                              free rest after it lets it grow again */
    bool corrupt;          /* corruption was found: every operation since
                              fails or does nothing (errors.c) */

    pthread_mutex_t lock;  /* taken only when cfg.locked */
};

_Static_assert(sizeof(struct hl_heap) <= HL_HEAP_SPACE_SIZE,
               "hl_heap_space must hold a heap");

/* A locked heap's operations run under its mutex (rule 8). */
#define LOCK(heap)                                                             \
    do {                                                                       \
        if ((heap)->cfg.locked)                                                \
            pthread_mutex_lock(&(heap)->lock);                                 \
    } while (0)
#define UNLOCK(heap)                                                           \
    do {                                                                       \
        (heap)->op = NULL;                                                     \
        if ((heap)->cfg.locked)                                                \
            pthread_mutex_unlock(&(heap)->lock);                               \
    } while (0)

/* The owner's first step in every operation: take the remote list, if
 * another thread put anything on it (one relaxed load when not). */
#define DRAIN_REMOTE(heap)                                                     \
    do {                                                                       \
        if (atomic_load_explicit(&(heap)->remote, memory_order_relaxed))       \
            heap_drain_unlocked(heap);                                         \
    } while (0)

/* heap.c */
/* Rule 1: the contents size a request gets.  At least min_contents, and
 * rounded so that header + contents keeps the next block aligned. */
static inline size_t heap_adjust_size(const hl_heap *heap, size_t requested)
{
    size_t n = requested < heap->min_contents ? heap->min_contents : requested;
    return align_up(n + HL_HEADER_SIZE, heap->cfg.align) - HL_HEADER_SIZE;
}
/* Frees live block b as free() does: into the cache, else the heap. */
void heap_free_object(hl_heap *heap, char *b);
void *heap_alloc_unlocked(hl_heap *heap, size_t requested, size_t align);
void heap_free_block(hl_heap *heap, char *b, size_t requested);

/* The peak of the bytes asked for, as the program sees it: after each
 * call that can raise it.  Never inside a realloc that moves, where the
 * old and the new object are both counted for an instant; that realloc
 * notes its peak once the old one is freed. */
static inline void heap_note_peak(hl_heap *heap)
{
    if (!heap->moving && heap->live_requested > heap->counters.peak_requested)
        heap->counters.peak_requested = heap->live_requested;
}

/* events.c: counts one event and reports it to the observer.  The count is
 * inline (it is on the path of every malloc and free); the report, only
 * when an observer is set, is not. */
static inline void heap_count_event(hl_heap *heap, hl_event_kind kind,
                                    size_t size)
{
    hl_stats *c = &heap->counters;

    switch (kind) {
    case HL_EVENT_ALLOC: c->allocs++; break;
    case HL_EVENT_FREE: c->frees++; c->released_bytes += size; break;
    case HL_EVENT_SPLIT: c->splits++; break;
    case HL_EVENT_MERGE: c->merges++; break;
    case HL_EVENT_GROW: c->grows++; break;
    case HL_EVENT_TRIM: c->trims++; c->trimmed_bytes += size; break;
    case HL_EVENT_REALLOC_IN_PLACE:
    case HL_EVENT_REALLOC_MOVE: c->reallocs++; break;
    case HL_EVENT_FAIL: c->failures++; break;
    case HL_EVENT_CACHE_PUT: c->frees++; c->cache_puts++; break;
    case HL_EVENT_CACHE_HIT: c->allocs++; c->cache_hits++; break;
    case HL_EVENT_FLUSH: c->flushes++; c->released_bytes += size; break;
    case HL_EVENT_REMOTE_FREE: c->remote_frees++; break;
    case HL_EVENT_DRAIN: c->drains++; break;
    }
}
void heap_report_event(hl_heap *heap, hl_event_kind kind, const char *b,
                       size_t size, const char *other, size_t other_size,
                       size_t requested);
static inline void heap_event(hl_heap *heap, hl_event_kind kind,
                              const char *b, size_t size, const char *other,
                              size_t other_size, size_t requested)
{
    heap_count_event(heap, kind, size);
    if (heap->observer)
        heap_report_event(heap, kind, b, size, other, other_size, requested);
}
size_t heap_offset(const hl_heap *heap, const char *p);

/* errors.c: reports misuse; returns only when the hook returns.  A report
 * of HL_ERROR_CORRUPT also latches the heap corrupt (heap->corrupt). */
void heap_error(hl_heap *heap, hl_error_kind kind, const char *op,
                const void *ptr, const char *message);
/* Reports corruption found at ptr during the operation under way. */
void heap_report_corrupt(hl_heap *heap, const void *ptr, const char *message);
/* Reports why ptr is not a live object of the heap (errors.c). */
void heap_report_not_live(hl_heap *heap, const void *ptr, const char *op);

/* The live block of object ptr, or NULL after reporting the misuse.  The
 * checks, in release builds too: ptr lies inside the heap and is aligned
 * as objects are, the word before it is a header this heap wrote (its
 * check byte matches its address and size), the block ends inside the
 * heap, and it is tagged used and not cached. */
static inline char *heap_live_block(hl_heap *heap, const void *ptr,
                                    const char *op)
{
    const char *p = ptr;
    char *b = OBJECT_BLOCK(p);

    if (heap->started && p >= heap->first + HL_HEADER_SIZE &&
        p < heap->end && ((uintptr_t)p & (heap->cfg.align - 1)) == 0 &&
        block_header_is_sound(b) && block_size(b) >= heap->min_contents &&
        block_size(b) <= (size_t)(heap->end - p) &&
        block_slack(b) <= block_size(b) &&
        (HEADER(b) & (HL_TAG_FREE | HL_TAG_CACHED)) == 0)
        return b;
    heap_report_not_live(heap, ptr, op);
    return NULL;
}

/* freelist.c (the two small helpers every push and remove use, inline) */
void freelist_push(hl_heap *heap, char *b);
void freelist_push_freed(hl_heap *heap, char *b, bool heap_whole);
bool freelist_remove(hl_heap *heap, char *b);
bool freelist_links_are_sound(hl_heap *heap, char *b);

/* The bin of a free block's contents size: 0 unless fit=segregated; then
 * its size class, 16 bytes wide below 512, four per power of two above. */
static inline size_t freelist_bin(const hl_heap *heap, size_t size)
{
    size_t log2, bin;

    if (heap->cfg.fit != HL_FIT_SEGREGATED)
        return 0;
    if (size < 512)
        return size >> 4;
    log2 = 63 - (size_t)__builtin_clzll((unsigned long long)size);
    bin = 32 + (log2 - 9) * 4 + ((size >> (log2 - 2)) & 3);
    return bin < HL_BINS ? bin : HL_BINS - 1;
}

/* Keeps bin_map's bit for `bin` in step with whether the bin is empty. */
static inline void freelist_note_bin(hl_heap *heap, const hl_bin *bin)
{
    size_t i = (size_t)(bin - heap->bins);
    uint64_t bit = (uint64_t)1 << (i % 64);

    if (bin->head)
        heap->bin_map[i / 64] |= bit;
    else
        heap->bin_map[i / 64] &= ~bit;
}

/* The first non-empty bin from `from` on, or HL_BINS. */
size_t freelist_next_bin(const hl_heap *heap, size_t from);
/* The whole freelist in list order, bin after bin. */
hl_node *freelist_first(const hl_heap *heap);
hl_node *freelist_next(const hl_heap *heap, const hl_node *n);

/* merge.c */
void block_make_free(hl_heap *heap, char *b, size_t size, int prev_free);
void block_make_used(hl_heap *heap, char *b, size_t size, size_t requested);
char *release_range(hl_heap *heap, char *b, size_t size, int prev_free);
void merge_forward_lazily(hl_heap *heap, char *b);
bool absorb_next(hl_heap *heap, char *b);
char *free_block_before(hl_heap *heap, char *b);
char *free_block_at_end(hl_heap *heap);
bool heap_end_is_sound(hl_heap *heap);

/* place.c */
size_t place_large(const hl_heap *heap);
unsigned place_in_turn_percent(const hl_heap *heap);
bool place_large_at_back(const hl_heap *heap);
void place_note_request(hl_heap *heap, size_t size);
char *place_start(const hl_heap *heap, char *b, size_t align);
char *place_find(const hl_heap *heap, char *b, size_t size, size_t align);
char *place_object(hl_heap *heap, char *b, char *object, size_t size,
                   size_t requested);
void place_shrink(hl_heap *heap, char *b, size_t size, size_t requested);

/* fit.c: a free block where size/align fits, with *object set; or NULL. */
char *fit_search(hl_heap *heap, size_t size, size_t align, char **object);

/* grow.c */
bool heap_start(hl_heap *heap);
char *grow_for(hl_heap *heap, size_t size, size_t align, char **object);
bool grow_last_block(hl_heap *heap, char *b, size_t size, size_t requested);

/* cache.c (the fast paths are inline, in cache.h) */
size_t cache_flush_unlocked(hl_heap *heap);
void cache_report_corrupt(hl_heap *heap, char *b, size_t class,
                          const char *op);

/* remote.c */
size_t heap_drain_unlocked(hl_heap *heap);

/* trim.c */
size_t heap_trim_unlocked(hl_heap *heap, size_t keep);
void heap_auto_trim(hl_heap *heap, char *b);
void heap_auto_trim_regrown(hl_heap *heap, size_t grown);
size_t heap_auto_trim_now(hl_heap *heap);

/* realloc.c */
void *heap_realloc_unlocked(hl_heap *heap, void *ptr, size_t requested);

#endif /* HL_INTERNAL_H */

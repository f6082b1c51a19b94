/* check_cache.c - the cache of freed small blocks (lib/cache.c): a freed
 * object of a cached size stays in its class, tagged used with the C bit,
 * and the next request of that class gets it back; a class holds at most
 * HL_CACHE_DEPTH blocks; a flush gives everything to the heap as if the
 * frees had gone there; misuse of a cached object is reported, a smashed
 * link is never followed, and the checker catches a cache out of step with
 * the headers.
 *
 * Most tests run on three heaps (a loop test): preset default with
 * cache=on, preset fast (segregated fit), and preset reference with
 * cache=on (align 8, lazy merging).  The heap is the fixture's, on a
 * static grower, so offsets are the same on every run. */
#include "watch.h"

#define CONFIGS 3

static void cache_heap(int config)
{
    switch (config) {
    case 0: fixture_heap(HL_PRESET_DEFAULT, "cache=on", NULL); break;
    case 1: fixture_heap(HL_PRESET_FAST, NULL); break;
    default: fixture_heap(HL_PRESET_REFERENCE, "cache=on", NULL); break;
    }
    ck_assert(hl_heap_config(heap)->cache);
}

/* The smallest contents a block has (the first cache class): 16, or 24
 * with a footer, rounded so that header + contents keeps the alignment. */
static size_t min_contents(const hl_heap *h)
{
    const hl_config *cfg = hl_heap_config(h);
    size_t floor = cfg->merge == HL_MERGE_IMMEDIATE ? 24 : 16;

    return ((floor + 8 + cfg->align - 1) & ~(cfg->align - 1)) - 8;
}

static size_t align_of(const hl_heap *h)
{
    return hl_heap_config(h)->align;
}

/* ---------------------------------------------------------------------------
 * Recording what the heap does
 * ------------------------------------------------------------------------- */

/* What hl_heap_visit_blocks says of the block at offset. */
typedef struct found {
    size_t offset;
    bool seen;
    hl_block_info info;
} found;

static bool find_block(const hl_block_info *b, void *arg)
{
    found *f = arg;

    if (b->offset != f->offset)
        return true;
    f->seen = true;
    f->info = *b;
    return false;
}

static hl_block_info block_at(size_t offset)
{
    found f = {offset, false, {0}};

    hl_heap_visit_blocks(heap, find_block, &f);
    ck_assert_msg(f.seen, "no block at offset %zu", offset);
    return f.info;
}

/* The offsets hl_heap_visit_cache reports, in its order. */
typedef struct offsets {
    size_t n;
    size_t at[64];
} offsets;

static bool add_offset(const hl_block_info *b, void *arg)
{
    offsets *o = arg;

    ck_assert(b->cached && !b->free);
    if (o->n < 64)
        o->at[o->n] = b->offset;
    o->n++;
    return true;
}

static offsets cached_offsets(void)
{
    offsets o = {0, {0}};

    ck_assert_uint_eq(hl_heap_visit_cache(heap, add_offset, &o), o.n);
    return o;
}

static uint64_t *header_of(void *object)
{
    return fixture_expose((uint64_t *)object - 1, 8);
}

#define C_BIT ((uint64_t)4)

/* ---------------------------------------------------------------------------
 * Putting and taking
 * ------------------------------------------------------------------------- */

/* The dump of the default heap after one of two objects is freed, as a
 * reader works it out: blocks of 40 (40 + 8 is a multiple of 16) at 8 and
 * 56, the rest of the first 4096 bytes free; the freed one is "cached",
 * counted neither as used nor as free, and its requested bytes are gone. */
START_TEST(freed_object_is_cached_in_the_dump)
{
    void *a;

    fixture_heap(HL_PRESET_DEFAULT, "cache=on", NULL);
    a = hl_alloc(heap, 40);
    hl_alloc(heap, 40);
    hl_free(heap, a);
    ck_assert_str_eq(fixture_dump(),
        "heap align=16 fit=first order=lifo merge=immediate cache=on\n"
        "size 4096 first 8 end 4088\n"
        "block 8 cached 40\n"
        "block 56 used 40 requested 40\n"
        "block 104 free 3976\n"
        "freelist 104\n"
        "cache 8\n"
        "remote empty\n"
        "stats used=1/40 free=1/3976 largest=3976 requested=40\n"
        "counts allocs=2 frees=1 reallocs=0 failures=0 grows=1 trims=0 "
        "splits=2 merges=0\n"
        "cache cached=1/40 hits=0 puts=1 flushes=0 remote_frees=0 "
        "drains=0\n");
    ck_assert_heap_ok();
}
END_TEST

START_TEST(freed_small_object_stays_in_the_cache)
{
    hl_stats before, after;
    hl_block_info info;
    offsets cached;
    size_t size, at;
    void *a, *guard;

    cache_heap(_i);
    a = hl_alloc(heap, 40);
    guard = hl_alloc(heap, 40);
    size = hl_usable_size(heap, a);
    at = block_offset(a);
    before = stats();
    watch_events();
    hl_free(heap, a);

    /* One event: the block went to the cache, not to the heap. */
    ck_assert_int_eq(event_count, 1);
    ck_assert_int_eq(events[0].kind, HL_EVENT_CACHE_PUT);
    ck_assert_uint_eq(events[0].offset, at);
    ck_assert_uint_eq(events[0].size, size);
    ck_assert_uint_eq(events[0].requested, 40);

    info = block_at(at);
    ck_assert(info.cached);
    ck_assert(!info.free);
    ck_assert_uint_eq(info.size, size);
    ck_assert_uint_eq(info.requested, 0);
    ck_assert(!hl_heap_block_of(heap, a, &info)); /* no longer an object */
    ck_assert(hl_heap_block_of(heap, guard, &info));

    after = stats();
    ck_assert_uint_eq(after.used_blocks, before.used_blocks - 1);
    ck_assert_uint_eq(after.used_bytes, before.used_bytes - size);
    ck_assert_uint_eq(after.requested_bytes, before.requested_bytes - 40);
    ck_assert_uint_eq(after.free_blocks, before.free_blocks);
    ck_assert_uint_eq(after.free_bytes, before.free_bytes);
    ck_assert_uint_eq(after.cached_blocks, 1);
    ck_assert_uint_eq(after.cached_bytes, size);
    ck_assert_uint_eq(after.cache_puts, 1);
    ck_assert_uint_eq(after.frees, before.frees + 1);
    ck_assert_uint_eq(after.merges, before.merges);

    cached = cached_offsets();
    ck_assert_uint_eq(cached.n, 1);
    ck_assert_uint_eq(cached.at[0], at);
    ck_assert_heap_ok();
}
END_TEST

START_TEST(same_class_gets_the_same_address)
{
    size_t align, at, size;
    hl_block_info info;
    void *a, *b, *c, *d;

    cache_heap(_i);
    align = align_of(heap);
    a = hl_alloc(heap, 72);
    hl_alloc(heap, 200);
    size = hl_usable_size(heap, a);
    at = block_offset(a);
    hl_free(heap, a);
    ck_assert_heap_ok();

    /* The class above and the smallest class (more than one class below)
     * do not take it. */
    watch_events();
    b = hl_alloc(heap, size + 1);
    ck_assert_ptr_ne(b, a);
    ck_assert_uint_eq(hl_usable_size(heap, b), size + align);
    c = hl_alloc(heap, 1);
    ck_assert_ptr_ne(c, a);
    ck_assert_int_eq(count_events(HL_EVENT_CACHE_HIT), 0);
    ck_assert_uint_eq(stats().cached_blocks, 1);
    ck_assert_heap_ok();

    /* Any size of its class does: the smallest request of the class is
     * one align step above the class below. */
    watch_events();
    d = hl_alloc(heap, size - align + 1);
    ck_assert_ptr_eq(d, a);
    ck_assert_int_eq(event_count, 1);
    ck_assert_int_eq(events[0].kind, HL_EVENT_CACHE_HIT);
    ck_assert_uint_eq(events[0].offset, at);
    ck_assert_uint_eq(events[0].size, size);
    ck_assert_uint_eq(events[0].requested, size - align + 1);
    ck_assert(hl_heap_block_of(heap, d, &info));
    ck_assert(!info.cached);
    ck_assert_uint_eq(info.requested, size - align + 1);
    ck_assert_uint_eq(stats().cache_hits, 1);
    ck_assert_uint_eq(stats().cached_blocks, 0);
    ck_assert_heap_ok();
}
END_TEST

/* A request of the class just below takes a block of the class above when
 * its own class is empty (such a block may be one cut with an unsplit
 * rest), and keeps the block's size; two classes below never does. */
START_TEST(the_class_below_takes_from_the_class_above)
{
    size_t align, size;
    void *a, *b, *c;

    cache_heap(_i);
    align = align_of(heap);
    a = hl_alloc(heap, 72);
    hl_alloc(heap, 200);
    size = hl_usable_size(heap, a);
    hl_free(heap, a);

    c = hl_alloc(heap, size - 2 * align);   /* two classes below */
    ck_assert_ptr_ne(c, a);
    ck_assert_uint_eq(stats().cached_blocks, 1);
    watch_events();
    b = hl_alloc(heap, size - align);       /* the class just below */
    ck_assert_ptr_eq(b, a);
    ck_assert_uint_eq(hl_usable_size(heap, b), size);
    ck_assert_int_eq(count_events(HL_EVENT_CACHE_HIT), 1);
    ck_assert_uint_eq(stats().cached_blocks, 0);
    ck_assert_uint_eq(stats().requested_bytes, 200 + (size - 2 * align) +
                                                   (size - align));
    ck_assert_heap_ok();
}
END_TEST

/* A class is a stack: the last block put is the first taken. */
START_TEST(a_class_hands_out_the_last_block_first)
{
    void *x, *y, *z;
    offsets cached;

    cache_heap(_i);
    x = hl_alloc(heap, 64);
    y = hl_alloc(heap, 64);
    z = hl_alloc(heap, 64);
    hl_alloc(heap, 64); /* so that z's neighbour is not the free rest */
    hl_free(heap, x);
    hl_free(heap, z);
    hl_free(heap, y);
    cached = cached_offsets();
    ck_assert_uint_eq(cached.n, 3);
    ck_assert_uint_eq(cached.at[0], block_offset(y));
    ck_assert_uint_eq(cached.at[1], block_offset(z));
    ck_assert_uint_eq(cached.at[2], block_offset(x));
    ck_assert_ptr_eq(hl_alloc(heap, 64), y);
    ck_assert_ptr_eq(hl_alloc(heap, 64), z);
    ck_assert_ptr_eq(hl_alloc(heap, 64), x);
    ck_assert_uint_eq(stats().cache_hits, 3);
    ck_assert_heap_ok();
}
END_TEST

/* calloc from the cache zeroes the whole object, the link word too. */
START_TEST(calloc_of_a_cached_block_is_zeroed)
{
    unsigned char *a, *z;
    size_t i;

    cache_heap(_i);
    a = hl_alloc(heap, 40);
    hl_alloc(heap, 40);
    memset(a, 0xAB, 40);
    hl_free(heap, a);
    z = hl_calloc(heap, 5, 8);
    ck_assert_ptr_eq(z, a);
    for (i = 0; i < 40; i++)
        ck_assert_uint_eq(z[i], 0);
    ck_assert_heap_ok();
}
END_TEST

/* An over-aligned request is served aligned, cache or not. */
START_TEST(over_aligned_request_is_aligned)
{
    void *a[8], *p;
    int i;

    cache_heap(_i);
    for (i = 0; i < 8; i++)
        a[i] = hl_alloc(heap, 40);
    for (i = 0; i < 8; i++)
        hl_free(heap, a[i]);
    p = hl_aligned_alloc(heap, 256, 40);
    ck_assert_ptr_nonnull(p);
    ck_assert_uint_eq((uintptr_t)p % 256, 0);
    ck_assert_heap_ok();
}
END_TEST

/* The largest cached class is HL_CACHE_MAX_SIZE; one step more goes to
 * the heap. */
START_TEST(the_largest_class_is_cached_and_no_larger)
{
    size_t max;
    void *a, *b;

    cache_heap(_i);
    max = HL_CACHE_MAX_SIZE(align_of(heap), min_contents(heap));
    a = hl_alloc(heap, max);
    hl_alloc(heap, 16);
    b = hl_alloc(heap, max + 1);
    hl_alloc(heap, 16);
    ck_assert_uint_eq(hl_usable_size(heap, a), max);
    ck_assert_uint_eq(hl_usable_size(heap, b), max + align_of(heap));
    watch_events();
    hl_free(heap, a);
    ck_assert_int_eq(event_count, 1);
    ck_assert_int_eq(events[0].kind, HL_EVENT_CACHE_PUT);
    watch_events();
    hl_free(heap, b);
    ck_assert_int_eq(count_events(HL_EVENT_CACHE_PUT), 0);
    ck_assert_int_eq(count_events(HL_EVENT_FREE), 1);
    ck_assert_uint_eq(events[0].offset, block_offset(b));
    ck_assert(block_at(block_offset(b)).free);
    ck_assert_uint_eq(stats().cached_blocks, 1);
    ck_assert_heap_ok();
}
END_TEST

/* ---------------------------------------------------------------------------
 * The bound
 * ------------------------------------------------------------------------- */

/* HL_CACHE_DEPTH + 2 neighbours of one class, then the free rest.  The
 * first HL_CACHE_DEPTH frees are cached; the last neighbour's free finds
 * the class full and goes to the heap (with immediate merging, joining the
 * free rest); so does the one before it (joining that). */
START_TEST(a_full_class_frees_to_the_heap)
{
    enum { N = HL_CACHE_DEPTH + 2 };
    void *o[N];
    bool immediate;
    size_t size;
    hl_stats s;
    int i;

    cache_heap(_i);
    immediate = hl_heap_config(heap)->merge == HL_MERGE_IMMEDIATE;
    for (i = 0; i < N; i++)
        o[i] = hl_alloc(heap, 48);
    hl_alloc(heap, 48); /* the last one's neighbour: not the free rest */
    size = hl_usable_size(heap, o[0]);
    for (i = 1; i < N; i++) /* neighbours, in address order */
        ck_assert_uint_eq(block_offset(o[i]),
                          block_offset(o[i - 1]) + 8 + size);
    watch_events();
    for (i = 0; i < HL_CACHE_DEPTH; i++) {
        hl_free(heap, o[i]);
        ck_assert_heap_ok();
    }
    ck_assert_int_eq(event_count, HL_CACHE_DEPTH);
    ck_assert_int_eq(count_events(HL_EVENT_CACHE_PUT), HL_CACHE_DEPTH);
    s = stats();
    ck_assert_uint_eq(s.cached_blocks, HL_CACHE_DEPTH);
    ck_assert_uint_eq(cached_offsets().n, HL_CACHE_DEPTH);

    watch_events();
    hl_free(heap, o[N - 1]); /* between two blocks in use: merges nothing */
    ck_assert_int_eq(count_events(HL_EVENT_CACHE_PUT), 0);
    ck_assert_int_eq(events[0].kind, HL_EVENT_FREE);
    ck_assert_uint_eq(events[0].offset, block_offset(o[N - 1]));
    ck_assert_int_eq(count_events(HL_EVENT_MERGE), 0);
    ck_assert(block_at(block_offset(o[N - 1])).free);
    ck_assert_heap_ok();

    watch_events();
    hl_free(heap, o[N - 2]);
    ck_assert_int_eq(count_events(HL_EVENT_CACHE_PUT), 0);
    ck_assert_int_eq(events[0].kind, HL_EVENT_FREE);
    ck_assert_int_eq(count_events(HL_EVENT_MERGE), immediate ? 1 : 0);
    ck_assert(block_at(block_offset(o[N - 2])).free);
    ck_assert_heap_ok();

    s = stats();
    ck_assert_uint_eq(s.cached_blocks, HL_CACHE_DEPTH);
    ck_assert_uint_eq(s.cache_puts, HL_CACHE_DEPTH);
    ck_assert_uint_eq(s.frees, N);
    ck_assert_uint_eq(s.requested_bytes, 48); /* the last neighbour's */

    /* Hits make room again: the next free of the class is cached (one
     * whose neighbours are in use: o[N - 3] is next to free memory). */
    ck_assert_ptr_eq(hl_alloc(heap, 48), o[HL_CACHE_DEPTH - 1]);
    ck_assert_ptr_eq(hl_alloc(heap, 48), o[HL_CACHE_DEPTH - 2]);
    watch_events();
    hl_free(heap, o[HL_CACHE_DEPTH - 2]);
    ck_assert_int_eq(event_count, 1);
    ck_assert_int_eq(events[0].kind, HL_EVENT_CACHE_PUT);
    ck_assert_heap_ok();
}
END_TEST

/* The last block, or the block under a free last block, merges instead of
 * staying in the cache: cached, it would keep the memory under the top
 * from being given back.  Elsewhere a block next to free memory is cached
 * as any other. */
START_TEST(blocks_next_to_free_memory_are_not_cached)
{
    void *a, *b, *c, *top;

    cache_heap(_i);
    a = hl_alloc(heap, 48);
    b = hl_alloc(heap, 48);
    c = hl_alloc(heap, 48);
    top = hl_alloc(heap, 48);
    hl_free(heap, b);                 /* neighbours in use: cached */
    ck_assert_uint_eq(stats().cached_blocks, 1);
    ck_assert_uint_eq(hl_heap_free_top(heap) > 0, 1); /* the free rest */
    hl_free(heap, top);               /* next to the free rest: merged */
    ck_assert_uint_eq(stats().cached_blocks, 1);
    ck_assert(block_at(block_offset(top)).free);
    hl_free(heap, c);                 /* next to free memory: merged too */
    ck_assert_uint_eq(stats().cached_blocks, 1);
    ck_assert(block_at(block_offset(c)).free);
    ck_assert_uint_eq(hl_heap_free_top(heap), stats().largest_free);
    hl_free(heap, a);                 /* its neighbour b is cached: in use */
    ck_assert_uint_eq(stats().cached_blocks, 2);
    ck_assert_heap_ok();
}
END_TEST

/* Each class has its own bound. */
START_TEST(classes_are_bounded_one_by_one)
{
    void *o[2][HL_CACHE_DEPTH];
    int i, k;

    cache_heap(_i);
    for (i = 0; i < HL_CACHE_DEPTH; i++)
        for (k = 0; k < 2; k++)
            o[k][i] = hl_alloc(heap, k ? 100 : 40);
    hl_alloc(heap, 40); /* the last one's neighbour: not the free rest */
    for (k = 0; k < 2; k++)
        for (i = 0; i < HL_CACHE_DEPTH; i++)
            hl_free(heap, o[k][i]);
    ck_assert_uint_eq(stats().cached_blocks, 2 * HL_CACHE_DEPTH);
    ck_assert_uint_eq(stats().cache_puts, 2 * HL_CACHE_DEPTH);
    ck_assert_heap_ok();
}
END_TEST

/* ---------------------------------------------------------------------------
 * Flushing
 * ------------------------------------------------------------------------- */

static _Alignas(4096) char other_buffer[FIXTURE_CAPACITY];

/* The dump, without what only a heap with a cache shows (" cache=on", the
 * cache and remote lines), and with the freelist's offsets sorted: the
 * flush pushes the blocks in its own order, class by class. */
static void normalize(const char *dump, char *out, size_t size)
{
    const char *line = dump;
    size_t n = 0;

    while (*line) {
        const char *eol = strchr(line, '\n');
        size_t len = eol ? (size_t)(eol - line) + 1 : strlen(line);
        char text[8192];

        ck_assert_uint_lt(len, sizeof text);
        memcpy(text, line, len);
        text[len] = '\0';
        line += len;
        if (!strncmp(text, "cache", 5) || !strncmp(text, "remote", 6))
            continue;
        if (!strncmp(text, "heap ", 5)) {
            char *c = strstr(text, " cache=on");
            if (c)
                memmove(c, c + 9, strlen(c + 9) + 1);
        }
        if (!strncmp(text, "freelist ", 9) && strcmp(text, "freelist empty\n")) {
            size_t at[512], count = 0, i, j;
            char *p = text + 8;
            while (*p == ' ') {
                ck_assert_uint_lt(count, 512);
                at[count++] = strtoul(p + 1, &p, 10);
            }
            for (i = 1; i < count; i++)
                for (j = i; j > 0 && at[j - 1] > at[j]; j--) {
                    size_t t = at[j];
                    at[j] = at[j - 1];
                    at[j - 1] = t;
                }
            p = text + snprintf(text, sizeof text, "freelist");
            for (i = 0; i < count; i++)
                p += snprintf(p, sizeof text - (size_t)(p - text), " %zu",
                              at[i]);
            snprintf(p, sizeof text - (size_t)(p - text), "\n");
        }
        ck_assert_uint_lt(n + strlen(text), size);
        memcpy(out + n, text, strlen(text) + 1);
        n += strlen(text);
    }
}

/* The same allocations and frees on a heap with the cache and one without;
 * after hl_heap_flush_cache both dumps say the same (but for the order of
 * the freelist, see normalize). */
START_TEST(flush_leaves_the_heap_a_cacheless_heap_would_have)
{
    static const size_t sizes[] = {40, 24, 1000, 40, 2000, 56, 40, 40,
                                   100, 8, 1032, 48};
    static const int frees[] = {1, 0, 3, 6, 7, 4, 8, 2, 10};
    enum { K = sizeof sizes / sizeof sizes[0], F = sizeof frees / sizeof frees[0],
           RUN = HL_CACHE_DEPTH + 4 };
    static char with[64 * 1024], without[64 * 1024];
    hl_static_grower grower2;
    hl_heap_space space2;
    hl_heap *heaps[2], *plain;
    hl_config cfg;
    void *p[2][K], *run[2][RUN];
    size_t cached, max;
    hl_stats s;
    int h, i;

    cache_heap(_i);
    cfg = *hl_heap_config(heap);
    cfg.cache = false;
    ck_assert_int_eq(hl_static_grower_init(&grower2, other_buffer,
                                           sizeof other_buffer, 4096), 0);
    plain = hl_heap_init(&space2, &cfg, &grower2.base);
    ck_assert_ptr_nonnull(plain);
    heaps[0] = heap;
    heaps[1] = plain;

    max = HL_CACHE_MAX_SIZE(align_of(heap), min_contents(heap));
    for (h = 0; h < 2; h++) {
        for (i = 0; i < K; i++)
            p[h][i] = hl_alloc(heaps[h], sizes[i]);
        for (i = 0; i < RUN; i++) /* more of one class than it holds */
            run[h][i] = hl_alloc(heaps[h], 72);
    }
    for (cached = HL_CACHE_DEPTH, i = 0; i < F; i++)
        cached += hl_usable_size(heap, p[0][frees[i]]) <= max;
    for (h = 0; h < 2; h++) {
        for (i = 0; i < F; i++)
            hl_free(heaps[h], p[h][frees[i]]);
        for (i = 0; i < RUN; i++)
            hl_free(heaps[h], run[h][i]);
    }
    s = stats();
    ck_assert_uint_eq(s.cached_blocks, cached);
    ck_assert_heap_ok();

    watch_events();
    ck_assert_uint_eq(hl_heap_flush_cache(heap), cached);
    ck_assert_int_eq(count_events(HL_EVENT_FLUSH), (int)cached);
    ck_assert_int_eq(count_events(HL_EVENT_FREE), 0); /* counted at the put */
    s = stats();
    ck_assert_uint_eq(s.cached_blocks, 0);
    ck_assert_uint_eq(s.cached_bytes, 0);
    ck_assert_uint_eq(s.flushes, cached);
    ck_assert_uint_eq(cached_offsets().n, 0);
    ck_assert_heap_ok();

    normalize(fixture_dump(), with, sizeof with);
    heap = plain;
    normalize(fixture_dump(), without, sizeof without);
    ck_assert_str_eq(with, without);
    ck_assert_heap_ok();

    /* A second flush has nothing to give. */
    heap = heaps[0];
    ck_assert_uint_eq(hl_heap_flush_cache(heap), 0);
    hl_heap_destroy(plain); /* its objects are not leaks (valgrind) */
}
END_TEST

/* A trim flushes the cache first: a cached block on top of the free rest
 * does not hold the memory under it. */
START_TEST(trim_leaves_the_cache_and_a_flush_gives_it_back)
{
    void *a, *b, *big;
    hl_stats before, after, flushed;

    cache_heap(_i);
    hl_alloc(heap, 40);
    a = hl_alloc(heap, 40);
    b = hl_alloc(heap, 40);
    big = hl_alloc(heap, 20000);
    hl_free(heap, a);   /* cached: its neighbour b is in use */
    hl_free(heap, big); /* too big to cache: the top is free */
    hl_free(heap, b);   /* next to free memory: merged, not cached */
    before = stats();
    ck_assert_uint_eq(before.cached_blocks, 1);
    ck_assert_uint_gt(hl_heap_trim(heap, 0), 0);
    after = stats();
    ck_assert_uint_eq(after.cached_blocks, 1); /* the cache is kept */
    ck_assert_uint_eq(after.flushes, 0);
    ck_assert_uint_lt(after.heap_size, before.heap_size);
    ck_assert_heap_ok();
    /* Flushed, the cached block joins the free top, which a trim gives
     * back too. */
    ck_assert_uint_eq(hl_heap_flush_cache(heap), 1);
    ck_assert_uint_gt(hl_heap_trim(heap, 0), 0);
    flushed = stats();
    ck_assert_uint_eq(flushed.cached_blocks, 0);
    ck_assert_uint_eq(flushed.flushes, 1);
    ck_assert_uint_eq(flushed.used_blocks, 1); /* the first, kept */
    ck_assert_uint_lt(flushed.heap_size, after.heap_size);
    ck_assert_heap_ok();
}
END_TEST

/* A heap that cannot grow flushes its cache and searches again before it
 * gives up: eight cached neighbours merge into room for a bigger object. */
START_TEST(the_cache_is_flushed_before_the_heap_grows)
{
    void *small[8], *big, *wall;
    hl_stats s;
    int i;

    fixture_heap_sized(HL_PRESET_FAST, 4096, 4096, NULL);
    for (i = 0; i < 8; i++)
        small[i] = hl_alloc(heap, 100);
    wall = hl_alloc(heap, 16);
    /* The heap ends at 4088; from 8, eight blocks of 112 and the wall's 32
     * leave one block's room, taken whole: nothing is free. */
    ck_assert_ptr_nonnull(hl_alloc(heap, 4088 - 8 - 8 * 112 - 32 - 8));
    ck_assert_uint_eq(stats().free_blocks, 0);
    for (i = 0; i < 8; i++)
        hl_free(heap, small[i]);
    ck_assert_uint_eq(stats().cached_blocks, 8);
    big = hl_alloc(heap, 800);
    ck_assert_ptr_eq(big, small[0]);
    s = stats();
    ck_assert_uint_eq(s.cached_blocks, 0);
    ck_assert_uint_eq(s.flushes, 8);
    ck_assert_uint_eq(s.heap_size, 4096);
    ck_assert_ptr_nonnull(wall);
    ck_assert_heap_ok();
}
END_TEST

/* Without the knob nothing is cached. */
START_TEST(cache_off_caches_nothing)
{
    void *a;

    fixture_heap(HL_PRESET_DEFAULT, NULL);
    a = hl_alloc(heap, 40);
    hl_alloc(heap, 40);
    watch_events();
    hl_free(heap, a);
    ck_assert_int_eq(count_events(HL_EVENT_CACHE_PUT), 0);
    ck_assert_int_eq(events[0].kind, HL_EVENT_FREE);
    ck_assert(block_at(block_offset(a)).free);
    ck_assert_uint_eq(hl_heap_flush_cache(heap), 0);
    ck_assert_ptr_null(strstr(fixture_dump(), "cache"));
    ck_assert_heap_ok();
}
END_TEST

/* ---------------------------------------------------------------------------
 * Misuse
 * ------------------------------------------------------------------------- */

START_TEST(double_free_of_a_cached_object_is_reported)
{
    char before[8192];
    void *a;

    cache_heap(_i);
    watch_errors();
    a = hl_alloc(heap, 40);
    hl_alloc(heap, 40);
    hl_free(heap, a);
    strcpy(before, fixture_dump());
    hl_free(heap, a);
    ck_assert_int_eq(errors, 1);
    ck_assert_int_eq(last_kind, HL_ERROR_DOUBLE_FREE);
    ck_assert_str_eq(last_op, "free");
    ck_assert_ptr_eq(last_ptr, a);
    ck_assert_str_eq(fixture_dump(), before); /* nothing was applied */
    ck_assert_heap_ok();

    errno = 0;
    ck_assert_ptr_null(hl_realloc(heap, a, 10));
    ck_assert_int_eq(errno, EINVAL);
    ck_assert_int_eq(errors, 2);
    ck_assert_int_eq(last_kind, HL_ERROR_DOUBLE_FREE);
    ck_assert_str_eq(last_op, "realloc");
    ck_assert_uint_eq(hl_usable_size(heap, a), 0);
    ck_assert_int_eq(errors, 3);
    ck_assert_str_eq(fixture_dump(), before);

    /* Flushed, it is an ordinary free block: still a double free. */
    hl_heap_flush_cache(heap);
    hl_free(heap, a);
    ck_assert_int_eq(errors, 4);
    ck_assert_int_eq(last_kind, HL_ERROR_DOUBLE_FREE);
    ck_assert_heap_ok();
}
END_TEST

/* A write after free over the link of a cached block: here it points at
 * the header of a live neighbour, c.  The take that would follow it finds
 * no cached block there and reports the heap corrupt, once; c is never
 * handed out a second time.  The heap is latched corrupt: this malloc and
 * every later one fail with ENOMEM.  The cache is dropped, so the block
 * behind the smashed one (a) keeps its C bit, and the checker says so. */
START_TEST(smashed_link_to_a_live_block_is_not_followed)
{
    unsigned char *a, *b, *c, *q, *r;
    size_t i;
    char why[256];

    cache_heap(_i);
    watch_errors();
    a = hl_alloc(heap, 40);
    b = hl_alloc(heap, 40);
    c = hl_alloc(heap, 40);
    hl_alloc(heap, 40);
    memset(c, 0xC3, 40);
    hl_free(heap, a);
    hl_free(heap, b); /* the class: b -> a */
    ck_assert_heap_ok();

    *(void **)fixture_expose(b, 8) = c - 8; /* the write after free */
    ck_assert(!hl_heap_check(heap, why, sizeof why));
    ck_assert_msg(strstr(why, "cache") != NULL, "%s", why);

    ck_assert_ptr_eq(hl_alloc(heap, 40), b); /* b itself is sound */
    ck_assert_int_eq(errors, 0);
    errno = 0;
    q = hl_alloc(heap, 40);
    ck_assert_int_eq(errors, 1);
    ck_assert_int_eq(last_kind, HL_ERROR_CORRUPT);
    ck_assert_str_eq(last_op, "malloc");
    ck_assert_ptr_null(q);
    ck_assert_int_eq(errno, ENOMEM);
    for (i = 0; i < 40; i++)
        ck_assert_uint_eq(c[i], 0xC3);
    r = hl_alloc(heap, 40); /* latched: no second report, no object */
    ck_assert_int_eq(errors, 1);
    ck_assert_ptr_null(r);
    hl_free(heap, c); /* does nothing */
    ck_assert_int_eq(errors, 1);
    ck_assert_uint_eq(stats().cache_hits, 1);

    ck_assert(!hl_heap_check(heap, why, sizeof why));
    ck_assert_msg(strstr(why, "C bit") != NULL, "%s", why);
}
END_TEST

/* A link smashed with a wild address (outside the heap, unmapped, not
 * even canonical): the checker, the dump, a flush and a take must all
 * stop short of it, or this test dies of SIGSEGV. */
START_TEST(smashed_link_to_a_wild_address_is_not_followed)
{
    const char *dump;
    void *a, *b;
    char why[256];

    cache_heap(_i);
    watch_errors();
    a = hl_alloc(heap, 40);
    b = hl_alloc(heap, 40);
    hl_alloc(heap, 40);
    hl_free(heap, a);
    hl_free(heap, b); /* b -> a */
    *(uint64_t *)fixture_expose(b, 8) = 0x4141414141414140ull;

    ck_assert(!hl_heap_check(heap, why, sizeof why));
    ck_assert_msg(strstr(why, "outside the heap") != NULL, "%s", why);
    dump = fixture_dump();
    ck_assert_msg(strstr(dump, "\ncorrupt: ") != NULL, "%s", dump);
    ck_assert_int_eq(errors, 0); /* looking reports nothing */

    /* The flush gives b back, then stops at the smashed link. */
    ck_assert_uint_eq(hl_heap_flush_cache(heap), 1);
    ck_assert_int_eq(errors, 1);
    ck_assert_int_eq(last_kind, HL_ERROR_CORRUPT);
    ck_assert_str_eq(last_op, "flush");
    ck_assert(block_at(block_offset(b)).free);
    ck_assert(block_at(block_offset(a)).cached); /* lost to the cache */
    ck_assert_ptr_null(hl_alloc(heap, 40)); /* latched corrupt */
    ck_assert_int_eq(errors, 1);
}
END_TEST

/* A link smashed to point at a cached block of a smaller class: handing
 * it out for this class would give the caller a block too small.  It is
 * reported, and the heap hands out nothing more. */
START_TEST(smashed_link_to_another_class_is_not_taken)
{
    void *a, *b, *x, *q;

    cache_heap(_i);
    watch_errors();
    a = hl_alloc(heap, 40);
    b = hl_alloc(heap, 40);
    x = hl_alloc(heap, 1); /* the smallest class */
    hl_alloc(heap, 40);
    hl_free(heap, x);
    hl_free(heap, a);
    hl_free(heap, b); /* b -> a */
    *(void **)fixture_expose(b, 8) = (char *)x - 8;
    ck_assert_ptr_eq(hl_alloc(heap, 40), b);
    q = hl_alloc(heap, 40);
    ck_assert_ptr_null(q);
    ck_assert_int_eq(errors, 1);
    ck_assert_int_eq(last_kind, HL_ERROR_CORRUPT);
    ck_assert_ptr_null(hl_alloc(heap, 1)); /* not x, nor anything else */
    ck_assert_int_eq(errors, 1);
}
END_TEST

START_TEST(smashed_link_found_by_a_take)
{
    void *a, *b, *q;

    cache_heap(_i);
    watch_errors();
    a = hl_alloc(heap, 40);
    b = hl_alloc(heap, 40);
    hl_alloc(heap, 40);
    hl_free(heap, a);
    hl_free(heap, b);
    *(uint64_t *)fixture_expose(b, 8) = 0x4141414141414140ull;
    ck_assert_ptr_eq(hl_alloc(heap, 40), b);
    q = hl_alloc(heap, 40);
    ck_assert_ptr_null(q);
    ck_assert_int_eq(errors, 1);
    ck_assert_int_eq(last_kind, HL_ERROR_CORRUPT);
    ck_assert_str_eq(last_op, "malloc");
    ck_assert_uint_eq((uintptr_t)last_ptr, 0x4141414141414140ull + 8);
}
END_TEST

/* The checker against a cache out of step with the headers: each damage
 * fails it with a message, and undoing the damage makes it pass again.
 * A header is the word before the object; its C bit is 4; the check byte
 * covers the address and size only, so the header stays "sound". */
START_TEST(check_catches_a_damaged_cache)
{
    uint64_t *ha, *hg, saved;
    void *a, *b, *g, *x;
    char why[256];

    cache_heap(_i);
    a = hl_alloc(heap, 40);
    b = hl_alloc(heap, 40);
    g = hl_alloc(heap, 40);
    hl_free(heap, a);
    hl_free(heap, b); /* b -> a */
    ck_assert_heap_ok();
    ha = header_of(a);
    hg = header_of(g);

    /* A cached block whose C bit is clear: the walk takes it for a live
     * object (whose requested bytes the heap does not count). */
    ck_assert(*ha & C_BIT);
    *ha &= ~C_BIT;
    ck_assert(!hl_heap_check(heap, why, sizeof why));
    ck_assert_msg(why[0] != '\0', "a failed check without a message");
    *ha |= C_BIT;
    ck_assert_heap_ok();

    /* A live block whose C bit is set. */
    ck_assert(!(*hg & C_BIT));
    *hg |= C_BIT;
    ck_assert(!hl_heap_check(heap, why, sizeof why));
    ck_assert_msg(why[0] != '\0', "a failed check without a message");
    *hg &= ~C_BIT;
    ck_assert_heap_ok();

    /* A class whose list loops back (a's link, NULL, made to point at b):
     * more blocks on it than it counts. */
    saved = *(uint64_t *)fixture_expose(a, 8);
    ck_assert_uint_eq(saved, 0);
    *(void **)a = (char *)b - 8;
    ck_assert(!hl_heap_check(heap, why, sizeof why));
    ck_assert_msg(strstr(why, "more blocks than its count") != NULL, "%s",
                  why);
    *(uint64_t *)a = saved;
    ck_assert_heap_ok();

    /* A list cut short: b's link made NULL, a is left out. */
    saved = *(uint64_t *)fixture_expose(b, 8);
    *(uint64_t *)b = 0;
    ck_assert(!hl_heap_check(heap, why, sizeof why));
    ck_assert_msg(strstr(why, "holds 1 blocks but counts 2") != NULL, "%s",
                  why);
    *(uint64_t *)b = saved;
    ck_assert_heap_ok();

    /* A link to a cached block of another class. */
    x = hl_alloc(heap, 200);
    hl_alloc(heap, 300); /* x's neighbour (a size no class holds) */
    hl_free(heap, x);
    ck_assert_heap_ok();
    *(void **)fixture_expose(b, 8) = (char *)x - 8;
    ck_assert(!hl_heap_check(heap, why, sizeof why));
    ck_assert_msg(strstr(why, "in cache class") != NULL, "%s", why);
    *(uint64_t *)b = saved;
    ck_assert_heap_ok();
}
END_TEST

Suite *cache_suite(void);
Suite *cache_suite(void)
{
    Suite *s = suite_create("cache");
    TCase *put = tcase_create("put-and-take");
    TCase *bound = tcase_create("bound");
    TCase *flush = tcase_create("flush");
    TCase *misuse = tcase_create("misuse");

    tcase_add_test(put, freed_object_is_cached_in_the_dump);
    tcase_add_loop_test(put, freed_small_object_stays_in_the_cache, 0, CONFIGS);
    tcase_add_loop_test(put, same_class_gets_the_same_address, 0, CONFIGS);
    tcase_add_loop_test(put, the_class_below_takes_from_the_class_above, 0,
                        CONFIGS);
    tcase_add_loop_test(put, a_class_hands_out_the_last_block_first, 0, CONFIGS);
    tcase_add_loop_test(put, calloc_of_a_cached_block_is_zeroed, 0, CONFIGS);
    tcase_add_loop_test(put, over_aligned_request_is_aligned, 0, CONFIGS);
    tcase_add_loop_test(put, the_largest_class_is_cached_and_no_larger, 0,
                        CONFIGS);
    suite_add_tcase(s, put);
    tcase_add_loop_test(bound, a_full_class_frees_to_the_heap, 0, CONFIGS);
    /* With immediate merging only: lazily merged, a free top does not
     * join the free rest, and the block under it is cached as any other. */
    tcase_add_loop_test(bound, blocks_next_to_free_memory_are_not_cached, 0,
                        2);
    tcase_add_loop_test(bound, classes_are_bounded_one_by_one, 0, CONFIGS);
    suite_add_tcase(s, bound);
    tcase_add_loop_test(flush, flush_leaves_the_heap_a_cacheless_heap_would_have,
                        0, CONFIGS);
    tcase_add_loop_test(flush, trim_leaves_the_cache_and_a_flush_gives_it_back,
                        0, 2); /* immediate merging: a free top is one block */
    tcase_add_test(flush, cache_off_caches_nothing);
    tcase_add_test(flush, the_cache_is_flushed_before_the_heap_grows);
    suite_add_tcase(s, flush);
    tcase_add_loop_test(misuse, double_free_of_a_cached_object_is_reported, 0,
                        CONFIGS);
    tcase_add_loop_test(misuse, smashed_link_to_a_live_block_is_not_followed,
                        0, CONFIGS);
    tcase_add_loop_test(misuse, smashed_link_to_a_wild_address_is_not_followed,
                        0, CONFIGS);
    tcase_add_loop_test(misuse, smashed_link_found_by_a_take, 0, CONFIGS);
    tcase_add_loop_test(misuse, smashed_link_to_another_class_is_not_taken, 0,
                        CONFIGS);
    tcase_add_loop_test(misuse, check_catches_a_damaged_cache, 0, CONFIGS);
    suite_add_tcase(s, misuse);
    return s;
}

int main(void) { return fixture_run(cache_suite()); }

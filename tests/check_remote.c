/* check_remote.c - frees from threads that do not own the heap
 * (lib/remote.c): hl_free_remote pushes an object on the heap's remote
 * list without touching the heap; the owner's next operation takes the
 * whole list and frees each object as its own (events REMOTE_FREE, then
 * one DRAIN); misuse is found then, reported by the owner, and ends the
 * drain.  Then real threads: producers free remotely into a heap while
 * its owner allocates and frees, and everything balances afterwards.
 *
 * The heap is the fixture's (unlocked: the remote list needs no lock),
 * with the cache (preset fast, and default + cache=on) and without it
 * (preset default). */
#include <pthread.h>
#include <stdatomic.h>

#include "watch.h"

#define CONFIGS 3

static void remote_heap(int config)
{
    switch (config) {
    case 0: fixture_heap(HL_PRESET_DEFAULT, "cache=on", NULL); break;
    case 1: fixture_heap(HL_PRESET_FAST, NULL); break;
    default: fixture_heap(HL_PRESET_DEFAULT, NULL); break;
    }
    ck_assert(!hl_heap_config(heap)->locked);
}

typedef struct seen {
    size_t n;
    hl_block_info at[64];
} seen;

static bool add_block(const hl_block_info *b, void *arg)
{
    seen *s = arg;

    if (s->n < 64)
        s->at[s->n] = *b;
    s->n++;
    return true;
}

static seen pending(void)
{
    seen s = {0, {{0}}};

    ck_assert_uint_eq(hl_heap_visit_remote(heap, add_block, &s), s.n);
    return s;
}

static bool is_live(void *p)
{
    hl_block_info info;
    return hl_heap_block_of(heap, p, &info);
}

/* ---------------------------------------------------------------------------
 * One thread: the list, the drain, its events
 * ------------------------------------------------------------------------- */

/* A push changes nothing in the heap: the objects are still live, no event
 * is reported, and the walker of the remote list sees them, newest first. */
START_TEST(pending_frees_are_visible_before_the_drain)
{
    char before[8192];
    void *a, *b, *c;
    seen list;
    hl_stats s;

    remote_heap(_i);
    a = hl_alloc(heap, 40);
    b = hl_alloc(heap, 100);
    c = hl_alloc(heap, 200);
    hl_alloc(heap, 16);
    strcpy(before, fixture_blocks());
    watch_events();
    hl_free_remote(heap, a);
    hl_free_remote(heap, b);
    hl_free_remote(heap, c);
    hl_free_remote(heap, NULL); /* nothing */
    ck_assert_int_eq(event_count, 0);
    ck_assert(is_live(a) && is_live(b) && is_live(c));
    ck_assert_str_eq(fixture_blocks(), before);

    list = pending();
    ck_assert_uint_eq(list.n, 3);
    ck_assert_uint_eq(list.at[0].offset, block_offset(c));
    ck_assert_uint_eq(list.at[0].requested, 200);
    ck_assert_uint_eq(list.at[1].offset, block_offset(b));
    ck_assert_uint_eq(list.at[1].requested, 100);
    ck_assert_uint_eq(list.at[2].offset, block_offset(a));
    ck_assert_uint_eq(list.at[2].requested, 40);
    ck_assert(!list.at[0].free && !list.at[0].cached);

    s = stats();
    ck_assert_uint_eq(s.remote_pending, 3);
    ck_assert_uint_eq(s.remote_frees, 0);
    ck_assert_uint_eq(s.drains, 0);
    ck_assert_uint_eq(s.requested_bytes, 40 + 100 + 200 + 16);
    ck_assert_heap_ok(); /* pending objects are ordinary used blocks */
}
END_TEST

/* The owner's next allocation frees what is pending first, newest first,
 * each with a REMOTE_FREE event and the free's own events after it, then
 * reports one DRAIN, then allocates. */
START_TEST(the_next_allocation_drains_first)
{
    void *a, *b, *c, *p;
    size_t offs[3];
    bool cache;
    int i, k;
    hl_stats s;

    remote_heap(_i);
    cache = hl_heap_config(heap)->cache;
    a = hl_alloc(heap, 40);
    b = hl_alloc(heap, 100);
    c = hl_alloc(heap, 200);
    hl_alloc(heap, 16);
    offs[0] = block_offset(c);
    offs[1] = block_offset(b);
    offs[2] = block_offset(a);
    hl_free_remote(heap, a);
    hl_free_remote(heap, b);
    hl_free_remote(heap, c);
    watch_events();
    p = hl_alloc(heap, 3000); /* too big for the room a, b and c leave */
    ck_assert_ptr_nonnull(p);

    for (i = 0, k = 0; k < 3; k++) {
        ck_assert_int_lt(i, event_count);
        ck_assert_int_eq(events[i].kind, HL_EVENT_REMOTE_FREE);
        ck_assert_uint_eq(events[i].offset, offs[k]);
        ck_assert_uint_eq(events[i].requested, k == 0 ? 200 : k == 1 ? 100 : 40);
        i++;
        /* the free itself: into the cache, or the heap (and merges) */
        ck_assert_int_eq(events[i].kind,
                         cache ? HL_EVENT_CACHE_PUT : HL_EVENT_FREE);
        ck_assert_uint_eq(events[i].offset, offs[k]);
        for (i++; i < event_count && events[i].kind == HL_EVENT_MERGE; i++)
            ;
    }
    ck_assert_int_eq(events[i].kind, HL_EVENT_DRAIN);
    ck_assert_uint_eq(events[i].size, 3);
    ck_assert_int_eq(count_events(HL_EVENT_DRAIN), 1);
    ck_assert_int_eq(count_events(HL_EVENT_REMOTE_FREE), 3);
    ck_assert_int_eq(events[event_count - 1].kind, HL_EVENT_ALLOC);

    s = stats();
    ck_assert_uint_eq(s.remote_frees, 3);
    ck_assert_uint_eq(s.drains, 1);
    ck_assert_uint_eq(s.remote_pending, 0);
    ck_assert_uint_eq(s.requested_bytes, 16 + 3000);
    ck_assert_uint_eq(s.cached_blocks, cache ? 3 : 0);
    ck_assert(!is_live(a) && !is_live(b) && !is_live(c));
    ck_assert_uint_eq(pending().n, 0);
    ck_assert_heap_ok();

    /* Nothing pending: the next operation drains nothing. */
    watch_events();
    hl_free(heap, p);
    ck_assert_int_eq(count_events(HL_EVENT_DRAIN), 0);
    ck_assert_uint_eq(stats().drains, 1);
}
END_TEST

/* Every allocating or freeing operation of the owner drains first: alloc,
 * free, realloc, calloc, aligned_alloc, and hl_heap_drain itself.  A trim
 * does not (it only gives back what is free at the top). */
enum { VIA_ALLOC, VIA_FREE, VIA_REALLOC, VIA_CALLOC, VIA_ALIGNED, VIA_DRAIN,
       VIA_TRIM, VIAS };

START_TEST(every_operation_of_the_owner_drains)
{
    void *a, *b, *live, *r = NULL;
    hl_stats s;

    fixture_heap(HL_PRESET_FAST, NULL);
    a = hl_alloc(heap, 40);
    b = hl_alloc(heap, 2000);
    live = hl_alloc(heap, 64);
    hl_free_remote(heap, a);
    hl_free_remote(heap, b);
    ck_assert_uint_eq(stats().remote_pending, 2);
    switch (_i) {
    case VIA_ALLOC: r = hl_alloc(heap, 10); break;
    case VIA_FREE: hl_free(heap, live); break;
    case VIA_REALLOC: r = hl_realloc(heap, live, 500); break;
    case VIA_CALLOC: r = hl_calloc(heap, 3, 10); break;
    case VIA_ALIGNED: r = hl_aligned_alloc(heap, 64, 10); break;
    case VIA_DRAIN: ck_assert_uint_eq(hl_heap_drain(heap), 2); break;
    case VIA_TRIM:
        hl_heap_trim(heap, 0);
        ck_assert_uint_eq(stats().remote_pending, 2); /* left alone */
        ck_assert_uint_eq(stats().drains, 0);
        hl_heap_drain(heap);
        break;
    }
    s = stats();
    ck_assert_uint_eq(s.remote_pending, 0);
    ck_assert_uint_eq(s.remote_frees, 2);
    ck_assert_uint_eq(s.drains, 1);
    /* freed (the operation's own object may take a's or b's place) */
    ck_assert(!is_live(a) || r == a);
    ck_assert(!is_live(b) || r == b);
    ck_assert_heap_ok();
    ck_assert_uint_eq(hl_heap_drain(heap), 0);
}
END_TEST

/* The drained objects are the owner's again: with the cache, the same
 * addresses come back for the same sizes. */
START_TEST(drained_objects_are_reused)
{
    void *o[8], *p;
    int i, j, found;

    fixture_heap(HL_PRESET_FAST, NULL);
    for (i = 0; i < 8; i++)
        o[i] = hl_alloc(heap, 48);
    hl_alloc(heap, 16);
    for (i = 0; i < 8; i++)
        hl_free_remote(heap, o[i]);
    ck_assert_uint_eq(hl_heap_drain(heap), 8);
    for (i = 0; i < 8; i++) {
        p = hl_alloc(heap, 48);
        for (found = 0, j = 0; j < 8; j++)
            found += p == o[j];
        ck_assert_int_eq(found, 1);
    }
    ck_assert_uint_eq(stats().cache_hits, 8);
    ck_assert_heap_ok();
}
END_TEST

/* hl_usable_size_remote: the size of a live object from its header alone;
 * 0 for anything else, reporting nothing. */
START_TEST(usable_size_remote_reads_a_live_objects_size)
{
    static _Alignas(16) char elsewhere[64];
    void *a, *b, *big;

    remote_heap(_i);
    watch_errors();
    ck_assert_uint_eq(hl_usable_size_remote(heap, elsewhere + 16), 0);
    a = hl_alloc(heap, 40);
    b = hl_alloc(heap, 100);
    big = hl_alloc(heap, 5000);
    hl_alloc(heap, 16);
    ck_assert_uint_eq(hl_usable_size_remote(heap, a), hl_usable_size(heap, a));
    ck_assert_uint_eq(hl_usable_size_remote(heap, b), hl_usable_size(heap, b));
    ck_assert_uint_eq(hl_usable_size_remote(heap, big),
                      hl_usable_size(heap, big));
    hl_free(heap, a);   /* cached, or free */
    hl_free(heap, big); /* free */
    ck_assert_uint_eq(hl_usable_size_remote(heap, a), 0);
    ck_assert_uint_eq(hl_usable_size_remote(heap, big), 0);
    ck_assert_uint_eq(hl_usable_size_remote(heap, (char *)b + 16), 0);
    ck_assert_uint_eq(hl_usable_size_remote(heap, (char *)b + 8), 0);
    ck_assert_uint_eq(hl_usable_size_remote(heap, elsewhere + 16), 0);
    ck_assert_uint_eq(hl_usable_size_remote(heap, NULL), 0);
    ck_assert_int_eq(errors, 0);
    ck_assert_heap_ok();
}
END_TEST

/* ---------------------------------------------------------------------------
 * Misuse, found at the drain
 * ------------------------------------------------------------------------- */

/* a pushed twice: the list runs y -> a -> a -> ... (the second push made
 * a's link point at a).  The drain frees y and a, finds a no longer live,
 * reports a double free and stops: x, behind the loop, is never reached
 * and stays live. */
START_TEST(double_remote_free_is_reported_and_ends_the_drain)
{
    void *x, *a, *y;
    hl_stats s;

    remote_heap(_i);
    watch_errors();
    x = hl_alloc(heap, 40);
    a = hl_alloc(heap, 56);
    y = hl_alloc(heap, 72);
    hl_alloc(heap, 16);
    hl_free_remote(heap, x);
    hl_free_remote(heap, a);
    hl_free_remote(heap, a);
    hl_free_remote(heap, y);
    watch_events();
    ck_assert_uint_eq(hl_heap_drain(heap), 2);
    ck_assert_int_eq(errors, 1);
    ck_assert_int_eq(last_kind, HL_ERROR_DOUBLE_FREE);
    ck_assert_str_eq(last_op, "free");
    ck_assert_ptr_eq(last_ptr, a);
    ck_assert_int_eq(count_events(HL_EVENT_REMOTE_FREE), 2);
    ck_assert_int_eq(count_events(HL_EVENT_DRAIN), 1);
    ck_assert_uint_eq(events[event_count - 1].size, 2);
    ck_assert(is_live(x));
    ck_assert(!is_live(a) && !is_live(y));
    s = stats();
    ck_assert_uint_eq(s.remote_pending, 0);
    ck_assert_uint_eq(s.remote_frees, 2);
    ck_assert_heap_ok();

    /* x is still the caller's: an ordinary free takes it. */
    hl_free(heap, x);
    ck_assert_int_eq(errors, 1);
    ck_assert_uint_eq(stats().requested_bytes, 16);
    ck_assert_heap_ok();
}
END_TEST

/* The same double free, made by one thread through a batch (the drop-in's
 * path), of the batch's last, middle or first object: the batch must not
 * link it twice in its own chain, which would drop what was gathered
 * before its first free and hide the second.  All three are freed, and
 * the second free is reported. */
START_TEST(double_free_within_a_batch_is_reported)
{
    hl_remote_batch batch = {0};
    void *o[3], *twice;
    int i;

    remote_heap(_i % CONFIGS);
    watch_errors();
    for (i = 0; i < 3; i++)
        o[i] = hl_alloc(heap, 40 + 16 * (size_t)i);
    hl_alloc(heap, 16);
    for (i = 0; i < 3; i++)
        hl_remote_batch_add(&batch, heap, o[i]);
    twice = o[_i / CONFIGS]; /* o[0] is the batch's last, o[2] its first */
    hl_remote_batch_add(&batch, heap, twice);
    hl_remote_batch_flush(&batch);
    ck_assert_uint_eq(hl_heap_drain(heap), 3);
    ck_assert_int_eq(errors, 1);
    ck_assert_int_eq(last_kind, HL_ERROR_DOUBLE_FREE);
    ck_assert_ptr_eq(last_ptr, twice);
    for (i = 0; i < 3; i++)
        ck_assert(!is_live(o[i]));
    ck_assert_uint_eq(stats().requested_bytes, 16);
    ck_assert_heap_ok();
}
END_TEST

/* An object freed by its owner and then remotely: reported at the drain.
 * Only the report is promised.  The pusher reads nothing of the heap, so
 * its push writes the list's link into the freed object's first word: in
 * a free block that is the freelist node's next pointer, in a cached
 * block the cache's link, and the heap is left damaged (the checker says
 * so).  A local double free, by contrast, changes nothing. */
START_TEST(remote_free_of_a_freed_object_is_reported)
{
    void *a;

    remote_heap(_i);
    watch_errors();
    a = hl_alloc(heap, 40);
    hl_alloc(heap, 16);
    hl_free(heap, a);
    hl_free_remote(heap, a);
    hl_alloc(heap, 8);
    ck_assert_int_eq(first_kind, HL_ERROR_DOUBLE_FREE);
    /* The push wrote its link over a's first word: with no cache, that
     * is a's freelist link, and the search that follows finds it broken
     * (the default hook would have aborted at the first report). */
    if (errors == 2)
        ck_assert_int_eq(last_kind, HL_ERROR_CORRUPT);
    else
        ck_assert_int_eq(errors, 1);
    ck_assert_str_eq(last_op, errors == 2 ? "malloc" : "free");
    ck_assert_uint_eq(stats().remote_frees, 0);
    ck_assert_uint_eq(stats().drains, 0);
}
END_TEST

/* A pointer that is no object of the heap: the walker stops before it
 * (reading nothing there), the drain reports it as foreign. */
START_TEST(remote_free_of_a_foreign_pointer_is_reported)
{
    static _Alignas(16) char elsewhere[64];
    void *a;

    remote_heap(_i);
    watch_errors();
    a = hl_alloc(heap, 40);
    hl_free_remote(heap, elsewhere + 16);
    ck_assert_uint_eq(pending().n, 0);
    ck_assert_uint_eq(stats().remote_pending, 0);
    ck_assert_uint_eq(hl_heap_drain(heap), 0);
    ck_assert_int_eq(errors, 1);
    ck_assert_int_eq(last_kind, HL_ERROR_FOREIGN);
    ck_assert_str_eq(last_op, "free");
    ck_assert_ptr_eq(last_ptr, elsewhere + 16);
    ck_assert(is_live(a));
    ck_assert_heap_ok();
}
END_TEST

/* ---------------------------------------------------------------------------
 * Real threads
 * ------------------------------------------------------------------------- */

#ifndef STRESS_SCALE
#if defined(__SANITIZE_THREAD__)
#define STRESS_SCALE 4
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define STRESS_SCALE 4
#endif
#endif
#endif
#ifndef STRESS_SCALE
#define STRESS_SCALE 1
#endif

#define PRODUCERS 4
#define ROUNDS (100000 / STRESS_SCALE)
#define RING 64

/* A producer's mailbox: the owner puts objects in, the producer takes
 * them out, checks them and frees them remotely. */
typedef struct mailbox {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    void *item[RING];
    size_t size[RING];
    unsigned head, count;
    bool closed;
} mailbox;

static mailbox boxes[PRODUCERS];
static long pushed[PRODUCERS], bad[PRODUCERS];

static unsigned char pattern(const void *p, size_t size, size_t i)
{
    return (unsigned char)(((uintptr_t)p >> 4) * 131u + size * 7u + i);
}

static void fill(unsigned char *p, size_t size)
{
    size_t i;
    for (i = 0; i < size; i++)
        p[i] = pattern(p, size, i);
}

static bool intact(const unsigned char *p, size_t size)
{
    size_t i;
    for (i = 0; i < size; i++)
        if (p[i] != pattern(p, size, i))
            return false;
    return true;
}

/* Returns false when the box is full (the owner frees the object then). */
static bool post(mailbox *m, void *p, size_t size)
{
    bool ok;

    pthread_mutex_lock(&m->lock);
    ok = m->count < RING;
    if (ok) {
        m->item[(m->head + m->count) % RING] = p;
        m->size[(m->head + m->count) % RING] = size;
        m->count++;
        pthread_cond_signal(&m->changed);
    }
    pthread_mutex_unlock(&m->lock);
    return ok;
}

static void *producer(void *arg)
{
    int id = (int)(intptr_t)arg;
    mailbox *m = &boxes[id];

    for (;;) {
        void *p;
        size_t size;

        pthread_mutex_lock(&m->lock);
        while (m->count == 0 && !m->closed)
            pthread_cond_wait(&m->changed, &m->lock);
        if (m->count == 0) {
            pthread_mutex_unlock(&m->lock);
            return NULL;
        }
        p = m->item[m->head];
        size = m->size[m->head];
        m->head = (m->head + 1) % RING;
        m->count--;
        pthread_mutex_unlock(&m->lock);
        bad[id] += !intact(p, size);
        hl_free_remote(heap, p);
        pushed[id]++;
    }
}

/* The owner (this test's thread) allocates, fills, frees some objects
 * itself and posts the others to the producers, checking the heap now and
 * then while they push. */
START_TEST(producers_free_remotely_while_the_owner_works)
{
    enum { SLOTS = 64 };
    pthread_t t[PRODUCERS];
    unsigned char *slot[SLOTS] = {0};
    size_t size[SLOTS] = {0};
    unsigned seed = 12345;
    long total = 0, posted = 0, failures = 0;
    char why[256] = "";
    bool sound = true;
    hl_stats s;
    int i, k;

    remote_heap(_i);
    for (i = 0; i < PRODUCERS; i++) {
        pthread_mutex_init(&boxes[i].lock, NULL);
        pthread_cond_init(&boxes[i].changed, NULL);
        boxes[i].head = boxes[i].count = 0;
        boxes[i].closed = false;
        pushed[i] = bad[i] = 0;
        ck_assert_int_eq(pthread_create(&t[i], NULL, producer,
                                        (void *)(intptr_t)i), 0);
    }
    for (i = 0; i < ROUNDS; i++) {
        seed = seed * 1103515245u + 12345u;
        k = (int)((seed >> 16) % SLOTS);
        if (slot[k]) {
            failures += !intact(slot[k], size[k]);
            if ((seed >> 8) % 3 != 0 &&
                post(&boxes[(seed >> 4) % PRODUCERS], slot[k], size[k]))
                posted++;
            else
                hl_free(heap, slot[k]);
            slot[k] = NULL;
        } else {
            size[k] = (seed >> 20) % 8 == 0 ? (seed >> 8) % 3000
                                            : (seed >> 8) % 200;
            slot[k] = hl_alloc(heap, size[k]);
            if (!slot[k]) {
                failures++;
                break;
            }
            fill(slot[k], size[k]);
        }
        if (i % 4096 == 0 && sound) /* the owner's view, while they push */
            sound = hl_heap_check(heap, why, sizeof why);
    }
    for (i = 0; i < PRODUCERS; i++) {
        pthread_mutex_lock(&boxes[i].lock);
        boxes[i].closed = true;
        pthread_cond_signal(&boxes[i].changed);
        pthread_mutex_unlock(&boxes[i].lock);
    }
    for (i = 0; i < PRODUCERS; i++) {
        ck_assert_int_eq(pthread_join(t[i], NULL), 0);
        total += pushed[i];
        ck_assert_int_eq(bad[i], 0);
    }
    ck_assert_msg(sound, "%s", why);
    ck_assert_int_eq(failures, 0);
    ck_assert_int_eq(total, posted);
    ck_assert_int_gt(posted, ROUNDS / 1000); /* few under valgrind */

    hl_heap_drain(heap);
    for (k = 0; k < SLOTS; k++)
        hl_free(heap, slot[k]);
    s = stats();
    ck_assert_uint_eq(s.remote_pending, 0);
    ck_assert_uint_eq(s.remote_frees, (size_t)posted);
    ck_assert_uint_eq(s.requested_bytes, 0);
    ck_assert_uint_eq(s.used_blocks, 0);
    ck_assert_uint_eq(s.allocs, s.frees);
    ck_assert_heap_ok();
    hl_heap_flush_cache(heap);
    s = stats();
    ck_assert_uint_eq(s.cached_blocks, 0);
    ck_assert_uint_eq(s.free_blocks, 1); /* all merged back into one */
    ck_assert_heap_ok();
}
END_TEST

/* Many threads push at once onto one list, with no owner activity: the
 * CAS loop loses no object. */
#define PUSHERS 8
#define PER_PUSHER (1024 / STRESS_SCALE)
static void *objects[PUSHERS][PER_PUSHER];
static pthread_barrier_t start_line;

static void *pusher(void *arg)
{
    int id = (int)(intptr_t)arg, i;

    pthread_barrier_wait(&start_line);
    for (i = 0; i < PER_PUSHER; i++)
        hl_free_remote(heap, objects[id][i]);
    return NULL;
}

START_TEST(concurrent_pushes_lose_nothing)
{
    pthread_t t[PUSHERS];
    hl_stats s;
    int i, j;

    fixture_heap(HL_PRESET_FAST, NULL);
    for (i = 0; i < PUSHERS; i++)
        for (j = 0; j < PER_PUSHER; j++)
            ck_assert_ptr_nonnull(objects[i][j] =
                                      hl_alloc(heap, (size_t)(j % 8) * 8));
    pthread_barrier_init(&start_line, NULL, PUSHERS);
    for (i = 0; i < PUSHERS; i++)
        pthread_create(&t[i], NULL, pusher, (void *)(intptr_t)i);
    for (i = 0; i < PUSHERS; i++)
        pthread_join(t[i], NULL);
    pthread_barrier_destroy(&start_line);
    ck_assert_uint_eq(stats().remote_pending, PUSHERS * PER_PUSHER);
    ck_assert_uint_eq(hl_heap_drain(heap), PUSHERS * PER_PUSHER);
    s = stats();
    ck_assert_uint_eq(s.requested_bytes, 0);
    ck_assert_uint_eq(s.used_blocks, 0);
    ck_assert_uint_eq(s.remote_frees, PUSHERS * PER_PUSHER);
    ck_assert_uint_eq(s.drains, 1);
    ck_assert_heap_ok();
}
END_TEST

/* One thread asks for the size of an object of the heap, again and again,
 * while the owner frees and takes the blocks on both sides of it (which
 * flips the P bit in the object's header) and grows the heap. */
#define ASKS (20000 / STRESS_SCALE)
static void *watched;
static atomic_int watching;
static size_t wrong_sizes;

static void *ask_sizes(void *arg)
{
    size_t expected = (size_t)(uintptr_t)arg, i;

    for (i = 0; i < ASKS || atomic_load(&watching); i++)
        wrong_sizes += hl_usable_size_remote(heap, watched) != expected;
    return NULL;
}

START_TEST(usable_size_remote_while_the_owner_works)
{
    void *before, *after, *grown[64] = {0};
    pthread_t t;
    int i;

    fixture_heap(HL_PRESET_DEFAULT, NULL); /* immediate merging: P bits */
    before = hl_alloc(heap, 40);
    watched = hl_alloc(heap, 40);
    after = hl_alloc(heap, 40);
    hl_alloc(heap, 40);
    wrong_sizes = 0;
    atomic_store(&watching, 1);
    ck_assert_int_eq(pthread_create(&t, NULL, ask_sizes,
                                    (void *)(uintptr_t)hl_usable_size(
                                        heap, watched)), 0);
    for (i = 0; i < ROUNDS / 4; i++) {
        hl_free(heap, before);
        hl_free(heap, after);
        before = hl_alloc(heap, 40);
        after = hl_alloc(heap, 40);
        hl_free(heap, grown[i % 64]);
        grown[i % 64] = hl_alloc(heap, (size_t)(i % 7) * 1000);
    }
    atomic_store(&watching, 0);
    pthread_join(t, NULL);
    ck_assert_uint_eq(wrong_sizes, 0);
    ck_assert_heap_ok();
}
END_TEST

Suite *remote_suite(void);
Suite *remote_suite(void)
{
    Suite *s = suite_create("remote");
    TCase *one = tcase_create("one-thread");
    TCase *misuse = tcase_create("misuse");
    TCase *threads = tcase_create("threads");

    tcase_add_loop_test(one, pending_frees_are_visible_before_the_drain, 0,
                        CONFIGS);
    tcase_add_loop_test(one, the_next_allocation_drains_first, 0, CONFIGS);
    tcase_add_loop_test(one, every_operation_of_the_owner_drains, 0, VIAS);
    tcase_add_test(one, drained_objects_are_reused);
    tcase_add_loop_test(one, usable_size_remote_reads_a_live_objects_size, 0,
                        CONFIGS);
    suite_add_tcase(s, one);
    tcase_add_loop_test(misuse, double_free_within_a_batch_is_reported, 0,
                        3 * CONFIGS);
    tcase_add_loop_test(misuse, double_remote_free_is_reported_and_ends_the_drain,
                        0, CONFIGS);
    tcase_add_loop_test(misuse, remote_free_of_a_freed_object_is_reported, 0,
                        CONFIGS);
    tcase_add_loop_test(misuse, remote_free_of_a_foreign_pointer_is_reported,
                        0, CONFIGS);
    suite_add_tcase(s, misuse);
    tcase_add_loop_test(threads, producers_free_remotely_while_the_owner_works,
                        0, CONFIGS);
    tcase_add_test(threads, concurrent_pushes_lose_nothing);
    tcase_add_test(threads, usable_size_remote_while_the_owner_works);
    tcase_set_timeout(threads, 120);
    suite_add_tcase(s, threads);
    return s;
}

int main(void) { return fixture_run(remote_suite()); }

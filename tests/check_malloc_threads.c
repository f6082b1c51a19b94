/* check_malloc_threads.c - libheaplab-malloc with a heap per thread (the
 * default knobs, preset=fast): the heap of a pointer, remote frees and
 * their drain, a thread's heap handed on when it exits, fork() while
 * threads allocate, and the cache's bound and flush through the drop-in.
 *
 * The suite needs the default knobs, so main() starts the program again
 * without HEAPLAB_* in its environment if it finds any (the knobs are read
 * before main runs).  Check's own bookkeeping allocates (an assertion that
 * holds sends its location to the runner), so what is measured is
 * measured on threads of the test's own, which write their findings into
 * a struct that the test asserts on once they are done.
 *
 * In a sanitizer build (ASan, TSan) the sanitizer's malloc wins the symbol
 * lookup and malloc_names.h calls heaplab's family by its hl_global_ names
 * instead: the same code, tested the same way. */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/wait.h>

#include "malloc_names.h"

/* Where objects that are only allocated and freed again are kept, so that
 * the compiler cannot drop the pair (it may, for malloc and free).  Atomic:
 * every thread writes it. */
static void *_Atomic keep;
static void *_Atomic beside; /* an object kept live beside others */

/* The test's own thread owns a heap from the start.  (In a sanitizer
 * build Check's allocations do not come from heaplab, and a first
 * hl_global_ call in the middle of a test would adopt the heap of a
 * thread that just ended.) */
static void own_a_heap(void)
{
    ck_assert_ptr_nonnull(hl_global_heap());
}

/* Runs fn(arg) on a new thread and waits for it to end. */
static void on_a_thread(void *(*fn)(void *), void *arg)
{
    pthread_t t;

    ck_assert_int_eq(pthread_create(&t, NULL, fn, arg), 0);
    ck_assert_int_eq(pthread_join(t, NULL), 0);
}

static hl_stats heap_stats(hl_heap *h)
{
    hl_stats s;
    hl_heap_stats(h, &s);
    return s;
}

static void assert_all_heaps_sound(void)
{
    char why[256];

    ck_assert_msg(hl_global_check(why, sizeof why), "%s", why);
}

/* The knobs this suite is about. */
START_TEST(the_default_is_a_heap_per_thread_with_a_cache)
{
    const hl_config *cfg = hl_heap_config(hl_global_heap());

    ck_assert_int_eq(cfg->heaps, HL_HEAPS_PER_THREAD);
    ck_assert(cfg->cache);
    ck_assert(!cfg->locked);
}
END_TEST

/* ---------------------------------------------------------------------------
 * The heap of a pointer
 * ------------------------------------------------------------------------- */

#define OBJECTS 8

typedef struct owner {
    hl_heap *heap;
    void *object[OBJECTS];
    pthread_barrier_t *together;
} owner;

static const size_t object_sizes[OBJECTS] = {1, 24, 48, 100, 500, 1000,
                                             4000, 60000};

/* Allocates, then waits until the other thread has too: both threads own
 * a heap at the same time, so neither can be handed the other's. */
static void *allocate_and_wait(void *arg)
{
    owner *o = arg;
    int i;

    o->heap = hl_global_heap();
    for (i = 0; i < OBJECTS; i++)
        memset(o->object[i] = malloc(object_sizes[i]), i, object_sizes[i]);
    pthread_barrier_wait(o->together);
    return NULL;
}

START_TEST(an_object_is_in_the_heap_of_the_thread_that_made_it)
{
    pthread_barrier_t together;
    pthread_t t[2];
    owner o[2];
    hl_heap *mine = hl_global_heap();
    hl_stats s;
    int i, k;

    pthread_barrier_init(&together, NULL, 2);
    for (k = 0; k < 2; k++) {
        o[k].together = &together;
        ck_assert_int_eq(pthread_create(&t[k], NULL, allocate_and_wait,
                                        &o[k]), 0);
    }
    for (k = 0; k < 2; k++)
        pthread_join(t[k], NULL);
    pthread_barrier_destroy(&together);

    ck_assert_ptr_nonnull(o[0].heap);
    ck_assert_ptr_nonnull(o[1].heap);
    ck_assert_ptr_ne(o[0].heap, o[1].heap);
    ck_assert_ptr_ne(o[0].heap, mine);
    ck_assert_ptr_ne(o[1].heap, mine);
    for (k = 0; k < 2; k++)
        for (i = 0; i < OBJECTS; i++) {
            void *p = o[k].object[i];
            ck_assert_ptr_nonnull(p);
            ck_assert(hl_global_owns(p));
            ck_assert(hl_heap_contains(o[k].heap, p));
            ck_assert(!hl_heap_contains(o[1 - k].heap, p));
            ck_assert(!hl_heap_contains(mine, p));
        }

    /* The threads are gone; their objects are freed from here, remotely,
     * onto heaps no thread owns: each batch pushed visits the heap and
     * drains it at once. */
    for (k = 0; k < 2; k++)
        for (i = 0; i < OBJECTS; i++)
            free(o[k].object[i]);
    hl_global_flush_remote_frees(); /* the last batch */
    for (k = 0; k < 2; k++) {
        s = heap_stats(o[k].heap);
        ck_assert_uint_eq(s.remote_pending, 0);
        ck_assert_uint_eq(s.requested_bytes, 0);
        ck_assert_uint_eq(s.used_blocks, 0);
        ck_assert_uint_eq(s.cached_blocks, 0);
        ck_assert_uint_ge(s.remote_frees, OBJECTS);
    }
    assert_all_heaps_sound();
}
END_TEST

/* ---------------------------------------------------------------------------
 * Remote frees, drained by the owner
 * ------------------------------------------------------------------------- */

#define SENT 8

typedef struct exchange {
    pthread_barrier_t handed, freed;
    void *object[SENT], *again[SENT];
    hl_heap *owner_heap, *freer_heap;
    hl_stats before, pending, drained, reused;
    int in_owner_heap;
} exchange;

static void *owner_thread(void *arg)
{
    exchange *x = arg;
    void *big;
    int i;

    x->owner_heap = hl_global_heap();
    hl_heap_flush_cache(x->owner_heap);
    for (i = 0; i < SENT; i++)
        x->object[i] = malloc(48);
    beside = malloc(48); /* the last one's neighbour: not free memory */
    x->before = heap_stats(x->owner_heap);
    pthread_barrier_wait(&x->handed);
    pthread_barrier_wait(&x->freed); /* the other thread freed them all */
    x->pending = heap_stats(x->owner_heap);
    keep = big = malloc(3000);        /* the owner's next call drains */
    x->drained = heap_stats(x->owner_heap);
    for (i = 0; i < SENT; i++)
        x->again[i] = malloc(50);     /* the same class as 48's (56) */
    x->reused = heap_stats(x->owner_heap);
    for (i = 0; i < SENT; i++)
        free(x->again[i]);
    free(big);
    return NULL;
}

static void *freer_thread(void *arg)
{
    exchange *x = arg;
    int i;

    pthread_barrier_wait(&x->handed);
    for (i = 0; i < SENT; i++)
        x->in_owner_heap += hl_heap_contains(x->owner_heap, x->object[i]);
    for (i = 0; i < SENT; i++)
        free(x->object[i]);
    /* Fewer than a batch: pushed only now (or when this thread ends). */
    hl_global_flush_remote_frees();
    x->freer_heap = hl_global_heap();
    pthread_barrier_wait(&x->freed);
    return NULL;
}

START_TEST(remote_frees_are_drained_by_the_owner)
{
    static exchange x;
    pthread_t owner_t, freer_t;
    int i, j, found;

    memset(&x, 0, sizeof x);
    pthread_barrier_init(&x.handed, NULL, 2);
    pthread_barrier_init(&x.freed, NULL, 2);
    pthread_create(&owner_t, NULL, owner_thread, &x);
    pthread_create(&freer_t, NULL, freer_thread, &x);
    pthread_join(owner_t, NULL);
    pthread_join(freer_t, NULL);
    pthread_barrier_destroy(&x.handed);
    pthread_barrier_destroy(&x.freed);

    ck_assert_int_eq(x.in_owner_heap, SENT);
    ck_assert_ptr_ne(x.freer_heap, x.owner_heap);
    /* freed elsewhere, not yet taken: still counted as the owner's */
    ck_assert_uint_eq(x.pending.remote_pending, SENT);
    ck_assert_uint_eq(x.pending.remote_frees, x.before.remote_frees);
    ck_assert_uint_eq(x.pending.requested_bytes, x.before.requested_bytes);
    /* the owner's next malloc took them, into its cache */
    ck_assert_uint_eq(x.drained.remote_pending, 0);
    ck_assert_uint_eq(x.drained.remote_frees, x.before.remote_frees + SENT);
    ck_assert_uint_eq(x.drained.drains, x.before.drains + 1);
    ck_assert_uint_eq(x.drained.cached_blocks, SENT);
    ck_assert_uint_eq(x.drained.requested_bytes,
                      x.before.requested_bytes - SENT * 48 + 3000);
    /* and their blocks were the next ones of their class handed out */
    ck_assert_uint_eq(x.reused.cache_hits, x.drained.cache_hits + SENT);
    for (i = 0; i < SENT; i++) {
        for (found = 0, j = 0; j < SENT; j++)
            found += x.again[i] == x.object[j];
        ck_assert_int_eq(found, 1);
    }
    assert_all_heaps_sound();
}
END_TEST

/* realloc of another thread's object moves it into the caller's heap (only
 * the owner may resize in place); the old one is a remote free. */
typedef struct moved {
    pthread_barrier_t handed, done;
    char *object, *resized;
    hl_heap *owner_heap, *mover_heap;
    hl_stats after_move, after_drain;
} moved;

static void *make_and_wait(void *arg)
{
    moved *m = arg;
    void *small;

    m->owner_heap = hl_global_heap();
    m->object = malloc(100);
    strcpy(m->object, "carried across");
    pthread_barrier_wait(&m->handed);
    pthread_barrier_wait(&m->done);
    m->after_move = heap_stats(m->owner_heap);
    keep = small = malloc(8);
    free(small);
    m->after_drain = heap_stats(m->owner_heap);
    return NULL;
}

static void *resize_theirs(void *arg)
{
    moved *m = arg;

    pthread_barrier_wait(&m->handed);
    m->mover_heap = hl_global_heap();
    m->resized = realloc(m->object, 120);
    hl_global_flush_remote_frees();
    pthread_barrier_wait(&m->done);
    return NULL;
}

START_TEST(realloc_of_another_threads_object_moves_it)
{
    static moved m;
    pthread_t a, b;

    memset(&m, 0, sizeof m);
    pthread_barrier_init(&m.handed, NULL, 2);
    pthread_barrier_init(&m.done, NULL, 2);
    pthread_create(&a, NULL, make_and_wait, &m);
    pthread_create(&b, NULL, resize_theirs, &m);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    pthread_barrier_destroy(&m.handed);
    pthread_barrier_destroy(&m.done);

    ck_assert_ptr_nonnull(m.resized);
    ck_assert_ptr_ne(m.resized, m.object);
    ck_assert(hl_heap_contains(m.mover_heap, m.resized));
    ck_assert_str_eq(m.resized, "carried across");
    ck_assert_uint_eq(m.after_move.remote_pending, 1);
    ck_assert_uint_eq(m.after_drain.remote_pending, 0);
    ck_assert_uint_eq(m.after_drain.remote_frees,
                      m.after_move.remote_frees + 1);
    free(m.resized);
    assert_all_heaps_sound();
}
END_TEST

/* Threads that make their first big objects (each on a mapping of its
 * own) at the same moment, and free them in each other's place. */
#define MAPPERS 8
#define BIG ((size_t)2 << 20)

typedef struct mappers {
    pthread_barrier_t start;
    void *_Atomic object[MAPPERS];
    int bad;
} mappers;

static void *map_at_once(void *arg)
{
    static atomic_int next;
    mappers *m = arg;
    int me = atomic_fetch_add(&next, 1) % MAPPERS;
    unsigned char *p;

    pthread_barrier_wait(&m->start);
    p = malloc(BIG);
    if (!p || hl_heap_contains(hl_global_heap(), p) ||
        malloc_usable_size(p) < BIG) {
        m->bad = 1;
        return NULL;
    }
    p[0] = p[BIG - 1] = (unsigned char)me;
    atomic_store(&m->object[me], p);
    pthread_barrier_wait(&m->start);
    p = atomic_load(&m->object[(me + 1) % MAPPERS]);
    if (p[0] != (unsigned char)((me + 1) % MAPPERS))
        m->bad = 1;
    free(p);
    return NULL;
}

START_TEST(first_mappings_made_at_once)
{
    static mappers m;
    pthread_t t[MAPPERS];
    hl_global_stats before = global_stats(), after;
    int i;

    pthread_barrier_init(&m.start, NULL, MAPPERS);
    for (i = 0; i < MAPPERS; i++)
        ck_assert_int_eq(pthread_create(&t[i], NULL, map_at_once, &m), 0);
    for (i = 0; i < MAPPERS; i++)
        pthread_join(t[i], NULL);
    pthread_barrier_destroy(&m.start);
    ck_assert_int_eq(m.bad, 0);
    after = global_stats();
    ck_assert_uint_eq(after.mappings_made, before.mappings_made + MAPPERS);
    ck_assert_uint_eq(after.mappings_freed, before.mappings_freed + MAPPERS);
    ck_assert_uint_eq(after.mappings, before.mappings);
}
END_TEST

/* ---------------------------------------------------------------------------
 * A thread's heap, handed on when it exits
 * ------------------------------------------------------------------------- */

typedef struct visit {
    hl_heap *heap;
    void *left_alive;   /* not freed before the thread ends */
} visit;

static void *use_and_leave(void *arg)
{
    visit *v = arg;
    void *p[16];
    int i;

    v->heap = hl_global_heap();
    for (i = 0; i < 16; i++)
        keep = p[i] = malloc((size_t)i * 40 + 1);
    for (i = 0; i < 16; i++)
        free(p[i]);
    v->left_alive = NULL;
    return NULL;
}

static void *use_and_leave_one(void *arg)
{
    visit *v = arg;

    use_and_leave(arg);
    v->left_alive = malloc(200);
    return NULL;
}

START_TEST(a_later_thread_gets_the_heap_of_one_that_ended)
{
    visit first, second;

    on_a_thread(use_and_leave, &first);
    on_a_thread(use_and_leave, &second);
    ck_assert_ptr_nonnull(first.heap);
    ck_assert_ptr_eq(second.heap, first.heap);
    ck_assert_ptr_ne(first.heap, hl_global_heap());
    /* given back as it was left: everything free, nothing cached */
    ck_assert_uint_eq(heap_stats(first.heap).used_blocks, 0);
    ck_assert_uint_eq(heap_stats(first.heap).cached_blocks, 0);
    assert_all_heaps_sound();
}
END_TEST

START_TEST(short_lived_threads_do_not_make_heaps)
{
    unsigned before, after;
    visit v[50];
    int i;

    on_a_thread(use_and_leave, &v[0]);
    before = global_stats().heaps;
    for (i = 1; i < 50; i++)
        on_a_thread(use_and_leave, &v[i]);
    after = global_stats().heaps;
    ck_assert_uint_eq(after, before);
    for (i = 1; i < 50; i++)
        ck_assert_ptr_eq(v[i].heap, v[0].heap);
    assert_all_heaps_sound();
}
END_TEST

/* A thread that ends with an object alive: its heap is still handed on,
 * and the object's free (a remote free onto a heap no thread owns) is
 * taken in at once. */
START_TEST(an_object_outliving_its_thread_is_freed_into_its_heap)
{
    visit v, next;
    hl_stats s;

    on_a_thread(use_and_leave_one, &v);
    ck_assert_ptr_nonnull(v.left_alive);
    ck_assert(hl_heap_contains(v.heap, v.left_alive));
    s = heap_stats(v.heap);
    ck_assert_uint_eq(s.used_blocks, 1);
    ck_assert_uint_eq(s.requested_bytes, 200);
    free(v.left_alive);
    /* In this thread's batch: the heap does not see it yet. */
    s = heap_stats(v.heap);
    ck_assert_uint_eq(s.used_blocks, 1);
    ck_assert_uint_eq(s.remote_pending, 0);
    /* Pushed onto a heap whose thread is gone, it is taken at once. */
    hl_global_flush_remote_frees();
    s = heap_stats(v.heap);
    ck_assert_uint_eq(s.remote_pending, 0);
    ck_assert_uint_eq(s.used_blocks, 0);
    ck_assert_uint_eq(s.cached_blocks, 0);
    ck_assert_uint_eq(s.requested_bytes, 0);
    on_a_thread(use_and_leave, &next);
    ck_assert_ptr_eq(next.heap, v.heap);
    assert_all_heaps_sound();
}
END_TEST

/* ---------------------------------------------------------------------------
 * fork() while threads allocate
 * ------------------------------------------------------------------------- */

#define CHURNERS 4
static atomic_int keep_churning;
static void *_Atomic handed_over[CHURNERS];

static void *churn(void *arg)
{
    size_t me = (size_t)(uintptr_t)arg, i = 0;
    void *mine[8] = {0};

    while (atomic_load(&keep_churning)) {
        size_t slot = i % 8, size = (i * 37 + me * 11) % 2000 + 1;
        free(mine[slot]);
        keep = mine[slot] = malloc(size);
        if (mine[slot])
            memset(mine[slot], (int)me, size);
        /* what the neighbour left is freed here: remote frees too */
        free(atomic_exchange(&handed_over[(me + 1) % CHURNERS],
                             malloc(size % 300)));
        i++;
    }
    for (i = 0; i < 8; i++)
        free(mine[i]);
    return NULL;
}

/* The child has one thread: the heaps of the others, perhaps caught in
 * the middle of an operation, are set aside; its own heap works. */
static int child_after_fork(void)
{
    char why[256];
    void *p[64];
    int i;

    for (i = 0; i < 64; i++) {
        keep = p[i] = malloc((size_t)i * 20 + 1);
        if (!p[i])
            return 2;
        memset(p[i], 0x5a, (size_t)i * 20 + 1);
    }
    for (i = 0; i < 64; i++)
        free(p[i]);
    if (!hl_global_check(why, sizeof why)) {
        ssize_t n = write(STDERR_FILENO, why, strlen(why));
        (void)n;
        return 3;
    }
    return 0;
}

START_TEST(fork_while_threads_allocate)
{
    pthread_t t[CHURNERS];
    int i, status;

    atomic_store(&keep_churning, 1);
    for (i = 0; i < CHURNERS; i++)
        ck_assert_int_eq(pthread_create(&t[i], NULL, churn,
                                        (void *)(uintptr_t)i), 0);
    usleep(20000);
    for (i = 0; i < 12; i++) {
        pid_t child = fork();
        if (child == 0)
            _exit(child_after_fork());
        ck_assert_int_ne(child, -1);
        ck_assert_int_eq(waitpid(child, &status, 0), child);
        ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
                      "fork %d: the child ended with status 0x%x", i, status);
        usleep(2000);
    }
    atomic_store(&keep_churning, 0);
    for (i = 0; i < CHURNERS; i++)
        pthread_join(t[i], NULL);
    for (i = 0; i < CHURNERS; i++)
        free(atomic_exchange(&handed_over[i], NULL));
    assert_all_heaps_sound();
}
END_TEST

/* ---------------------------------------------------------------------------
 * The cache through the drop-in
 * ------------------------------------------------------------------------- */

#define MANY (HL_CACHE_DEPTH + 4)

typedef struct bound {
    hl_stats start, freed, flushed, after;
    size_t flush_count;
    void *object[MANY], *next;
} bound;

static void *fill_one_class(void *arg)
{
    bound *b = arg;
    hl_heap *h = hl_global_heap();
    void *guard;
    int i;

    hl_heap_flush_cache(h);
    b->start = heap_stats(h);
    for (i = 0; i < MANY; i++)
        b->object[i] = malloc(40);
    keep = guard = malloc(16);
    for (i = 0; i < MANY; i++)
        free(b->object[i]);
    b->freed = heap_stats(h);
    b->flush_count = hl_heap_flush_cache(h);
    b->flushed = heap_stats(h);
    keep = b->next = malloc(40);
    b->after = heap_stats(h);
    free(b->next);
    free(guard);
    return NULL;
}

START_TEST(the_cache_is_bounded_and_flushed)
{
    static bound b;

    on_a_thread(fill_one_class, &b);
    ck_assert_uint_eq(b.start.cached_blocks, 0);
    ck_assert_uint_eq(b.freed.cached_blocks, HL_CACHE_DEPTH);
    ck_assert_uint_eq(b.freed.cache_puts, b.start.cache_puts + HL_CACHE_DEPTH);
    ck_assert_uint_eq(b.freed.frees, b.start.frees + MANY);
    ck_assert_uint_eq(b.flush_count, HL_CACHE_DEPTH);
    ck_assert_uint_eq(b.flushed.cached_blocks, 0);
    ck_assert_uint_eq(b.flushed.flushes, b.freed.flushes + HL_CACHE_DEPTH);
    ck_assert_uint_eq(b.flushed.used_blocks, b.start.used_blocks + 1);
    ck_assert_uint_eq(b.after.cache_hits, b.flushed.cache_hits); /* none */
    assert_all_heaps_sound();
}
END_TEST

typedef struct hit {
    void *first, *second;
    size_t hits;
    unsigned char zero;
} hit;

static void *free_then_calloc(void *arg)
{
    hit *h = arg;
    hl_stats s0;
    unsigned char *p;
    size_t i;

    s0 = heap_stats(hl_global_heap());
    keep = p = malloc(64);
    beside = malloc(64); /* so that p's neighbour is not free memory */
    memset(p, 0xEE, 64);
    h->first = p;
    free(p);
    p = calloc(8, 8);
    h->second = p;
    h->zero = 1;
    for (i = 0; i < 64; i++)
        h->zero &= p[i] == 0;
    h->hits = heap_stats(hl_global_heap()).cache_hits - s0.cache_hits;
    free(p);
    return NULL;
}

START_TEST(calloc_from_the_cache_is_zeroed)
{
    static hit h;

    on_a_thread(free_then_calloc, &h);
    ck_assert_ptr_eq(h.second, h.first);
    ck_assert_uint_eq(h.hits, 1);
    ck_assert_uint_eq(h.zero, 1);
}
END_TEST

START_TEST(double_free_of_a_cached_object_aborts)
{
    void *a = malloc(40), *b = malloc(40);
    uintptr_t address = (uintptr_t)a;

    (void)b;
    free(a); /* into the cache */
    free(opaque_pointer(address));
}
END_TEST

Suite *malloc_threads_suite(void);
Suite *malloc_threads_suite(void)
{
    Suite *s = suite_create("malloc-threads");
    TCase *where = tcase_create("where");
    TCase *remote = tcase_create("remote");
    TCase *exits = tcase_create("exits");
    TCase *forks = tcase_create("fork");
    TCase *cache = tcase_create("cache");

    TCase *all[] = {where, remote, exits, forks, cache};
    size_t i;

    for (i = 0; i < sizeof all / sizeof all[0]; i++)
        tcase_add_checked_fixture(all[i], own_a_heap, NULL);
    tcase_add_test(where, the_default_is_a_heap_per_thread_with_a_cache);
    tcase_add_test(where, an_object_is_in_the_heap_of_the_thread_that_made_it);
    tcase_add_test(where, first_mappings_made_at_once);
    suite_add_tcase(s, where);
    tcase_add_test(remote, remote_frees_are_drained_by_the_owner);
    tcase_add_test(remote, realloc_of_another_threads_object_moves_it);
    suite_add_tcase(s, remote);
    tcase_add_test(exits, a_later_thread_gets_the_heap_of_one_that_ended);
    tcase_add_test(exits, short_lived_threads_do_not_make_heaps);
    tcase_add_test(exits, an_object_outliving_its_thread_is_freed_into_its_heap);
    suite_add_tcase(s, exits);
    tcase_add_test(forks, fork_while_threads_allocate);
    tcase_set_timeout(forks, 60);
    suite_add_tcase(s, forks);
    tcase_add_test(cache, the_cache_is_bounded_and_flushed);
    tcase_add_test(cache, calloc_from_the_cache_is_zeroed);
    tcase_add_test_raise_signal(cache, double_free_of_a_cached_object_aborts,
                                SIGABRT);
    suite_add_tcase(s, cache);
    return s;
}

int main(int argc, char **argv)
{
    (void)argc;
    malloc_suite_with_default_knobs(argv);
    return fixture_run(malloc_threads_suite());
}

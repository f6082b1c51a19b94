/* check_stress.c - libheaplab-malloc under 16 threads that allocate, fill,
 * check, resize and free objects of every size, and pass objects to each
 * other through mailboxes, so that a third of the frees are remote.
 *
 * Every object is filled with a pattern made from its address and size
 * and checked, by whichever thread holds it, before it is resized or
 * freed.  The run is cut into phases; between two phases every thread
 * waits at a barrier, and at that quiet point the test's thread checks
 * every heap of the process (hl_global_check).  At the end everything is
 * freed, and every worker's heap must be back to no live object and no
 * pending remote free.
 *
 * The default knobs (a heap per thread, the cache) are forced as in
 * check_malloc_threads.c; in a sanitizer build the family is called by its
 * hl_global_ names (malloc_names.h). */
#include <pthread.h>
#include <stdatomic.h>

#include "malloc_names.h"

#if defined(__SANITIZE_THREAD__)
#define UNDER_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define UNDER_TSAN 1
#endif
#endif

#define THREADS 16
#define PHASES 4
#ifdef UNDER_TSAN
#define ROUNDS 1500  /* each thread, each phase */
#else
#define ROUNDS 6000
#endif
#define SLOTS 32
#define RING 64
#define BIG ((size_t)1200 << 10) /* above the mmap threshold: a mapping */

typedef struct parcel {
    unsigned char *p;
    size_t size;
} parcel;

typedef struct mailbox {
    pthread_mutex_t lock;
    parcel item[RING];
    unsigned head, count;
} mailbox;

typedef struct worker {
    int id;
    unsigned seed;
    parcel slot[SLOTS];
    hl_heap *heap;
    long bad, failed, remote_sent, received;
} worker;

static mailbox boxes[THREADS];
static worker workers[THREADS];
static pthread_barrier_t stop, go;

static unsigned char pattern(const void *p, size_t size, size_t i)
{
    return (unsigned char)(((uintptr_t)p >> 4) * 131u + size * 7u + i * 13u);
}

static void fill(parcel *o)
{
    size_t i;
    for (i = 0; i < o->size; i++)
        o->p[i] = pattern(o->p, o->size, i);
}

/* Whether the first n bytes still hold o's pattern. */
static bool intact(const parcel *o, size_t n)
{
    size_t i;
    for (i = 0; i < n && i < o->size; i++)
        if (o->p[i] != pattern(o->p, o->size, i))
            return false;
    return true;
}

static unsigned next_random(worker *w)
{
    w->seed = w->seed * 1103515245u + 12345u;
    return w->seed >> 8;
}

static size_t random_size(worker *w)
{
    unsigned r = next_random(w) % 1000;

    if (r == 0 && next_random(w) % 8 == 0)
        return BIG;
    if (r < 700)
        return next_random(w) % 129;
    if (r < 900)
        return 129 + next_random(w) % 1920;
    return 2049 + next_random(w) % 63488;
}

static void allocate(worker *w, parcel *o)
{
    size_t size = random_size(w);
    void *p = NULL;

    switch (next_random(w) % 8) {
    case 0:
        p = calloc(1, size);
        if (p && size && ((unsigned char *)p)[size - 1] != 0)
            w->bad++;
        break;
    case 1:
        if (posix_memalign(&p, 64, size) != 0)
            p = NULL;
        else if ((uintptr_t)p % 64)
            w->bad++;
        break;
    case 2:
        p = aligned_alloc(256, size);
        if (p && (uintptr_t)p % 256)
            w->bad++;
        break;
    default:
        p = malloc(size);
    }
    if (!p) {
        w->failed++;
        o->p = NULL;
        return;
    }
    o->p = p;
    o->size = size;
    fill(o);
}

/* Frees o after checking it. */
static void drop(worker *w, parcel *o)
{
    if (!intact(o, o->size))
        w->bad++;
    free(o->p);
    o->p = NULL;
}

/* Resizes o (its own or another thread's) after checking it. */
static void resize(worker *w, parcel *o)
{
    size_t size = random_size(w) % 8000;
    parcel moved;

    if (!intact(o, o->size))
        w->bad++;
    moved.p = realloc(o->p, size ? size : 1);
    if (!moved.p) {
        w->failed++;
        return;
    }
    moved.size = size ? size : 1;
    /* what was kept is the old pattern, made at the old address */
    {
        parcel old = *o;
        size_t i, n = old.size < moved.size ? old.size : moved.size;
        for (i = 0; i < n; i++)
            if (moved.p[i] != pattern(old.p, old.size, i)) {
                w->bad++;
                break;
            }
    }
    *o = moved;
    fill(o);
}

/* Hands o to thread `to`; false when its box is full. */
static bool post(int to, parcel *o)
{
    mailbox *m = &boxes[to];
    bool ok;

    pthread_mutex_lock(&m->lock);
    ok = m->count < RING;
    if (ok) {
        m->item[(m->head + m->count) % RING] = *o;
        m->count++;
    }
    pthread_mutex_unlock(&m->lock);
    return ok;
}

static bool take(int id, parcel *o)
{
    mailbox *m = &boxes[id];
    bool ok;

    pthread_mutex_lock(&m->lock);
    ok = m->count > 0;
    if (ok) {
        *o = m->item[m->head];
        m->head = (m->head + 1) % RING;
        m->count--;
    }
    pthread_mutex_unlock(&m->lock);
    return ok;
}

/* What others sent: checked, then mostly freed (remote frees), sometimes
 * resized (moved into this thread's heap) and kept. */
static void empty_mailbox(worker *w, bool keep_some)
{
    parcel o;

    while (take(w->id, &o)) {
        int k = (int)(next_random(w) % SLOTS);
        w->received++;
        if (keep_some && !w->slot[k].p && next_random(w) % 5 == 0) {
            resize(w, &o);
            w->slot[k] = o;
        } else {
            drop(w, &o);
        }
    }
}

static void one_round(worker *w)
{
    parcel *o = &w->slot[next_random(w) % SLOTS];
    unsigned r = next_random(w) % 100;

    if (!o->p) {
        allocate(w, o);
    } else if (r < 45) {
        drop(w, o);
    } else if (r < 85) {
        int to = (int)((w->id + 1 + next_random(w) % (THREADS - 1)) % THREADS);
        if (!intact(o, o->size))
            w->bad++;
        if (post(to, o)) {
            w->remote_sent++;
            o->p = NULL;
        } else {
            drop(w, o);
        }
    } else if (o->size > 0 && r < 95) {
        if (malloc_usable_size(o->p) < o->size)
            w->bad++;
        resize(w, o);
    } else {
        drop(w, o);
    }
}

static void *work(void *arg)
{
    worker *w = arg;
    int phase, i;

    w->heap = hl_global_heap();
    for (phase = 0; phase < PHASES; phase++) {
        for (i = 0; i < ROUNDS; i++) {
            one_round(w);
            if (i % 16 == 0)
                empty_mailbox(w, true);
        }
        pthread_barrier_wait(&stop); /* quiet: the main thread checks */
        pthread_barrier_wait(&go);
    }
    /* The end: after everyone has stopped sending, free everything. */
    empty_mailbox(w, false);
    for (i = 0; i < SLOTS; i++)
        if (w->slot[i].p)
            drop(w, &w->slot[i]);
    pthread_barrier_wait(&stop);
    pthread_barrier_wait(&go);
    return NULL;
}

START_TEST(sixteen_threads_with_cross_thread_frees)
{
    pthread_t t[THREADS];
    char why[256];
    long sent = 0, received = 0;
    hl_global_stats gs;
    int i, phase;

    ck_assert_int_eq(pthread_barrier_init(&stop, NULL, THREADS + 1), 0);
    ck_assert_int_eq(pthread_barrier_init(&go, NULL, THREADS + 1), 0);
    for (i = 0; i < THREADS; i++) {
        pthread_mutex_init(&boxes[i].lock, NULL);
        boxes[i].head = boxes[i].count = 0;
    }
    for (i = 0; i < THREADS; i++) {
        memset(&workers[i], 0, sizeof workers[i]);
        workers[i].id = i;
        workers[i].seed = 7919u * (unsigned)i + 17u;
        ck_assert_int_eq(pthread_create(&t[i], NULL, work, &workers[i]), 0);
    }
    for (phase = 0; phase <= PHASES; phase++) {
        bool sound;
        pthread_barrier_wait(&stop);
        sound = hl_global_check(why, sizeof why);
        hl_global_get_stats(&gs);
        pthread_barrier_wait(&go);
        ck_assert_msg(sound, "after phase %d: %s", phase, why);
        ck_assert_uint_ge(gs.heaps, THREADS);
    }
    for (i = 0; i < THREADS; i++) {
        ck_assert_int_eq(pthread_join(t[i], NULL), 0);
        ck_assert_int_eq(workers[i].bad, 0);
        ck_assert_int_eq(workers[i].failed, 0);
        sent += workers[i].remote_sent;
        received += workers[i].received;
    }
    ck_assert_int_eq(sent, received);
    ck_assert_int_gt(sent, THREADS * ROUNDS / 20);

    /* Every worker's heap: nothing live, nothing pending, all sound. */
    for (i = 0; i < THREADS; i++) {
        hl_heap *h = workers[i].heap;
        hl_stats s;
        int j;
        for (j = 0; j < i; j++)
            ck_assert_ptr_ne(workers[j].heap, h); /* all alive at once */
        hl_heap_stats(h, &s);
        ck_assert_uint_eq(s.remote_pending, 0);
        ck_assert_uint_eq(s.used_blocks, 0);
        ck_assert_uint_eq(s.requested_bytes, 0);
        ck_assert_uint_eq(s.cached_blocks, 0);
        ck_assert(hl_heap_check(h, why, sizeof why));
    }
    ck_assert_msg(hl_global_check(why, sizeof why), "%s", why);
    pthread_barrier_destroy(&stop);
    pthread_barrier_destroy(&go);
}
END_TEST

Suite *stress_suite(void);
Suite *stress_suite(void)
{
    Suite *s = suite_create("stress");
    TCase *tc = tcase_create("threads");

    tcase_add_test(tc, sixteen_threads_with_cross_thread_frees);
    tcase_set_timeout(tc, 300);
    suite_add_tcase(s, tc);
    return s;
}

int main(int argc, char **argv)
{
    (void)argc;
    malloc_suite_with_default_knobs(argv);
    return fixture_run(stress_suite());
}

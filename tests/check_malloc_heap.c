/* check_malloc_heap.c - where libheaplab-malloc puts objects and how it
 * gives memory back: the heap for small requests, mappings of their own
 * for big ones, trimming, misuse caught, threads and fork. */
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>

#include "malloc_names.h"

#define BIG ((size_t)1 << 20)   /* above the default mmap threshold */
#define SMALL ((size_t)64 << 10) /* below it */

START_TEST(small_requests_come_from_the_heap)
{
    void *p = malloc(SMALL);

    ck_assert(hl_heap_contains(hl_global_heap(), p));
    ck_assert(hl_global_owns(p));
    free(p);
}
END_TEST

START_TEST(big_requests_get_a_mapping_of_their_own)
{
    hl_global_stats before = global_stats();
    void *p = malloc(BIG);
    hl_global_stats during = global_stats();

    ck_assert(!hl_heap_contains(hl_global_heap(), p));
    ck_assert(hl_global_owns(p));
    ck_assert_uint_ge(malloc_usable_size(p), BIG);
    ck_assert_uint_eq(during.mappings, before.mappings + 1);
    ck_assert_uint_eq(during.heap.allocs, before.heap.allocs);
    free(p);
    ck_assert_uint_eq(global_stats().mappings, before.mappings);
    ck_assert_uint_eq(global_stats().mappings_freed, before.mappings_freed + 1);
}
END_TEST

/* glibc's dynamic threshold: once a mapped object of 8 MiB is freed, the
 * next ones of that size come from the heap, and go back to its top. */
START_TEST(a_freed_mapping_raises_the_threshold)
{
    size_t big = (size_t)8 << 20;
    hl_global_stats freed, again;
    char *p = malloc(big);

    ck_assert(!hl_heap_contains(hl_global_heap(), p));
    free(p);
    freed = global_stats();
    ck_assert_uint_gt(freed.mmap_threshold, big);
    ck_assert_uint_gt(freed.trim_threshold, 2 * big);
    p = malloc(big);
    ck_assert(hl_heap_contains(hl_global_heap(), p));
    p[big - 1] = 1;
    free(p);
    p = malloc(big);
    ck_assert(hl_heap_contains(hl_global_heap(), p));
    again = global_stats();
    ck_assert_uint_eq(again.mappings_made, freed.mappings_made);
    ck_assert_uint_eq(again.trimmed_bytes, freed.trimmed_bytes); /* kept */
    free(p);
}
END_TEST

/* Everything freed, in the order it was made or the other way round: the
 * heap gives its memory back (only what a trim keeps stays). */
START_TEST(memory_goes_back_whatever_the_order)
{
    enum { N = 200000 };
    static void *o[N];
    size_t before, full, after;
    int i;

    before = global_stats().heap.heap_size;
    for (i = 0; i < N; i++)
        o[i] = malloc(64);
    full = global_stats().heap.heap_size;
    ck_assert_uint_gt(full, before + (size_t)N * 64);
    if (_i == 0)
        for (i = 0; i < N; i++)
            free(o[i]);
    else
        for (i = N - 1; i >= 0; i--)
            free(o[i]);
    after = global_stats().heap.heap_size;
    ck_assert_msg(after < before + ((size_t)3 << 20),
                  "%zu bytes of heap left after freeing everything "
                  "(%zu before, %zu full)", after, before, full);
}
END_TEST

/* Frees the n objects of o in an order shuffled from seed. */
static void free_in_random_order(void **o, int n, unsigned seed)
{
    int i;

    for (i = n - 1; i > 0; i--) {
        int j = (int)(rand_r(&seed) % (unsigned)(i + 1));
        void *t = o[i];
        o[i] = o[j];
        o[j] = t;
    }
    for (i = 0; i < n; i++)
        free(o[i]);
}

/* On a thread's own heap, objects freed in a random order: the last free
 * leaves no live object, the cached blocks among the free ones are given
 * to the heap, and the heap gives everything back by itself. */
static void *fill_and_free_at_random(void *arg)
{
    enum { N = 200000 };
    static void *o[N];
    size_t *sizes = arg;
    unsigned seed = 7;
    hl_stats s;
    int i;

    for (i = 0; i < N; i++)
        o[i] = malloc(64);
    hl_heap_stats(hl_global_heap(), &s);
    sizes[0] = s.heap_size;
    free_in_random_order(o, N, seed);
    hl_heap_stats(hl_global_heap(), &s);
    sizes[1] = s.heap_size;
    sizes[2] = s.cached_blocks;
    return NULL;
}

START_TEST(a_heap_whose_objects_are_all_freed_gives_everything_back)
{
    size_t sizes[3];
    pthread_t t;

    ck_assert_int_eq(pthread_create(&t, NULL, fill_and_free_at_random,
                                    sizes), 0);
    ck_assert_int_eq(pthread_join(t, NULL), 0);
    ck_assert_uint_gt(sizes[0], (size_t)200000 * 64);
    ck_assert_msg(sizes[1] < ((size_t)2 << 20), "%zu bytes left of %zu",
                  sizes[1], sizes[0]);
    ck_assert_uint_eq(sizes[2], 0);
}
END_TEST

/* Freed in a random order, small objects leave cached blocks among the
 * free ones; malloc_trim flushes the cache and gives the rest back. */
START_TEST(malloc_trim_gives_back_what_a_random_order_left)
{
    enum { N = 200000 };
    static void *o[N];
    size_t before, after;
    unsigned seed = 1;
    int i;

    before = global_stats().heap.heap_size;
    for (i = 0; i < N; i++)
        o[i] = malloc(64);
    free_in_random_order(o, N, seed);
    ck_assert_int_eq(malloc_trim(0), 1);
    after = global_stats().heap.heap_size;
    ck_assert_msg(after < before + ((size_t)1 << 20),
                  "%zu bytes of heap left after malloc_trim (%zu before)",
                  after, before);
    ck_assert_int_eq(malloc_trim(0), 0); /* nothing more to give */
}
END_TEST

START_TEST(big_calloc_and_aligned_requests_are_mapped_too)
{
    unsigned char *z = calloc(BIG, 1);
    void *a = aligned_alloc(1 << 16, BIG);
    size_t i;

    ck_assert(!hl_heap_contains(hl_global_heap(), z));
    for (i = 0; i < BIG; i += 4096)
        ck_assert_uint_eq(z[i], 0);
    ck_assert(!hl_heap_contains(hl_global_heap(), a));
    ck_assert(is_aligned(a, 1 << 16));
    free(z);
    free(a);
}
END_TEST

START_TEST(realloc_moves_between_heap_and_mappings)
{
    char *p = malloc(100);
    hl_heap *global = hl_global_heap();

    strcpy(p, "moving house");
    p = realloc(p, BIG);                  /* heap -> mapping */
    ck_assert(!hl_heap_contains(global, p));
    ck_assert_str_eq(p, "moving house");
    p[BIG - 1] = 'z';
    p = realloc(p, 8 * BIG);              /* mapping -> bigger mapping */
    ck_assert_str_eq(p, "moving house");
    ck_assert_int_eq(p[BIG - 1], 'z');
    p = realloc(p, 200);                  /* mapping -> heap */
    ck_assert(hl_heap_contains(global, p));
    ck_assert_str_eq(p, "moving house");
    free(p);
}
END_TEST

START_TEST(trim_gives_free_memory_at_the_top_back)
{
    void *p[64];
    hl_global_stats full, after;
    int i;

    for (i = 0; i < 64; i++)
        p[i] = malloc(SMALL); /* 4 MiB of heap, at its top */
    full = global_stats();
    for (i = 63; i >= 0; i--)
        free(p[i]);
    after = global_stats();
    ck_assert_uint_gt(after.trimmed_bytes, full.trimmed_bytes);
    ck_assert_uint_lt(after.heap.heap_size,
                      full.heap.heap_size - 2 * ((size_t)1 << 20));
    /* what stays at the top is about the trim threshold */
    ck_assert_uint_le(after.heap.free_bytes,
                      full.heap.free_bytes + after.trim_threshold + SMALL);
}
END_TEST

/* Runs misuse(arg) in a child whose stderr is a pipe: returns what the
 * child wrote there, and asserts that it died of SIGABRT.  glibc aborts on
 * the same misuse, with its own words: the text is what says that heaplab
 * caught it. */
static const char *stderr_of_abort(void (*misuse)(uintptr_t), uintptr_t arg)
{
    static char text[512];
    int fds[2], status;
    size_t got = 0;
    ssize_t n;
    pid_t pid;

    ck_assert_int_eq(pipe(fds), 0);
    pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        dup2(fds[1], STDERR_FILENO);
        close(fds[0]);
        misuse(arg);
        _exit(0); /* not reached when heaplab catches it */
    }
    close(fds[1]);
    while (got < sizeof text - 1 &&
           (n = read(fds[0], text + got, sizeof text - 1 - got)) > 0)
        got += (size_t)n;
    text[got] = '\0';
    close(fds[0]);
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT,
                  "the child was not aborted (status %#x): %s", status, text);
    return text;
}

static void free_twice(uintptr_t address)
{
    free(opaque_pointer(address));
    free(opaque_pointer(address));
}

START_TEST(double_free_aborts)
{
    void *a = malloc(24), *b = malloc(24), *c = malloc(24);
    char expected[128];

    snprintf(expected, sizeof expected,
             "heaplab: free(): double free of %p\n", b);
    ck_assert_str_eq(stderr_of_abort(free_twice, (uintptr_t)b), expected);
    free(a);
    free(b);
    free(c);
}
END_TEST

static void free_once(uintptr_t address)
{
    free(opaque_pointer(address));
}

START_TEST(foreign_pointer_aborts)
{
    static char not_from_malloc[64];
    char expected[128];
    char *p = not_from_malloc + 16;

    snprintf(expected, sizeof expected,
             "heaplab: free(): pointer outside the heap: %p\n", (void *)p);
    ck_assert_str_eq(stderr_of_abort(free_once, (uintptr_t)p), expected);
}
END_TEST

START_TEST(freed_mapping_is_not_taken_for_ours)
{
    void *p = malloc(BIG);
    uintptr_t address = (uintptr_t)p;

    ck_assert(hl_global_owns(opaque_pointer(address)));
    free(p);
    /* its page is gone: not even read, and not ours */
    ck_assert(!hl_global_owns(opaque_pointer(address)));
}
END_TEST

/* Each thread allocates, writes, and frees objects of many sizes, some of
 * them allocated by its neighbour. */
#define THREADS 4
#define ROUNDS 20000
static void *volatile handed_over[THREADS];

static void *churn(void *arg)
{
    size_t me = (size_t)(uintptr_t)arg, i;
    void *mine[16] = {0};

    for (i = 0; i < ROUNDS; i++) {
        size_t slot = i % 16, size = (i * 37 + me * 11) % 3000 + 1;
        void *theirs;
        free(mine[slot]);
        mine[slot] = malloc(size);
        ck_assert_ptr_nonnull(mine[slot]);
        memset(mine[slot], (int)me, size);
        theirs = __atomic_exchange_n(&handed_over[me], malloc(size % 200),
                                     __ATOMIC_ACQ_REL);
        free(theirs);
    }
    for (i = 0; i < 16; i++)
        free(mine[i]);
    return NULL;
}

START_TEST(threads_share_the_heap_safely)
{
    pthread_t t[THREADS];
    size_t i;
    char why[256];
    bool sound;

    for (i = 0; i < THREADS; i++)
        pthread_create(&t[i], NULL, churn, (void *)(uintptr_t)i);
    for (i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    for (i = 0; i < THREADS; i++)
        free(handed_over[i]);
    hl_heap_lock(hl_global_heap());
    sound = hl_heap_check(hl_global_heap(), why, sizeof why);
    hl_heap_unlock(hl_global_heap()); /* before Check, which allocates */
    ck_assert_msg(sound, "%s", why);
}
END_TEST

static volatile int keep_churning = 1;

static void *churn_until_told(void *arg)
{
    (void)arg;
    while (keep_churning)
        free(malloc(48));
    return NULL;
}

START_TEST(fork_while_another_thread_allocates)
{
    pthread_t t;
    int i, status;

    pthread_create(&t, NULL, churn_until_told, NULL);
    for (i = 0; i < 20; i++) {
        pid_t child = fork();
        if (child == 0) {
            char why[256];
            free(malloc(100)); /* the heap is usable and sound */
            _exit(hl_heap_check(hl_global_heap(), why, sizeof why) ? 0 : 1);
        }
        ck_assert_int_eq(waitpid(child, &status, 0), child);
        ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    keep_churning = 0;
    pthread_join(t, NULL);
}
END_TEST

Suite *malloc_heap_suite(void);
Suite *malloc_heap_suite(void)
{
    Suite *s = suite_create("malloc-heap");
    TCase *where = tcase_create("where");
    TCase *misuse = tcase_create("misuse");
    TCase *threads = tcase_create("threads");

    tcase_add_test(where, small_requests_come_from_the_heap);
    tcase_add_test(where, big_requests_get_a_mapping_of_their_own);
    tcase_add_test(where, big_calloc_and_aligned_requests_are_mapped_too);
    tcase_add_test(where, a_freed_mapping_raises_the_threshold);
    tcase_add_loop_test(where, memory_goes_back_whatever_the_order, 0, 2);
    tcase_add_test(where, malloc_trim_gives_back_what_a_random_order_left);
    tcase_add_test(where,
                   a_heap_whose_objects_are_all_freed_gives_everything_back);
    tcase_add_test(where, realloc_moves_between_heap_and_mappings);
    tcase_add_test(where, trim_gives_free_memory_at_the_top_back);
    suite_add_tcase(s, where);
    tcase_add_test(misuse, double_free_aborts);
    tcase_add_test(misuse, foreign_pointer_aborts);
    tcase_add_test(misuse, freed_mapping_is_not_taken_for_ours);
    suite_add_tcase(s, misuse);
    tcase_add_test(threads, threads_share_the_heap_safely);
    tcase_add_test(threads, fork_while_another_thread_allocates);
    tcase_set_timeout(threads, 60);
    suite_add_tcase(s, threads);
    return s;
}

int main(void) { return fixture_run(malloc_heap_suite()); }

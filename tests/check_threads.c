/* check_threads.c - the locked heap (the seed's RustyMalloc: one mutex
 * around one heap) under 8 threads that allocate, fill, verify and free,
 * and pass objects to each other to be freed by another thread. */
#include <pthread.h>

#include "fixture.h"

#define THREADS 8
#define ROUNDS 20000
#define SLOTS 32

static pthread_mutex_t mailbox_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned char *mailbox[THREADS];

static void fill(unsigned char *p, size_t n, unsigned char tag)
{
    memset(p, tag, n);
}

static int intact(const unsigned char *p, size_t n, unsigned char tag)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (p[i] != tag)
            return 0;
    return 1;
}

/* Each slot holds an object filled with its size's low byte; an object
 * left in a neighbour's mailbox is freed by that neighbour. */
static void *worker(void *arg)
{
    int id = (int)(size_t)arg;
    unsigned char *slot[SLOTS] = {0};
    size_t size[SLOTS] = {0};
    unsigned seed = (unsigned)id * 7919u + 1;
    long bad = 0;
    int i;

    for (i = 0; i < ROUNDS; i++) {
        int k = (int)((seed = seed * 1103515245u + 12345u) >> 16) % SLOTS;
        unsigned char *parcel;
        if (slot[k]) {
            bad += !intact(slot[k], size[k], (unsigned char)size[k]);
            if (i % 5 == 0) { /* hand it to the next thread */
                pthread_mutex_lock(&mailbox_lock);
                parcel = mailbox[(id + 1) % THREADS];
                mailbox[(id + 1) % THREADS] = slot[k];
                pthread_mutex_unlock(&mailbox_lock);
                if (parcel)
                    hl_free(heap, parcel);
            } else {
                hl_free(heap, slot[k]);
            }
            slot[k] = NULL;
        } else {
            size[k] = (seed >> 8) % 700;
            slot[k] = hl_alloc(heap, size[k]);
            if (!slot[k])
                return (void *)-1L;
            fill(slot[k], size[k], (unsigned char)size[k]);
        }
    }
    for (i = 0; i < SLOTS; i++)
        hl_free(heap, slot[i]);
    return (void *)bad;
}

static void run_threads(const char *merge)
{
    pthread_t t[THREADS];
    hl_config cfg;
    hl_stats s;
    void *result;
    int i;

    hl_config_preset(&cfg, HL_PRESET_DEFAULT);
    ck_assert_int_eq(hl_config_set(&cfg, "merge", merge), 0);
    cfg.locked = true;
    hl_static_grower_init(&fixture_grower, fixture_buffer, FIXTURE_CAPACITY,
                          4096);
    heap = hl_heap_init(&fixture_space, &cfg, &fixture_grower.base);
    memset(mailbox, 0, sizeof mailbox);
    for (i = 0; i < THREADS; i++)
        ck_assert_int_eq(pthread_create(&t[i], NULL, worker,
                                        (void *)(size_t)i), 0);
    for (i = 0; i < THREADS; i++) {
        pthread_join(t[i], &result);
        ck_assert_ptr_eq(result, NULL); /* no corrupted object, no NULL */
    }
    for (i = 0; i < THREADS; i++)
        hl_free(heap, mailbox[i]);
    ck_assert_heap_ok();
    hl_heap_stats(heap, &s);
    ck_assert_uint_eq(s.used_blocks, 0);
    ck_assert_uint_eq(s.allocs, s.frees);
    ck_assert_uint_gt(s.allocs, THREADS * ROUNDS / 4);
    hl_heap_destroy(heap);
}

START_TEST(eight_threads_on_immediate_merging) { run_threads("immediate"); }
END_TEST

START_TEST(eight_threads_on_lazy_merging) { run_threads("lazy"); }
END_TEST

Suite *threads_suite(void);
Suite *threads_suite(void)
{
    Suite *s = suite_create("threads");
    TCase *tc = tcase_create("locked");

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, eight_threads_on_immediate_merging);
    tcase_add_test(tc, eight_threads_on_lazy_merging);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return fixture_run(threads_suite()); }

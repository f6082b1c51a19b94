/* contention.c - lesson 11: one heap, one lock, many threads.
 *
 * Every thread runs the same loop of allocations and frees on ONE heap
 * (heaps=one, no cache: the seed's design).  It is run twice for 1, 2, 4
 * and 8 threads:
 *
 *   locked heap   the heap itself takes its mutex on every call
 *                 (hl_config.locked = true, the reference's rule 8);
 *                 we can only count operations a second.
 *   timed lock    the same design made visible: an unlocked heap behind
 *                 one mutex that this program takes, so that it can time
 *                 each wait.  A thread first tries the lock; only when it
 *                 is taken does it read the clock, block, and read the
 *                 clock again.  The share of waiting is the time spent
 *                 blocked over the threads' whole running time.
 *
 * With --malloc the same loop calls malloc and free instead, once for 1,
 * 2, 4 and 8 threads: run it under the drop-in (lesson 10) to measure its
 * designs, HEAPLAB_HEAP='heaps=one cache=off' against the default heap
 * per thread.
 *
 * Usage: contention [--malloc] [OPS_PER_THREAD]   (default 200000)
 * Each result is one line:
 *   threads N locked-heap ops/s X timed-lock ops/s Y waiting Z%
 *   threads N malloc ops/s X                        (with --malloc)
 * The numbers are your machine's: run it a few times.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "heaplab.h"

#define SLOTS 64
#define MAX_THREADS 8
#define BUFFER_SIZE ((size_t)64 << 20)

static hl_heap *heap;
static pthread_mutex_t outer = PTHREAD_MUTEX_INITIALIZER;
static int timed;      /* 1: take `outer` around each call, and time waits */
static int use_malloc; /* 1: malloc and free instead of the heap */
static long ops_per_thread;

typedef struct worker {
    pthread_t thread;
    unsigned seed;
    double waited, ran;  /* seconds blocked on the lock, and in all */
} worker;

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static unsigned next_random(unsigned *state)
{
    *state ^= *state << 13;
    *state ^= *state >> 17;
    *state ^= *state << 5;
    return *state;
}

/* Takes the outer lock, adding to w->waited the time spent blocked. */
static void lock(worker *w)
{
    double start;

    if (pthread_mutex_trylock(&outer) == 0)
        return;
    start = now();
    pthread_mutex_lock(&outer);
    w->waited += now() - start;
}

/* One object, from the heap or from malloc. */
static void *allocate(size_t size)
{
    return use_malloc ? malloc(size) : hl_alloc(heap, size);
}

static void release(void *p)
{
    if (use_malloc)
        free(p);
    else
        hl_free(heap, p);
}

static void *work(void *arg)
{
    worker *w = arg;
    void *slot[SLOTS] = {0};
    double start = now();
    long i;

    for (i = 0; i < ops_per_thread; i++) {
        unsigned r = next_random(&w->seed);
        void **p = &slot[r % SLOTS];
        if (timed)
            lock(w);
        if (*p) {
            release(*p);
            *p = NULL;
        } else {
            *p = allocate(16 + (r >> 8) % 240);
        }
        if (timed)
            pthread_mutex_unlock(&outer);
    }
    if (timed)
        lock(w);
    for (i = 0; i < SLOTS; i++)
        release(slot[i]);
    if (timed)
        pthread_mutex_unlock(&outer);
    w->ran = now() - start;
    return NULL;
}

/* Starts `threads` workers and waits for them; returns operations a
 * second and sets *waiting to the share of time spent blocked on the
 * outer lock. */
static double run_workers(int threads, double *waiting)
{
    worker workers[MAX_THREADS];
    double start, elapsed, waited = 0, ran = 0;
    int i;

    start = now();
    for (i = 0; i < threads; i++) {
        workers[i].seed = 2463534242u + (unsigned)i * 7919u;
        workers[i].waited = workers[i].ran = 0;
        pthread_create(&workers[i].thread, NULL, work, &workers[i]);
    }
    for (i = 0; i < threads; i++) {
        pthread_join(workers[i].thread, NULL);
        waited += workers[i].waited;
        ran += workers[i].ran;
    }
    elapsed = now() - start;
    *waiting = ran > 0 ? waited / ran : 0;
    return elapsed > 0 ? (double)threads * (double)ops_per_thread / elapsed
                       : 0;
}

/* Runs `threads` workers on a fresh heap: locked, or behind `outer`. */
static double run(int threads, bool locked, char *buffer, double *waiting)
{
    hl_static_grower grower;
    hl_heap_space space;
    hl_config cfg;
    double rate;

    hl_static_grower_init(&grower, buffer, BUFFER_SIZE, 4096);
    hl_config_preset(&cfg, HL_PRESET_DEFAULT);
    cfg.heaps = HL_HEAPS_ONE; /* one heap for every thread ... */
    cfg.cache = false;        /* ... and no cache: the seed's design */
    cfg.locked = locked;
    heap = hl_heap_init(&space, &cfg, &grower.base);
    timed = !locked;
    rate = run_workers(threads, waiting);
    hl_heap_destroy(heap);
    return rate;
}

/* The same loop on malloc and free, whichever malloc the process has. */
static int run_malloc(void)
{
    static const int counts[] = {1, 2, 4, 8};
    double waiting;
    size_t i;

    use_malloc = 1;
    for (i = 0; i < sizeof counts / sizeof counts[0]; i++)
        printf("threads %d malloc ops/s %.0f\n", counts[i],
               run_workers(counts[i], &waiting));
    return 0;
}

int main(int argc, char **argv)
{
    static const int counts[] = {1, 2, 4, 8};
    char *buffer;
    size_t i;
    int malloc_mode = argc > 1 && strcmp(argv[1], "--malloc") == 0;

    ops_per_thread = argc > 1 + malloc_mode ? atol(argv[1 + malloc_mode])
                                            : 200000;
    if (ops_per_thread <= 0 || argc > 2 + malloc_mode) {
        fputs("usage: contention [--malloc] [OPS_PER_THREAD]\n", stderr);
        return 2;
    }
    if (malloc_mode)
        return run_malloc();
    buffer = malloc(BUFFER_SIZE);
    if (!buffer) {
        fputs("contention: no memory for the heap's buffer\n", stderr);
        return 1;
    }
    for (i = 0; i < sizeof counts / sizeof counts[0]; i++) {
        double waiting, locked_rate, timed_rate;
        locked_rate = run(counts[i], true, buffer, &waiting);
        timed_rate = run(counts[i], false, buffer, &waiting);
        printf("threads %d locked-heap ops/s %.0f timed-lock ops/s %.0f "
               "waiting %.1f%%\n", counts[i], locked_rate, timed_rate,
               100.0 * waiting);
    }
    free(buffer);
    return 0;
}

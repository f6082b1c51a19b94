/* threads_bench.c - N threads, each allocating and freeing its own objects.
 *
 *   threads_bench [-t THREADS] [-n OPS_PER_THREAD | -d SECONDS] [-s SLOTS]
 *
 * A larson-like load: every thread owns SLOTS slots (1000 by default).  It
 * fills them, then, step after step, frees the object of a random slot
 * and allocates a new one there (mostly 16-512 bytes; one request in 50
 * is up to 64 KiB), writing its first bytes; at the end it frees what it
 * holds.  No object crosses threads (bench/pairs_bench does that), so an
 * allocator with a heap or cache per thread need not lock at all.  The
 * threads start together, behind a barrier; the timing runs from that
 * start to the last join.  Each thread makes OPS_PER_THREAD calls
 * (1000000 by default) or, with -d, goes on until SECONDS have passed
 * (then frees what it holds): a fixed time suits a table whose
 * allocators differ a hundredfold in speed.  Like replay_bench it links
 * no heaplab library.  One line of results:
 *
 *   threads_bench: threads=N ops=M seconds=S ops_per_sec=X max_rss_kib=K
 * ops counts the calls to malloc and free of all threads; max_rss_kib is
 * the process's peak resident set (getrusage's ru_maxrss).
 */
#include "config.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

#define MAX_THREADS 1024

typedef struct worker_state {
    pthread_t thread;
    size_t index;
    void **slots;
    size_t calls;    /* mallocs and frees this thread made */
    unsigned sum;    /* of first bytes read back, so they are not dead */
} worker_state;

static size_t ops_per_thread = 1000000, slot_count = 1000;
static pthread_barrier_t start_line;
static atomic_int time_is_up; /* set by main() after -d SECONDS */
static volatile unsigned sink; /* keeps the bytes read back alive */

static size_t pick_size(uint64_t *state)
{
    uint64_t r = bench_random(state);

    return r % 50 == 0 ? (size_t)(r % (64 << 10)) + 1 : (size_t)(r % 497) + 16;
}

static void *fresh_object(uint64_t *state, size_t stamp)
{
    size_t size = pick_size(state);
    void *p = malloc(size);

    if (!p) {
        fprintf(stderr, "threads_bench: malloc(%zu) failed\n", size);
        exit(1);
    }
    memset(p, (int)(stamp & 0xff), size < 64 ? size : 64);
    return p;
}

static void *worker(void *arg)
{
    worker_state *w = arg;
    uint64_t state = 0x9e3779b97f4a7c15ULL * (w->index + 1);
    size_t i, calls = 0;

    pthread_barrier_wait(&start_line);
    for (i = 0; i < slot_count; i++, calls++)
        w->slots[i] = fresh_object(&state, i);
    /* each step is a free and a malloc; keep room for the final frees */
    while (calls + 2 + slot_count <= ops_per_thread) {
        size_t slot;
        if ((calls & 63) == 0 &&
            atomic_load_explicit(&time_is_up, memory_order_relaxed))
            break;
        slot = (size_t)(bench_random(&state) % slot_count);
        w->sum += *(unsigned char *)w->slots[slot];
        free(w->slots[slot]);
        w->slots[slot] = fresh_object(&state, calls);
        calls += 2;
    }
    for (i = 0; i < slot_count; i++, calls++)
        free(w->slots[i]);
    w->calls = calls;
    return NULL;
}

int main(int argc, char **argv)
{
    static worker_state workers[MAX_THREADS];
    size_t threads = 1, i, calls = 0;
    unsigned sum = 0;
    double start, seconds, duration = 0;
    struct rusage usage;
    int opt;

    while ((opt = getopt(argc, argv, "t:n:d:s:")) != -1) {
        if (opt == 't')
            threads = strtoul(optarg, NULL, 10);
        else if (opt == 'n')
            ops_per_thread = strtoul(optarg, NULL, 10);
        else if (opt == 'd')
            duration = strtod(optarg, NULL);
        else if (opt == 's')
            slot_count = strtoul(optarg, NULL, 10);
        else
            threads = 0;
    }
    if (threads < 1 || threads > MAX_THREADS || slot_count < 1 ||
        ops_per_thread < 2 * slot_count || duration < 0 || optind != argc) {
        fputs("usage: threads_bench [-t THREADS] [-n OPS_PER_THREAD | "
              "-d SECONDS] [-s SLOTS]\n(1 to 1024 threads; OPS_PER_THREAD "
              "at least twice SLOTS)\n", stderr);
        return 2;
    }
    if (duration > 0)
        ops_per_thread = (size_t)-1;
    if (pthread_barrier_init(&start_line, NULL, (unsigned)threads + 1) != 0)
        return 1;
    for (i = 0; i < threads; i++) {
        workers[i].index = i;
        workers[i].slots = calloc(slot_count, sizeof *workers[i].slots);
        if (!workers[i].slots ||
            pthread_create(&workers[i].thread, NULL, worker, &workers[i])) {
            fputs("threads_bench: cannot start the threads\n", stderr);
            return 1;
        }
    }
    start = bench_now(); /* before the barrier: main() may run last after it */
    pthread_barrier_wait(&start_line);
    if (duration > 0)
        bench_stop_after(duration, &time_is_up);
    for (i = 0; i < threads; i++)
        pthread_join(workers[i].thread, NULL);
    seconds = bench_now() - start;
    for (i = 0; i < threads; i++) {
        calls += workers[i].calls;
        sum += workers[i].sum;
        free(workers[i].slots);
    }
    getrusage(RUSAGE_SELF, &usage);
    printf("threads_bench: threads=%zu ops=%zu seconds=%.3f "
           "ops_per_sec=%.0f max_rss_kib=%ld\n", threads, calls, seconds,
           (double)calls / seconds, usage.ru_maxrss);
    sink = sum;
    return 0;
}

/* pairs_bench.c - threads that free each other's objects: producers and
 * consumers, in pairs.
 *
 *   pairs_bench [-t THREADS] [-n OBJECTS_PER_PAIR | -d SECONDS]
 *
 * THREADS (even; 2 by default) make THREADS/2 pairs.  In each pair the
 * producer allocates objects (mostly 16-512 bytes; one in 50 up to
 * 64 KiB), writes their first bytes and hands them to its consumer
 * through a ring of 1024 pointers that only these two threads use (one
 * writer, one reader: C11 atomics, no lock); the consumer reads each
 * object's first byte and frees it.  Every free is thus of memory another
 * thread allocated, the case a heap or cache per thread has to send back
 * to its owner.  A thread that finds the ring full (or empty) spins a
 * while, then yields.  Each producer makes OBJECTS_PER_PAIR objects
 * (1000000 by default) or, with -d, goes on until SECONDS have passed.
 * The timing runs from the start, behind a barrier, to the last join.
 * Like replay_bench it links no heaplab library.  One line of results:
 *
 *   pairs_bench: threads=N pairs=P ops=M seconds=S ops_per_sec=X
 *     max_rss_kib=K
 * ops counts the calls to malloc and free together (twice the objects);
 * max_rss_kib is the process's peak resident set (getrusage's
 * ru_maxrss).
 */
#include "config.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

#define MAX_PAIRS 512
#define RING_SIZE 1024 /* a power of two */
#define BATCH 32       /* objects between two publications of an index */

/* One pair's ring.  `tail` is written only by the producer, `head` only
 * by the consumer; each sits on a cache line of its own.  Each side
 * publishes its own index every BATCH objects (and before it waits), and
 * reads the other's only when the ring looks full (or empty), so the two
 * lines move between the cores rarely and the ring costs little next to
 * malloc and free. */
typedef struct pair {
    _Alignas(64) atomic_size_t tail;  /* next slot the producer fills */
    _Alignas(64) atomic_size_t head;  /* next slot the consumer empties */
    _Alignas(64) void *ring[RING_SIZE];
    pthread_t producer, consumer;
    size_t index;
    size_t made, freed;  /* calls to malloc and to free */
    unsigned sum;        /* of first bytes read back, so they are not dead */
} pair;

static size_t objects_per_pair = 1000000;
static pthread_barrier_t start_line;
static atomic_int time_is_up; /* set by main() after -d SECONDS */
static volatile unsigned sink;

static size_t pick_size(uint64_t *state)
{
    uint64_t r = bench_random(state);

    return r % 50 == 0 ? (size_t)(r % (64 << 10)) + 1 : (size_t)(r % 497) + 16;
}

/* Waiting for the other side: busy turns for some tens of microseconds,
 * then the CPU goes to whoever else can run (with more threads than
 * cores, maybe the other side).  Yielding sooner lets the two threads of a
 * pair take turns on one core, each emptying or filling the whole ring in
 * its turn, and the benchmark would then measure one thread's malloc and
 * free, cache-warm, rather than frees that cross cores; spinning much
 * longer wastes the time slices when there are more threads than cores. */
static void wait_turn(unsigned *turns)
{
    if (++*turns < 4000) {
#if defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause();
#endif
        return;
    }
    sched_yield();
}

static void *produce(void *arg)
{
    pair *pr = arg;
    uint64_t state = 0x9e3779b97f4a7c15ULL * (pr->index + 1);
    size_t tail = 0, head_seen = 0, made;

    pthread_barrier_wait(&start_line);
    for (made = 0; made < objects_per_pair; made++) {
        size_t size = pick_size(&state);
        unsigned turns = 0;
        void *p;

        if ((made & 63) == 0 &&
            atomic_load_explicit(&time_is_up, memory_order_relaxed))
            break;
        p = malloc(size);
        if (!p) {
            fprintf(stderr, "pairs_bench: malloc(%zu) failed\n", size);
            exit(1);
        }
        memset(p, (int)(made & 0xff) | 1, size < 64 ? size : 64);
        while (tail - head_seen == RING_SIZE) {
            atomic_store_explicit(&pr->tail, tail, memory_order_release);
            head_seen = atomic_load_explicit(&pr->head, memory_order_acquire);
            if (tail - head_seen == RING_SIZE)
                wait_turn(&turns);
        }
        pr->ring[tail++ % RING_SIZE] = p;
        if (tail % BATCH == 0)
            atomic_store_explicit(&pr->tail, tail, memory_order_release);
    }
    pr->made = made;
    /* the end: a null pointer, once there is room for it */
    while (tail - atomic_load_explicit(&pr->head, memory_order_acquire) ==
           RING_SIZE) {
        atomic_store_explicit(&pr->tail, tail, memory_order_release);
        sched_yield();
    }
    pr->ring[tail % RING_SIZE] = NULL;
    atomic_store_explicit(&pr->tail, tail + 1, memory_order_release);
    return NULL;
}

static void *consume(void *arg)
{
    pair *pr = arg;
    size_t head = 0, tail_seen = 0, freed = 0;
    unsigned sum = 0;

    pthread_barrier_wait(&start_line);
    for (;;) {
        unsigned turns = 0;
        void *p;

        while (head == tail_seen) {
            atomic_store_explicit(&pr->head, head, memory_order_release);
            tail_seen = atomic_load_explicit(&pr->tail, memory_order_acquire);
            if (head == tail_seen)
                wait_turn(&turns);
        }
        p = pr->ring[head++ % RING_SIZE];
        if (head % BATCH == 0)
            atomic_store_explicit(&pr->head, head, memory_order_release);
        if (!p)
            break;
        sum += *(unsigned char *)p;
        free(p);
        freed++;
    }
    pr->freed = freed;
    pr->sum = sum;
    return NULL;
}

int main(int argc, char **argv)
{
    static pair pairs[MAX_PAIRS];
    size_t threads = 2, count, i, calls = 0;
    unsigned sum = 0;
    double start, seconds, duration = 0;
    struct rusage usage;
    int opt;

    while ((opt = getopt(argc, argv, "t:n:d:")) != -1) {
        if (opt == 't')
            threads = strtoul(optarg, NULL, 10);
        else if (opt == 'n')
            objects_per_pair = strtoul(optarg, NULL, 10);
        else if (opt == 'd')
            duration = strtod(optarg, NULL);
        else
            threads = 0;
    }
    count = threads / 2;
    if (threads % 2 || count < 1 || count > MAX_PAIRS || duration < 0 ||
        optind != argc) {
        fputs("usage: pairs_bench [-t THREADS] [-n OBJECTS_PER_PAIR | "
              "-d SECONDS]\n(THREADS even, 2 to 1024)\n", stderr);
        return 2;
    }
    if (duration > 0)
        objects_per_pair = (size_t)-1;
    if (pthread_barrier_init(&start_line, NULL, (unsigned)threads + 1) != 0)
        return 1;
    for (i = 0; i < count; i++) {
        pairs[i].index = i;
        if (pthread_create(&pairs[i].consumer, NULL, consume, &pairs[i]) ||
            pthread_create(&pairs[i].producer, NULL, produce, &pairs[i])) {
            fputs("pairs_bench: cannot start the threads\n", stderr);
            return 1;
        }
    }
    start = bench_now(); /* before the barrier: main() may run last after it */
    pthread_barrier_wait(&start_line);
    if (duration > 0)
        bench_stop_after(duration, &time_is_up);
    for (i = 0; i < count; i++) {
        pthread_join(pairs[i].producer, NULL);
        pthread_join(pairs[i].consumer, NULL);
    }
    seconds = bench_now() - start;
    for (i = 0; i < count; i++) {
        calls += pairs[i].made + pairs[i].freed;
        sum += pairs[i].sum;
    }
    sink = sum;
    getrusage(RUSAGE_SELF, &usage);
    printf("pairs_bench: threads=%zu pairs=%zu ops=%zu seconds=%.3f "
           "ops_per_sec=%.0f max_rss_kib=%ld\n", threads, count, calls,
           seconds, (double)calls / seconds, usage.ru_maxrss);
    return 0;
}

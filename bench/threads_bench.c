/* threads_bench.c - N threads allocating and freeing at once.
 *
 *   threads_bench [-t THREADS] [-n OPS_PER_THREAD]
 *
 * Each thread keeps 1000 slots; each step frees a random slot's object and
 * allocates a new one there (mostly 16-512 bytes, one in 50 up to 64 KiB)
 * and writes its first bytes.  One step in 16 hands the object to the
 * next thread instead, through a shared mailbox, so objects are also
 * freed by a thread other than the one that allocated them, as they are
 * in producer/consumer programs.  Like replay_bench it links no heaplab
 * library.  One line of results:
 *
 *   threads_bench: threads=N ops=M seconds=S ops_per_sec=X
 * (ops counts allocations and frees together).
 */
#include "config.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define SLOTS 1000
#define MAX_THREADS 64

static size_t ops_per_thread = 1000000, threads = 1;
static void *mailbox[MAX_THREADS];

static uint64_t next_random(uint64_t *state)
{
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    return *state * 0x2545f4914f6cdd1dULL;
}

static size_t pick_size(uint64_t *state)
{
    uint64_t r = next_random(state);
    return r % 50 == 0 ? (size_t)(r % (64 << 10)) + 1 : (size_t)(r % 497) + 16;
}

static void *worker(void *arg)
{
    size_t me = (size_t)(uintptr_t)arg, i;
    uint64_t state = 0x9e3779b97f4a7c15ULL * (me + 1);
    void *slots[SLOTS] = {0};

    for (i = 0; i < ops_per_thread / 2; i++) {
        size_t slot = (size_t)(next_random(&state) % SLOTS);
        size_t size = pick_size(&state);
        void *fresh = malloc(size), *theirs;
        memset(fresh, (int)i, size < 64 ? size : 64);
        if (i % 16 == 0 && threads > 1) {
            theirs = __atomic_exchange_n(&mailbox[(me + 1) % threads], fresh,
                                         __ATOMIC_ACQ_REL);
            free(theirs);
        } else {
            free(slots[slot]);
            slots[slot] = fresh;
        }
    }
    for (i = 0; i < SLOTS; i++)
        free(slots[i]);
    return NULL;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    pthread_t t[MAX_THREADS];
    double start, seconds;
    size_t i;
    int opt;

    while ((opt = getopt(argc, argv, "t:n:")) != -1) {
        if (opt == 't')
            threads = strtoul(optarg, NULL, 10);
        else if (opt == 'n')
            ops_per_thread = strtoul(optarg, NULL, 10);
    }
    if (threads < 1 || threads > MAX_THREADS || optind != argc) {
        fputs("usage: threads_bench [-t THREADS] [-n OPS_PER_THREAD]\n",
              stderr);
        return 2;
    }
    start = now();
    for (i = 0; i < threads; i++)
        pthread_create(&t[i], NULL, worker, (void *)(uintptr_t)i);
    for (i = 0; i < threads; i++)
        pthread_join(t[i], NULL);
    for (i = 0; i < threads; i++)
        free(mailbox[i]);
    seconds = now() - start;
    printf("threads_bench: threads=%zu ops=%zu seconds=%.3f "
           "ops_per_sec=%.0f\n", threads, ops_per_thread * threads, seconds,
           (double)(ops_per_thread * threads) / seconds);
    return 0;
}

/* gen_workload.c - a synthetic but realistic allocation script.
 *
 *   gen_workload [-n OPS] [-s SEED] > FILE
 *
 * Programs allocate mostly small objects that die young, keep a slowly
 * changing set of long-lived ones, and grow buffers by realloc.  The
 * script mixes those behaviours, in the proportions measurement studies of
 * C and C++ programs keep finding (most requests under 128 bytes, a long
 * tail of big ones):
 *
 *   sizes     60% 8-64 bytes, 25% 65-512, 12% 513-8192, 3% 8 KiB-256 KiB
 *   lifetime  85% short-lived: freed after a few later allocations,
 *             newest first, like the temporaries of a call;
 *             15% long-lived: kept in a pool of up to 20000 objects, from
 *             which random ones are freed once it is full
 *   growth    5% of steps realloc a live buffer to 1.5 times its size
 *   zeroed    5% of allocations are calloc; 1% are aligned (64 or 4096)
 *
 * The same seed gives the same script.  It ends freeing nothing: the
 * replayer frees what is left.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "bench.h"

#define SHORT_MAX 64     /* temporaries alive at once */
#define LONG_MAX 20000   /* long-lived objects alive at once */

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t next_random(void)
{
    return bench_random(&rng_state);
}

static size_t between(size_t low, size_t high)
{
    return bench_between(&rng_state, low, high);
}

static size_t pick_size(void)
{
    unsigned percent = (unsigned)(next_random() % 100);

    if (percent < 60)
        return between(8, 64);
    if (percent < 85)
        return between(65, 512);
    if (percent < 97)
        return between(513, 8192);
    return between(8193, 256 << 10);
}

/* The IDs in use, and the ones free for reuse. */
static size_t free_ids[SHORT_MAX + LONG_MAX + 1], free_count, next_id;
static size_t shorts[SHORT_MAX], short_count;
static size_t longs[LONG_MAX], long_sizes[LONG_MAX], long_count;

static size_t take_id(void)
{
    return free_count ? free_ids[--free_count] : next_id++;
}

static void free_id(size_t id)
{
    printf("f %zu\n", id);
    free_ids[free_count++] = id;
}

static size_t allocate(size_t size)
{
    size_t id = take_id();
    unsigned percent = (unsigned)(next_random() % 100);

    if (percent < 5)
        printf("c %zu %zu %zu\n", id, size / 8 + 1, (size_t)8);
    else if (percent < 6)
        printf("m %zu %zu %zu\n", id, percent % 2 ? (size_t)64 : 4096, size);
    else
        printf("a %zu %zu\n", id, size);
    return id;
}

static void step(void)
{
    size_t i;

    if (long_count && next_random() % 100 < 5) { /* grow a buffer */
        i = (size_t)(next_random() % long_count);
        long_sizes[i] += long_sizes[i] / 2 + 1;
        if (long_sizes[i] > ((size_t)4 << 20))
            long_sizes[i] = 16;
        printf("r %zu %zu\n", longs[i], long_sizes[i]);
        return;
    }
    if (next_random() % 100 < 15) { /* long-lived */
        if (long_count == LONG_MAX) {
            i = (size_t)(next_random() % long_count);
            free_id(longs[i]);
            longs[i] = longs[--long_count];
            long_sizes[i] = long_sizes[long_count];
        }
        long_sizes[long_count] = pick_size();
        longs[long_count] = allocate(long_sizes[long_count]);
        long_count++;
        return;
    }
    /* a temporary; the newest ones die first */
    while (short_count && (short_count == SHORT_MAX ||
                           next_random() % 100 < 45))
        free_id(shorts[--short_count]);
    shorts[short_count++] = allocate(pick_size());
}

int main(int argc, char **argv)
{
    size_t steps = 1000000, i;
    int opt;

    while ((opt = getopt(argc, argv, "n:s:")) != -1) {
        if (opt == 'n')
            steps = strtoul(optarg, NULL, 10);
        else if (opt == 's')
            rng_state ^= strtoull(optarg, NULL, 10) * 0x100000001b3ULL;
        else {
            fputs("usage: gen_workload [-n STEPS] [-s SEED]\n", stderr);
            return 2;
        }
    }
    printf("# gen_workload -n %zu: synthetic, see bench/gen_workload.c\n",
           steps);
    printf("heap preset=default grower=mmap capacity=4G\n");
    for (i = 0; i < steps; i++)
        step();
    return 0;
}

/* bench.h - what the benchmark programs share: a clock, and the small
 * random number generator (xorshift64*, Vigna 2016) that makes each run
 * the same sequence for the same seed.  Header-only, not installed. */
#ifndef HL_BENCH_H
#define HL_BENCH_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* Seconds on a clock that never jumps. */
static inline double bench_now(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static inline uint64_t bench_random(uint64_t *state)
{
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    return *state * 0x2545f4914f6cdd1dULL;
}

/* Sleeps `seconds` (signals do not cut it short), then raises `flag`: how
 * a run of fixed duration tells its threads to stop. */
static inline void bench_stop_after(double seconds, atomic_int *flag)
{
    struct timespec pause;

    pause.tv_sec = (time_t)seconds;
    pause.tv_nsec = (long)((seconds - (double)pause.tv_sec) * 1e9);
    while (nanosleep(&pause, &pause) != 0)
        continue;
    atomic_store(flag, 1);
}

/* A number from low to high, both included. */
static inline size_t bench_between(uint64_t *state, size_t low, size_t high)
{
    return low + (size_t)(bench_random(state) % (high - low + 1));
}

#endif /* HL_BENCH_H */

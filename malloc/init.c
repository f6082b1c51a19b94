/* init.c - the process's one heap, set up on the first call, without
 * recursion.
 *
 * The heap's state, its grower and its knobs are static variables, so
 * nothing has to be allocated to make them.  The first caller of
 * global_heap_ready() - usually the dynamic loader or the C library's own
 * start-up, long before main - reads the knobs, builds the grower and the
 * heap, and only then, with the heap ready, registers the fork handlers
 * (pthread_atfork may itself call malloc, which by then simply works).
 * A call made on the starting thread while it is still starting gets NULL
 * and is served from the bootstrap buffer; other threads wait (start_once.h).
 *
 * The mmap grower reserves address space only (MAP_NORESERVE, no access),
 * 64 GiB by default.  Where that much cannot be had (a ulimit -v, a 47-bit
 * address space already crowded), smaller reservations are tried; as a
 * last resort the heap sits on the program break.
 */
#include <pthread.h>

#include "global.h"
#include "start_once.h"

global_knobs global_knobs_in_force;

static start_once heap_once;
static hl_heap_space heap_space;
static hl_heap *heap;
static hl_mmap_grower mmap_grower;
static hl_brk_grower brk_grower;

/* The grower the knobs ask for, or the one that can be had. */
static hl_grower *make_grower(global_knobs *knobs)
{
    size_t reserve;

    if (knobs->grower == GROWER_MMAP) {
        for (reserve = knobs->reserve; reserve >= ((size_t)64 << 20);
             reserve /= 4)
            if (hl_mmap_grower_init(&mmap_grower, reserve,
                                    knobs->increment) == 0) {
                knobs->reserve = reserve;
                return &mmap_grower.base;
            }
        knobs->grower = GROWER_BRK;
    }
    hl_brk_grower_init(&brk_grower, knobs->increment);
    return &brk_grower.base;
}

static void start(void)
{
    global_knobs *knobs = &global_knobs_in_force;

    knobs_read(knobs);
    heap = hl_heap_init(&heap_space, &knobs->config, make_grower(knobs));
    trim_policy_watch(heap);
    stats_prepare();
}

hl_heap *global_heap_ready(void)
{
    switch (start_once_enter(&heap_once)) {
    case START_READY:
        return heap;
    case START_NESTED:
        return NULL;
    default:
        start();
        start_once_done(&heap_once);
        atfork_register();
        return heap;
    }
}

/* The mmap grower's whole reservation counts as the heap's, committed or
 * not: a stray pointer into its inaccessible part must go to the heap
 * (which reports it), not to mapping_owns(), which would read there. */
bool global_heap_region(hl_heap *global, const void *ptr)
{
    const char *p = ptr;

    if (global_knobs_in_force.grower == GROWER_MMAP)
        return p >= mmap_grower.start &&
               p < mmap_grower.start + mmap_grower.reserved;
    return hl_heap_contains(global, ptr);
}

hl_heap *hl_global_heap(void)
{
    return global_heap_ready();
}

/* Set up at load time too, before main and before any thread, so that the
 * fork handlers are in place even in a program that never calls malloc
 * before it forks. */
__attribute__((constructor)) static void start_at_load(void)
{
    global_heap_ready();
}

/* init.c - setting up on the first call, without recursion, and finding
 * the heap of a pointer.
 *
 * The knobs and the shared heap (slot 0, heaps.c) are static variables,
 * so nothing has to be allocated to make them.  The first caller of
 * global_ready() - usually the dynamic loader or the C library's own
 * start-up, long before main - reads the knobs, builds slot 0's grower and
 * heap, and only then, with everything ready, registers the fork handlers
 * (pthread_atfork may itself call malloc, which by then simply works).  A
 * call made on the starting thread while it is still starting gets false
 * and is served from the bootstrap buffer; other threads wait
 * (start_once.h).  Per-thread heaps are made later, by each thread's
 * first allocation.
 *
 * Slot 0's mmap grower reserves address space only (MAP_NORESERVE, no
 * access), aligned so that region.c finds it; 64 GiB by default with
 * heaps=one, where it holds everything.  Where that much cannot be had (a
 * ulimit -v, a crowded address space), smaller reservations are tried; as
 * a last resort it sits on the program break.
 */
#include <pthread.h>

#include "global.h"
#include "start_once.h"

global_knobs global_knobs_in_force;

static start_once heap_once;
atomic_int global_state; /* heap_once.state, readable inline */
static hl_mmap_grower mmap_grower;
static hl_brk_grower brk_grower;
bool global_on_brk;

/* Slot 0's grower: the one the knobs ask for, or the one that can be had.
 * Sets *registered when its reservation went into the region table. */
static hl_grower *make_grower(global_knobs *knobs, bool *registered)
{
    /* With a heap per thread, the shared heap serves only the odd thread
     * that has none: one grain of address space is enough, and leaves
     * the rest to the threads' heaps under a small ulimit -v. */
    size_t reserve = knobs->config.heaps == HL_HEAPS_ONE ? knobs->reserve
                                                         : REGION_GRAIN;

    *registered = false;
    if (knobs->grower == GROWER_MMAP) {
        reserve = (reserve + REGION_GRAIN - 1) & ~(REGION_GRAIN - 1);
        for (; reserve >= REGION_GRAIN; reserve /= 2)
            if (hl_mmap_grower_init_aligned(&mmap_grower, reserve,
                                            REGION_GRAIN,
                                            knobs->increment) == 0) {
                knobs->reserve = reserve;
                *registered = region_register(mmap_grower.start,
                                              mmap_grower.reserved, 0);
                return &mmap_grower.base;
            }
        knobs->grower = GROWER_BRK;
    }
    global_on_brk = true;
    hl_brk_grower_init(&brk_grower, knobs->increment);
    return &brk_grower.base;
}

static void start(void)
{
    global_knobs *knobs = &global_knobs_in_force;
    bool registered;
    hl_grower *grower;

    knobs_read(knobs);
    threshold_start(knobs);
    grower = make_grower(knobs, &registered);
    heaps_start(grower, registered);
    stats_prepare();
}

/* global_ready()'s slow path: the first call, a nested one, or one that
 * arrives while another thread is starting. */
bool global_start(void)
{
    switch (start_once_enter(&heap_once)) {
    case START_READY:
        return true;
    case START_NESTED:
        return false;
    default:
        start();
        start_once_done(&heap_once);
        atomic_store_explicit(&global_state, 2, memory_order_release);
        atfork_register();
        return true;
    }
}

/* With heaps=one on the program break, the shared heap is not in the
 * region table: its bounds are read instead. */
global_slot *global_slot_on_brk(const void *ptr)
{
    global_slot *shared = heaps_shared();

    return hl_heap_contains(shared->heap, ptr) ? shared : NULL;
}

hl_heap *hl_global_heap(void)
{
    return global_ready() ? heaps_mine()->heap : NULL;
}

/* Set up at load time too, before main and before any thread, so that the
 * fork handlers are in place even in a program that never calls malloc
 * before it forks. */
__attribute__((constructor)) static void start_at_load(void)
{
    global_ready();
}

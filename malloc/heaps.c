/* heaps.c - a heap per thread: made, found, handed on, and given back.
 *
 * With heaps=per-thread (the default), each thread allocates from a heap of
 * its own and takes no lock to do it: nothing else ever writes that heap's
 * blocks.  A heap lives in a slot:
 *
 *   slots[1..]   one per heap made: the heap's state, its mmap grower (a
 *                reservation aligned to REGION_GRAIN, registered in
 *                region.c so that free() finds the slot from the address),
 *                and its owner, the thread that may use it.
 *   slots[0]     the shared heap: locked, used by every thread with
 *                heaps=one (the seed's one lock around one heap), and in
 *                per-thread mode by a thread that cannot have a heap of its
 *                own (no slot or no address space left, or a thread past
 *                its exit).
 *
 * A thread finds its slot in a thread-local variable, set on its first
 * allocation.  free() of an object of another thread's heap is a remote
 * free (lib/remote.c): gathered in the thread's batch while they go to one
 * heap, pushed on that heap's list 32 at a time (or when the next one goes
 * elsewhere, or the thread ends), and taken by the owner.
 *
 * Slots are never destroyed, only handed on.  When a thread exits (a
 * pthread key's destructor), its heap's remote list is drained, its cache
 * flushed and its free top given back (so a heap whose objects are all free
 * returns everything to the system), and the slot is marked abandoned
 * (owner 0) and put on a list.  The next thread that starts adopts it
 * instead of making a heap, so short-lived threads reuse a few heaps.  The
 * objects a gone thread left alive are still freed by whoever frees them:
 * a remote free onto an abandoned heap is followed by a short visit (the
 * freeing thread takes the heap with a compare-and-swap on its owner,
 * drains it and gives back what is free) - never a wait.
 *
 * The registry (making, adopting, abandoning a slot) takes one mutex: it is
 * on no path that stays inside one thread.  The slot table is read without
 * it: an entry is written once, before the slot's number is published.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "global.h"

#define OWNER_NONE ((uintptr_t)0)   /* abandoned: any thread may adopt */
#define OWNER_LOST ((uintptr_t)1)   /* its thread vanished in a fork */
#define OWNER_SHARED ((uintptr_t)2) /* slot 0: everyone, under its lock */

_Atomic(global_slot *) heaps_slots[GLOBAL_MAX_HEAPS];
static atomic_uint slot_count;     /* heaps_slots[0..slot_count) are set */
static global_slot shared_slot;
static pthread_mutex_t registry = PTHREAD_MUTEX_INITIALIZER;
static global_slot *abandoned;     /* a stack through next_abandoned */
static pthread_key_t exit_key;

/* The calling thread's slot, and a token that names the thread: the
 * address of a thread-local, the same in a child after fork. */
__thread global_slot *heaps_thread_slot
    __attribute__((tls_model("initial-exec")));
static __thread char thread_token __attribute__((tls_model("initial-exec")));
static __thread hl_remote_batch thread_batch
    __attribute__((tls_model("initial-exec")));

static uintptr_t my_token(void)
{
    return (uintptr_t)&thread_token;
}

unsigned heaps_count(void)
{
    return atomic_load_explicit(&slot_count, memory_order_acquire);
}

bool heaps_is_shared(const global_slot *slot)
{
    return slot == &shared_slot;
}

/* ---------------------------------------------------------------------------
 * Making a slot
 * ------------------------------------------------------------------------- */

/* A new slot with a heap on a fresh aligned reservation, registered; or
 * NULL when no slot number or no address space is left.  Under the
 * registry lock. */
static global_slot *make_slot(void)
{
    const global_knobs *knobs = &global_knobs_in_force;
    unsigned number = atomic_load_explicit(&slot_count, memory_order_relaxed);
    global_slot *slot;
    size_t reserve;
    hl_config cfg = knobs->config;

    if (number >= GLOBAL_MAX_HEAPS)
        return NULL;
    slot = mmap(NULL, sizeof *slot, PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (slot == MAP_FAILED)
        return NULL;
    /* Whole grains, so that no two heaps share one in region.c's table. */
    reserve = (knobs->thread_reserve + REGION_GRAIN - 1) & ~(REGION_GRAIN - 1);
    for (; reserve >= REGION_GRAIN; reserve /= 2)
        if (hl_mmap_grower_init_aligned(&slot->mmap, reserve, REGION_GRAIN,
                                        knobs->increment) == 0)
            break;
    if (reserve < REGION_GRAIN) {
        munmap(slot, sizeof *slot);
        return NULL;
    }
    /* The slot is published before its region: a lookup that finds the
     * region finds the slot. */
    atomic_store_explicit(&heaps_slots[number], slot, memory_order_release);
    if (!region_register(slot->mmap.start, slot->mmap.reserved, number)) {
        atomic_store_explicit(&heaps_slots[number], NULL,
                              memory_order_relaxed);
        hl_mmap_grower_release(&slot->mmap);
        munmap(slot, sizeof *slot);
        return NULL;
    }
    cfg.locked = false;
    slot->number = number;
    slot->heap = hl_heap_init(&slot->space, &cfg, &slot->mmap.base);
    trim_policy_watch(slot);
    atomic_store_explicit(&slot_count, number + 1, memory_order_release);
    return slot;
}

/* ---------------------------------------------------------------------------
 * A thread's slot
 * ------------------------------------------------------------------------- */

static bool try_own(global_slot *slot, uintptr_t from)
{
    return atomic_compare_exchange_strong_explicit(
        &slot->owner, &from, my_token(), memory_order_acquire,
        memory_order_relaxed);
}

/* An abandoned slot the caller now owns, or NULL.  Under the registry. */
static global_slot *adopt(void)
{
    global_slot **link = &abandoned, *slot;

    for (; (slot = *link); link = &slot->next_abandoned)
        if (try_own(slot, OWNER_NONE)) {
            *link = slot->next_abandoned;
            slot->next_abandoned = NULL;
            slot->on_abandoned_list = false;
            return slot;
        }
    return NULL;
}

/* The first allocation of a thread: adopt a heap, or make one, or share.
 * Kept out of line, so that heaps_mine's fast path stays three
 * instructions. */
/* A slot for the calling thread: an abandoned one adopted, or a new one
 * made; NULL when neither can be had. */
static global_slot *take_slot(void)
{
    global_slot *slot;

    pthread_mutex_lock(&registry);
    slot = adopt();
    if (!slot && (slot = make_slot()))
        atomic_store_explicit(&slot->owner, my_token(), memory_order_relaxed);
    pthread_mutex_unlock(&registry);
    return slot;
}

__attribute__((noinline)) static global_slot *thread_start(void)
{
    global_slot *slot = take_slot();

    if (!slot)
        return heaps_thread_slot = &shared_slot;
    heaps_thread_slot = slot; /* before pthread_setspecific may allocate */
    hl_heap_drain(slot->heap);
    pthread_setspecific(exit_key, slot);
    return slot;
}

/* The calling thread's heap is full (its reservation is used up, as under
 * a small `ulimit -v`): the thread takes one more heap, on a region of its
 * own, and keeps the old one, whose objects it still frees as its own.
 * NULL when no heap can be made. */
global_slot *heaps_grow_thread(void)
{
    global_slot *old = heaps_thread_slot, *slot;

    if (!old || old == &shared_slot || !(slot = take_slot()))
        return NULL;
    slot->next_owned = old;
    heaps_thread_slot = slot;
    hl_heap_drain(slot->heap);
    pthread_setspecific(exit_key, slot);
    return slot;
}

/* Whether the calling thread owns slot's heap (one it grew out of, too). */
bool heaps_owned_by_me(const global_slot *slot)
{
    return atomic_load_explicit(&slot->owner, memory_order_relaxed) ==
           my_token();
}

global_slot *heaps_first_use(void)
{
    if (global_knobs_in_force.config.heaps == HL_HEAPS_ONE)
        return heaps_thread_slot = &shared_slot;
    return thread_start();
}

/* Gives back what a heap no thread uses holds: remote frees, the cache, and
 * its free top.  The caller owns the slot. */
static size_t slot_give_back(global_slot *slot)
{
    hl_heap_drain(slot->heap);
    hl_heap_flush_cache(slot->heap);
    return hl_heap_trim(slot->heap, 0);
}

/* Visits slot's heap if its thread is gone and no one else is visiting:
 * drains it and gives back what is now free.
 *
 * A push onto the heap's remote list must never be left there by a visit
 * that ended just before it.  Pushers and visitors follow one rule, with a
 * full fence between the two steps: push, then look at the owner; give the
 * heap up, then look at the list.  Either the pusher sees the heap
 * abandoned and visits it, or the visitor sees the push and goes round
 * again (or finds another visitor already at it). */
static size_t visit_if_abandoned(global_slot *slot)
{
    size_t got = 0;

    do {
        if (atomic_load_explicit(&slot->owner, memory_order_relaxed) !=
                OWNER_NONE ||
            !try_own(slot, OWNER_NONE))
            return got;
        got += slot_give_back(slot);
        atomic_store_explicit(&slot->owner, OWNER_NONE, memory_order_release);
        atomic_thread_fence(memory_order_seq_cst);
    } while (hl_heap_has_remote(slot->heap));
    return got;
}

/* The key's destructor, as a thread exits.  Allocations after this (other
 * destructors may make some) go to the shared heap. */
static void abandon(global_slot *slot)
{
    slot_give_back(slot);
    pthread_mutex_lock(&registry);
    atomic_store_explicit(&slot->owner, OWNER_NONE, memory_order_release);
    if (!slot->on_abandoned_list) {
        slot->next_abandoned = abandoned;
        slot->on_abandoned_list = true;
        abandoned = slot;
    }
    pthread_mutex_unlock(&registry);
    /* Frees pushed since the give-back above are not left behind. */
    atomic_thread_fence(memory_order_seq_cst);
    if (hl_heap_has_remote(slot->heap))
        visit_if_abandoned(slot);
}

static void thread_exit(void *arg)
{
    global_slot *slot = arg, *next;

    hl_global_flush_remote_frees();
    heaps_thread_slot = &shared_slot;
    for (; slot; slot = next) { /* the thread's heaps, newest first */
        next = slot->next_owned;
        slot->next_owned = NULL;
        abandon(slot);
    }
}

/* After a push onto slot's heap: the pusher's half of the rule above. */
static void pushed(global_slot *slot)
{
    atomic_thread_fence(memory_order_seq_cst);
    if (atomic_load_explicit(&slot->owner, memory_order_relaxed) ==
        OWNER_NONE)
        visit_if_abandoned(slot);
}

/* Pushes the calling thread's batch, and looks after its heap. */
void hl_global_flush_remote_frees(void)
{
    global_slot *slot;

    if (thread_batch.count == 0)
        return;
    slot = global_slot_of(thread_batch.first);
    hl_remote_batch_flush(&thread_batch);
    if (slot)
        pushed(slot);
}

/* A remote free: into the thread's batch, which is pushed when it is full
 * or when a free goes to another heap; when its heap's thread is gone, the
 * pusher visits it.  (The last objects of a batch wait for the next batch,
 * or hl_global_flush_remote_frees, or the thread's end.) */
void heaps_free_remote(global_slot *slot, void *ptr)
{
    /* A thread with no heap of its own (past its end, or when none could
     * be had) would have no moment to push a batch: it pushes each one. */
    if (heaps_thread_slot == &shared_slot) {
        hl_free_remote(slot->heap, ptr);
        pushed(slot);
        return;
    }
    if (thread_batch.count && thread_batch.heap != slot->heap)
        hl_global_flush_remote_frees();
    hl_remote_batch_add(&thread_batch, slot->heap, ptr);
    if (thread_batch.count == 0)
        pushed(slot);
}

/* malloc_trim's visit to the heaps no thread owns: each is taken, given
 * back and let go, as a remote free's visit does.  Returns the bytes. */
size_t heaps_trim_abandoned(void)
{
    unsigned i, n = heaps_count();
    size_t got = 0;

    for (i = 1; i < n; i++)
        got += visit_if_abandoned(heaps_slot(i));
    return got;
}

bool heaps_is_lost(const global_slot *slot)
{
    return atomic_load_explicit(&slot->owner, memory_order_relaxed) ==
           OWNER_LOST;
}

/* ---------------------------------------------------------------------------
 * Start-up and fork
 * ------------------------------------------------------------------------- */

/* Slot 0, on the grower the knobs chose (init.c made it). */
void heaps_start(hl_grower *grower, bool registered)
{
    hl_config cfg = global_knobs_in_force.config;

    cfg.locked = true;
    shared_slot.number = 0;
    shared_slot.heap = hl_heap_init(&shared_slot.space, &cfg, grower);
    trim_policy_watch(&shared_slot);
    shared_slot.registered = registered;
    atomic_store_explicit(&shared_slot.owner, OWNER_SHARED,
                          memory_order_relaxed);
    atomic_store_explicit(&heaps_slots[0], &shared_slot,
                          memory_order_release);
    atomic_store_explicit(&slot_count, 1, memory_order_release);
    pthread_key_create(&exit_key, thread_exit);
}

global_slot *heaps_shared(void)
{
    return &shared_slot;
}

void heaps_before_fork(void)
{
    pthread_mutex_lock(&registry);
    hl_heap_lock(shared_slot.heap);
}

void heaps_after_fork_parent(void)
{
    hl_heap_unlock(shared_slot.heap);
    pthread_mutex_unlock(&registry);
}

/* In the child only the forking thread exists.  A heap that another thread
 * owned may have been caught in the middle of an operation: it is never
 * used again (its memory is the parent's copy; frees of its objects still
 * queue on it harmlessly).  Abandoned heaps were quiet and stay adoptable. */
void heaps_after_fork_child(void)
{
    unsigned i, n = heaps_count();

    for (i = 1; i < n; i++) {
        global_slot *slot = heaps_slot(i);
        uintptr_t owner = atomic_load_explicit(&slot->owner,
                                               memory_order_relaxed);
        if (owner != OWNER_NONE && owner != my_token())
            atomic_store_explicit(&slot->owner, OWNER_LOST,
                                  memory_order_relaxed);
    }
    hl_heap_unlock(shared_slot.heap);
    pthread_mutex_unlock(&registry);
}

/* global.h - what the files of libheaplab-malloc share.  Not installed.
 *
 * Each thread has a heap of its own (heaps.c), or with heaps=one all share
 * one locked heap; the knobs come from the environment (knobs.c), and the
 * heap of any address is found in region.c.  Small requests go to the
 * caller's heap; requests of at least the mmap threshold go to mappings of
 * their own (mapping.c).  The malloc family (family.c, aligned.c) decides
 * which, frees memory back where it came from (a remote free when another
 * thread's heap holds it), and gives free memory at the top of a heap back
 * (trim_policy.c).
 * fork() is made safe in atfork.c, the exit line printed in stats.c, and
 * the rare call made while the heap is still being set up is served by a
 * static buffer (bootstrap.c).
 */
#ifndef HL_GLOBAL_H
#define HL_GLOBAL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bootstrap.h"
#include "heaplab-malloc.h"

#define GLOBAL_DEFAULT_MMAP_THRESHOLD ((size_t)1 << 20)
#define GLOBAL_DEFAULT_TRIM_THRESHOLD ((size_t)1 << 20)
#define GLOBAL_DEFAULT_INCREMENT ((size_t)64 << 10)
#define GLOBAL_DEFAULT_RESERVE ((size_t)64 << 30)        /* heaps=one */
#define GLOBAL_DEFAULT_THREAD_RESERVE ((size_t)16 << 30) /* per thread */
#define GLOBAL_MAX_HEAPS 4096
#define REGION_GRAIN_SHIFT 26
#define REGION_GRAIN ((size_t)1 << REGION_GRAIN_SHIFT)
#define GLOBAL_NEVER ((size_t)-1) /* a threshold that is never reached */

typedef enum global_grower_kind { GROWER_MMAP, GROWER_BRK } global_grower_kind;

/* Everything the environment chooses. */
typedef struct global_knobs {
    hl_config config;          /* preset, align, fit, order, merge, cache,
                                  heaps */
    global_grower_kind grower; /* grower=mmap|brk */
    size_t increment;          /* the grower's minimum increment */
    size_t reserve;            /* the shared heap's address space */
    size_t thread_reserve;     /* each per-thread heap's address space */
    size_t mmap_threshold;     /* requests >= this get their own mapping */
    size_t trim_threshold;     /* free bytes kept at the top of the heap */
    bool thresholds_fixed;     /* set by the environment: never moved */
    bool stats;                /* HEAPLAB_STATS: a line at exit ... */
    char stats_path[256];      /* ... appended to this file, or stderr */
    bool stats_heaps;          /* HEAPLAB_STATS_HEAPS: a line per heap too */
} global_knobs;

/* knobs.c: the defaults, then whatever the environment says.  Problems are
 * reported with one line on stderr each and the knob keeps its default. */
void knobs_read(global_knobs *knobs);
/* Writes "align=16 fit=first ..." into buf (always NUL-terminated). */
void knobs_describe(const global_knobs *knobs, char *buf, size_t size);
/* HEAPLAB_STATS's path with each %p replaced by pid and %% by %, into
 * out; false when it does not fit. */
bool stats_expand_path(const char *template, long pid, char *out,
                       size_t size);
/* Parses "123", "64K", "1M", "2G", "1T"; false when it is not a size. */
bool knobs_parse_size(const char *text, size_t *out);

/* A heap and what the drop-in keeps with it (heaps.c). */
typedef struct global_slot {
    hl_heap_space space;
    hl_heap *heap;
    hl_mmap_grower mmap;         /* its grower (slot 0: see init.c) */
    unsigned number;             /* its index in the slot table */
    bool registered;             /* its reservation is in region.c */
    _Atomic(uintptr_t) owner;    /* the owning thread's token, or a mark */
    struct global_slot *next_abandoned;
    struct global_slot *next_owned; /* the owner's older, full heaps */
    bool on_abandoned_list;
    atomic_size_t released_at_trim; /* trim_policy.c */
    bool auto_trims;                /* the heap trims by itself (trim.c) */
} global_slot;

/* init.c: true once the knobs are read and slot 0 is ready; false for a
 * call nested inside the setting up (the caller then uses the bootstrap
 * buffer). */
bool global_start(void);
extern atomic_int global_state; /* 2 once ready (start_once.h's states) */
static inline bool global_ready(void)
{
    if (__builtin_expect(atomic_load_explicit(&global_state,
                                              memory_order_acquire) == 2,
                         1))
        return true;
    return global_start();
}
extern global_knobs global_knobs_in_force;

/* region.c: the slot number of the heap whose reservation holds ptr, or
 * -1 when none does: one shift and one load, inline. */
#define REGION_ADDRESS_BITS 47
#define REGION_GRAINS ((size_t)1 << (REGION_ADDRESS_BITS - REGION_GRAIN_SHIFT))
extern _Atomic(uint16_t) region_table[REGION_GRAINS];
bool region_register(const void *start, size_t length, unsigned slot);
static inline int region_lookup(const void *ptr)
{
    uintptr_t grain = (uintptr_t)ptr >> REGION_GRAIN_SHIFT;

    if (grain >= REGION_GRAINS)
        return -1;
    return (int)atomic_load_explicit(&region_table[grain],
                                     memory_order_relaxed) - 1;
}

/* heaps.c */
extern _Atomic(global_slot *) heaps_slots[GLOBAL_MAX_HEAPS];
extern __thread global_slot *heaps_thread_slot
    __attribute__((tls_model("initial-exec")));
void heaps_start(hl_grower *grower, bool registered);
global_slot *heaps_first_use(void);
global_slot *heaps_grow_thread(void);
bool heaps_owned_by_me(const global_slot *slot);
/* The calling thread's slot: one thread-local load, but on its first
 * allocation. */
static inline global_slot *heaps_mine(void)
{
    global_slot *slot = heaps_thread_slot;

    return __builtin_expect(slot != NULL, 1) ? slot : heaps_first_use();
}
/* The slot of a number that region_lookup gave, or NULL. */
static inline global_slot *heaps_slot(unsigned number)
{
    return number < GLOBAL_MAX_HEAPS
               ? atomic_load_explicit(&heaps_slots[number],
                                      memory_order_relaxed)
               : NULL;
}
global_slot *heaps_shared(void);     /* slot 0 */
unsigned heaps_count(void);
bool heaps_is_shared(const global_slot *slot);
void heaps_free_remote(global_slot *slot, void *ptr);
bool heaps_is_lost(const global_slot *slot); /* set aside in a fork */
size_t heaps_trim_abandoned(void);
void heaps_before_fork(void);
void heaps_after_fork_parent(void);
void heaps_after_fork_child(void);
/* init.c: the slot whose heap holds ptr, or NULL (not a heap's). */
extern bool global_on_brk;
global_slot *global_slot_on_brk(const void *ptr);
static inline global_slot *global_slot_of(const void *ptr)
{
    int number = region_lookup(ptr);

    if (number >= 0)
        return heaps_slot((unsigned)number);
    return global_on_brk ? global_slot_on_brk(ptr) : NULL;
}

/* mapping.c: objects on mappings of their own. */
void *mapping_alloc(size_t size, size_t align);
bool mapping_owns(const void *ptr);
size_t mapping_free(void *ptr); /* returns the object's usable size */
void *mapping_resize(void *ptr, size_t size);
size_t mapping_usable_size(const void *ptr);
void mapping_count(size_t *live, size_t *bytes, size_t *made,
                   size_t *freed);

/* threshold.c: the mmap and trim thresholds in force.  They start at the
 * knobs' values and, unless the environment set them, rise as glibc's do
 * when a mapped object is freed. */
extern atomic_size_t threshold_mmap_now, threshold_trim_now;
void threshold_start(const global_knobs *knobs);
void threshold_after_unmap(size_t usable);
static inline size_t threshold_mmap(void)
{
    return atomic_load_explicit(&threshold_mmap_now, memory_order_relaxed);
}
static inline size_t threshold_trim(void)
{
    return atomic_load_explicit(&threshold_trim_now, memory_order_relaxed);
}

/* trim_policy.c */
void trim_policy_trim(global_slot *slot, size_t released);
/* After a free on slot's heap: trims once a threshold's worth of bytes has
 * been released since the last trim (the test inline, the trim not). */
static inline void trim_policy_after_free(global_slot *slot)
{
    size_t threshold, released;

    if (slot->auto_trims) /* the heap sees to it, at the right moment */
        return;
    threshold = threshold_trim();
    released = hl_heap_released_bytes(slot->heap);
    if (__builtin_expect(
            released - atomic_load_explicit(&slot->released_at_trim,
                                            memory_order_relaxed) >=
                threshold, 0))
        trim_policy_trim(slot, released);
}
void trim_policy_watch(global_slot *slot);

/* family.c: the allocation every entry point ends in. */
void *global_alloc(size_t size, size_t align);

/* atfork.c */
void atfork_register(void);

/* stats.c: stats_prepare() runs once the knobs are read. */
void stats_prepare(void);
void stats_print_line(int fd);

#endif /* HL_GLOBAL_H */

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
    hl_config config;          /* preset, align, fit, order, merge */
    global_grower_kind grower; /* grower=mmap|brk */
    size_t increment;          /* the grower's minimum increment */
    size_t reserve;            /* the shared heap's address space */
    size_t thread_reserve;     /* each per-thread heap's address space */
    size_t mmap_threshold;     /* requests >= this get their own mapping */
    size_t trim_threshold;     /* free bytes kept at the top of the heap */
    bool stats;                /* HEAPLAB_STATS: a line at exit ... */
    char stats_path[256];      /* ... appended to this file, or stderr */
} global_knobs;

/* knobs.c: the defaults, then whatever the environment says.  Problems are
 * reported with one line on stderr each and the knob keeps its default. */
void knobs_read(global_knobs *knobs);
/* Writes "align=16 fit=first ..." into buf (always NUL-terminated). */
void knobs_describe(const global_knobs *knobs, char *buf, size_t size);
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
    bool on_abandoned_list;
    atomic_size_t freed_since_trim; /* trim_policy.c */
} global_slot;

/* init.c: true once the knobs are read and slot 0 is ready; false for a
 * call nested inside the setting up (the caller then uses the bootstrap
 * buffer). */
bool global_ready(void);
extern global_knobs global_knobs_in_force;

/* region.c: the slot number of the heap whose reservation holds ptr, or
 * -1 when none does. */
bool region_register(const void *start, size_t length, unsigned slot);
int region_lookup(const void *ptr);

/* heaps.c */
void heaps_start(hl_grower *grower, bool registered);
global_slot *heaps_mine(void);       /* the calling thread's slot */
global_slot *heaps_shared(void);     /* slot 0 */
global_slot *heaps_slot(unsigned number);
unsigned heaps_count(void);
bool heaps_is_shared(const global_slot *slot);
bool heaps_is_abandoned(const global_slot *slot);
bool heaps_is_lost(const global_slot *slot); /* set aside in a fork */
void heaps_visit_abandoned(global_slot *slot);
void heaps_before_fork(void);
void heaps_after_fork_parent(void);
void heaps_after_fork_child(void);
/* init.c: the slot whose heap holds ptr, or NULL (not a heap's). */
global_slot *global_slot_of(const void *ptr);

/* bootstrap.c */
void *bootstrap_alloc(size_t size, size_t align);
bool bootstrap_owns(const void *ptr);
size_t bootstrap_usable_size(const void *ptr);

/* mapping.c: objects on mappings of their own. */
void *mapping_alloc(size_t size, size_t align);
bool mapping_owns(const void *ptr);
void mapping_free(void *ptr);
void *mapping_resize(void *ptr, size_t size);
size_t mapping_usable_size(const void *ptr);
void mapping_count(size_t *live, size_t *bytes, size_t *made,
                   size_t *freed);

/* trim_policy.c */
void trim_policy_watch(global_slot *slot);
void trim_policy_after_free(global_slot *slot);
void trim_policy_count(size_t trimmed);
size_t trim_policy_trimmed_bytes(void);

/* family.c: the allocation every entry point ends in. */
void *global_alloc(size_t size, size_t align);

/* atfork.c */
void atfork_register(void);

/* stats.c: stats_prepare() runs once the knobs are read. */
void stats_prepare(void);
void stats_print_line(int fd);

#endif /* HL_GLOBAL_H */

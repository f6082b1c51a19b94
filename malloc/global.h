/* global.h - what the files of libheaplab-malloc share.  Not installed.
 *
 * The process has one heap (init.c) whose knobs come from the environment
 * (knobs.c).  Small requests go to it; requests of at least the mmap
 * threshold go to mappings of their own (mapping.c).  The malloc family
 * (family.c, aligned.c) decides which, frees memory back where it came
 * from, and gives free memory at the top of the heap back (trim_policy.c).
 * fork() is made safe in atfork.c, the exit line printed in stats.c, and
 * the rare call made while the heap is still being set up is served by a
 * static buffer (bootstrap.c).
 */
#ifndef HL_GLOBAL_H
#define HL_GLOBAL_H

#include <stdbool.h>
#include <stddef.h>

#include "heaplab-malloc.h"

#define GLOBAL_DEFAULT_MMAP_THRESHOLD ((size_t)1 << 20)
#define GLOBAL_DEFAULT_TRIM_THRESHOLD ((size_t)1 << 20)
#define GLOBAL_DEFAULT_INCREMENT ((size_t)64 << 10)
#define GLOBAL_DEFAULT_RESERVE ((size_t)64 << 30)
#define GLOBAL_NEVER ((size_t)-1) /* a threshold that is never reached */

typedef enum global_grower_kind { GROWER_MMAP, GROWER_BRK } global_grower_kind;

/* Everything the environment chooses. */
typedef struct global_knobs {
    hl_config config;          /* preset, align, fit, order, merge */
    global_grower_kind grower; /* grower=mmap|brk */
    size_t increment;          /* the grower's minimum increment */
    size_t reserve;            /* the mmap grower's address space */
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

/* init.c: the heap, once it is ready; NULL for a call nested inside its
 * own setting up (the caller then uses the bootstrap buffer). */
hl_heap *global_heap_ready(void);
/* Whether ptr lies where the heap's objects live (free's first question). */
bool global_heap_region(hl_heap *global, const void *ptr);
extern global_knobs global_knobs_in_force;

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
void trim_policy_watch(hl_heap *heap);
void trim_policy_after_free(hl_heap *heap);
size_t trim_policy_trimmed_bytes(void);

/* family.c: the allocation every entry point ends in. */
void *global_alloc(size_t size, size_t align);

/* atfork.c */
void atfork_register(void);

/* stats.c: stats_prepare() runs once the knobs are read. */
void stats_prepare(void);
void stats_print_line(int fd);

#endif /* HL_GLOBAL_H */

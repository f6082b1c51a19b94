/* heaplab-malloc.h - libheaplab-malloc: heaplab as the process's malloc.
 *
 * Linking this library (or preloading it with LD_PRELOAD) replaces the C
 * library's malloc, free, calloc, realloc, reallocarray, aligned_alloc,
 * posix_memalign, memalign, valloc, pvalloc and malloc_usable_size with
 * heaplab's.  Underneath is one locked heap in static storage, set up on the
 * first call from the environment (see libheaplab-malloc(3)):
 *
 *   HEAPLAB_HEAP='KEY=VALUE ...'  preset, align, fit, order, merge,
 *                                 grower=mmap|brk, increment=, reserve=
 *   HEAPLAB_MMAP_THRESHOLD=SIZE   requests this big get their own mapping
 *   HEAPLAB_TRIM_THRESHOLD=SIZE   free memory kept at the top of the heap
 *   HEAPLAB_STATS=1               one summary line on stderr at exit
 *
 * The functions below are the same family under names of their own, for
 * programs and tests that must reach heaplab's even where another malloc
 * wins the symbol lookup (a sanitizer's, for one), plus a look inside.
 */
#ifndef HEAPLAB_MALLOC_H
#define HEAPLAB_MALLOC_H

#include <stddef.h>

#include "heaplab.h"

#ifdef __cplusplus
extern "C" {
#endif

void *hl_global_malloc(size_t size);
void hl_global_free(void *ptr);
void *hl_global_calloc(size_t count, size_t size);
void *hl_global_realloc(void *ptr, size_t size);
void *hl_global_reallocarray(void *ptr, size_t count, size_t size);
void *hl_global_aligned_alloc(size_t align, size_t size);
int hl_global_posix_memalign(void **out, size_t align, size_t size);
void *hl_global_memalign(size_t align, size_t size);
void *hl_global_valloc(size_t size);
void *hl_global_pvalloc(size_t size);
size_t hl_global_usable_size(void *ptr);

/* The process's heap (set up on first use).  Its objects are everything
 * smaller than the mmap threshold. */
hl_heap *hl_global_heap(void);

/* Requests that bypass the heap: each on its own mapping. */
typedef struct hl_global_stats {
    hl_stats heap;            /* hl_heap_stats of the process's heap */
    size_t mappings;          /* live objects on their own mapping */
    size_t mapping_bytes;     /* bytes those mappings span */
    size_t mappings_made;     /* since the start */
    size_t mappings_freed;
    size_t trimmed_bytes;     /* bytes the heap gave back by trimming */
    size_t mmap_threshold, trim_threshold; /* the knobs in force */
} hl_global_stats;

void hl_global_get_stats(hl_global_stats *out);

/* True when ptr lies in the heap's address range or is the object of a
 * live mapping of this library: what free() decides before it frees. */
int hl_global_owns(const void *ptr);

#ifdef __cplusplus
}
#endif
#endif /* HEAPLAB_MALLOC_H */

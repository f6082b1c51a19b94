/* heaplab-malloc.h - libheaplab-malloc: heaplab as the process's malloc.
 *
 * Linking this library (or preloading it with LD_PRELOAD) replaces the C
 * library's malloc, free, calloc, realloc, reallocarray, aligned_alloc,
 * posix_memalign, memalign, valloc, pvalloc, malloc_usable_size and
 * malloc_trim with
 * heaplab's.  Underneath, each thread allocates from a heap of its own, with
 * a cache of small blocks in front (heaps=per-thread cache=on, the
 * default), or every thread shares one locked heap (heaps=one, the seed's
 * design), set up on the first call from the environment (see
 * libheaplab-malloc(3)):
 *
 *   HEAPLAB_HEAP='KEY=VALUE ...'  preset, align, fit, order, merge, cache,
 *                                 heaps, grower=mmap|brk, increment=,
 *                                 reserve=
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

/* The calling thread's heap (set up on first use): its own with
 * heaps=per-thread, the shared one with heaps=one.  Its objects are what
 * the thread allocated below the mmap threshold. */
hl_heap *hl_global_heap(void);

/* Calls visit for every heap of the process, numbered from 0 (0 is the
 * shared, locked heap; the others are per-thread heaps, each owned by one
 * thread at a time, or by none since its thread ended).  Stop early by returning false.  Another
 * thread's heap changes under the visitor unless the program is quiet:
 * call it where no other thread allocates or frees. */
typedef bool (*hl_global_heap_visitor)(hl_heap *heap, unsigned number,
                                       void *arg);
unsigned hl_global_visit_heaps(hl_global_heap_visitor visit, void *arg);

/* A thread's frees of other threads' objects are gathered and pushed to
 * the owning heap 32 at a time (hl_remote_batch_add), and when the thread
 * ends.  This pushes the calling thread's batch now: before a thread goes
 * quiet for long, or in a test that wants the owner to see every free. */
void hl_global_flush_remote_frees(void);

/* malloc_trim: the calling thread's heap and the shared one flush their
 * caches and give back all but `pad` bytes of their free top, and heaps
 * whose threads are gone give back what they can.  1 when memory went
 * back, else 0. */
int hl_global_trim(size_t pad);

/* hl_heap_check on every heap, at a quiet point (as above), but for the
 * heaps a child of fork() set aside (those of the threads that did not
 * come along, perhaps caught in the middle of an operation, and never used
 * again).  On a
 * violation msg says "heap N: WHY". */
bool hl_global_check(char *msg, size_t msg_size);

/* Requests that bypass the heap: each on its own mapping. */
typedef struct hl_global_stats {
    hl_stats heap;            /* every heap's hl_heap_stats, added up
                                 (utilization and fragmentation: of the
                                 sums; the peaks: the sum of each heap's) */
    unsigned heaps;           /* heaps made, the shared one included */
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

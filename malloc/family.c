/* family.c - malloc, free, calloc, realloc, reallocarray and
 * malloc_usable_size, with the C library's semantics, on the process heap.
 *
 * Every object comes from one of three places, and every function that
 * takes an object back asks in this order where it came from:
 *   1. the bootstrap buffer (only calls made while the heap is set up);
 *   2. the heap: the pointer lies in the heap's address range;
 *   3. a mapping of its own: requests of at least the mmap threshold.
 * A pointer that is none of these is handed to the heap anyway, which
 * reports it as a foreign pointer through its error hook (by default one
 * line on stderr, then abort), exactly as it reports a double free.
 *
 * The heap's region is the mmap grower's whole reservation, which never
 * moves; on the brk grower, hl_heap_contains() reads the heap's bounds
 * without taking its lock.  That is enough: a pointer that a caller
 * rightly holds was handed out after the heap grew to include it, and the
 * caller got it through some synchronisation that makes that growth
 * visible; the heap never shrinks below a live object.
 *
 * The semantics are glibc's: malloc(0) returns a unique object; free(NULL)
 * does nothing; realloc(NULL, n) is malloc(n); realloc(p, 0) frees p and
 * returns NULL; failures return NULL with errno = ENOMEM and leave the old
 * object alone; calloc and reallocarray fail with ENOMEM when
 * count * size overflows.
 */
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "global.h"

static size_t mmap_threshold(void)
{
    return global_knobs_in_force.mmap_threshold;
}

/* A request the heap could not serve (its grower cannot grow: the
 * reservation is used up, or with grower=brk something else moved the
 * break) gets a mapping of its own instead. */
static void *heap_alloc_or_map(hl_heap *heap, size_t size, size_t align)
{
    int saved = errno;
    void *p = align <= hl_heap_config(heap)->align
                  ? hl_alloc(heap, size)
                  : hl_aligned_alloc(heap, align, size);

    if (p || errno != ENOMEM || size > HL_MAX_REQUEST)
        return p;
    p = mapping_alloc(size, align);
    if (p)
        errno = saved;
    return p;
}

/* The allocation behind every entry point.  align is a power of two, or 0
 * for the heap's own alignment. */
void *global_alloc(size_t size, size_t align)
{
    hl_heap *heap = global_heap_ready();

    if (!heap)
        return bootstrap_alloc(size, align);
    if (size >= mmap_threshold() || align > HL_MAX_ALIGN)
        return mapping_alloc(size, align);
    return heap_alloc_or_map(heap, size, align);
}

void *hl_global_malloc(size_t size)
{
    return global_alloc(size, 0);
}

void hl_global_free(void *ptr)
{
    hl_heap *heap;

    if (!ptr || bootstrap_owns(ptr))
        return; /* the bootstrap buffer is never given back */
    heap = global_heap_ready();
    if (heap && global_heap_region(heap, ptr)) {
        hl_free(heap, ptr);
        trim_policy_after_free(heap);
    } else if (mapping_owns(ptr)) {
        mapping_free(ptr);
    } else if (heap) {
        hl_free(heap, ptr); /* not ours: the heap reports it */
    }
}

void *hl_global_calloc(size_t count, size_t size)
{
    hl_heap *heap;
    void *p;

    if (size != 0 && count > SIZE_MAX / size) {
        errno = ENOMEM;
        return NULL;
    }
    p = global_alloc(count * size, 0);
    heap = global_heap_ready();
    /* Mappings and the bootstrap buffer are fresh, zeroed memory. */
    if (p && heap && hl_heap_contains(heap, p))
        memset(p, 0, count * size);
    return p;
}

/* Allocates `size` bytes anew, copies `keep` of ptr's bytes and frees ptr. */
static void *move(void *ptr, size_t keep, size_t size)
{
    void *moved = global_alloc(size, 0);

    if (!moved)
        return NULL;
    memcpy(moved, ptr, keep < size ? keep : size);
    hl_global_free(ptr);
    return moved;
}

static void *resize_heap_object(hl_heap *heap, void *ptr, size_t size)
{
    void *p;
    int saved = errno;

    if (size >= mmap_threshold())
        return move(ptr, hl_usable_size(heap, ptr), size);
    p = hl_realloc(heap, ptr, size);
    if (p || errno != ENOMEM || size > HL_MAX_REQUEST)
        return p;
    errno = saved; /* the heap is full: try a mapping of its own */
    return move(ptr, hl_usable_size(heap, ptr), size);
}

static void *resize_mapped_object(void *ptr, size_t size)
{
    if (size >= mmap_threshold())
        return mapping_resize(ptr, size);
    return move(ptr, size, size); /* small enough for the heap now */
}

void *hl_global_realloc(void *ptr, size_t size)
{
    hl_heap *heap;

    if (!ptr)
        return global_alloc(size, 0);
    if (size == 0) {
        hl_global_free(ptr);
        return NULL;
    }
    if (bootstrap_owns(ptr))
        return move(ptr, bootstrap_usable_size(ptr), size);
    heap = global_heap_ready();
    if (heap && global_heap_region(heap, ptr))
        return resize_heap_object(heap, ptr, size);
    if (mapping_owns(ptr))
        return resize_mapped_object(ptr, size);
    return heap ? hl_realloc(heap, ptr, size) : NULL; /* reports it */
}

void *hl_global_reallocarray(void *ptr, size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size) {
        errno = ENOMEM;
        return NULL;
    }
    return hl_global_realloc(ptr, count * size);
}

size_t hl_global_usable_size(void *ptr)
{
    hl_heap *heap;

    if (!ptr)
        return 0;
    if (bootstrap_owns(ptr))
        return bootstrap_usable_size(ptr);
    heap = global_heap_ready();
    if (heap && global_heap_region(heap, ptr))
        return hl_usable_size(heap, ptr);
    if (mapping_owns(ptr))
        return mapping_usable_size(ptr);
    return heap ? hl_usable_size(heap, ptr) : 0; /* reports it */
}

int hl_global_owns(const void *ptr)
{
    hl_heap *heap = global_heap_ready();

    return ptr && (bootstrap_owns(ptr) ||
                   (heap && global_heap_region(heap, ptr)) ||
                   mapping_owns(ptr));
}

/* The C library's names.  Kept as plain calls (not aliases) so that the
 * compiler sees an ordinary function and inlines the body. */
void *malloc(size_t size) { return hl_global_malloc(size); }
void free(void *ptr) { hl_global_free(ptr); }
void *calloc(size_t count, size_t size)
{
    return hl_global_calloc(count, size);
}
void *realloc(void *ptr, size_t size) { return hl_global_realloc(ptr, size); }
void *reallocarray(void *ptr, size_t count, size_t size)
{
    return hl_global_reallocarray(ptr, count, size);
}
size_t malloc_usable_size(void *ptr) { return hl_global_usable_size(ptr); }

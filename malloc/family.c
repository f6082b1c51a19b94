/* family.c - malloc, free, calloc, realloc, reallocarray and
 * malloc_usable_size, with the C library's semantics, on heaplab's heaps.
 *
 * An allocation goes to the calling thread's heap (heaps.c: its own with
 * heaps=per-thread, the shared one with heaps=one), or, at or above the
 * mmap threshold, to a mapping of its own (mapping.c).  Every function that
 * takes an object back asks where it came from, in this order:
 *   1. the bootstrap buffer (only calls made while setting up);
 *   2. a heap: region.c finds which from the address alone, in O(1).  The
 *      caller's own heap (or the shared, locked one) frees it at once;
 *      another thread's heap gets it as a remote free, queued without a
 *      lock for the owner to take;
 *   3. a mapping of its own.
 * A pointer that is none of these is handed to the caller's heap anyway,
 * which reports it as a foreign pointer through its error hook (by default
 * one line on stderr, then abort), exactly as it reports a double free.
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

#define MAPPING_SMALLEST ((size_t)4096)

static size_t mmap_threshold(void)
{
    return threshold_mmap();
}

/* A request the heap could not serve (its grower cannot grow: the
 * reservation is used up, or with grower=brk something else moved the
 * break) goes to a further heap of the thread's, or, when none can be
 * made, gets a mapping of its own.  errno is not saved around
 * the attempt (reading it costs a call on every malloc): after such a
 * rescue it says ENOMEM, as C allows of a call that succeeds. */
static void *heap_alloc(hl_heap *heap, size_t size, size_t align)
{
    return align == 0 ? hl_alloc(heap, size)
                      : hl_aligned_alloc(heap, align, size);
}

static void *heap_alloc_or_map(hl_heap *heap, size_t size, size_t align)
{
    void *p = heap_alloc(heap, size, align);
    global_slot *more;

    if (__builtin_expect(p != NULL, 1) || errno != ENOMEM ||
        size > HL_MAX_REQUEST)
        return p;
    /* The thread's heap is full: one more heap for the thread, before a
     * mapping of its own for every object. */
    if ((more = heaps_grow_thread()) && (p = heap_alloc(more->heap, size,
                                                        align)))
        return p;
    /* A mapping holds whole pages: worth it for a page's worth or more,
     * a waste of address space for less (errno is ENOMEM already). */
    if (size < MAPPING_SMALLEST)
        return NULL;
    return mapping_alloc(size, align);
}

/* The allocation behind every entry point.  align is a power of two, or 0
 * for the heap's own alignment. */
void *global_alloc(size_t size, size_t align)
{
    if (!global_ready())
        return bootstrap_alloc(size, align);
    if (size >= mmap_threshold() || align > HL_MAX_ALIGN)
        return mapping_alloc(size, align);
    return heap_alloc_or_map(heaps_mine()->heap, size, align);
}

/* Whether the calling thread may operate on slot's heap directly: its own
 * (the one it allocates from, or an older one it grew out of), or the
 * shared one (which locks). */
static bool is_local(const global_slot *slot)
{
    return __builtin_expect(slot == heaps_mine(), 1) ||
           heaps_is_shared(slot) || heaps_owned_by_me(slot);
}

/* Frees ptr, an address inside slot's heap. */
static void free_in_slot(global_slot *slot, void *ptr)
{
    if (__builtin_expect(is_local(slot), 1)) {
        hl_free(slot->heap, ptr);
        trim_policy_after_free(slot);
    } else if ((uintptr_t)ptr % hl_heap_config(slot->heap)->align != 0) {
        hl_free(heaps_mine()->heap, ptr); /* not an object: reported */
    } else {
        heaps_free_remote(slot, ptr);
    }
}

void *hl_global_malloc(size_t size)
{
    return global_alloc(size, 0);
}

void hl_global_free(void *ptr)
{
    global_slot *slot;

    if (!ptr || bootstrap_owns(ptr) || !global_ready())
        return; /* the bootstrap buffer is never given back */
    if ((slot = global_slot_of(ptr)))
        free_in_slot(slot, ptr);
    else if (mapping_owns(ptr)) {
        threshold_after_unmap(mapping_free(ptr));
        /* The caller's heap trims by the threshold now in force (the
         * others keep theirs until they are made or adopted again). */
        trim_policy_watch(heaps_mine());
    }
    else
        hl_free(heaps_mine()->heap, ptr); /* not ours: the heap reports it */
}

void *hl_global_calloc(size_t count, size_t size)
{
    void *p;

    if (size != 0 && count > SIZE_MAX / size) {
        errno = ENOMEM;
        return NULL;
    }
    p = global_alloc(count * size, 0);
    /* Mappings and the bootstrap buffer are fresh, zeroed memory; a heap's
     * block may have held an object before (the cache's always did). */
    if (p && !bootstrap_owns(p) && global_slot_of(p))
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

/* The usable size of ptr, an object of another thread's heap.  Its owner
 * may be in the middle of an operation on that heap, so only ptr's header
 * is read; a pointer that is no live object is then reported by that heap
 * (only misuse takes this look at a heap in use), and gives 0. */
static size_t usable_size_elsewhere(global_slot *slot, void *ptr)
{
    /* 0 from the caller's size is also a malloc(0) object under the tools:
     * whether ptr is an object at all is asked first. */
    if (hl_usable_size_remote(slot->heap, ptr) == 0)
        return hl_usable_size(slot->heap, ptr);
    return hl_caller_usable_size(slot->heap, ptr, true);
}

static void *resize_heap_object(global_slot *slot, void *ptr, size_t size)
{
    hl_heap *heap = slot->heap;
    void *p;
    int saved = errno;

    /* Another thread's object is copied into the caller's heap: only the
     * owner may resize it in place. */
    if (!is_local(slot))
        return move(ptr, usable_size_elsewhere(slot, ptr), size);
    if (size >= mmap_threshold())
        return move(ptr, hl_caller_usable_size(heap, ptr, false), size);
    p = hl_realloc(heap, ptr, size);
    if (p || errno != ENOMEM || size > HL_MAX_REQUEST)
        return p;
    errno = saved; /* the heap is full: try a mapping of its own */
    return move(ptr, hl_caller_usable_size(heap, ptr, false), size);
}

static void *resize_mapped_object(void *ptr, size_t size)
{
    if (size >= mmap_threshold())
        return mapping_resize(ptr, size);
    return move(ptr, size, size); /* small enough for the heap now */
}

void *hl_global_realloc(void *ptr, size_t size)
{
    global_slot *slot;

    if (!ptr)
        return global_alloc(size, 0);
    if (size == 0) {
        hl_global_free(ptr);
        return NULL;
    }
    if (bootstrap_owns(ptr))
        return move(ptr, bootstrap_usable_size(ptr), size);
    if (!global_ready())
        return NULL;
    if ((slot = global_slot_of(ptr)))
        return resize_heap_object(slot, ptr, size);
    if (mapping_owns(ptr))
        return resize_mapped_object(ptr, size);
    return hl_realloc(heaps_mine()->heap, ptr, size); /* reports it */
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
    global_slot *slot;

    if (!ptr)
        return 0;
    if (bootstrap_owns(ptr))
        return bootstrap_usable_size(ptr);
    if (!global_ready())
        return 0;
    if ((slot = global_slot_of(ptr)))
        return is_local(slot) ? hl_caller_usable_size(slot->heap, ptr, false)
                              : usable_size_elsewhere(slot, ptr);
    if (mapping_owns(ptr))
        return mapping_usable_size(ptr);
    return hl_usable_size(heaps_mine()->heap, ptr); /* reports it */
}

int hl_global_owns(const void *ptr)
{
    return ptr && (bootstrap_owns(ptr) ||
                   (global_ready() && global_slot_of(ptr)) ||
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

/* bootstrap.c - a small static buffer for calls made while the heap is
 * still being set up.
 *
 * Nothing on the start-up path of init.c is meant to allocate, but the
 * start-up calls into the C library (getenv, mmap, pthread functions) and
 * a future C library could allocate there.  Such a nested call must not
 * wait for the start-up it is part of, so it is served here: a bump
 * allocator over a static array.  Its objects are never given back (free
 * ignores them) and realloc moves them to the heap.  Each object is
 * preceded by one 16-byte word holding its size, for malloc_usable_size.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>

#include "bootstrap.h"

#define BOOTSTRAP_HEADER ((size_t)16)

_Alignas(64) unsigned char bootstrap_arena[BOOTSTRAP_SIZE];
static atomic_size_t arena_used;

void *bootstrap_alloc(size_t size, size_t align)
{
    uintptr_t base = (uintptr_t)bootstrap_arena;
    size_t used = atomic_load(&arena_used), start, end;

    if (align < BOOTSTRAP_HEADER)
        align = BOOTSTRAP_HEADER;
    do { /* aligned as an address, not as an offset into the buffer */
        start = (size_t)(((base + used + BOOTSTRAP_HEADER + align - 1) &
                          ~((uintptr_t)align - 1)) - base);
        if (size > BOOTSTRAP_SIZE || start > BOOTSTRAP_SIZE - size) {
            errno = ENOMEM;
            return NULL;
        }
        end = start + size;
    } while (!atomic_compare_exchange_weak(&arena_used, &used, end));
    *(size_t *)(void *)(bootstrap_arena + start - BOOTSTRAP_HEADER) = size;
    return bootstrap_arena + start;
}

size_t bootstrap_usable_size(const void *ptr)
{
    return *(const size_t *)(const void *)((const unsigned char *)ptr -
                                           BOOTSTRAP_HEADER);
}

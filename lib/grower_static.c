/* grower_static.c - a grower over the caller's array (the seed's "stack
 * allocator" idea): it hands out the array from its start and fails with
 * ENOMEM once the array is used up.  Its start is the first 16-byte aligned
 * byte of the array; give it a 4096-aligned array and offsets in a heap
 * dump are the same on every run. */
#include <errno.h>
#include <stdint.h>

#include "heaplab.h"

static int static_grow(hl_grower *self, size_t n, char **old_end,
                       size_t *grown)
{
    hl_static_grower *g = (hl_static_grower *)self;
    size_t room = g->capacity - g->used;
    size_t amount = n < self->min_increment ? self->min_increment : n;

    if (n == 0) {
        *old_end = g->start + g->used;
        *grown = 0;
        return 0;
    }
    if (n > room)
        return ENOMEM;
    if (amount > room) /* near the limit: less than the increment will do */
        amount = room;
    *old_end = g->start + g->used;
    *grown = amount;
    g->used += amount;
    return 0;
}

static size_t static_trim(hl_grower *self, size_t n)
{
    hl_static_grower *g = (hl_static_grower *)self;

    if (n > g->used)
        n = g->used;
    g->used -= n;
    return n;
}

int hl_static_grower_init(hl_static_grower *g, void *buf, size_t size,
                          size_t min_increment)
{
    uintptr_t at = (uintptr_t)buf, aligned = (at + 15) & ~(uintptr_t)15;

    if (!g || !buf || hl_grower_check_increment(min_increment) != 0 ||
        size < aligned - at)
        return EINVAL;
    g->base.name = "static";
    g->base.grow = static_grow;
    g->base.trim = static_trim;
    g->base.min_increment = min_increment;
    g->start = (char *)aligned;
    g->capacity = (size - (aligned - at)) & ~(size_t)15;
    g->used = 0;
    return 0;
}

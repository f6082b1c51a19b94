/* grower_brk.c - a grower that moves the program break with sbrk(2).
 *
 * The reference caches the break and sets it absolutely, so anything else
 * that moves the break (the C library's malloc, for one) corrupts its heap.
 * This grower instead remembers where its own last growth ended and, before
 * every growth, asks where the break is now.  If something else moved it,
 * the buffer is no longer contiguous: growing fails with ENOMEM and nothing
 * is written, the heap stays as it was (musl's oldmalloc makes the same
 * choice not to assume a contiguous break).
 */
#include <errno.h>
#include <stdint.h>
#include <unistd.h>

#include "heaplab.h"

static int brk_grow(hl_grower *self, size_t n, char **old_end, size_t *grown)
{
    hl_brk_grower *g = (hl_brk_grower *)self;
    size_t amount = n < self->min_increment ? self->min_increment : n;
    char *now = sbrk(0);

    if (now == (char *)-1)
        return ENOMEM;
    if (!g->start) { /* first use: start at a 16-byte aligned break */
        size_t pad = (16 - (uintptr_t)now % 16) % 16;
        if (pad && sbrk((intptr_t)pad) == (void *)-1)
            return ENOMEM;
        g->start = g->end = now + pad;
        now = g->end;
    }
    if (now != g->end) /* someone else moved the break */
        return ENOMEM;
    if (n == 0) {
        *old_end = g->end;
        *grown = 0;
        return 0;
    }
    if (amount > (size_t)INTPTR_MAX || sbrk((intptr_t)amount) != g->end)
        return ENOMEM;
    *old_end = g->end;
    *grown = amount;
    g->end += amount;
    return 0;
}

static size_t brk_trim(hl_grower *self, size_t n)
{
    hl_brk_grower *g = (hl_brk_grower *)self;

    if (n > (size_t)(g->end - g->start))
        n = (size_t)(g->end - g->start);
    if (n == 0 || sbrk(0) != g->end || sbrk(-(intptr_t)n) == (void *)-1)
        return 0;
    g->end -= n;
    return n;
}

int hl_brk_grower_init(hl_brk_grower *g, size_t min_increment)
{
    if (!g || hl_grower_check_increment(min_increment) != 0)
        return EINVAL;
    g->base.name = "brk";
    g->base.grow = brk_grow;
    g->base.trim = brk_trim;
    g->base.min_increment = min_increment;
    g->start = g->end = NULL;
    return 0;
}

/* my_grower.c - lesson 12: write your own grower.
 *
 * A grower is the buffer under a heap: contiguous, growing only at its end
 * (heaplab.h, "Growers").  This one hands out a buffer the caller gives,
 * a piece at a time, like the seed crate's "stack buffer" idea.  Fill in
 * the TODOs, then run the harness on it (README.md says how):
 *
 *   grow(self, 0, &old_end, &grown)  reports the end: *old_end = where the
 *                                    handed-out part ends, *grown = 0
 *   grow(self, n, &old_end, &grown)  hands out at least max(n, the
 *                                    minimum increment) more bytes, right
 *                                    after the old end; reports the old
 *                                    end and how many bytes it added
 *   when it cannot                   returns ENOMEM and changes nothing
 */
#include <errno.h>
#include <stdlib.h>

#include "my_grower.h"

/* The grower's own state.  Its table comes first, so that a pointer to
 * the table is a pointer to the whole struct. */
typedef struct my_grower {
    hl_grower base;
    char *start;        /* the buffer */
    size_t size;        /* its size */
    size_t used;        /* bytes handed out so far */
} my_grower;

static int my_grow(hl_grower *self, size_t n, char **old_end, size_t *grown)
{
    my_grower *g = (my_grower *)self;

    (void)g;
    (void)n;
    /* TODO 1: n == 0: report the end (start + used) and grow by 0. */
    /* TODO 2: decide how much to hand out: n, but at least the minimum
     *         increment (self->min_increment) - and never more than
     *         what is left, unless n itself does not fit. */
    /* TODO 3: when even n does not fit, return ENOMEM without touching
     *         anything. */
    /* TODO 4: report the old end and the growth, then move `used`. */
    *old_end = NULL;
    *grown = 0;
    return ENOSYS;
}

hl_grower *my_grower_new(void *buf, size_t size, size_t min_increment)
{
    my_grower *g = calloc(1, sizeof *g);

    if (!g)
        return NULL;
    g->base.name = "my-grower";
    g->base.grow = my_grow;
    g->base.trim = NULL;
    g->base.min_increment = min_increment;
    g->start = buf;
    g->size = size;
    return &g->base;
}

void my_grower_free(hl_grower *grower)
{
    free(grower);
}

/* lesson12_broken.c - a grower with a classic bug, so that `make check`
 * can see lesson 12's harness reject it: when it runs out, it has already
 * moved its end (the contract says ENOMEM changes nothing). */
#include <errno.h>
#include <stdlib.h>

#include "my_grower.h"

typedef struct my_grower {
    hl_grower base;
    char *start;
    size_t size, used;
} my_grower;

static int my_grow(hl_grower *self, size_t n, char **old_end, size_t *grown)
{
    my_grower *g = (my_grower *)self;
    size_t want = n > self->min_increment || n == 0 ? n
                                                    : self->min_increment;

    *old_end = g->start + g->used;
    *grown = want;
    g->used += want;                /* the bug: moved before the check */
    if (g->used > g->size)
        return ENOMEM;
    return 0;
}

hl_grower *my_grower_new(void *buf, size_t size, size_t min_increment)
{
    my_grower *g = calloc(1, sizeof *g);

    if (!g)
        return NULL;
    g->base.name = "lesson12-broken";
    g->base.grow = my_grow;
    g->base.min_increment = min_increment;
    g->start = buf;
    g->size = size;
    return &g->base;
}

void my_grower_free(hl_grower *grower)
{
    free(grower);
}

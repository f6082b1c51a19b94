/* lesson12_solution.c - a grower that keeps the contract: the reference
 * answer to lessons/12-your-grower/my_grower.c, which `make check` runs
 * the lesson's harness on.  (Learners: try yours first.) */
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
    size_t left = g->size - g->used, want = n;

    if (n == 0) {
        *old_end = g->start + g->used;
        *grown = 0;
        return 0;
    }
    if (n > left)
        return ENOMEM;              /* nothing changed */
    if (want < self->min_increment)
        want = self->min_increment;
    if (want > left)
        want = left;                /* n fits: hand out what there is */
    *old_end = g->start + g->used;
    *grown = want;
    g->used += want;
    return 0;
}

hl_grower *my_grower_new(void *buf, size_t size, size_t min_increment)
{
    my_grower *g = calloc(1, sizeof *g);

    if (!g)
        return NULL;
    g->base.name = "lesson12-solution";
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

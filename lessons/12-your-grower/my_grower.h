/* my_grower.h - lesson 12: the two functions your grower provides to the
 * harness (harness.c).  See README.md. */
#ifndef MY_GROWER_H
#define MY_GROWER_H

#include <stddef.h>

#include "heaplab.h"

/* A grower over the caller's buffer buf[0 .. size): the heap may get all
 * of it, from its start, and nothing more.  min_increment is 0 or a
 * multiple of 16.  Returns the grower's table, or NULL when out of memory
 * for the grower's own struct. */
hl_grower *my_grower_new(void *buf, size_t size, size_t min_increment);
void my_grower_free(hl_grower *grower);

#endif

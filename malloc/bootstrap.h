/* bootstrap.h - the static buffer that serves calls made while an
 * allocator is still starting (bootstrap.c).  Not installed. */
#ifndef HL_BOOTSTRAP_H
#define HL_BOOTSTRAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BOOTSTRAP_SIZE ((size_t)64 << 10)
extern unsigned char bootstrap_arena[BOOTSTRAP_SIZE];

void *bootstrap_alloc(size_t size, size_t align);
size_t bootstrap_usable_size(const void *ptr);

/* Whether ptr is in the buffer: one compare (below it, the difference
 * wraps around to a huge number).  Inline: free() asks it first. */
static inline bool bootstrap_owns(const void *ptr)
{
    return (uintptr_t)ptr - (uintptr_t)bootstrap_arena < BOOTSTRAP_SIZE;
}

#endif /* HL_BOOTSTRAP_H */

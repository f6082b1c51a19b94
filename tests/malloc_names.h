/* malloc_names.h - what the suites of libheaplab-malloc share.
 *
 * They link the library directly, so in an ordinary build `malloc` is
 * heaplab's.  In a sanitizer build (--enable-sanitizers, or --enable-tsan:
 * ThreadSanitizer intercepts malloc too) the sanitizer's runtime comes
 * first and its malloc wins the symbol lookup; there the suites call
 * heaplab's family by the library's own names, which are the same
 * functions.
 */
#ifndef HL_TEST_MALLOC_NAMES_H
#define HL_TEST_MALLOC_NAMES_H

#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "fixture.h"
#include "heaplab-malloc.h"

#ifdef HEAPLAB_SANITIZED
#define malloc hl_global_malloc
#define free hl_global_free
#define calloc hl_global_calloc
#define realloc hl_global_realloc
#define reallocarray hl_global_reallocarray
#define aligned_alloc hl_global_aligned_alloc
#define posix_memalign hl_global_posix_memalign
#define memalign hl_global_memalign
#define valloc hl_global_valloc
#define pvalloc hl_global_pvalloc
#define malloc_usable_size hl_global_usable_size
#define malloc_trim hl_global_trim
#endif

/* Hides a size from the compiler, which would otherwise refuse to build a
 * call it can prove must fail: the very calls these tests make. */
static inline size_t opaque(size_t n)
{
    volatile size_t hidden = n;
    return hidden;
}

/* The same for a pointer kept as a number, e.g. one already freed. */
static inline void *opaque_pointer(uintptr_t address)
{
    volatile uintptr_t hidden = address;
    return (void *)hidden;
}

static inline int is_aligned(const void *p, size_t align)
{
    return (uintptr_t)p % align == 0;
}

static inline hl_global_stats global_stats(void)
{
    hl_global_stats s;
    hl_global_get_stats(&s);
    return s;
}

/* For a suite that needs libheaplab-malloc's default knobs: when any of
 * HEAPLAB_HEAP, HEAPLAB_MMAP_THRESHOLD, HEAPLAB_TRIM_THRESHOLD or
 * HEAPLAB_STATS is set (they were read before main), runs the program
 * again without them. */
static inline void malloc_suite_with_default_knobs(char **argv)
{
    static const char *const knobs[] = {"HEAPLAB_HEAP",
                                        "HEAPLAB_MMAP_THRESHOLD",
                                        "HEAPLAB_TRIM_THRESHOLD",
                                        "HEAPLAB_STATS"};
    size_t i;
    int set = 0;

    for (i = 0; i < sizeof knobs / sizeof knobs[0]; i++)
        if (getenv(knobs[i])) {
            unsetenv(knobs[i]);
            set = 1;
        }
    if (set) {
        execv("/proc/self/exe", argv);
        perror("execv /proc/self/exe");
        exit(EXIT_FAILURE);
    }
}

#endif

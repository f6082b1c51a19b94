/* aligned.c - the aligned members of the malloc family: aligned_alloc,
 * posix_memalign, memalign, valloc and pvalloc, with glibc's rules.
 *
 *   aligned_alloc(a, n)       a must be a power of two, else EINVAL.
 *   posix_memalign(&p, a, n)  a must be a power of two and a multiple of
 *                             sizeof(void *); returns 0, EINVAL or ENOMEM
 *                             and leaves errno as it was.
 *   memalign(a, n)            an a that is not a power of two is rounded
 *                             up to the next one (glibc does the same).
 *   valloc(n)                 memalign(page size, n).
 *   pvalloc(n)                valloc of n rounded up to whole pages
 *                             (one page for n = 0).
 * Alignments up to HL_MAX_ALIGN come from the heap, which pads the block
 * in front of the object; larger ones, like big sizes, get a mapping.
 */
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "global.h"

static bool is_power_of_two(size_t n)
{
    return n != 0 && (n & (n - 1)) == 0;
}

static size_t page_size(void)
{
    return (size_t)sysconf(_SC_PAGESIZE);
}

void *hl_global_aligned_alloc(size_t align, size_t size)
{
    if (!is_power_of_two(align)) {
        errno = EINVAL;
        return NULL;
    }
    return global_alloc(size, align);
}

int hl_global_posix_memalign(void **out, size_t align, size_t size)
{
    int saved = errno;
    void *p;

    if (!is_power_of_two(align) || align % sizeof(void *) != 0)
        return EINVAL;
    p = global_alloc(size, align);
    errno = saved;
    if (!p)
        return ENOMEM;
    *out = p;
    return 0;
}

void *hl_global_memalign(size_t align, size_t size)
{
    size_t rounded = 1;

    if (align > SIZE_MAX / 2 + 1) {
        errno = EINVAL;
        return NULL;
    }
    while (rounded < align)
        rounded <<= 1;
    return global_alloc(size, rounded);
}

void *hl_global_valloc(size_t size)
{
    return global_alloc(size, page_size());
}

void *hl_global_pvalloc(size_t size)
{
    size_t page = page_size();

    if (size > SIZE_MAX - page) {
        errno = ENOMEM;
        return NULL;
    }
    size = size == 0 ? page : (size + page - 1) & ~(page - 1);
    return global_alloc(size, page);
}

void *aligned_alloc(size_t align, size_t size)
{
    return hl_global_aligned_alloc(align, size);
}
int posix_memalign(void **out, size_t align, size_t size)
{
    return hl_global_posix_memalign(out, align, size);
}
void *memalign(size_t align, size_t size)
{
    return hl_global_memalign(align, size);
}
void *valloc(size_t size) { return hl_global_valloc(size); }
void *pvalloc(size_t size) { return hl_global_pvalloc(size); }

/* grower_mmap.c - a grower over one large mmap(2) reservation.
 *
 * The whole range is reserved once, with no access and no swap charged;
 * growing commits the pages it needs with mprotect(2), so the buffer stays
 * contiguous without moving.  Trimming gives whole pages back with
 * madvise(MADV_DONTNEED) and takes their access away again.  It hands out
 * exactly what is asked (at least the minimum increment), not whole pages,
 * so heap offsets are the same as on the static grower.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "heaplab.h"

static size_t page_size(void)
{
    static size_t size;
    if (!size)
        size = (size_t)sysconf(_SC_PAGESIZE);
    return size;
}

static size_t round_to_pages(size_t n)
{
    return (n + page_size() - 1) & ~(page_size() - 1);
}

static int mmap_grow(hl_grower *self, size_t n, char **old_end, size_t *grown)
{
    hl_mmap_grower *g = (hl_mmap_grower *)self;
    size_t amount = n < self->min_increment ? self->min_increment : n;
    size_t room = g->reserved - g->used, need;

    *old_end = g->start + g->used;
    *grown = 0;
    if (n == 0)
        return 0;
    if (n > room)
        return ENOMEM;
    if (amount > room)
        amount = room;
    need = round_to_pages(g->used + amount);
    if (need > g->committed) {
        if (mprotect(g->start + g->committed, need - g->committed,
                     PROT_READ | PROT_WRITE) != 0)
            return ENOMEM;
        g->committed = need;
    }
    *grown = amount;
    g->used += amount;
    return 0;
}

static size_t mmap_trim(hl_grower *self, size_t n)
{
    hl_mmap_grower *g = (hl_mmap_grower *)self;
    size_t keep;

    if (n > g->used)
        n = g->used;
    g->used -= n;
    keep = round_to_pages(g->used);
    if (keep < g->committed) {
        madvise(g->start + keep, g->committed - keep, MADV_DONTNEED);
        mprotect(g->start + keep, g->committed - keep, PROT_NONE);
        g->committed = keep;
    }
    return n;
}

/* Reserves `reserve` bytes starting at a multiple of `align`: maps
 * reserve + align bytes, then unmaps what lies before and after. */
static void *reserve_aligned(size_t reserve, size_t align)
{
    size_t span = reserve + align, head;
    char *at;

    if (span < reserve)
        return MAP_FAILED;
    at = mmap(NULL, span, PROT_NONE,
              MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (at == MAP_FAILED)
        return MAP_FAILED;
    head = (align - (uintptr_t)at % align) % align;
    if (head)
        munmap(at, head);
    if (align - head)
        munmap(at + head + reserve, align - head);
    return at + head;
}

int hl_mmap_grower_init_aligned(hl_mmap_grower *g, size_t reserve,
                                size_t align, size_t min_increment)
{
    void *at;

    if (!g || reserve == 0 || hl_grower_check_increment(min_increment) != 0 ||
        (align & (align - 1)) != 0)
        return EINVAL;
    reserve = round_to_pages(reserve);
    if (align <= page_size())
        at = mmap(NULL, reserve, PROT_NONE,
                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    else
        at = reserve_aligned(reserve, align);
    if (at == MAP_FAILED)
        return ENOMEM;
    g->base.name = "mmap";
    g->base.grow = mmap_grow;
    g->base.trim = mmap_trim;
    g->base.min_increment = min_increment;
    g->start = at;
    g->reserved = reserve;
    g->used = g->committed = 0;
    return 0;
}

int hl_mmap_grower_init(hl_mmap_grower *g, size_t reserve,
                        size_t min_increment)
{
    return hl_mmap_grower_init_aligned(g, reserve, 0, min_increment);
}

void hl_mmap_grower_release(hl_mmap_grower *g)
{
    if (g && g->start)
        munmap(g->start, g->reserved);
    if (g)
        g->start = NULL;
}

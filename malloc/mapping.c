/* mapping.c - big objects, each on a mapping of its own.
 *
 * A request of at least the mmap threshold skips the heap: it gets its own
 * anonymous mmap(2), and free() gives it straight back with munmap(2), as
 * glibc does.  The heap stays made of small objects, and a big buffer
 * freed in the middle of the heap does not leave a hole there.
 *
 *   base                               p = the object
 *   +-------------+-------------------+------------------------------+
 *   | (alignment  | mapping header    | object: `size` bytes and the  |
 *   |  padding)   | magic base length | rest of the last page         |
 *   +-------------+-------------------+------------------------------+
 *                 <-- 64 bytes ------->
 *
 * The header sits right before the object, so a pointer can be recognised
 * without a table of mappings.  free() asks mapping_owns() only about
 * pointers outside the heap, and mapping_owns() is careful with a pointer
 * that is not ours: it first asks the kernel whether the header's page is
 * mapped at all (msync(2) fails with ENOMEM when it is not), then checks
 * that the header's magic word matches its own address.  Anything else is
 * left for the heap to report as a foreign pointer; nothing that is not
 * ours is ever unmapped.
 */
#include "config.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "global.h"

#define MAPPING_HEADER ((size_t)64)
#define MAPPING_MAGIC ((uintptr_t)0x686561706c61626dULL) /* "heaplabm" */

typedef struct mapping_header {
    uintptr_t magic;  /* MAPPING_MAGIC ^ the object's address */
    char *base;       /* what mmap returned */
    size_t length;    /* what was mapped */
} mapping_header;
_Static_assert(sizeof(mapping_header) <= MAPPING_HEADER,
               "the header fits before the object");

static atomic_size_t live, live_bytes, made, freed;

/* Threads may ask for their first mapping at the same time. */
static size_t page_size(void)
{
    static atomic_size_t size;
    size_t n = atomic_load_explicit(&size, memory_order_relaxed);

    if (!n) {
        n = (size_t)sysconf(_SC_PAGESIZE);
        atomic_store_explicit(&size, n, memory_order_relaxed);
    }
    return n;
}

static mapping_header *header_of(const void *ptr)
{
    return (mapping_header *)(void *)((char *)(uintptr_t)ptr - MAPPING_HEADER);
}

/* The bytes to map for `size` bytes aligned to `align`, or 0 on overflow. */
static size_t mapping_length(size_t size, size_t align)
{
    size_t extra = MAPPING_HEADER + (align > MAPPING_HEADER ? align : 0);

    if (size > (size_t)-1 - extra - page_size())
        return 0;
    return (size + extra + page_size() - 1) & ~(page_size() - 1);
}

static void *place(char *base, size_t length, size_t align)
{
    uintptr_t at = (uintptr_t)base + MAPPING_HEADER;
    char *object;
    mapping_header *h;

    if (align > MAPPING_HEADER)
        at = (at + align - 1) & ~((uintptr_t)align - 1);
    object = (char *)at;
    h = header_of(object);
    h->magic = MAPPING_MAGIC ^ at;
    h->base = base;
    h->length = length;
    return object;
}

void *mapping_alloc(size_t size, size_t align)
{
    size_t length = mapping_length(size, align);
    void *base;

    if (length == 0 || length > HL_MAX_REQUEST) {
        errno = ENOMEM;
        return NULL;
    }
    base = mmap(NULL, length, PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED) {
        errno = ENOMEM;
        return NULL;
    }
    atomic_fetch_add(&live, 1);
    atomic_fetch_add(&live_bytes, length);
    atomic_fetch_add(&made, 1);
    return place(base, length, align);
}

bool mapping_owns(const void *ptr)
{
    uintptr_t at = (uintptr_t)ptr;
    uintptr_t page = (at - MAPPING_HEADER) & ~((uintptr_t)page_size() - 1);
    mapping_header *h;

    if (at % MAPPING_HEADER != 0 || at < page_size())
        return false;
    if (msync((void *)page, page_size(), MS_ASYNC) != 0)
        return false; /* the header's page is not mapped at all */
    h = header_of(ptr);
    return h->magic == (MAPPING_MAGIC ^ at) && h->base <= (char *)h &&
           (uintptr_t)h->base % page_size() == 0 &&
           at < (uintptr_t)h->base + h->length;
}

size_t mapping_free(void *ptr)
{
    mapping_header *h = header_of(ptr);
    char *base = h->base;
    size_t length = h->length;
    size_t usable = mapping_usable_size(ptr);

    h->magic = 0; /* a stale copy of ptr no longer looks like ours */
    munmap(base, length);
    atomic_fetch_sub(&live, 1);
    atomic_fetch_sub(&live_bytes, length);
    atomic_fetch_add(&freed, 1);
    return usable;
}

/* Resizes a mapped object, moving it when the kernel must (mremap). */
void *mapping_resize(void *ptr, size_t size)
{
    mapping_header *h = header_of(ptr);
    size_t offset = (size_t)((char *)ptr - h->base);
    size_t old_length = h->length, length;
    void *base;

    if (size > HL_MAX_REQUEST) {
        errno = ENOMEM;
        return NULL;
    }
    length = (offset + size + page_size() - 1) & ~(page_size() - 1);
    if (length == old_length)
        return ptr;
    base = mremap(h->base, old_length, length, MREMAP_MAYMOVE);
    if (base == MAP_FAILED) {
        errno = ENOMEM;
        return NULL;
    }
    h = header_of((char *)base + offset);
    h->base = base;
    h->length = length;
    h->magic = MAPPING_MAGIC ^ (uintptr_t)((char *)base + offset);
    atomic_fetch_add(&live_bytes, length - old_length);
    return (char *)base + offset;
}

size_t mapping_usable_size(const void *ptr)
{
    const mapping_header *h = header_of(ptr);
    return (size_t)(h->base + h->length - (const char *)ptr);
}

void mapping_count(size_t *live_now, size_t *bytes, size_t *made_total,
                   size_t *freed_total)
{
    *live_now = atomic_load(&live);
    *bytes = atomic_load(&live_bytes);
    *made_total = atomic_load(&made);
    *freed_total = atomic_load(&freed);
}

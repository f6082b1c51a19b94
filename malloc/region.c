/* region.c - which heap an address belongs to, in O(1), without a walk.
 *
 * Every heap of the process sits on a reservation of its own (its mmap
 * grower's), whose start is aligned to REGION_GRAIN (64 MiB) and whose
 * length is a multiple of it.  The address space is cut into grains, and a
 * table holds, for every grain, one more than the number of the heap whose
 * reservation covers it (0: none of ours):
 *
 *   address  >> 26  -->  table[grain]  -->  slot number  -->  the heap
 *
 * The table covers the 47-bit user address space of x86-64 and arm64 Linux:
 * 2^21 grains of two bytes, 4 MiB of zeroed memory that the kernel commits
 * only where a heap was registered.  A lookup (global.h, inline) is one
 * shift and one load, and
 * it never reads memory that may not be there, so a stray pointer is
 * answered as safely as one of ours.  Entries are written once, when a
 * heap is made, before any of its objects exist; reservations are never
 * given back, so an entry never changes afterwards.
 */
#include <stdatomic.h>
#include <stdint.h>

#include "global.h"

_Atomic(uint16_t) region_table[REGION_GRAINS];

bool region_register(const void *start, size_t length, unsigned slot)
{
    uintptr_t at = (uintptr_t)start;
    size_t first = at >> REGION_GRAIN_SHIFT, i;

    if (at % REGION_GRAIN != 0 || length % REGION_GRAIN != 0 ||
        first + length / REGION_GRAIN > REGION_GRAINS ||
        slot >= UINT16_MAX)
        return false;
    for (i = 0; i < length / REGION_GRAIN; i++)
        atomic_store_explicit(&region_table[first + i], (uint16_t)(slot + 1),
                              memory_order_release);
    return true;
}

/* heap_lock.c - holding a locked heap's mutex from outside an operation.
 *
 * A locked heap (hl_config.locked) takes its mutex inside every operation,
 * so callers never need to.  Two callers do need to hold it across more
 * than one operation: a process-wide malloc must keep every other thread
 * out of the heap while fork() copies the process (otherwise the child may
 * inherit a heap caught half-way through a split), and a reader of
 * hl_heap_stats() or a walker must see the heap hold still.  These two
 * functions do nothing for a heap that is not locked.
 *
 * While holding the lock, call only functions that do not take it
 * themselves: the walkers, hl_heap_stats, hl_heap_check, hl_heap_dump.
 */
#include "internal.h"

void hl_heap_lock(hl_heap *heap)
{
    LOCK(heap);
}

void hl_heap_unlock(hl_heap *heap)
{
    UNLOCK(heap);
}

/* snapshot.c - a heap's state copied out and put back.
 *
 * A heap is its struct (hl_heap_space) and the bytes of its buffer from
 * its start to the grower's end: every header, footer, freelist node and
 * object.  The struct's pointers are absolute, into a buffer that never
 * moves, so a plain copy of both is the whole state.  What is not the
 * heap's to decide is kept as it is now: the observer, the error hook,
 * the lock.
 *
 *   snapshot: | the heap's struct | the buffer's bytes [start, grower_end) |
 */
#include <errno.h>
#include <string.h>

#include "internal.h"

static size_t buffer_bytes(const hl_heap *heap)
{
    return heap->started ? (size_t)(heap->grower_end - heap->start) : 0;
}

size_t hl_heap_snapshot_size(const hl_heap *heap)
{
    return sizeof *heap + buffer_bytes(heap);
}

size_t hl_heap_snapshot(const hl_heap *heap, void *buf, size_t size)
{
    size_t need = hl_heap_snapshot_size(heap);

    if (size < need) {
        errno = ENOSPC;
        return 0;
    }
    memcpy(buf, heap, sizeof *heap);
    if (buffer_bytes(heap))
        shadow_copy((char *)buf + sizeof *heap, heap->start,
                    buffer_bytes(heap));
#ifdef HL_ASAN
    /* ASan's shadow had to be opened for the copy: it is painted again. */
    shadow_repaint((hl_heap *)heap);
#endif
    return need;
}

int hl_heap_restore(hl_heap *heap, const void *buf, size_t size)
{
    hl_heap saved;
    hl_observer observer = heap->observer;
    void *observer_arg = heap->observer_arg;
    hl_error_hook hook = heap->error_hook;
    void *hook_arg = heap->error_arg;

    if (size < sizeof saved) {
        errno = EINVAL;
        return -1;
    }
    memcpy(&saved, buf, sizeof saved);
    if ((heap->started && saved.started && saved.start != heap->start) ||
        size < sizeof saved + buffer_bytes(&saved)) {
        errno = EINVAL;
        return -1;
    }
    if (buffer_bytes(&saved))
        shadow_copy(saved.start, (const char *)buf + sizeof saved,
                    buffer_bytes(&saved));
    /* Everything but what belongs to the caller and the lock. */
    memcpy((char *)heap, &saved, offsetof(hl_heap, lock));
    heap->observer = observer;
    heap->observer_arg = observer_arg;
    heap->error_hook = hook;
    heap->error_arg = hook_arg;
    /* The live objects are now the snapshot's: valgrind and ASan are told
     * afresh (shadow.h). */
    shadow_repaint(heap);
    return 0;
}

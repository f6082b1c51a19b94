/* remote.c - frees from threads that do not own the heap, without a lock.
 *
 * With a heap per thread, an object may be freed by a thread other than the
 * one whose heap it came from (a consumer freeing what a producer made).
 * That thread must not touch the heap: the owner may be in the middle of a
 * split.  Taking a lock for it would put a lock back on every path.
 * Instead the object goes on the heap's remote list, a stack that any
 * thread pushes with one compare-and-swap (C11 atomics):
 *
 *   heap->remote --> object --> object --> NULL   (through the objects'
 *                                                  first words)
 *
 * A thread that frees many objects of one heap in a row (a consumer) can
 * gather them in a batch and push the whole chain with one CAS
 * (hl_remote_batch_add): the cache line of heap->remote then moves
 * between the threads once per batch, not once per object.
 *
 * The owner takes the whole list with one atomic exchange at the start of
 * its next operation (DRAIN_REMOTE in internal.h: a single relaxed load
 * when the list is empty), and frees each object as if it had freed it
 * itself: into the cache or the heap, with every check a free makes.  Only
 * pushes happen concurrently and the owner takes the whole stack at once,
 * so the list needs no ABA counter (mimalloc's thread-free list and
 * snmalloc's message queues work the same way).
 *
 * The pusher reads nothing of the heap, not even the object's header (the
 * owner may be rewriting its P bit), so misuse in a remote free - a double
 * free, a pointer that is no object - is found when the owner drains, and
 * reported by the owner.  A double free pushed twice makes the list loop
 * back on itself; the drain stops at the first object that is not live.
 * A batch looks for the object among its own before linking it in, so
 * a double free within one batch goes out as two pushes too.
 */
#include "internal.h"

#define REMOTE_LINK(p) meta_load_ptr(p)
#define REMOTE_LINK_STORE(p, next) meta_store_ptr((p), (next))

/* Pushes the chain first..last (linked through the objects) in one go. */
static void push_chain(hl_heap *heap, void *first, void *last)
{
    void *head = atomic_load_explicit(&heap->remote, memory_order_relaxed);

    do
        REMOTE_LINK_STORE(last, head);
    while (!atomic_compare_exchange_weak_explicit(
        &heap->remote, &head, first, memory_order_release,
        memory_order_relaxed));
}

void hl_free_remote(hl_heap *heap, void *ptr)
{
    if (ptr)
        push_chain(heap, ptr, ptr);
}

void hl_remote_batch_flush(hl_remote_batch *batch)
{
    if (batch->count)
        push_chain(batch->heap, batch->first, batch->last);
    batch->heap = NULL;
    batch->first = batch->last = NULL;
    batch->count = 0;
}

/* Whether ptr is in the batch already: freed twice by this thread before
 * the batch went out.  Linked in again, it would drop from the chain what
 * was gathered between the two frees, and no drain would see the second
 * free.  *before is the object linked to it (NULL for the batch's first).
 * At most HL_REMOTE_BATCH objects, each a first word this thread wrote a
 * moment ago. */
static bool in_batch(const hl_remote_batch *batch, const void *ptr,
                     void **before)
{
    void *p = batch->first;
    size_t n;

    *before = NULL;
    for (n = 0; n < batch->count; n++, *before = p, p = REMOTE_LINK(p))
        if (p == ptr)
            return true;
    return false;
}

/* Moves ptr, which is in the batch after `before`, to the batch's end. */
static void move_to_end(hl_remote_batch *batch, void *ptr, void *before)
{
    if (ptr == batch->last)
        return;
    if (before)
        REMOTE_LINK_STORE(before, REMOTE_LINK(ptr));
    else
        batch->first = REMOTE_LINK(ptr);
    REMOTE_LINK_STORE(batch->last, ptr);
    batch->last = ptr;
}

void hl_remote_batch_add(hl_remote_batch *batch, hl_heap *heap, void *ptr)
{
    void *before;

    if (!ptr)
        return;
    if (batch->heap == heap && in_batch(batch, ptr, &before)) {
        /* Sent as two pushes, as two threads' frees would be, the first
         * at the batch's end: the owner's drain frees it, then the rest
         * of the batch, and reports it when it comes round again. */
        move_to_end(batch, ptr, before);
        hl_remote_batch_flush(batch);
        push_chain(heap, ptr, ptr);
        return;
    }
    if (batch->heap != heap) {
        hl_remote_batch_flush(batch);
        batch->heap = heap;
        batch->last = ptr;
    } else {
        REMOTE_LINK_STORE(ptr, batch->first);
    }
    batch->first = ptr;
    if (++batch->count == HL_REMOTE_BATCH)
        hl_remote_batch_flush(batch);
}

/* Takes the remote list and frees what is on it.  A misused pointer is
 * reported, and the rest of the list (which it may have linked to anything)
 * is dropped. */
size_t heap_drain_unlocked(hl_heap *heap)
{
    void *p = atomic_exchange_explicit(&heap->remote, NULL,
                                       memory_order_acquire);
    size_t count = 0;

    while (p) {
        char *b = heap_live_block(heap, p, "free");
        void *next;

        if (!b)
            break;
        next = REMOTE_LINK(p);
        heap_event(heap, HL_EVENT_REMOTE_FREE, b, block_size(b), NULL, 0,
                   block_size(b) - block_slack(b));
        heap_free_object(heap, b);
        count++;
        p = next;
    }
    if (count)
        heap_event(heap, HL_EVENT_DRAIN, NULL, count, NULL, 0, 0);
    return count;
}

/* The owner may be changing anything in the heap but ptr's block, which
 * is live: of that it only ever flips the P bit (when the block before it
 * is freed or taken), with an atomic store (block_set_prev_free).  So the
 * header is read atomically, and of the heap only what never changes once
 * it has started. */
size_t hl_usable_size_remote(const hl_heap *heap, const void *ptr)
{
    const char *p = ptr, *b;
    uint64_t header;
    size_t size;

    if (!p || !heap->started || p < heap->first + HL_HEADER_SIZE ||
        (uintptr_t)p % heap->cfg.align != 0)
        return 0;
    b = p - HL_HEADER_SIZE;
    header = meta_load_relaxed(b);
    size = (size_t)(header & HL_SIZE_MASK);
    if ((header >> HL_CHECK_SHIFT) != block_check_byte(b, size) ||
        (header & (HL_TAG_FREE | HL_TAG_CACHED)) != 0 ||
        size < heap->min_contents)
        return 0;
    return size;
}

bool hl_heap_has_remote(const hl_heap *heap)
{
    return atomic_load_explicit(&heap->remote, memory_order_seq_cst) != NULL;
}

size_t hl_heap_drain(hl_heap *heap)
{
    size_t count;

    LOCK(heap);
    count = heap_drain_unlocked(heap);
    UNLOCK(heap);
    return count;
}

size_t hl_heap_visit_remote(hl_heap *heap, hl_block_visitor visit, void *arg)
{
    hl_block_info info;
    size_t count = 0;
    void *p = atomic_load_explicit(&heap->remote, memory_order_acquire);

    for (; p; p = REMOTE_LINK(p)) {
        char *b = OBJECT_BLOCK(p);
        if (b < heap->first || b >= heap->end || !block_header_is_sound(b))
            break; /* not an object: the drain will report it */
        info.offset = heap_offset(heap, b);
        info.object_offset = info.offset + HL_HEADER_SIZE;
        info.size = block_size(b);
        info.slack = block_slack(b);
        info.requested = info.size - info.slack;
        info.free = info.cached = false;
        count++;
        if (visit && !visit(&info, arg))
            break;
        if (count > (size_t)(heap->end - heap->first) / heap->min_block)
            break; /* more objects than the heap can hold: a loop */
    }
    return count;
}

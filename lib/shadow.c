/* shadow.c - telling valgrind's memcheck and AddressSanitizer which of a
 * heap's bytes are the caller's (the rule and the design are in shadow.h).
 *
 * Each function here runs only when a tool is there: in the ASan build
 * always, in an ordinary build with valgrind's header only when the
 * program runs under valgrind, and never in a build without the header,
 * where it compiles to nothing.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

#ifdef HL_VALGRIND
int shadow_under_valgrind;

/* Not checked by ASan either, in a build with both. */
#ifdef HL_ASAN
#define QUIET_ACCESS __attribute__((no_sanitize_address, noinline))
#else
#define QUIET_ACCESS __attribute__((noinline))
#endif

/* meta_load's and meta_store's work under valgrind (shadow.h): the access
 * with the thread's error reports off, so that the shadow stays as it is,
 * and a word read marked known, so that the checks made on it are not
 * reported as decisions on uninitialised memory. */
QUIET_ACCESS uint64_t shadow_quiet_load(const void *p, int relaxed)
{
    uint64_t v;

    VALGRIND_DISABLE_ERROR_REPORTING;
    v = relaxed ? __atomic_load_n((const uint64_t *)p, __ATOMIC_RELAXED)
                : *(const uint64_t *)p;
    VALGRIND_ENABLE_ERROR_REPORTING;
    VALGRIND_MAKE_MEM_DEFINED(&v, sizeof v);
    return v;
}

QUIET_ACCESS void shadow_quiet_store(void *p, uint64_t v, int relaxed)
{
    VALGRIND_DISABLE_ERROR_REPORTING;
    if (relaxed)
        __atomic_store_n((uint64_t *)p, v, __ATOMIC_RELAXED);
    else
        *(uint64_t *)p = v;
    VALGRIND_ENABLE_ERROR_REPORTING;
}
#endif

#ifdef HL_ASAN
/* ASan's report names an address and shadow bytes, not a heaplab object:
 * its manual poisoning knows no bounds.  So the ASan build keeps the live
 * heaps in a fixed table (no allocation) and sets ASan's error report
 * callback, which the runtime calls with its report before it stops the
 * program: if the address lies in a heaplab heap, one more line says which
 * block and object it is in.  This is the only time
 * the library prints without being asked, in a build meant for debugging,
 * as part of a report that ends the program. */
#define SHADOW_MAX_HEAPS 256
static hl_heap *_Atomic tracked_heaps[SHADOW_MAX_HEAPS];

static void on_asan_report(const char *report);

static void track_heap(hl_heap *heap)
{
    size_t i;

    __asan_set_error_report_callback(on_asan_report);
    for (i = 0; i < SHADOW_MAX_HEAPS; i++) {
        hl_heap *none = NULL;
        if (atomic_load(&tracked_heaps[i]) == heap ||
            atomic_compare_exchange_strong(&tracked_heaps[i], &none, heap))
            return;
    }
}

static void untrack_heap(hl_heap *heap)
{
    size_t i;

    for (i = 0; i < SHADOW_MAX_HEAPS; i++) {
        hl_heap *mine = heap;
        if (atomic_compare_exchange_strong(&tracked_heaps[i], &mine, NULL))
            return;
    }
}

/* Where `at` lies in heap's block b (contents `size`, of which the caller
 * asked for `asked`), as words for the report. */
static void say_where(hl_heap *heap, const char *at, char *b, size_t size,
                      size_t asked, int is_free, int sound)
{
    char line[320];
    const char *object = BLOCK_OBJECT(b);
    size_t offset = heap_offset(heap, b);
    int n;

    if (at < object)
        n = snprintf(line, sizeof line, "heaplab: %p is in the header of "
                     "the block at offset %zu of heap %p%s\n", (void *)at,
                     offset, (void *)heap,
                     sound ? "" : " (the header no longer holds: it was "
                                  "overwritten)");
    else if (is_free)
        n = snprintf(line, sizeof line, "heaplab: %p is %zu bytes into the "
                     "free block at offset %zu of heap %p (%zu bytes): its "
                     "object was freed\n", (void *)at, (size_t)(at - object),
                     offset, (void *)heap, size);
    else if ((size_t)(at - object) < asked)
        n = snprintf(line, sizeof line, "heaplab: %p is %zu bytes into the "
                     "%zu-byte object at %p (block at offset %zu of heap "
                     "%p)\n", (void *)at, (size_t)(at - object), asked,
                     (void *)object, offset, (void *)heap);
    else
        n = snprintf(line, sizeof line, "heaplab: %p is %zu bytes after the "
                     "%zu-byte object at %p, in its slack (block at offset "
                     "%zu of heap %p, %zu bytes of contents)\n", (void *)at,
                     (size_t)(at - object) - asked, asked, (void *)object,
                     offset, (void *)heap, size);
    if (n > 0 && write(2, line, (size_t)n) < 0)
        return;
}

/* Walks heap's blocks to the one that holds `at`; stops at a header the
 * heap did not write (which may itself be where `at` is). */
static void describe(hl_heap *heap, const char *at)
{
    char *b = heap->first;

    while (b < heap->end) {
        int sound = block_header_is_sound(b);
        size_t size = block_size(b);
        if (!sound || b + HL_HEADER_SIZE + size > heap->end) {
            if (at < b + HL_HEADER_SIZE)
                say_where(heap, at, b, 0, 0, 0, 0);
            return;
        }
        if (at < b + HL_HEADER_SIZE + size) {
            say_where(heap, at, b, size, size - block_slack(b),
                      block_is_free(b) || block_is_cached(b), 1);
            return;
        }
        b = block_next(b);
    }
}

static void on_asan_report(const char *report)
{
    const char *at = __asan_get_report_address();
    size_t i;

    (void)report;
    for (i = 0; at && i < SHADOW_MAX_HEAPS; i++) {
        hl_heap *heap = atomic_load(&tracked_heaps[i]);
        if (heap && heap->started && at >= heap->first && at < heap->end) {
            describe(heap, at);
            return;
        }
    }
}
#endif

/* The pool's red zone: memcheck marks that much before and after each
 * object no-access, and names an address there "N bytes after a block of
 * size M".  A header's width: before an object lies its header, after it
 * its slack or the next header, never another object's bytes. */
#define SHADOW_REDZONE HL_HEADER_SIZE

#ifdef HL_VALGRIND
/* Memcheck (3.19) skips its leak search when no malloc-like block is in
 * use at exit, even though pool chunks are: a program that freed all its
 * malloc memory would have its lost heaplab objects go unreported.  One
 * small block of the library's own, reachable from a static pointer,
 * keeps the search on (it shows as 16 bytes "still reachable"). */
static char leak_search_block[16];
static void *volatile leak_search_pointer;

static void keep_leak_search_on(void)
{
    VALGRIND_MALLOCLIKE_BLOCK(leak_search_block, sizeof leak_search_block, 0,
                              1);
    leak_search_pointer = leak_search_block;
}
#endif

/* Memcheck: each heap is a pool anchored at its struct; its chunks are the
 * live objects.  A heap made again in the same space without being
 * destroyed first drops the old pool and its chunks. */
void shadow_heap_init(hl_heap *heap)
{
#ifdef HL_ASAN
    track_heap(heap);
#endif
#ifdef HL_VALGRIND
    if (RUNNING_ON_VALGRIND && !shadow_under_valgrind) {
        shadow_under_valgrind = 1;
        keep_leak_search_on();
    }
    if (SHADOW_VALGRIND) {
        if (VALGRIND_MEMPOOL_EXISTS(heap))
            VALGRIND_DESTROY_MEMPOOL(heap);
        VALGRIND_CREATE_MEMPOOL(heap, SHADOW_REDZONE, 0);
    }
#else
    (void)heap;
#endif
}

/* The heap is gone: its objects with it (not leaks), and all it held is
 * open again, for whoever owns the memory next (a static buffer's owner). */
void shadow_heap_destroy(hl_heap *heap)
{
#ifdef HL_ASAN
    untrack_heap(heap);
#endif
    if (!SHADOW_ACTIVE)
        return;
#ifdef HL_VALGRIND
    if (SHADOW_VALGRIND && VALGRIND_MEMPOOL_EXISTS(heap))
        VALGRIND_DESTROY_MEMPOOL(heap);
#endif
    if (heap->started)
        shadow_reveal(heap->start, (size_t)(heap->grower_end - heap->start));
}

void shadow_do_object_alloc(hl_heap *heap, void *object, size_t requested)
{
#ifdef HL_ASAN
    ASAN_UNPOISON_MEMORY_REGION(object, requested);
#endif
#ifdef HL_VALGRIND
    if (SHADOW_VALGRIND)
        VALGRIND_MEMPOOL_ALLOC(heap, object, requested);
#endif
    (void)heap, (void)object, (void)requested;
}

/* The whole of the block's contents is closed: the object and its slack. */
void shadow_do_object_free(hl_heap *heap, void *object, size_t size)
{
#ifdef HL_ASAN
    ASAN_POISON_MEMORY_REGION(object, size);
#endif
#ifdef HL_VALGRIND
    if (SHADOW_VALGRIND) {
        VALGRIND_MEMPOOL_FREE(heap, object);
        VALGRIND_MAKE_MEM_NOACCESS(object, size);
    }
#endif
    (void)heap, (void)object, (void)size;
}

/* The block may have grown into free or new memory, or shrunk and split
 * off a free block; the object now ends at `requested`, and the rest of
 * the `size` bytes after it (the block before or after the resize,
 * whichever is larger) is closed. */
void shadow_do_object_resize(hl_heap *heap, void *object, size_t size,
                             size_t old_requested, size_t requested)
{
#ifdef HL_ASAN
    ASAN_POISON_MEMORY_REGION(object, size);
    ASAN_UNPOISON_MEMORY_REGION(object, requested);
#endif
#ifdef HL_VALGRIND
    if (SHADOW_VALGRIND) {
        char *p = object;

        VALGRIND_MEMPOOL_CHANGE(heap, object, object, requested);
        if (requested > old_requested)
            VALGRIND_MAKE_MEM_UNDEFINED(p + old_requested,
                                        requested - old_requested);
        VALGRIND_MAKE_MEM_NOACCESS(p + requested, size - requested);
    }
#endif
    (void)heap, (void)object, (void)size, (void)old_requested, (void)requested;
}

/* A live object moves down, to `to` (its `n` bytes the caller's), inside
 * one block whose contents, `size` bytes from `to`, now take in its old
 * place: realloc's step 4.  The bytes between `to` and the object were
 * closed (a free block): they are opened before the move, which then
 * carries the object's bytes, defined as they were, and everything past
 * the object's new end is closed again. */
void shadow_object_move(hl_heap *heap, void *to, void *from, size_t n,
                        size_t size, size_t requested)
{
    char *t = to;

    if (!SHADOW_ACTIVE) {
        memmove(to, from, n);
        return;
    }
#ifdef HL_ASAN
    ASAN_UNPOISON_MEMORY_REGION(t, (size_t)((char *)from - t) + n);
#endif
#ifdef HL_VALGRIND
    if (SHADOW_VALGRIND)
        VALGRIND_MAKE_MEM_UNDEFINED(t, (size_t)((char *)from - t));
#endif
    memmove(to, from, n);
#ifdef HL_ASAN
    ASAN_POISON_MEMORY_REGION(t, size);
    ASAN_UNPOISON_MEMORY_REGION(t, requested);
#endif
#ifdef HL_VALGRIND
    if (SHADOW_VALGRIND) {
        VALGRIND_MEMPOOL_CHANGE(heap, from, to, requested);
        if (requested > n)
            VALGRIND_MAKE_MEM_UNDEFINED(t + n, requested - n);
        VALGRIND_MAKE_MEM_NOACCESS(t + requested, size - requested);
    }
#endif
    (void)heap;
}

void shadow_do_hide(void *p, size_t n)
{
#ifdef HL_ASAN
    ASAN_POISON_MEMORY_REGION(p, n);
#endif
#ifdef HL_VALGRIND
    if (SHADOW_VALGRIND)
        VALGRIND_MAKE_MEM_NOACCESS(p, n);
#endif
    (void)p, (void)n;
}

void shadow_do_reveal(void *p, size_t n)
{
#ifdef HL_ASAN
    ASAN_UNPOISON_MEMORY_REGION(p, n);
#endif
#ifdef HL_VALGRIND
    if (SHADOW_VALGRIND)
        VALGRIND_MAKE_MEM_DEFINED(p, n);
#endif
    (void)p, (void)n;
}

/* Copies n bytes of which some may be closed (a snapshot of the heap's
 * buffer, out or back in).  Under ASan the source and the destination are
 * opened first; the caller repaints the heap after. */
void shadow_copy(void *to, const void *from, size_t n)
{
#ifdef HL_ASAN
    ASAN_UNPOISON_MEMORY_REGION(to, n);
    ASAN_UNPOISON_MEMORY_REGION(from, n);
#endif
    SHADOW_QUIET_BEGIN();
    memcpy(to, from, n);
    SHADOW_QUIET_END();
}

/* Paints the whole heap from its blocks, after its bytes were copied in
 * from elsewhere (hl_heap_restore): everything closed, then each live
 * object opened, as written, for its requested bytes.  The walk stops at
 * the first unsound header: what lies after stays closed. */
void shadow_repaint(hl_heap *heap)
{
    char *b;

    if (!SHADOW_ACTIVE)
        return;
#ifdef HL_VALGRIND
    if (SHADOW_VALGRIND) {
        if (VALGRIND_MEMPOOL_EXISTS(heap))
            VALGRIND_DESTROY_MEMPOOL(heap);
        VALGRIND_CREATE_MEMPOOL(heap, SHADOW_REDZONE, 0);
    }
#endif
    if (!heap->started)
        return;
    shadow_hide(heap->start, (size_t)(heap->grower_end - heap->start));
    for (b = heap->first; b < heap->end; b = block_next(b)) {
        size_t size = block_size(b), requested;

        if (!block_header_is_sound(b) ||
            HL_HEADER_SIZE + size > (size_t)(heap->end - b))
            break;
        if (HEADER(b) & (HL_TAG_FREE | HL_TAG_CACHED))
            continue;
        requested = size - block_slack(b);
        shadow_do_object_alloc(heap, BLOCK_OBJECT(b), requested);
#ifdef HL_VALGRIND
        if (SHADOW_VALGRIND)
            VALGRIND_MAKE_MEM_DEFINED(BLOCK_OBJECT(b), requested);
#endif
    }
}

size_t hl_caller_usable_size(hl_heap *heap, const void *ptr, bool remote)
{
    size_t usable = remote ? hl_usable_size_remote(heap, ptr)
                           : hl_usable_size(heap, ptr);
    uint64_t header;

    if (!SHADOW_ACTIVE || usable == 0)
        return usable;
    header = meta_load_relaxed((const char *)ptr - HL_HEADER_SIZE);
    return usable - (size_t)((header >> HL_SLACK_SHIFT) & HL_MAX_SLACK);
}

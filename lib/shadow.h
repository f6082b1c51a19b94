/* shadow.h - what valgrind's memcheck and AddressSanitizer are told about
 * a heap's bytes.  Not installed.
 *
 * Both tools keep a shadow of every byte of memory: may the program touch
 * it, and (memcheck) has it been written.  To them a heap on a static
 * buffer is one big array, so a write past an object into the next header
 * or a read of a freed object would go unseen.  The library therefore
 * paints its heaps' shadow by one rule:
 *
 *   a live object's first `requested` bytes     addressable
 *   everything else the grower handed out:      no access
 *   headers, footers, slack, free blocks,
 *   cached blocks, the unused tail
 *
 * and keeps it true at each step: an object handed out is opened
 * (shadow_object_alloc), one freed or cached is closed (shadow_object_free),
 * realloc in place moves the line (shadow_object_resize), grown memory
 * starts closed (shadow_hide), memory given back is opened again
 * (shadow_reveal), a restored snapshot is painted from scratch
 * (shadow_repaint).  To memcheck each heap is a memory pool
 * (VALGRIND_CREATE_MEMPOOL, anchored at the heap) whose chunks are the live
 * objects: it reports overflows, uses after free and leaks of heaplab
 * objects as it does for malloc's, with their requested size and the stack
 * that allocated them.
 *
 * The library's own words in that closed memory (headers, footers,
 * freelist nodes, cache and remote links) are read and written only
 * through meta_load and meta_store.  Under ASan they are compiled without
 * its checks; under memcheck they turn the thread's error reports off for
 * the one access (VALGRIND_DISABLE_ERROR_REPORTING), which leaves the
 * shadow as it was: no-access stays no-access, and another thread reading
 * the same header (hl_usable_size_remote) cannot find it opened or closed
 * under its feet, as it could if the accessors made the word defined and
 * then no-access again.
 *
 * Cost: the ASan build is a debugging build and pays a call per word.
 * The ordinary build, with valgrind's header (HL_VALGRIND), pays one load
 * of `shadow_under_valgrind` and a branch not taken per word and per
 * object; without the header, nothing.
 */
#ifndef HL_SHADOW_H
#define HL_SHADOW_H

#include <stddef.h>
#include <stdint.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HL_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) && !defined(HL_ASAN)
#define HL_ASAN 1
#endif

#ifdef HL_ASAN
#include <sanitizer/asan_interface.h>
/* The accessors of the library's own words: not checked by ASan. */
#define SHADOW_UNCHECKED __attribute__((no_sanitize_address, noinline))
#else
#define SHADOW_UNCHECKED __attribute__((always_inline))
#endif

#ifdef HL_VALGRIND
#include <valgrind/memcheck.h>
/* Set by hl_heap_init when the program runs under valgrind. */
extern int shadow_under_valgrind __attribute__((visibility("hidden")));
#define SHADOW_VALGRIND (__builtin_expect(shadow_under_valgrind, 0))
#define SHADOW_QUIET_BEGIN()                                                   \
    do {                                                                       \
        if (SHADOW_VALGRIND)                                                   \
            VALGRIND_DISABLE_ERROR_REPORTING;                                  \
    } while (0)
#define SHADOW_QUIET_END()                                                     \
    do {                                                                       \
        if (SHADOW_VALGRIND)                                                   \
            VALGRIND_ENABLE_ERROR_REPORTING;                                   \
    } while (0)
/* shadow.c: the library's own words under valgrind, out of line so that
 * the accessors below cost one test of shadow_under_valgrind. */
uint64_t shadow_quiet_load(const void *p, int relaxed)
    __attribute__((visibility("hidden")));
void shadow_quiet_store(void *p, uint64_t v, int relaxed)
    __attribute__((visibility("hidden")));
#else
#define SHADOW_VALGRIND 0
#define SHADOW_QUIET_BEGIN() ((void)0)
#define SHADOW_QUIET_END() ((void)0)
#endif

#ifdef HL_ASAN
#define SHADOW_ACTIVE 1
#else
#define SHADOW_ACTIVE SHADOW_VALGRIND
#endif

/* One word of the library's own, wherever it lies in the heap.  Under
 * valgrind the access goes through shadow.c, with the thread's error
 * reports off, and a word read is marked known there (it is data the
 * library checks, whatever wrote it). */
static inline SHADOW_UNCHECKED uint64_t meta_load(const void *p)
{
#ifdef HL_VALGRIND
    if (SHADOW_VALGRIND)
        return shadow_quiet_load(p, 0);
#endif
    return *(const uint64_t *)p;
}

static inline SHADOW_UNCHECKED void meta_store(void *p, uint64_t v)
{
#ifdef HL_VALGRIND
    if (SHADOW_VALGRIND) {
        shadow_quiet_store(p, v, 0);
        return;
    }
#endif
    *(uint64_t *)p = v;
}

/* The same, as one relaxed atomic access: a header another thread may be
 * reading or writing at the same moment (remote.c, block.h). */
static inline SHADOW_UNCHECKED uint64_t meta_load_relaxed(const void *p)
{
#ifdef HL_VALGRIND
    if (SHADOW_VALGRIND)
        return shadow_quiet_load(p, 1);
#endif
    return __atomic_load_n((const uint64_t *)p, __ATOMIC_RELAXED);
}

static inline SHADOW_UNCHECKED void meta_store_relaxed(void *p, uint64_t v)
{
#ifdef HL_VALGRIND
    if (SHADOW_VALGRIND) {
        shadow_quiet_store(p, v, 1);
        return;
    }
#endif
    __atomic_store_n((uint64_t *)p, v, __ATOMIC_RELAXED);
}

static inline void *meta_load_ptr(const void *p)
{
    return (void *)(uintptr_t)meta_load(p);
}

static inline void meta_store_ptr(void *p, const void *v)
{
    meta_store(p, (uint64_t)(uintptr_t)v);
}

/* How many of an object's bytes the library may copy or clear for the
 * caller (realloc's move, calloc's zeroing): all `size` of them, slack
 * too, unless a tool watches the heap: then the slack is closed, and only
 * the `requested` bytes are the caller's. */
#define SHADOW_USABLE(size, requested) (SHADOW_ACTIVE ? (requested) : (size))

struct hl_heap;

/* shadow.c: the out-of-line work, done only when a tool is there. */
void shadow_heap_init(struct hl_heap *heap);
void shadow_heap_destroy(struct hl_heap *heap);
void shadow_do_object_alloc(struct hl_heap *heap, void *object,
                            size_t requested);
void shadow_do_object_free(struct hl_heap *heap, void *object, size_t size);
void shadow_do_object_resize(struct hl_heap *heap, void *object, size_t size,
                             size_t old_requested, size_t requested);
void shadow_do_hide(void *p, size_t n);
void shadow_do_reveal(void *p, size_t n);
void shadow_repaint(struct hl_heap *heap);
void shadow_copy(void *to, const void *from, size_t n);
/* realloc's move down into the free block before (to < from): memmove,
 * and the shadow follows the object. */
void shadow_object_move(struct hl_heap *heap, void *to, void *from, size_t n,
                        size_t size, size_t requested);

/* An object of `requested` bytes is handed to the caller. */
static inline void shadow_object_alloc(struct hl_heap *heap, void *object,
                                       size_t requested)
{
    if (SHADOW_ACTIVE)
        shadow_do_object_alloc(heap, object, requested);
}

/* The caller's object (in a block of `size` contents) is no longer its. */
static inline void shadow_object_free(struct hl_heap *heap, void *object,
                                      size_t size)
{
    if (SHADOW_ACTIVE)
        shadow_do_object_free(heap, object, size);
}

/* A live object resized in place; `size`: the larger of its block's
 * contents before and after, all of which but the object is closed. */
static inline void shadow_object_resize(struct hl_heap *heap, void *object,
                                        size_t size, size_t old_requested,
                                        size_t requested)
{
    if (SHADOW_ACTIVE)
        shadow_do_object_resize(heap, object, size, old_requested, requested);
}

/* Memory the grower just handed out: closed until an object opens it. */
static inline void shadow_hide(void *p, size_t n)
{
    if (SHADOW_ACTIVE && n)
        shadow_do_hide(p, n);
}

/* Memory about to go back to the grower: open, as it was before. */
static inline void shadow_reveal(void *p, size_t n)
{
    if (SHADOW_ACTIVE && n)
        shadow_do_reveal(p, n);
}

#endif /* HL_SHADOW_H */

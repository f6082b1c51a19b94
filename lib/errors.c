/* errors.c - misuse caught and named: double frees, foreign pointers and
 * a corrupted heap.
 *
 * Every operation that takes an object back (free, realloc, usable_size)
 * first asks heap_live_block() whether the pointer is a live object of this
 * heap.  The answer rests on cheap facts, checked in release builds too: the
 * pointer lies inside the heap and is aligned as objects are, the word
 * before it is a header this heap wrote (its check byte matches its address
 * and size), the block ends inside the heap, its tag says used, and it is
 * not in the cache (a cached block was freed already).
 *
 * Corruption is what a program does to the heap's own words: a write after
 * free over a free block's links or footer, a write past an object over the
 * next header.  Every link is checked before it is followed (freelist.c,
 * merge.c, fit.c, cache.h), and a broken one is reported here as
 * HL_ERROR_CORRUPT, named after the public operation under way.  The heap
 * is then latched corrupt: nothing in it can be trusted, so from then on
 * every allocation fails with ENOMEM and every free does nothing.  The
 * latch empties the cache and sets its largest size to 0, so that even the
 * cache's fast paths, which read no flag, stay away.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

const char *hl_error_name(hl_error_kind kind)
{
    switch (kind) {
    case HL_ERROR_DOUBLE_FREE: return "double-free";
    case HL_ERROR_FOREIGN: return "foreign-pointer";
    case HL_ERROR_CORRUPT: return "corrupt-heap";
    case HL_ERROR_GROWER: return "grower";
    }
    return "unknown";
}

/* Prints "heaplab: OP(): MESSAGE PTR" with one write(2), which needs no
 * memory from any heap, and aborts. */
void hl_default_error_hook(hl_heap *heap, hl_error_kind kind, const char *op,
                           const void *ptr, const char *message, void *arg)
{
    char line[256];
    int n;

    (void)heap;
    (void)kind;
    (void)arg;
    n = snprintf(line, sizeof line, "heaplab: %s(): %s %p\n", op, message,
                 ptr);
    if (n > 0 && write(STDERR_FILENO, line, (size_t)n) < 0)
        n = 0;
    abort();
}

void hl_heap_set_error_hook(hl_heap *heap, hl_error_hook hook, void *arg)
{
    heap->error_hook = hook ? hook : hl_default_error_hook;
    heap->error_arg = arg;
}

/* Latches the heap corrupt: see the top of this file. */
static void latch_corrupt(hl_heap *heap)
{
    heap->corrupt = true;
    heap->cache_max_size = 0;
    memset(heap->cache, 0, sizeof heap->cache);
    memset(heap->cache_count, 0, sizeof heap->cache_count);
}

void heap_error(hl_heap *heap, hl_error_kind kind, const char *op,
                const void *ptr, const char *message)
{
    if (kind == HL_ERROR_CORRUPT)
        latch_corrupt(heap);
    heap->error_hook(heap, kind, op, ptr, message, heap->error_arg);
}

/* The operations outside heap.c (trim, flush, drain) set no name. */
void heap_report_corrupt(hl_heap *heap, const void *ptr, const char *message)
{
    heap_error(heap, HL_ERROR_CORRUPT, heap->op ? heap->op : "heap", ptr,
               message);
}

/* Says which check of heap_live_block (internal.h) ptr failed. */
void heap_report_not_live(hl_heap *heap, const void *ptr, const char *op)
{
    const char *p = ptr;
    char *b = OBJECT_BLOCK(p);

    if (!heap->started || p < heap->first + HL_HEADER_SIZE || p >= heap->end)
        heap_error(heap, HL_ERROR_FOREIGN, op, ptr,
                   "pointer outside the heap:");
    else if ((uintptr_t)p % heap->cfg.align != 0)
        heap_error(heap, HL_ERROR_FOREIGN, op, ptr,
                   "pointer not aligned as objects are:");
    else if (!block_header_is_sound(b) ||
             block_size(b) < heap->min_contents ||
             block_size(b) > (size_t)(heap->end - p) ||
             block_slack(b) > block_size(b))
        heap_error(heap, HL_ERROR_FOREIGN, op, ptr,
                   "pointer that is not an object of this heap (or whose "
                   "header was overwritten):");
    else
        heap_error(heap, HL_ERROR_DOUBLE_FREE, op, ptr, "double free of");
}

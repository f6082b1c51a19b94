/* quiz_reason.c - why a step did what it did, in the reference's words.
 *
 * Each reason is built from the heap before the step (the freelist in list
 * order, the heap end, the knobs) and the events the step raised: which
 * free block the search chose and where it stood on the list, what merged
 * on the way, what was split off, how far the grower pushed the heap end.
 * Nothing is guessed from the rules: the events say what happened, the
 * snapshot says what the heap looked like when the learner predicted it.
 *
 * Where an object's block starts is explained in quiz_reason_offset.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "quiz_internal.h"

/* Appends to buf (which holds a string), cutting at size. */
void say(char *buf, size_t size, const char *fmt, ...)
{
    size_t len = strlen(buf);
    va_list ap;

    if (len + 1 >= size)
        return;
    va_start(ap, fmt);
    vsnprintf(buf + len, size - len, fmt, ap);
    va_end(ap);
}

size_t requested_of(const hl_step_result *res)
{
    const hl_event *ev = quiz_find_event(res, HL_EVENT_ALLOC);

    if (!ev)
        ev = quiz_find_event(res, HL_EVENT_REALLOC_IN_PLACE);
    if (!ev)
        ev = quiz_find_event(res, HL_EVENT_FAIL);
    return ev ? ev->requested : 0;
}

static size_t largest_free(const quiz_before *before)
{
    size_t i, largest = 0;

    for (i = 0; i < before->nfree; i++)
        if (before->freelist[i].size > largest)
            largest = before->freelist[i].size;
    return largest;
}

/* ---------------------------------------------------------------------------
 * Growing
 * ------------------------------------------------------------------------- */

void say_no_block_fits(char *buf, size_t size,
                       const quiz_before *before, size_t requested)
{
    if (before->free_count == 0)
        say(buf, size, "the freelist was empty");
    else
        say(buf, size, "no block on the freelist could hold %zu bytes "
            "(the largest held %zu)", requested, largest_free(before));
}

void quiz_reason_grow(char *buf, size_t size, const quiz_before *before,
                      const hl_step_result *res)
{
    const hl_event *grow = quiz_find_event(res, HL_EVENT_GROW);

    buf[0] = '\0';
    if (res->failed) {
        say(buf, size, "no: the call failed (NULL); ");
        say_no_block_fits(buf, size, before, requested_of(res));
        say(buf, size, " and the grower could not supply more");
    } else if (grow && quiz_find_event(res, HL_EVENT_REALLOC_IN_PLACE)) {
        say(buf, size, "yes: the block was the last one, so the grower "
            "extended the heap behind it by %zu bytes (its end moved from "
            "%zu to %zu)", grow->size, grow->offset,
            grow->offset + grow->size);
    } else if (grow) {
        say(buf, size, "yes: ");
        say_no_block_fits(buf, size, before, requested_of(res));
        say(buf, size, ", so the grower extended the heap by %zu bytes: its "
            "end moved from %zu to %zu", grow->size, grow->offset,
            grow->offset + grow->size);
    } else if (quiz_find_event(res, HL_EVENT_REALLOC_IN_PLACE)) {
        say(buf, size, "no: the block was resized where it was");
    } else if (quiz_find_event(res, HL_EVENT_CACHE_HIT)) {
        say(buf, size, "no: the heap's cache held a block of its class");
    } else {
        say(buf, size, "no: a free block was big enough");
    }
}

/* ---------------------------------------------------------------------------
 * Merging on free
 * ------------------------------------------------------------------------- */

/* The free block (before the step) that starts, or ends, at `offset`. */
static const quiz_block *free_block_at(const quiz_before *before,
                                       size_t offset, bool ending)
{
    size_t i;

    for (i = 0; i < before->nfree; i++) {
        const quiz_block *f = &before->freelist[i];
        size_t at = ending ? f->offset + HL_HEADER_SIZE + f->size : f->offset;
        if (at == offset)
            return f;
    }
    return NULL;
}

static const char *where_freed_blocks_go(hl_order order)
{
    switch (order) {
    case HL_ORDER_FIFO: return "at the back of the freelist (fifo)";
    case HL_ORDER_ADDRESS: return "into the freelist in address order";
    case HL_ORDER_LIFO: break;
    }
    return "at the front of the freelist (lifo)";
}

static void say_neighbours(char *buf, size_t size, const quiz_before *before,
                           const hl_event *freed)
{
    size_t next = freed->offset + HL_HEADER_SIZE + freed->size;
    const quiz_block *after = free_block_at(before, next, false);
    const quiz_block *prior = free_block_at(before, freed->offset, true);

    if (next >= before->heap_end)
        say(buf, size, "it is the last block; ");
    else if (after)
        say(buf, size, "the block after it, %zu (%zu bytes), was free; ",
            after->offset, after->size);
    else
        say(buf, size, "the block after it, %zu, is in use; ", next);
    if (prior)
        say(buf, size, "the block before it, %zu (%zu bytes), was free",
            prior->offset, prior->size);
    else if (freed->offset == before->first_block)
        say(buf, size, "no block comes before it");
    else
        say(buf, size, "the block before it is in use");
}

void quiz_reason_merge(char *buf, size_t size, const quiz_before *before,
                       const hl_step_result *res)
{
    const hl_event *freed = quiz_find_event(res, HL_EVENT_FREE);
    const hl_event *last = quiz_find_event(res, HL_EVENT_MERGE);

    buf[0] = '\0';
    switch (before->config.merge) {
    case HL_MERGE_LAZY:
        say(buf, size, "none: with lazy merging (the reference, rule 6) a "
            "free only sets the tag bit and puts the block %s; free "
            "neighbours are joined later, by a search that walks past them",
            where_freed_blocks_go(before->config.order));
        return;
    case HL_MERGE_NONE:
        say(buf, size, "none: merge=none never joins blocks; the freed "
            "block goes %s as it is",
            where_freed_blocks_go(before->config.order));
        return;
    case HL_MERGE_IMMEDIATE:
        break;
    }
    say(buf, size, "immediate merging joins a freed block at once with the "
        "free blocks beside it: ");
    say_neighbours(buf, size, before, freed);
    if (last)
        say(buf, size, "; the result is one free block at %zu of %zu bytes, "
            "which goes %s", last->offset, last->size,
            where_freed_blocks_go(before->config.order));
    else
        say(buf, size, "; so nothing merges, and the freed block itself "
            "goes %s", where_freed_blocks_go(before->config.order));
}

/* ---------------------------------------------------------------------------
 * Threads: which heap, and remote frees
 * ------------------------------------------------------------------------- */

void quiz_reason_heap(char *buf, size_t size, const quiz_before *before,
                      const hl_step_result *res)
{
    buf[0] = '\0';
    if (before->heap_count == 1) {
        say(buf, size, "with heaps=one every thread shares heap 1, and "
            "takes its lock for each call.");
        return;
    }
    say(buf, size, "with heaps=per-thread, thread %u allocates from its "
        "own heap, heap %u, and needs no lock.", res->thread, res->heap);
    if (res->remote_heap)
        say(buf, size, " The object lived in heap %u: only its owner "
            "resizes in place, so it moves into heap %u and its old block "
            "is queued on heap %u's remote list.", res->remote_heap,
            res->heap, res->remote_heap);
}

void quiz_reason_remote(char *buf, size_t size, const quiz_before *before,
                        const char *id_name, const hl_step_result *res)
{
    buf[0] = '\0';
    if (before->heap_count == 1) {
        say(buf, size, "with heaps=one all threads share heap 1: a free "
            "is never remote.");
        return;
    }
    if (res->remote_heap) {
        say(buf, size, "%s lives in heap %u, not in heap %u of thread %u. "
            "The free only pushes it on heap %u's remote list; the owner "
            "frees it at its next call.", id_name, res->remote_heap,
            res->heap, res->thread, res->remote_heap);
        return;
    }
    say(buf, size, "%s lives in heap %u, thread %u's own: an ordinary free.",
        id_name, res->heap, res->thread);
}

/* quiz_reason.c - why a step did what it did, in the reference's words.
 *
 * Each reason is built from the heap before the step (the freelist in list
 * order, the heap end, the knobs) and the events the step raised: which
 * free block the search chose and where it stood on the list, what merged
 * on the way, what was split off, how far the grower pushed the heap end.
 * Nothing is guessed from the rules: the events say what happened, the
 * snapshot says what the heap looked like when the learner predicted it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "quiz_internal.h"

/* Appends to buf (which holds a string), cutting at size. */
static void say(char *buf, size_t size, const char *fmt, ...)
{
    size_t len = strlen(buf);
    va_list ap;

    if (len + 1 >= size)
        return;
    va_start(ap, fmt);
    vsnprintf(buf + len, size - len, fmt, ap);
    va_end(ap);
}

static size_t requested_of(const hl_step_result *res)
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

/* The index on the freelist before the step of the free block whose
 * range holds `offset` (after the merges of the step, which can only make
 * blocks longer), or -1. */
static long chosen_block(const quiz_before *before, const hl_step_result *res,
                         size_t offset)
{
    size_t i, k;

    for (i = 0; i < before->nfree; i++) {
        const quiz_block *f = &before->freelist[i];
        size_t end = f->offset + HL_HEADER_SIZE + f->size;
        for (k = 0; k < res->nevents; k++)
            if (res->events[k].kind == HL_EVENT_MERGE &&
                res->events[k].offset == f->offset &&
                f->offset + HL_HEADER_SIZE + res->events[k].size > end)
                end = f->offset + HL_HEADER_SIZE + res->events[k].size;
        if (f->offset <= offset && offset < end)
            return (long)i;
    }
    return -1;
}

static const char *ordinal(size_t n, char *buf, size_t size)
{
    static const char *const words[] = {"first", "second", "third",
                                        "fourth", "fifth", "sixth"};

    if (n < sizeof words / sizeof words[0])
        return words[n];
    snprintf(buf, size, "number %zu", n + 1);
    return buf;
}

/* ---------------------------------------------------------------------------
 * Growing
 * ------------------------------------------------------------------------- */

static void say_no_block_fits(char *buf, size_t size,
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
 * Where the object goes
 * ------------------------------------------------------------------------- */

/* "first fit: ..., block 136 (40 bytes), was ..." */
static void say_policy(char *buf, size_t size, const quiz_before *before,
                       size_t index)
{
    const quiz_block *f = &before->freelist[index];
    char n[32];

    switch (before->config.fit) {
    case HL_FIT_FIRST:
        if (index == 0)
            say(buf, size, "first fit: the freelist's head, block %zu "
                "(%zu bytes), was big enough", f->offset, f->size);
        else
            say(buf, size, "first fit: the %zu block%s before it on the "
                "freelist %s too small; block %zu (%zu bytes), the %s, was "
                "the first big enough", index, index > 1 ? "s" : "",
                index > 1 ? "were" : "was", f->offset, f->size,
                ordinal(index, n, sizeof n));
        break;
    case HL_FIT_NEXT:
        say(buf, size, "next fit: going on from where the last search "
            "stopped, block %zu (%zu bytes, the %s on the freelist) was "
            "the first big enough", f->offset, f->size,
            ordinal(index, n, sizeof n));
        break;
    case HL_FIT_BEST:
        say(buf, size, "best fit: of the blocks big enough, block %zu "
            "(%zu bytes) was the smallest", f->offset, f->size);
        break;
    case HL_FIT_WORST:
        say(buf, size, "worst fit: block %zu (%zu bytes) was the largest",
            f->offset, f->size);
        break;
    case HL_FIT_SEGREGATED:
        say(buf, size, "segregated fit: block %zu (%zu bytes) was the first "
            "big enough in the bins of the request's size class and up",
            f->offset, f->size);
        break;
    }
}

/* The merges the search did (lazy merging, rule 3). */
static void say_search_merges(char *buf, size_t size, size_t chosen,
                              const hl_step_result *res)
{
    size_t i, into_chosen = 0, others = 0, merged = 0;

    for (i = 0; i < res->nevents; i++) {
        if (res->events[i].kind != HL_EVENT_MERGE)
            continue;
        if (res->events[i].offset == chosen) {
            into_chosen++;
            merged = res->events[i].size;
        } else {
            others++;
        }
    }
    if (into_chosen)
        say(buf, size, " once it had absorbed the %zu free block%s after "
            "it (%zu bytes then)", into_chosen, into_chosen > 1 ? "s" : "",
            merged);
    if (others)
        say(buf, size, "; on the way the search merged %zu other pair%s",
            others, others > 1 ? "s" : "");
}

/* Padding in front, and the rest split off on the right (rules 2, 4). */
static void say_split(char *buf, size_t size, size_t block_at,
                      const hl_event *alloc, const hl_step_result *res)
{
    size_t i;
    const hl_event *rest = NULL;

    for (i = 0; i < res->nevents; i++) {
        const hl_event *ev = &res->events[i];
        if (ev->kind == HL_EVENT_SPLIT && ev->offset == alloc->offset &&
            ev->other_offset > ev->offset) /* not the padding in front */
            rest = ev;
    }
    if (alloc->offset != block_at)
        say(buf, size, "; for the alignment a free padding block of %zu "
            "bytes stays in front, at %zu", alloc->offset - block_at -
            HL_HEADER_SIZE, block_at);
    if (rest)
        say(buf, size, "; it split into the object's %zu bytes + a free "
            "rest of %zu bytes at %zu", alloc->size, rest->other_size,
            rest->other_offset);
    else
        say(buf, size, "; the rest was too small to be a block, so the "
            "object's block keeps all %zu bytes", alloc->size);
}

static void say_allocation(char *buf, size_t size, const quiz_before *before,
                           const hl_step_result *res)
{
    const hl_event *alloc = quiz_find_event(res, HL_EVENT_ALLOC);
    const hl_event *grow = quiz_find_event(res, HL_EVENT_GROW);
    long index = chosen_block(before, res, alloc->offset);

    if (index >= 0 && !(grow && before->freelist[index].offset +
                                        HL_HEADER_SIZE +
                                        before->freelist[index].size ==
                                    before->heap_end)) {
        say_policy(buf, size, before, (size_t)index);
        say_search_merges(buf, size, before->freelist[index].offset, res);
        say_split(buf, size, before->freelist[index].offset, alloc, res);
        return;
    }
    say_no_block_fits(buf, size, before, alloc->requested);
    if (!grow) {
        say(buf, size, ", yet it went to %zu", alloc->offset);
        return;
    }
    say(buf, size, ", so the object went at the heap end, %zu, and the "
        "grower added %zu bytes", index >= 0 ? before->heap_end
                                             : alloc->offset, grow->size);
    if (index >= 0)
        say(buf, size, "; the free block %zu that ended there took the new "
            "bytes in (immediate merging)", before->freelist[index].offset);
    say_split(buf, size,
              index >= 0 ? before->freelist[index].offset : alloc->offset,
              alloc, res);
}

static void say_realloc(char *buf, size_t size, const quiz_before *before,
                        const hl_step_result *res)
{
    const hl_event *moved = quiz_find_event(res, HL_EVENT_REALLOC_MOVE);
    size_t i, absorbed = 0;

    if (moved) {
        say(buf, size, "moved: block %zu could not become big enough where "
            "it was, so a new block was found; ", moved->other_offset);
        say_allocation(buf, size, before, res);
        say(buf, size, "; the old block was copied and freed");
        return;
    }
    for (i = 0; i < res->nevents; i++)
        if (res->events[i].kind == HL_EVENT_MERGE &&
            res->events[i].offset == res->offset)
            absorbed++;
    say(buf, size, "in place: block %zu stays", res->offset);
    if (absorbed)
        say(buf, size, "; it absorbed the %zu free block%s after it",
            absorbed, absorbed > 1 ? "s" : "");
    if (quiz_find_event(res, HL_EVENT_GROW))
        say(buf, size, "; the grower extended the heap behind it");
    if (quiz_find_event(res, HL_EVENT_SPLIT))
        say(buf, size, "; a free rest of %zu bytes was split off at %zu",
            quiz_find_event(res, HL_EVENT_SPLIT)->other_size,
            quiz_find_event(res, HL_EVENT_SPLIT)->other_offset);
    else if (!absorbed && !quiz_find_event(res, HL_EVENT_GROW))
        say(buf, size, ": it was already big enough");
}

/* A cache hit (lesson 14): the block comes from the cache's list of its
 * class, with no search; a drain of the remote list just before may be
 * what put it there. */
static void say_cache_hit(char *buf, size_t size, const hl_step_result *res,
                          const hl_event *hit)
{
    const hl_event *drain = quiz_find_event(res, HL_EVENT_DRAIN);

    if (drain)
        say(buf, size, "first the heap took its remote list (%zu free%s "
            "from other threads), which went into its cache; then ",
            drain->size, drain->size == 1 ? "" : "s");
    say(buf, size, "a cache hit: the cache held block %zu (%zu bytes), "
        "freed before, in the request's size class, and handed it out as "
        "it was, with no search, split or merge", hit->offset, hit->size);
}

void quiz_reason_offset(char *buf, size_t size, const quiz_before *before,
                        const hl_step_result *res)
{
    const hl_event *hit = quiz_find_event(res, HL_EVENT_CACHE_HIT);

    buf[0] = '\0';
    if (hit && !res->failed) {
        say_cache_hit(buf, size, res, hit);
    } else if (res->failed) {
        say(buf, size, "NULL: ");
        say_no_block_fits(buf, size, before, requested_of(res));
        say(buf, size, " and the grower could not extend the heap");
    } else if (quiz_find_event(res, HL_EVENT_REALLOC_IN_PLACE) ||
               quiz_find_event(res, HL_EVENT_REALLOC_MOVE)) {
        say_realloc(buf, size, before, res);
    } else if (quiz_find_event(res, HL_EVENT_ALLOC)) {
        say_allocation(buf, size, before, res);
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
        say(buf, size, "; the result is one free block at %zu of %zu bytes",
            last->offset, last->size);
    say(buf, size, ", which goes %s", where_freed_blocks_go(
                                          before->config.order));
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

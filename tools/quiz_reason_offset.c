/* quiz_reason_offset.c - why an object's block starts where it does: the
 * reason behind the answer to "At which offset will X's block start?".
 *
 * The answer comes from the events of the step: a cache hit hands out a
 * block with no search; otherwise the search chose a free block (its place
 * on the freelist before the step says why the fit took it), merged what it
 * walked past and split off the rest, or found nothing fit and the grower
 * added bytes at the heap's end, for a new free block or (immediate
 * merging) for the free block that ended there.  A realloc stays in place or moves, and a
 * move is explained as an allocation.  The pieces that every reason is
 * written with (say, requested_of, say_no_block_fits) are in quiz_reason.c.
 */
#include <stdio.h>

#include "quiz_internal.h"

/* ---------------------------------------------------------------------------
 * Where the object goes
 * ------------------------------------------------------------------------- */

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

/* Whether event `ev` is a merge that the search did (lazy merging, rule
 * 3): one raised before the object's block was handed out (later ones are
 * the free of a moved object's old block), and not one into `own`, the
 * block a realloc tried first to grow where it was (HL_NO_OFFSET for an
 * allocation). */
static bool is_search_merge(const hl_event *ev, const hl_step_result *res,
                            size_t own)
{
    const hl_event *alloc = quiz_find_event(res, HL_EVENT_ALLOC);

    return ev->kind == HL_EVENT_MERGE && ev->offset != own &&
           (!alloc || ev < alloc);
}

/* The merges the search did (lazy merging, rule 3). */
static void say_search_merges(char *buf, size_t size, size_t chosen,
                              size_t own, const hl_step_result *res)
{
    size_t i, into_chosen = 0, others = 0, merged = 0;

    for (i = 0; i < res->nevents; i++) {
        if (!is_search_merge(&res->events[i], res, own))
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

/* Whether a free block left in front of the object is place=apart's or
 * zoned's doing: a large object at the back of its block.  An object
 * aligned as every object is has no other reason for one; one aligned
 * more (m) has its alignment. */
static bool put_at_back(const quiz_before *before, const hl_step_result *res)
{
    return before->config.place != HL_PLACE_FRONT &&
           (res->op->kind != SCRIPT_MEMALIGN ||
            res->op->align <= before->config.align);
}

/* The contents a request of `requested` bytes gets (rule 1): at least
 * what a free block must hold (a node; with immediate merging a footer
 * too), rounded up so that the next header keeps objects aligned.  The
 * same sum as heap_adjust_size and hl_heap_init's min_contents (lib/). */
static size_t needed_size(const hl_config *cfg, size_t requested)
{
    size_t floor = cfg->merge == HL_MERGE_IMMEDIATE ? 24 : 16;
    size_t n = requested < floor ? floor : requested;

    return (n + HL_HEADER_SIZE + cfg->align - 1) / cfg->align * cfg->align -
           HL_HEADER_SIZE;
}

/* What the object's block holds beyond what the request needed, when no
 * rest was split off: nothing (the block fitted exactly), or a rest too
 * small to be a block of its own. */
static void say_unsplit(char *buf, size_t size, const quiz_before *before,
                        const hl_event *alloc)
{
    size_t needed = needed_size(&before->config, alloc->requested);

    if (alloc->size <= needed)
        say(buf, size, "; the block fits the object exactly (%zu bytes), "
            "so there is no rest", alloc->size);
    else
        say(buf, size, "; the rest, %zu bytes, was too small to be a block, "
            "so the object's block keeps all %zu bytes", alloc->size - needed,
            alloc->size);
}

/* Padding in front, and the rest split off on the right (rules 2, 4). */
static void say_split(char *buf, size_t size, const quiz_before *before,
                      size_t block_at, const hl_event *alloc,
                      const hl_step_result *res)
{
    size_t i;
    const hl_event *rest = NULL;

    for (i = 0; i < res->nevents; i++) {
        const hl_event *ev = &res->events[i];
        if (ev->kind == HL_EVENT_SPLIT && ev->offset == alloc->offset &&
            ev->other_offset > ev->offset) /* not the padding in front */
            rest = ev;
    }
    if (alloc->offset != block_at && put_at_back(before, res))
        say(buf, size, "; place=%s put this large object at the back of the "
            "block (the program asks for small and large ones in turn), so "
            "a free block of %zu bytes stays in front, at %zu",
            hl_place_name(before->config.place),
            alloc->offset - block_at - HL_HEADER_SIZE, block_at);
    else if (alloc->offset != block_at)
        say(buf, size, "; for the alignment a free padding block of %zu "
            "bytes stays in front, at %zu", alloc->offset - block_at -
            HL_HEADER_SIZE, block_at);
    if (rest)
        say(buf, size, "; it split into the object's %zu bytes + a free "
            "rest of %zu bytes at %zu", alloc->size, rest->other_size,
            rest->other_offset);
    else
        say_unsplit(buf, size, before, alloc);
}

/* The free block left in front of the object's block (padding, or the
 * space place=apart leaves), or NULL. */
static const hl_event *front_split(const hl_step_result *res,
                                   const hl_event *alloc)
{
    size_t i;

    for (i = 0; i < res->nevents; i++)
        if (res->events[i].kind == HL_EVENT_SPLIT &&
            res->events[i].offset == alloc->offset &&
            res->events[i].other_offset < alloc->offset)
            return &res->events[i];
    return NULL;
}

/* Where the free block that the grower's new bytes made starts, and the
 * object's block in it (rule 5).  Three places are told apart: the end of
 * the last block before the step (where the new bytes join the heap), the
 * free block that takes them in (the last free block, with immediate
 * merging: index on the freelist, else -1), and the object's block. */
static void say_grown(char *buf, size_t size, const quiz_before *before,
                      const hl_event *alloc, const hl_event *grow, long index,
                      const hl_step_result *res)
{
    const hl_event *front = front_split(res, alloc);
    size_t block_at;

    if (index >= 0) {
        block_at = before->freelist[index].offset;
        say(buf, size, ", so the grower added %zu bytes; the last block, "
            "free block %zu (it ended at %zu), took them in (immediate "
            "merging)", grow->size, block_at, before->heap_end);
    } else if (before->heap_end > 0) {
        block_at = before->heap_end;
        say(buf, size, ", so the grower added %zu bytes, for a free block "
            "where the last block ended, %zu", grow->size, block_at);
    } else {
        /* No block yet: the first one starts where the heap does, or a
         * header short of the alignment past it. */
        block_at = front ? front->other_offset : alloc->offset;
        say(buf, size, ", so the grower added the heap's first %zu bytes, "
            "for a free block at %zu", grow->size, block_at);
        if (block_at > grow->offset)
            say(buf, size, " (%zu bytes in: an object, one header past its "
                "block's start, is then aligned to %zu)",
                block_at - grow->offset, before->config.align);
    }
    if (alloc->offset == block_at)
        say(buf, size, ", and the object's block went at its start, %zu",
            block_at);
    else
        say(buf, size, ", and the object's block went into it at %zu",
            alloc->offset);
    say_split(buf, size, before, block_at, alloc, res);
}

/* Why the object's block is where it is, for an allocation or a realloc
 * that moved out of block `own` (HL_NO_OFFSET for an allocation). */
static void say_allocation(char *buf, size_t size, const quiz_before *before,
                           size_t own, const hl_step_result *res)
{
    const hl_event *alloc = quiz_find_event(res, HL_EVENT_ALLOC);
    const hl_event *grow = quiz_find_event(res, HL_EVENT_GROW);
    long index = chosen_block(before, res, alloc->offset);

    if (index >= 0 && !(grow && before->freelist[index].offset +
                                        HL_HEADER_SIZE +
                                        before->freelist[index].size ==
                                    before->heap_end)) {
        say_policy(buf, size, before, (size_t)index);
        say_search_merges(buf, size, before->freelist[index].offset, own,
                          res);
        say_split(buf, size, before, before->freelist[index].offset, alloc,
                  res);
        return;
    }
    say_no_block_fits(buf, size, before, alloc->requested);
    if (!grow) {
        say(buf, size, ", yet it went to %zu", alloc->offset);
        return;
    }
    say_grown(buf, size, before, alloc, grow, index, res);
}

/* The free blocks after it that realloc's block `own` took in, trying to
 * grow where it was, before the step's object was placed (rule 7). */
static size_t absorbed_in_place(const hl_step_result *res, size_t own)
{
    const hl_event *alloc = quiz_find_event(res, HL_EVENT_ALLOC);
    size_t i, absorbed = 0;

    for (i = 0; i < res->nevents; i++)
        if (res->events[i].kind == HL_EVENT_MERGE &&
            res->events[i].offset == own &&
            (!alloc || &res->events[i] < alloc))
            absorbed++;
    return absorbed;
}

/* A move to a new block: first why the old block would not do. */
static void say_moved(char *buf, size_t size, const quiz_before *before,
                      const hl_event *moved, const hl_step_result *res)
{
    size_t own = moved->other_offset, absorbed = absorbed_in_place(res, own);

    say(buf, size, "moved: block %zu could not become big enough where it "
        "was", own);
    if (absorbed)
        say(buf, size, " (it absorbed the %zu free block%s after it, and "
            "was still too small)", absorbed, absorbed > 1 ? "s" : "");
    if (!quiz_find_event(res, HL_EVENT_ALLOC)) {
        /* grown_backwards (lib/realloc.c): no new block, the one before. */
        say(buf, size, ", so with place=%s the free block before it, %zu, "
            "took it in, and the object moved down to that block's start",
            hl_place_name(before->config.place), moved->offset);
        if (quiz_find_event(res, HL_EVENT_SPLIT))
            say(buf, size, "; a free rest of %zu bytes was split off at %zu",
                quiz_find_event(res, HL_EVENT_SPLIT)->other_size,
                quiz_find_event(res, HL_EVENT_SPLIT)->other_offset);
        return;
    }
    say(buf, size, ", so a new block was found; ");
    say_allocation(buf, size, before, own, res);
    say(buf, size, "; the old block was copied and freed");
}

static void say_realloc(char *buf, size_t size, const quiz_before *before,
                        const hl_step_result *res)
{
    const hl_event *moved = quiz_find_event(res, HL_EVENT_REALLOC_MOVE);
    size_t i, absorbed = 0;

    if (moved) {
        say_moved(buf, size, before, moved, res);
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
        say_allocation(buf, size, before, HL_NO_OFFSET, res);
    }
}

/* replay_checkpoint.c - saving a moment of a replay and coming back to it.
 *
 * A viewer that steps backwards, or jumps into the middle of a trace of a
 * million operations, cannot replay from the start each time.  It saves a
 * checkpoint every so many steps, and to reach step N it restores the
 * nearest checkpoint before N and replays forward from there.
 *
 * What makes a moment, for a heap on the static grower:
 *   - the heap's snapshot (hl_heap_snapshot, heaplab.h): its state and the
 *     bytes of the buffer the grower has handed out (blocks, headers,
 *     freelist nodes, and the objects' contents);
 *   - the grower's struct (how much of the buffer is used);
 *   - what each ID holds (only those that hold something), and the
 *     position in the script.
 * Bytes of the buffer past the used part are not saved: the heap does not
 * read them before it has written them.  The mmap grower is put back to
 * the saved end with its own grow and trim, and so is the brk grower: it
 * moves the program break back to where it was.  That holds only while
 * nothing else in the process moves the break (the C library's malloc
 * does, when its own heap grows): the grower then refuses to grow, and
 * replay_grower_intact() says so.  The viewer keeps its malloc off the
 * break for that reason (view.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "replay_internal.h"

/* Makes cp->memory hold at least len bytes. */
static int reserve_memory(replay_checkpoint *cp, size_t len)
{
    char *memory;

    if (len <= cp->memory_capacity)
        return 0;
    memory = realloc(cp->memory, len);
    if (!memory)
        return ENOMEM;
    cp->memory = memory;
    cp->memory_capacity = len;
    return 0;
}

/* Keeps the IDs that hold an object, or whose last allocation failed: only
 * IDs below ids_touched can, and they are usually few of all the IDs of a
 * long trace. */
static int save_ids(const replay *r, replay_checkpoint *cp)
{
    size_t i, count = 0;

    for (i = 0; i < r->ids_touched; i++)
        count += r->ids[i].object || r->ids[i].last_null;
    if (count > cp->held_capacity) {
        struct replay_held *held = realloc(cp->held, count * sizeof *held);
        if (!held)
            return ENOMEM;
        cp->held = held;
        cp->held_capacity = count;
    }
    cp->nheld = 0;
    for (i = 0; i < r->ids_touched; i++)
        if (r->ids[i].object || r->ids[i].last_null) {
            cp->held[cp->nheld].id = i;
            cp->held[cp->nheld++].state = r->ids[i];
        }
    cp->ids_touched = r->ids_touched;
    return 0;
}

static void restore_ids(replay *r, const replay_checkpoint *cp)
{
    size_t i;

    if (r->ids_touched)
        memset(r->ids, 0, r->ids_touched * sizeof *r->ids);
    for (i = 0; i < cp->nheld; i++)
        r->ids[cp->held[i].id] = cp->held[i].state;
    r->ids_touched = cp->ids_touched;
}

/* How much of its memory a growing grower (mmap or brk) has handed out. */
static size_t grower_used(const replay *r, const replay_slot *slot)
{
    const hl_brk_grower *brk = &slot->grower.brk;

    if (r->script->heap.grower == SCRIPT_GROWER_MMAP)
        return slot->grower.mapped.used;
    return brk->start ? (size_t)(brk->end - brk->start) : 0;
}

int replay_save(replay *r, replay_checkpoint *cp)
{
    size_t size = 0, at = 0;
    unsigned i;

    for (i = 0; i < r->nslots; i++)
        size += hl_heap_snapshot_size(r->slots[i].heap);
    if (reserve_memory(cp, size) != 0 || save_ids(r, cp) != 0)
        return ENOMEM;
    for (i = 0; i < r->nslots; i++) {
        replay_slot *slot = &r->slots[i];
        struct replay_saved_heap *saved = &cp->heaps[i];
        saved->at = at;
        saved->len = hl_heap_snapshot(slot->heap, cp->memory + at,
                                      size - at);
        at += saved->len;
        if (r->script->heap.grower == SCRIPT_GROWER_STATIC)
            saved->grower = slot->grower.fixed;
        else
            saved->grower_used = grower_used(r, slot);
    }
    cp->memory_len = at;
    cp->position = r->position;
    cp->thread = r->thread;
    cp->owner = r;
    return 0;
}

/* Brings a growing grower's end to `used`, through its own contract: a
 * grow (which may overshoot by its minimum increment) and a trim of what
 * is too much, so that its pages (or the program break) are exactly as
 * they were. */
static int grower_to(replay *r, replay_slot *slot, size_t used)
{
    hl_grower *g = &slot->grower.base;
    char *at;
    size_t grown, now = grower_used(r, slot);

    if (now < used && g->grow(g, used - now, &at, &grown) != 0)
        return ENOMEM;
    if (grower_used(r, slot) > used)
        g->trim(g, grower_used(r, slot) - used);
    return grower_used(r, slot) == used ? 0 : ENOMEM;
}

bool replay_grower_intact(const replay *r)
{
    const hl_brk_grower *brk = &r->slots[0].grower.brk;

    if (r->script->heap.grower != SCRIPT_GROWER_BRK || !brk->start)
        return true;
    return (char *)sbrk(0) == brk->end;
}

int replay_restore(replay *r, const replay_checkpoint *cp)
{
    unsigned i;

    if (cp->owner != r)
        return EINVAL;
    for (i = 0; i < r->nslots; i++) {
        replay_slot *slot = &r->slots[i];
        const struct replay_saved_heap *saved = &cp->heaps[i];
        if (r->script->heap.grower != SCRIPT_GROWER_STATIC &&
            grower_to(r, slot, saved->grower_used) != 0)
            return ENOMEM;
        if (hl_heap_restore(slot->heap, cp->memory + saved->at,
                            saved->len) != 0)
            return EINVAL;
        if (r->script->heap.grower == SCRIPT_GROWER_STATIC)
            slot->grower.fixed = saved->grower;
    }
    restore_ids(r, cp);
    r->position = cp->position;
    r->thread = cp->thread;
    r->current = r->nslots > 1 ? r->thread - 1 : 0;
    r->heap = r->slots[r->current].heap;
    return 0;
}

void replay_checkpoint_release(replay_checkpoint *cp)
{
    free(cp->memory);
    free(cp->held);
    memset(cp, 0, sizeof *cp);
}

/* The memory a checkpoint holds, for callers that keep a budget. */
size_t replay_checkpoint_bytes(const replay_checkpoint *cp)
{
    return sizeof *cp + cp->memory_capacity +
           cp->held_capacity * sizeof *cp->held;
}

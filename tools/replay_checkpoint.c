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
 * the saved end with its own grow and trim.  The brk grower is not
 * supported: the program break is shared with the viewer's own malloc.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

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

/* Whether the replay's grower can be put back: the static buffer (its
 * struct is all its state) and the mmap grower (set to the saved end with
 * its own grow and trim).  brk shares the program break with the viewer's
 * own malloc, which may move it at any time. */
static bool grower_restorable(const replay *r)
{
    return r->script->heap.grower == SCRIPT_GROWER_STATIC ||
           r->script->heap.grower == SCRIPT_GROWER_MMAP;
}

int replay_save(replay *r, replay_checkpoint *cp)
{
    size_t size = hl_heap_snapshot_size(r->heap);

    if (!grower_restorable(r))
        return ENOTSUP;
    if (reserve_memory(cp, size) != 0 || save_ids(r, cp) != 0)
        return ENOMEM;
    cp->memory_len = hl_heap_snapshot(r->heap, cp->memory, size);
    if (r->script->heap.grower == SCRIPT_GROWER_MMAP)
        cp->mapped_used = r->grower.mapped.used;
    else
        cp->grower = r->grower.fixed;
    cp->position = r->position;
    cp->owner = r;
    return 0;
}

/* Brings the mmap grower's end to `used`, through its own contract: a
 * grow (which may overshoot by its minimum increment) and a trim of what
 * is too much, so that its pages are committed exactly as they were. */
static int mmap_grower_to(hl_mmap_grower *g, size_t used)
{
    char *at;
    size_t grown;

    if (g->used < used &&
        g->base.grow(&g->base, used - g->used, &at, &grown) != 0)
        return ENOMEM;
    if (g->used > used)
        g->base.trim(&g->base, g->used - used);
    return g->used == used ? 0 : ENOMEM;
}

int replay_restore(replay *r, const replay_checkpoint *cp)
{
    if (cp->owner != r || !grower_restorable(r))
        return EINVAL;
    if (r->script->heap.grower == SCRIPT_GROWER_MMAP &&
        mmap_grower_to(&r->grower.mapped, cp->mapped_used) != 0)
        return ENOMEM;
    if (hl_heap_restore(r->heap, cp->memory, cp->memory_len) != 0)
        return EINVAL;
    if (r->script->heap.grower == SCRIPT_GROWER_STATIC)
        r->grower.fixed = cp->grower;
    restore_ids(r, cp);
    r->position = cp->position;
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

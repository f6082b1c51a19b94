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
 * read them before it has written them.  The mmap and brk growers are not
 * supported: their memory is given and taken back by the system.
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

int replay_save(replay *r, replay_checkpoint *cp)
{
    size_t size = hl_heap_snapshot_size(r->heap);

    if (r->script->heap.grower != SCRIPT_GROWER_STATIC)
        return ENOTSUP;
    if (reserve_memory(cp, size) != 0 || save_ids(r, cp) != 0)
        return ENOMEM;
    cp->memory_len = hl_heap_snapshot(r->heap, cp->memory, size);
    cp->grower = r->grower.fixed;
    cp->position = r->position;
    cp->owner = r;
    return 0;
}

int replay_restore(replay *r, const replay_checkpoint *cp)
{
    if (cp->owner != r || r->script->heap.grower != SCRIPT_GROWER_STATIC)
        return EINVAL;
    if (hl_heap_restore(r->heap, cp->memory, cp->memory_len) != 0)
        return EINVAL;
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

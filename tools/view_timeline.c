/* view_timeline.c - any step of a replay, forward or back (see
 * view_timeline.h for the contract).
 *
 * The checkpoints are the replay's own (replay_save / replay_restore):
 * checkpoints[i] holds position i * interval.  To reach position p > 0 the
 * timeline restores the checkpoint at or before p - 1 and replays up to p,
 * so the step that led to p has always just run and its result (events,
 * outcome) is at hand for the model.  Going one step forward is one step.
 * What the model reads at a position is in view_timeline_model.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "view_timeline_internal.h"

/* ---------------------------------------------------------------------------
 * Checkpoints
 * ------------------------------------------------------------------------- */

static size_t checkpoint_bytes(const replay_checkpoint *cp)
{
    return replay_checkpoint_bytes(cp);
}

/* Drops every other checkpoint (keeping position 0) and doubles the
 * interval: the memory held halves, and a step back costs twice as much. */
static void thin_out(timeline *tl)
{
    size_t i, kept = 0;

    for (i = 0; i < tl->count; i++) {
        if (i % 2 == 0) {
            tl->checkpoints[kept++] = tl->checkpoints[i];
            continue;
        }
        tl->bytes -= checkpoint_bytes(&tl->checkpoints[i]);
        replay_checkpoint_release(&tl->checkpoints[i]);
    }
    tl->count = kept;
    tl->interval *= 2;
}

/* Saves the replay's present position as the next checkpoint. */
static int take_checkpoint(timeline *tl)
{
    replay_checkpoint *cp;
    int rc;

    if (tl->count == tl->capacity) {
        size_t capacity = tl->capacity ? 2 * tl->capacity : 64;
        cp = realloc(tl->checkpoints, capacity * sizeof *cp);
        if (!cp)
            return ENOMEM;
        tl->checkpoints = cp;
        tl->capacity = capacity;
    }
    cp = &tl->checkpoints[tl->count];
    memset(cp, 0, sizeof *cp);
    rc = replay_save(tl->replay, cp);
    if (rc != 0) {
        replay_checkpoint_release(cp);
        return rc;
    }
    tl->count++;
    tl->bytes += checkpoint_bytes(cp);
    while (tl->bytes > tl->budget && tl->count > 2)
        thin_out(tl);
    return 0;
}

/* ---------------------------------------------------------------------------
 * The first pass
 * ------------------------------------------------------------------------- */

bool is_check(const script_op *op)
{
    return op->kind == SCRIPT_CHECK || op->kind == SCRIPT_EXPECT;
}

static unsigned flags_of(const hl_step_result *res)
{
    unsigned flags = 0;
    size_t i;

    for (i = 0; i < res->nevents; i++) {
        if (res->events[i].kind == HL_EVENT_MERGE)
            flags |= TL_MERGE;
        if (res->events[i].kind == HL_EVENT_GROW)
            flags |= TL_GROW;
    }
    if (res->failed)
        flags |= TL_NULL;
    if (!res->passed)
        flags |= is_check(res->op) ? TL_CHECK_FAILED : TL_ERROR;
    return flags;
}

/* Notes the heap's size and live bytes now (hl_heap_stats walks the
 * blocks: hence only every usage_stride steps on a long script). */
static void note_usage(timeline *tl)
{
    vm_usage all = {0, 0};
    unsigned n;

    /* Every heap of the replay: with a heap per thread, their sum. */
    for (n = 1; n <= replay_heap_count(tl->replay); n++) {
        hl_stats stats;
        hl_heap_stats(replay_heap_at(tl->replay, n), &stats);
        all.heap_size += stats.heap_size;
        all.live += stats.requested_bytes;
    }
    tl->usage[tl->usage_count++] = all;
}

/* ---------------------------------------------------------------------------
 * Remote frees
 * ------------------------------------------------------------------------- */

static bool first_block(const hl_block_info *info, void *arg)
{
    *(size_t *)arg = info->offset;
    return false;
}

/* After step `at`: its drains end the wait of the objects they took, and a
 * remote free of its own starts one (the newest on the remote list). */
static int note_remote(timeline *tl, size_t at, const hl_step_result *res)
{
    size_t i, r;

    for (i = 0; i < res->nevents; i++) {
        if (res->events[i].kind != HL_EVENT_REMOTE_FREE)
            continue;
        for (r = tl->remote_count; r-- > 0;)
            if (tl->remote[r].heap == res->event_heap[i] &&
                tl->remote[r].offset == res->events[i].offset &&
                tl->remote[r].drained == 0) {
                tl->remote[r].drained = at;
                break;
            }
    }
    if (!res->remote_heap || res->op->id == SCRIPT_NO_ID)
        return 0;
    if (tl->remote_count == tl->remote_capacity) {
        size_t capacity = tl->remote_capacity ? 2 * tl->remote_capacity : 16;
        tl_remote *more = realloc(tl->remote, capacity * sizeof *more);
        if (!more)
            return ENOMEM;
        tl->remote = more;
        tl->remote_capacity = capacity;
    }
    tl->remote[tl->remote_count] = (tl_remote){at, 0, res->remote_heap, 0,
                                               res->op->id};
    hl_heap_visit_remote(replay_heap_at(tl->replay, res->remote_heap),
                         first_block, &tl->remote[tl->remote_count].offset);
    tl->remote_count++;
    return 0;
}

/* Replays everything once: flags for each step, a checkpoint every
 * interval steps, the usage every usage_stride steps. */
static int first_pass(timeline *tl, char *err, size_t errlen)
{
    int rc = take_checkpoint(tl);

    note_usage(tl);
    while (rc == 0 && replay_step(tl->replay, &tl->last)) {
        size_t at = replay_position(tl->replay);
        tl->flags[at] = (unsigned char)flags_of(&tl->last);
        tl->length = at;
        rc = note_remote(tl, at, &tl->last);
        if (at % tl->usage_stride == 0)
            note_usage(tl);
        if (at % tl->interval == 0)
            rc = take_checkpoint(tl);
    }
    if (rc != 0)
        snprintf(err, errlen, "%s: cannot keep checkpoints: %s",
                 tl->script->name, strerror(rc));
    return rc;
}

timeline *timeline_open(hl_script *script, size_t interval, size_t budget,
                        char *err, size_t errlen)
{
    timeline *tl = calloc(1, sizeof *tl);

    size_t stride = script->nops / TL_USAGE_SAMPLES + 1;

    if (!tl || !(tl->flags = calloc(script->nops + 1, 1)) ||
        !(tl->usage = calloc(script->nops / stride + 1, sizeof *tl->usage))) {
        snprintf(err, errlen, "%s: out of memory", script->name);
        if (tl)
            free(tl->flags);
        free(tl);
        return NULL;
    }
    tl->usage_stride = stride;
    tl->script = script;
    tl->interval = interval ? interval : TL_INTERVAL;
    tl->budget = budget;
    tl->replay = replay_new(script, err, errlen);
    if (!tl->replay || first_pass(tl, err, errlen) != 0 ||
        timeline_go(tl, 0) != 0) {
        timeline_close(tl);
        return NULL;
    }
    return tl;
}

void timeline_close(timeline *tl)
{
    size_t i;

    if (!tl)
        return;
    for (i = 0; i < tl->count; i++)
        replay_checkpoint_release(&tl->checkpoints[i]);
    free(tl->checkpoints);
    if (tl->replay)
        replay_free(tl->replay);
    free(tl->flags);
    free(tl->usage);
    free(tl->labels);
    free(tl->remote);
    free(tl->drained);
    free(tl);
}

/* ---------------------------------------------------------------------------
 * Moving
 * ------------------------------------------------------------------------- */

size_t timeline_length(const timeline *tl) { return tl->length; }
size_t timeline_position(const timeline *tl)
{
    return replay_position(tl->replay);
}
hl_heap *timeline_heap(timeline *tl) { return replay_heap(tl->replay); }
unsigned timeline_heap_count(const timeline *tl)
{
    return replay_heap_count(tl->replay);
}
hl_heap *timeline_heap_at(timeline *tl, unsigned n)
{
    return replay_heap_at(tl->replay, n);
}
const hl_script *timeline_script(const timeline *tl) { return tl->script; }

bool timeline_intact(const timeline *tl)
{
    return replay_grower_intact(tl->replay);
}

int timeline_go(timeline *tl, size_t position)
{
    size_t at = replay_position(tl->replay), from;

    if (position > tl->length)
        position = tl->length;
    tl->labels_heap = 0;
    if (position == at && (at > 0 || tl->count == 0))
        return 0;
    /* The checkpoint at or before position - 1 (position 0: the first). */
    from = position > 0 ? (position - 1) / tl->interval : 0;
    if (from >= tl->count)
        from = tl->count - 1;
    if (position <= at || tl->checkpoints[from].position > at) {
        if (replay_restore(tl->replay, &tl->checkpoints[from]) != 0)
            return -1;
        at = tl->checkpoints[from].position;
    }
    while (at < position) {
        if (!replay_step(tl->replay, &tl->last))
            return -1;
        at++;
    }
    return 0;
}

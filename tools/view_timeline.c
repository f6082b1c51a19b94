/* view_timeline.c - any step of a replay, forward or back (see
 * view_timeline.h for the contract).
 *
 * The checkpoints are the replay's own (replay_save / replay_restore):
 * checkpoints[i] holds position i * interval.  To reach position p > 0 the
 * timeline restores the checkpoint at or before p - 1 and replays up to p,
 * so the step that led to p has always just run and its result (events,
 * outcome) is at hand for the model.  Going one step forward is one step.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay.h"
#include "view_timeline.h"

/* A remote free, as the first pass saw it: the object of ID `id` went on
 * heap `heap`'s remote list at step `queued` (its block at `offset`), and
 * the owner took it off at step `drained` (0: not in the script).  This
 * is how the viewer still names an object that the script no longer
 * holds, while it waits and when it is drained. */
typedef struct tl_remote {
    size_t queued, drained;
    unsigned heap;
    size_t offset, id;
} tl_remote;

struct timeline {
    const hl_script *script;
    replay *replay;
    size_t length;                 /* positions are 0 .. length */
    unsigned char *flags;          /* enum tl_flag of each position */

    replay_checkpoint *checkpoints;
    size_t count, capacity;        /* checkpoints held, and room */
    size_t interval;               /* positions between two checkpoints */
    size_t budget, bytes;          /* memory allowed, and taken */

    vm_usage *usage;               /* heap size and live bytes, noted in
                                      the first pass every usage_stride
                                      positions from 0 */
    size_t usage_count, usage_stride;

    hl_step_result last;           /* the step that led here (position > 0) */
    vm_label *labels;              /* live IDs by offset, for the model */
    size_t label_count;
    unsigned labels_heap;          /* the heap they are of (0: none yet) */

    tl_remote *remote;             /* every remote free, in step order */
    size_t remote_count, remote_capacity;
    vm_label *drained;             /* the step's drained objects, named */
    size_t drained_count;
};

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

static bool is_check(const script_op *op)
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

/* ---------------------------------------------------------------------------
 * What the model needs
 * ------------------------------------------------------------------------- */

static vm_outcome outcome_of(const hl_step_result *res)
{
    if (!res->passed)
        return is_check(res->op) ? VM_STEP_CHECK_FAILED : VM_STEP_ERROR;
    if (res->failed)
        return VM_STEP_NULL;
    return is_check(res->op) ? VM_STEP_CHECK_PASSED : VM_STEP_DONE;
}

/* The replay's messages start "FILE:LINE: "; the step already says
 * which line it is, so the model gets the rest. */
static const char *without_place(const char *file, const char *message)
{
    size_t len = strlen(file);
    const char *p = message + len;

    if (strncmp(message, file, len) != 0 || *p != ':')
        return message;
    p++;
    while (*p >= '0' && *p <= '9')
        p++;
    return p[0] == ':' && p[1] == ' ' ? p + 2 : message;
}

/* The objects that step `at` took off remote lists, named. */
static const vm_label *drained_at(timeline *tl, size_t at, size_t *count)
{
    size_t r;

    *count = 0;
    if (!tl->drained && tl->remote_count &&
        !(tl->drained = calloc(tl->remote_count, sizeof *tl->drained)))
        return NULL;
    for (r = 0; r < tl->remote_count; r++)
        if (tl->remote[r].drained == at)
            tl->drained[(*count)++] = (vm_label){
                tl->remote[r].offset, tl->remote[r].id,
                tl->script->id_names[tl->remote[r].id], tl->remote[r].heap,
                true};
    return tl->drained;
}

void timeline_step(timeline *tl, vm_step *out)
{
    const hl_step_result *res = &tl->last;

    memset(out, 0, sizeof *out);
    out->position = replay_position(tl->replay);
    out->count = tl->length;
    /* A note introduces the operation after it: it is shown on the step
     * before that operation (and so with the quiz's questions on it). */
    if (out->position < tl->length)
        out->note = tl->script->ops[out->position].note;
    if (out->position == 0)
        return;
    out->line = res->op->line;
    out->op_text = res->op->source;
    out->outcome = outcome_of(res);
    out->message = without_place(tl->script->name, res->message);
    out->events = res->events;
    out->event_count = res->nevents;
    out->events_lost = res->events_lost;
    if (tl->script->nthreads > 1) {
        out->thread = res->thread ? res->thread : 1;
        out->heap = res->heap;
        out->remote_heap = res->remote_heap;
        out->heap_count = replay_heap_count(tl->replay);
        out->event_heap = res->event_heap;
        out->id_name = res->op->id == SCRIPT_NO_ID
                           ? NULL : tl->script->id_names[res->op->id];
        out->drained = drained_at(tl, out->position, &out->drained_count);
    }
}

const hl_step_result *timeline_result(const timeline *tl)
{
    return replay_position(tl->replay) > 0 ? &tl->last : NULL;
}

const vm_label *timeline_labels(timeline *tl, size_t *count)
{
    unsigned n = 1;

    /* The heap of the thread that ran last. */
    while (n < replay_heap_count(tl->replay) &&
           replay_heap_at(tl->replay, n) != replay_heap(tl->replay))
        n++;
    return timeline_labels_of(tl, n, count);
}

const vm_label *timeline_labels_of(timeline *tl, unsigned n, size_t *count)
{
    hl_heap *heap = replay_heap_at(tl->replay, n);
    const char *base = heap ? hl_heap_base(heap) : NULL;
    size_t at = replay_position(tl->replay), id, r;

    if (tl->labels_heap == n) {
        *count = tl->label_count;
        return tl->labels;
    }
    tl->label_count = 0;
    if (!tl->labels && !(tl->labels = calloc(tl->script->nids +
                                             tl->remote_count + 1,
                                             sizeof *tl->labels))) {
        *count = 0;
        return NULL;
    }
    for (id = 0; base && id < tl->script->nids; id++) {
        const char *object = replay_object(tl->replay, id);
        if (!object || replay_object_heap(tl->replay, id) != n)
            continue;
        tl->labels[tl->label_count++] = (vm_label){
            (size_t)(object - base) - HL_HEADER_SIZE, id,
            tl->script->id_names[id], n, false};
    }
    /* The objects waiting on its remote list, by the names they had. */
    for (r = 0; r < tl->remote_count; r++)
        if (tl->remote[r].heap == n && tl->remote[r].queued <= at &&
            (tl->remote[r].drained == 0 || tl->remote[r].drained > at))
            tl->labels[tl->label_count++] = (vm_label){
                tl->remote[r].offset, tl->remote[r].id,
                tl->script->id_names[tl->remote[r].id], n, true};
    vm_labels_sort(tl->labels, tl->label_count);
    tl->labels_heap = n;
    *count = tl->label_count;
    return tl->labels;
}

size_t timeline_find(const timeline *tl, size_t from, unsigned flags,
                     bool backward)
{
    size_t p;

    if (backward) {
        for (p = from > tl->length ? tl->length : from; p-- > 1;)
            if (tl->flags[p] & flags)
                return p;
        return 0;
    }
    for (p = from + 1; p <= tl->length; p++)
        if (tl->flags[p] & flags)
            return p;
    return 0;
}

size_t timeline_find_any(const timeline *const *tls, size_t count,
                         size_t from, unsigned flags)
{
    size_t best = 0, k;

    for (k = 0; k < count; k++) {
        size_t found = timeline_find(tls[k], from, flags, false);
        if (found && (best == 0 || found < best))
            best = found;
    }
    return best;
}

void timeline_memory(const timeline *tl, size_t *count, size_t *interval,
                     size_t *bytes)
{
    *count = tl->count;
    *interval = tl->interval;
    *bytes = tl->bytes;
}

const vm_usage *timeline_usage(const timeline *tl, size_t *count,
                               size_t *stride)
{
    size_t upto = timeline_position(tl) / tl->usage_stride + 1;

    *count = upto < tl->usage_count ? upto : tl->usage_count;
    *stride = tl->usage_stride;
    return tl->usage;
}

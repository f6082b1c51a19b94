/* view_timeline_model.c - what a timeline tells the viewer's model about
 * where it stands (see view_timeline.h for the contract).
 *
 * The step that led to the current position has always just run, so its
 * result is at hand: this file turns it into the model's step, names the
 * live objects of a heap (and those waiting on its remote list, by the
 * remote frees the first pass noted), and reads what the first pass kept
 * for the whole script: each step's flags, for "the next merge", and the
 * heap's usage; and it says what the checkpoints hold.
 */
#include <stdlib.h>
#include <string.h>

#include "view_timeline_internal.h"

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

/* The call of an operation, by the kind the parser gave it. */
static vm_call call_of(script_op_kind kind)
{
    switch (kind) {
    case SCRIPT_ALLOC: return VM_CALL_MALLOC;
    case SCRIPT_FREE: return VM_CALL_FREE;
    case SCRIPT_REALLOC: return VM_CALL_REALLOC;
    case SCRIPT_CALLOC: return VM_CALL_CALLOC;
    case SCRIPT_MEMALIGN: return VM_CALL_MEMALIGN;
    case SCRIPT_CHECK:
    case SCRIPT_EXPECT: break;
    }
    return VM_CALL_NONE;
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
    out->call = call_of(res->op->kind);
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

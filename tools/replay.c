/* replay.c - a script's operations run on a real heap, one per step.
 *
 * The replay builds the heap once (replay_new), then each step runs one
 * operation and reports it.  The library's events reach the replay through
 * the heap's observer and are copied into the result of the step running
 * at that moment; outside a step there are none.  The library's error hook
 * is replaced too: misuse is written into the step's message instead of
 * aborting the program, though a parsed script cannot cause any, since the
 * parser already rejects frees of IDs that hold nothing.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "replay_internal.h"

#define PAGE_SIZE_FOR_BUFFER ((size_t)4096)

/* ---------------------------------------------------------------------------
 * The library's callbacks
 * ------------------------------------------------------------------------- */

static void collect_event(const hl_event *event, void *arg)
{
    replay *r = arg;
    hl_step_result *res = r->current;

    if (!res)
        return;
    if (res->nevents < REPLAY_MAX_EVENTS)
        res->events[res->nevents++] = *event;
    else
        res->events_lost++;
}

static void note_misuse(hl_heap *heap, hl_error_kind kind, const char *op,
                        const void *ptr, const char *message, void *arg)
{
    replay *r = arg;
    const char *base = hl_heap_base(heap);
    long long offset = base ? (long long)((const char *)ptr - base) : -1;

    (void)kind;
    snprintf(r->misuse, sizeof r->misuse, "%s(): %s object at offset %lld",
             op, message, offset);
}

/* ---------------------------------------------------------------------------
 * Building and ending
 * ------------------------------------------------------------------------- */

/* The static grower's buffer: mapped, so 4096-aligned and zeroed. */
static int map_buffer(replay *r, size_t capacity, size_t increment)
{
    size_t len = capacity ? capacity : 1;

    len = (len + PAGE_SIZE_FOR_BUFFER - 1) & ~(PAGE_SIZE_FOR_BUFFER - 1);
    if (len < capacity)
        return ENOMEM;
    r->buffer = mmap(NULL, len, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (r->buffer == MAP_FAILED) {
        r->buffer = NULL;
        return ENOMEM;
    }
    r->buffer_len = len;
    return hl_static_grower_init(&r->grower.fixed, r->buffer, capacity,
                                 increment);
}

static int make_grower(replay *r, const script_heap *settings,
                       size_t capacity)
{
    switch (settings->grower) {
    case SCRIPT_GROWER_MMAP:
        return hl_mmap_grower_init(&r->grower.mapped, capacity,
                                   settings->increment);
    case SCRIPT_GROWER_BRK:
        return hl_brk_grower_init(&r->grower.brk, settings->increment);
    case SCRIPT_GROWER_STATIC:
    default:
        return map_buffer(r, capacity, settings->increment);
    }
}

replay *replay_new(const hl_script *script, char *err, size_t errlen)
{
    replay *r = calloc(1, sizeof *r);
    const script_heap *settings = &script->heap;
    int rc;

    if (!r || !(r->ids = calloc(script->nids ? script->nids : 1,
                                sizeof *r->ids))) {
        snprintf(err, errlen, "%s: out of memory", script->name);
        free(r);
        return NULL;
    }
    r->script = script;
    if ((rc = make_grower(r, settings, script_capacity(script))) != 0) {
        snprintf(err, errlen, "%s: cannot set up the %s grower with "
                 "capacity %zu: %s", script->name,
                 script_grower_name(settings->grower),
                 script_capacity(script), strerror(rc));
        replay_free(r);
        return NULL;
    }
    r->heap = hl_heap_init(&r->space, &settings->config, &r->grower.base);
    if (!r->heap) {
        snprintf(err, errlen, "%s: the heap settings are not valid",
                 script->name);
        replay_free(r);
        return NULL;
    }
    hl_heap_set_observer(r->heap, collect_event, r);
    hl_heap_set_error_hook(r->heap, note_misuse, r);
    return r;
}

/* Gives the memory of the heap back, as far as its grower can. */
static void release_grower(replay *r)
{
    hl_brk_grower *brk = &r->grower.brk;

    if (!r->script)
        return;
    switch (r->script->heap.grower) {
    case SCRIPT_GROWER_MMAP:
        hl_mmap_grower_release(&r->grower.mapped);
        break;
    case SCRIPT_GROWER_BRK:
        if (brk->base.trim && brk->start)
            brk->base.trim(&brk->base, (size_t)(brk->end - brk->start));
        break;
    case SCRIPT_GROWER_STATIC:
        if (r->buffer)
            munmap(r->buffer, r->buffer_len);
        break;
    }
}

void replay_free(replay *r)
{
    if (!r)
        return;
    if (r->heap)
        hl_heap_destroy(r->heap);
    release_grower(r);
    free(r->ids);
    free(r);
}

/* ---------------------------------------------------------------------------
 * Steps
 * ------------------------------------------------------------------------- */

static bool has_fail_event(const hl_step_result *res)
{
    size_t i;

    for (i = 0; i < res->nevents; i++)
        if (res->events[i].kind == HL_EVENT_FAIL)
            return true;
    return false;
}

/* Every failure is an event.  The library reports those of the heap (no
 * room); a call refused before it reaches the heap (calloc's COUNT * SIZE
 * overflows) gets its event here, with what it asked. */
static void add_fail_event(replay *r, const script_op *op)
{
    hl_event ev;

    memset(&ev, 0, sizeof ev);
    ev.kind = HL_EVENT_FAIL;
    ev.requested = op->size;

    if (op->kind == SCRIPT_CALLOC)
        ev.requested = op->size && op->count > SIZE_MAX / op->size
                           ? SIZE_MAX : op->count * op->size;
    collect_event(&ev, r); /* into the step's result, r->current */
}

/* Runs a, r, c or m and records what the call returned in the ID. */
static void run_allocation(replay *r, const script_op *op,
                           hl_step_result *res)
{
    replay_id *id = &r->ids[op->id];
    void *p = NULL;

    if (op->id >= r->ids_touched)
        r->ids_touched = op->id + 1;
    errno = 0;
    switch (op->kind) {
    case SCRIPT_ALLOC: p = hl_alloc(r->heap, op->size); break;
    case SCRIPT_REALLOC: p = hl_realloc(r->heap, id->object, op->size); break;
    case SCRIPT_CALLOC: p = hl_calloc(r->heap, op->count, op->size); break;
    case SCRIPT_MEMALIGN:
        p = hl_aligned_alloc(r->heap, op->align, op->size);
        break;
    default: break;
    }
    id->last_null = p == NULL;
    if (!p) {
        res->failed = true;
        res->error = errno;
        if (!has_fail_event(res))
            add_fail_event(r, op);
        if (op->kind != SCRIPT_REALLOC) /* a failed realloc keeps the old */
            id->object = NULL;
        return;
    }
    id->object = p;
    res->object = p;
    res->offset = replay_block_offset(r, p);
}

static void run_free(replay *r, const script_op *op)
{
    replay_id *id;

    if (op->id == SCRIPT_NO_ID) {
        hl_free(r->heap, NULL);
        return;
    }
    id = &r->ids[op->id];
    hl_free(r->heap, id->object);
    id->object = NULL;
    id->last_null = false;
}

size_t replay_block_offset(replay *r, const void *object)
{
    const char *base = hl_heap_base(r->heap);

    return (size_t)((const char *)object - base) - HL_HEADER_SIZE;
}

/* Clears what a step fills in (not the events array: only nevents). */
static void start_result(hl_step_result *res, size_t index,
                         const script_op *op)
{
    res->index = index;
    res->op = op;
    res->object = NULL;
    res->offset = 0;
    res->failed = false;
    res->error = 0;
    res->passed = true;
    res->message[0] = '\0';
    res->nevents = 0;
    res->events_lost = 0;
}

bool replay_step(replay *r, hl_step_result *res)
{
    const script_op *op;

    if (r->position >= r->script->nops)
        return false;
    op = &r->script->ops[r->position];
    start_result(res, r->position, op);
    r->current = res;
    r->misuse[0] = '\0';
    if (op->kind == SCRIPT_FREE)
        run_free(r, op);
    else if (op->kind == SCRIPT_CHECK || op->kind == SCRIPT_EXPECT)
        replay_evaluate(r, op, res);
    else
        run_allocation(r, op, res);
    r->current = NULL;
    if (r->misuse[0]) {
        res->passed = false;
        snprintf(res->message, sizeof res->message, "%s:%u: %s",
                 r->script->name, op->line, r->misuse);
    }
    r->position++;
    return true;
}

size_t replay_position(const replay *r) { return r->position; }
const hl_script *replay_script(const replay *r) { return r->script; }
hl_heap *replay_heap(replay *r) { return r->heap; }

void *replay_object(const replay *r, size_t id)
{
    return id < r->script->nids ? r->ids[id].object : NULL;
}

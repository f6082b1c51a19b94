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
    replay_slot *slot = arg;
    hl_step_result *res = slot->owner->result;

    if (!res)
        return;
    if (res->nevents < REPLAY_MAX_EVENTS) {
        res->event_heap[res->nevents] = slot->index + 1;
        res->events[res->nevents++] = *event;
    } else {
        res->events_lost++;
    }
}

static void note_misuse(hl_heap *heap, hl_error_kind kind, const char *op,
                        const void *ptr, const char *message, void *arg)
{
    replay_slot *slot = arg;
    const char *base = hl_heap_base(heap);
    long long offset = base ? (long long)((const char *)ptr - base) : -1;

    (void)kind;
    snprintf(slot->owner->misuse, sizeof slot->owner->misuse,
             "%s(): %s object at offset %lld", op, message, offset);
}

/* ---------------------------------------------------------------------------
 * Building and ending
 * ------------------------------------------------------------------------- */

/* The static grower's buffer: mapped, so 4096-aligned and zeroed. */
static int map_buffer(replay_slot *r, size_t capacity, size_t increment)
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

static int make_grower(replay_slot *r, const script_heap *settings,
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

/* Heap `index` of the replay, on a grower of its own. */
static bool make_slot(replay *r, unsigned index, char *err, size_t errlen)
{
    const hl_script *script = r->script;
    const script_heap *settings = &script->heap;
    replay_slot *slot = &r->slots[index];
    int rc;

    slot->owner = r;
    slot->index = index;
    if ((rc = make_grower(slot, settings, script_capacity(script))) != 0) {
        snprintf(err, errlen, "%s: cannot set up the %s grower with "
                 "capacity %zu: %s", script->name,
                 script_grower_name(settings->grower),
                 script_capacity(script), strerror(rc));
        return false;
    }
    r->nslots = index + 1;
    slot->heap = hl_heap_init(&slot->space, &settings->config,
                              &slot->grower.base);
    if (!slot->heap) {
        snprintf(err, errlen, "%s: the heap settings are not valid",
                 script->name);
        return false;
    }
    hl_heap_set_observer(slot->heap, collect_event, slot);
    hl_heap_set_error_hook(slot->heap, note_misuse, slot);
    return true;
}

/* One heap, or one per thread: the drop-in's heaps=per-thread. */
static unsigned heaps_needed(const hl_script *script)
{
    return script->heap.config.heaps == HL_HEAPS_PER_THREAD
               ? script->nthreads : 1;
}

replay *replay_new(const hl_script *script, char *err, size_t errlen)
{
    replay *r = calloc(1, sizeof *r);
    unsigned i, n = heaps_needed(script);

    if (!r || !(r->ids = calloc(script->nids ? script->nids : 1,
                                sizeof *r->ids))) {
        snprintf(err, errlen, "%s: out of memory", script->name);
        free(r);
        return NULL;
    }
    r->script = script;
    r->thread = 1;
    if (n > 1 && script->heap.grower == SCRIPT_GROWER_BRK) {
        snprintf(err, errlen, "%s: the program break holds one heap; a heap "
                 "per thread needs grower=static or grower=mmap",
                 script->name);
        replay_free(r);
        return NULL;
    }
    for (i = 0; i < n; i++)
        if (!make_slot(r, i, err, errlen)) {
            replay_free(r);
            return NULL;
        }
    r->heap = r->slots[0].heap;
    return r;
}

/* Gives the memory of a heap back, as far as its grower can. */
static void release_grower(const hl_script *script, replay_slot *slot)
{
    hl_brk_grower *brk = &slot->grower.brk;

    switch (script->heap.grower) {
    case SCRIPT_GROWER_MMAP:
        hl_mmap_grower_release(&slot->grower.mapped);
        break;
    case SCRIPT_GROWER_BRK:
        if (brk->base.trim && brk->start)
            brk->base.trim(&brk->base, (size_t)(brk->end - brk->start));
        break;
    case SCRIPT_GROWER_STATIC:
        if (slot->buffer)
            munmap(slot->buffer, slot->buffer_len);
        break;
    }
}

void replay_free(replay *r)
{
    unsigned i;

    if (!r)
        return;
    for (i = r->nslots; i-- > 0;) { /* brk: the last heap's break first */
        if (r->slots[i].heap)
            hl_heap_destroy(r->slots[i].heap);
        release_grower(r->script, &r->slots[i]);
    }
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
    ev.requested = script_op_bytes(op);
    collect_event(&ev, &r->slots[r->current]); /* into r->result */
}

/* A realloc of another heap's object, as the drop-in does it: only the
 * owner resizes in place, so the object moves into the caller's heap and
 * the old one goes on its owner's remote list. */
static void *realloc_elsewhere(replay *r, replay_id *id, size_t size,
                               hl_step_result *res)
{
    hl_heap *owner = r->slots[id->heap].heap;
    size_t keep = hl_caller_usable_size(owner, id->object, true);
    void *p = hl_alloc(r->heap, size);

    if (!p)
        return NULL;
    memcpy(p, id->object, keep < size ? keep : size);
    hl_free_remote(owner, id->object);
    res->remote_heap = id->heap + 1;
    return p;
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
    case SCRIPT_REALLOC:
        if (id->object && id->heap != r->current)
            p = realloc_elsewhere(r, id, op->size, res);
        else
            p = hl_realloc(r->heap, id->object, op->size);
        break;
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
    id->heap = r->current;
    res->object = p;
    res->offset = replay_block_offset(r, r->current, p);
}

/* A free of the current heap's object, or of another heap's: that one
 * goes on its owner's remote list, to be freed at the owner's next call. */
static void run_free(replay *r, const script_op *op, hl_step_result *res)
{
    replay_id *id;

    if (op->id == SCRIPT_NO_ID) {
        hl_free(r->heap, NULL);
        return;
    }
    id = &r->ids[op->id];
    if (id->object && id->heap != r->current) {
        hl_free_remote(r->slots[id->heap].heap, id->object);
        res->remote_heap = id->heap + 1;
    } else {
        hl_free(r->heap, id->object);
    }
    id->object = NULL;
    id->last_null = false;
}

size_t replay_block_offset(replay *r, unsigned heap, const void *object)
{
    const char *base = hl_heap_base(r->slots[heap].heap);

    return (size_t)((const char *)object - base) - HL_HEADER_SIZE;
}

/* Clears what a step fills in (not the events array: only nevents). */
static void start_result(hl_step_result *res, size_t index,
                         const script_op *op)
{
    res->index = index;
    res->op = op;
    res->thread = op->thread;
    res->heap = 0;
    res->remote_heap = 0;
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
    r->thread = op->thread ? op->thread : 1;
    r->current = r->nslots > 1 ? r->thread - 1 : 0;
    r->heap = r->slots[r->current].heap;
    res->heap = r->current + 1;
    r->result = res;
    r->misuse[0] = '\0';
    if (op->kind == SCRIPT_FREE)
        run_free(r, op, res);
    else if (op->kind == SCRIPT_CHECK || op->kind == SCRIPT_EXPECT)
        replay_evaluate(r, op, res);
    else
        run_allocation(r, op, res);
    r->result = NULL;
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
unsigned replay_heap_count(const replay *r) { return r->nslots; }
unsigned replay_thread(const replay *r) { return r->thread; }

hl_heap *replay_heap_at(replay *r, unsigned n)
{
    return n >= 1 && n <= r->nslots ? r->slots[n - 1].heap : NULL;
}

unsigned replay_object_heap(const replay *r, size_t id)
{
    return id < r->script->nids && r->ids[id].object ? r->ids[id].heap + 1
                                                      : 0;
}

void *replay_object(const replay *r, size_t id)
{
    return id < r->script->nids ? r->ids[id].object : NULL;
}

/* replay_internal.h - the state of a replay, shared by replay.c,
 * replay_expect.c and replay_checkpoint.c.  Not used outside them. */
#ifndef HL_REPLAY_INTERNAL_H
#define HL_REPLAY_INTERNAL_H

#include "replay.h"

/* What one ID holds during a replay. */
typedef struct replay_id {
    void *object;     /* the live object, or NULL */
    unsigned heap;    /* the index of the heap that holds it */
    bool last_null;   /* the last a, r, c or m on it returned NULL */
} replay_id;

/* One heap of the replay and its grower.  A script runs on one, or with
 * heaps=per-thread on one per thread its `thread` lines name. */
typedef struct replay_slot {
    replay *owner;
    unsigned index;   /* in owner->slots: heap number index + 1 */
    hl_heap_space space;
    hl_heap *heap;    /* lives in `space` */
    union {           /* the one the script's settings chose */
        hl_grower base;
        hl_static_grower fixed;
        hl_mmap_grower mapped;
        hl_brk_grower brk;
    } grower;
    char *buffer;     /* static grower: the mapped buffer */
    size_t buffer_len;
} replay_slot;

/* An ID that holds something, as a checkpoint keeps it. */
struct replay_held {
    size_t id;
    replay_id state;
};

struct replay {
    const hl_script *script;
    replay_slot slots[SCRIPT_MAX_THREADS];
    unsigned nslots;
    unsigned current; /* the slot of the thread that ran last */
    unsigned thread;  /* that thread, 1 .. script->nthreads */
    hl_heap *heap;    /* slots[current].heap */
    replay_id *ids;   /* one per script ID */
    size_t ids_touched; /* only IDs below this have been allocated yet */
    size_t position;  /* the next operation */
    hl_step_result *result; /* the step running now: events go there */
    char misuse[160]; /* what the library's error hook said this step */
};

/* replay.c: the offset of the header of object's block from the base of
 * the heap in slot `heap`, as `expect block` and heap dumps count. */
size_t replay_block_offset(replay *r, unsigned heap, const void *object);

/* replay_expect.c: runs a check or an expect and fills in res->passed and
 * res->message. */
void replay_evaluate(replay *r, const script_op *op, hl_step_result *res);

#endif /* HL_REPLAY_INTERNAL_H */

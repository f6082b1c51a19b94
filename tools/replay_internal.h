/* replay_internal.h - the state of a replay, shared by replay.c,
 * replay_expect.c and replay_checkpoint.c.  Not used outside them. */
#ifndef HL_REPLAY_INTERNAL_H
#define HL_REPLAY_INTERNAL_H

#include "replay.h"

/* What one ID holds during a replay. */
typedef struct replay_id {
    void *object;     /* the live object, or NULL */
    bool last_null;   /* the last a, r, c or m on it returned NULL */
} replay_id;

/* An ID that holds something, as a checkpoint keeps it. */
struct replay_held {
    size_t id;
    replay_id state;
};

struct replay {
    const hl_script *script;
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
    replay_id *ids;   /* one per script ID */
    size_t ids_touched; /* only IDs below this have been allocated yet */
    size_t position;  /* the next operation */
    hl_step_result *current; /* the step running now: events go there */
    char misuse[160]; /* what the library's error hook said this step */
};

/* replay.c: the offset of the header of object's block from the heap
 * base, as `expect block` and heap dumps count. */
size_t replay_block_offset(replay *r, const void *object);

/* replay_expect.c: runs a check or an expect and fills in res->passed and
 * res->message. */
void replay_evaluate(replay *r, const script_op *op, hl_step_result *res);

#endif /* HL_REPLAY_INTERNAL_H */

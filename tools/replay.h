/* replay.h - running a parsed script on a real heap, one operation at a
 * time, and coming back to any earlier point of it.
 *
 * A replay owns a heap built as the script's `heap` settings say, on a
 * grower of its own: a static grower over a 4096-aligned buffer that the
 * replay maps with mmap (never memory from a heaplab heap), an mmap grower,
 * or the brk grower.  replay_step() runs the next operation and tells what
 * happened: what it returned, whether a check or expect held, and every
 * event the library reported meanwhile.  `heaplab run` steps to the end;
 * `heaplab view` steps back and forth with checkpoints.
 *
 * Checkpoints: a heap keeps absolute pointers into its one buffer, and
 * the buffer never moves, so saving the heap's snapshot (hl_heap_snapshot:
 * its state and the used bytes), how far the grower got and the objects
 * of the IDs is enough to come back to that moment exactly.  The mmap and
 * brk growers are brought back to the saved end with their own grow and
 * trim.  A checkpoint costs the
 * heap's used bytes plus a few words per live object; restoring one costs
 * about as much as copying them back.  Measured on a generated trace of a
 * million operations (2000 live objects, 3 MB of heap): one checkpoint
 * every 50000 steps takes 57 MB in all, and reaching any step (restore the
 * nearest checkpoint before it, step forward) takes 4 ms on average, 13 ms
 * at worst.  A checkpoint's memory comes from the system malloc.
 */
#ifndef HL_REPLAY_H
#define HL_REPLAY_H

#include <stdbool.h>
#include <stddef.h>

#include "heaplab.h"
#include "script.h"

typedef struct replay replay;

/* Events kept per step; more than this are only counted. */
#define REPLAY_MAX_EVENTS 32

/* What one step did. */
typedef struct hl_step_result {
    size_t index;           /* of the operation in script->ops */
    const script_op *op;
    unsigned thread;        /* the thread it ran on (op->thread) */
    unsigned heap;          /* the heap that thread uses, from 1 */
    unsigned remote_heap;   /* f, r of another heap's object: that heap,
                               whose remote list got it; else 0 */
    void *object;           /* a, r, c, m: what the call returned */
    size_t offset;          /* of that object's block header, from the base */
    bool failed;            /* a, r, c, m: the call returned NULL */
    int error;              /* its errno then (ENOMEM, EINVAL) */
    bool passed;            /* check, expect: it held (true for the others,
                               unless the library reported misuse) */
    char message[320];      /* when !passed: FILE:LINE: what went wrong */
    hl_event events[REPLAY_MAX_EVENTS];
    unsigned event_heap[REPLAY_MAX_EVENTS]; /* the heap of each, from 1 */
    size_t nevents;         /* kept in events[] */
    size_t events_lost;     /* reported beyond REPLAY_MAX_EVENTS */
} hl_step_result;

/* Builds the heap the script describes.  Returns NULL with the reason in
 * err when the grower cannot be set up (e.g. mmap refuses the capacity). */
replay *replay_new(const hl_script *script, char *err, size_t errlen);
void replay_free(replay *r);

/* Runs the next operation and fills *result.  Returns false, touching
 * nothing, when every operation has run. */
bool replay_step(replay *r, hl_step_result *result);

/* How many operations have run: the index of the next one. */
size_t replay_position(const replay *r);
const hl_script *replay_script(const replay *r);
/* The heap of the thread that ran last (thread 1 before any step), to
 * look at (dump, stats, visit); do not change it. */
hl_heap *replay_heap(replay *r);
/* How many heaps the replay has: one, or with heaps=per-thread one per
 * thread of the script.  replay_heap_at(r, n) is heap n, from 1. */
unsigned replay_heap_count(const replay *r);
hl_heap *replay_heap_at(replay *r, unsigned n);
/* The thread that ran last, from 1. */
unsigned replay_thread(const replay *r);
/* The heap (from 1) that holds ID's object; 0 when it holds none. */
unsigned replay_object_heap(const replay *r, size_t id);
/* The object that ID holds now (NULL when none, or when its last
 * allocation failed). */
void *replay_object(const replay *r, size_t id);

/* A saved moment of a replay.  Start it zeroed (REPLAY_CHECKPOINT_INIT);
 * saving into it again reuses its memory; replay_checkpoint_release frees
 * that memory. */
typedef struct replay_checkpoint {
    const replay *owner;    /* the replay it was saved from */
    size_t position;
    unsigned thread;        /* the thread that had run last */
    struct replay_saved_heap { /* one per heap of the replay */
        hl_static_grower grower; /* the static grower's struct, or ... */
        size_t grower_used;  /* ... how much the mmap or brk grower gave */
        size_t at, len;      /* its snapshot in `memory` */
    } heaps[SCRIPT_MAX_THREADS];
    char *memory;           /* the heaps' snapshots (hl_heap_snapshot) */
    size_t memory_len, memory_capacity;
    struct replay_held *held; /* the IDs that hold something */
    size_t nheld, held_capacity;
    size_t ids_touched;
} replay_checkpoint;

#define REPLAY_CHECKPOINT_INIT {0}

/* Saves the replay's present moment.  Returns 0, or ENOMEM. */
int replay_save(replay *r, replay_checkpoint *cp);
/* Puts the replay back to a moment saved from the same replay.  Returns 0,
 * EINVAL when cp was not saved from this very replay, or ENOMEM when the
 * grower cannot be brought back to its saved end (for brk: something else
 * moved the program break). */
int replay_restore(replay *r, const replay_checkpoint *cp);
/* False when the replay is on the brk grower and something else in the
 * process has moved the program break since the heap last grew: the heap
 * can no longer grow or be restored as `heaplab run` would show it. */
bool replay_grower_intact(const replay *r);
void replay_checkpoint_release(replay_checkpoint *cp);
/* The memory a checkpoint holds, for callers that keep a budget. */
size_t replay_checkpoint_bytes(const replay_checkpoint *cp);

#endif /* HL_REPLAY_H */

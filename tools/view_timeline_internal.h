/* view_timeline_internal.h - the state of a timeline, shared by
 * view_timeline.c and view_timeline_model.c.  Not used outside them. */
#ifndef HL_VIEW_TIMELINE_INTERNAL_H
#define HL_VIEW_TIMELINE_INTERNAL_H

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

/* Whether `op` is a `check` or an `expect` line (view_timeline.c): its
 * failure is a failed check, not misuse. */
bool is_check(const script_op *op);

#endif /* HL_VIEW_TIMELINE_INTERNAL_H */

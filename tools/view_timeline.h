/* view_timeline.h - a script's replay as a line of steps that can be
 * walked both ways, cheaply.
 *
 * Position 0 is the heap before any operation; position k is the heap
 * after operation k.  Going forward replays; going back restores the
 * nearest checkpoint at or before the target and replays from there, so
 * every step costs at most one checkpoint interval of operations.
 *
 * Opening a timeline replays the whole script once: that pass takes the
 * checkpoints (one every `interval` steps; when their memory passes the
 * budget, every other one is dropped and the interval doubles, so memory
 * stays bounded) and notes for each step whether it merged, grew, failed
 * an allocation or failed a check, so that "the next merge" is a scan of
 * one byte a step.
 */
#ifndef HL_VIEW_TIMELINE_H
#define HL_VIEW_TIMELINE_H

#include <stdbool.h>
#include <stddef.h>

#include "heaplab.h"
#include "replay.h"
#include "script.h"
#include "view_model.h"

typedef struct timeline timeline;

/* What a step did, as noted in the first pass. */
enum tl_flag {
    TL_MERGE = 1,        /* some blocks merged */
    TL_GROW = 2,         /* the grower extended the heap */
    TL_NULL = 4,         /* an allocation returned NULL */
    TL_CHECK_FAILED = 8, /* a check or expect did not hold */
    TL_ERROR = 16        /* the library reported misuse */
};

/* Checkpoints: how far apart at first, and how much memory they may take
 * in all before they are thinned out. */
#define TL_INTERVAL 1024
#define TL_BUDGET ((size_t)256 << 20)

/* Replays `script` once, taking checkpoints; stops at its end or at the
 * first step the replay cannot take.  Returns NULL with a message in err
 * when the replay cannot even start.  The script must outlive it. */
timeline *timeline_open(hl_script *script, size_t interval, size_t budget,
                        char *err, size_t errlen);
void timeline_close(timeline *tl);

/* The last position: the number of operations replayed. */
size_t timeline_length(const timeline *tl);
size_t timeline_position(const timeline *tl);
/* Moves to `position` (at most the length).  Returns 0, or -1 when the
 * replay fails on the way (it does not when it did not in the first pass). */
int timeline_go(timeline *tl, size_t position);

hl_heap *timeline_heap(timeline *tl);
/* The replay's heaps: one, or one per thread (heaps=per-thread); heap n
 * from 1. */
unsigned timeline_heap_count(const timeline *tl);
hl_heap *timeline_heap_at(timeline *tl, unsigned n);
const hl_script *timeline_script(const timeline *tl);
/* False once something else has moved the program break under a heap on
 * the brk grower (replay_grower_intact): the picture would be wrong. */
bool timeline_intact(const timeline *tl);
/* The step that led to the current position, for the model.  Its
 * pointers stay valid until the timeline moves. */
void timeline_step(timeline *tl, vm_step *out);
/* The replay's own report of that step (NULL at position 0). */
const hl_step_result *timeline_result(const timeline *tl);
/* The live IDs of the heap timeline_heap() returns, sorted by block
 * offset; valid until the timeline moves or other labels are asked for. */
const vm_label *timeline_labels(timeline *tl, size_t *count);
/* The same for heap n, with the objects that wait on its remote list
 * (`remote`, named after the ID that was freed); valid as above. */
const vm_label *timeline_labels_of(timeline *tl, unsigned n, size_t *count);

/* The first step after `from` (before it when backward) with any of the
 * `flags`, or 0 when there is none. */
size_t timeline_find(const timeline *tl, size_t from, unsigned flags,
                     bool backward);
/* The same over several timelines in lockstep (--compare): the first step
 * after `from` where any of tls[0, count) has one of `flags`, or 0. */
size_t timeline_find_any(const timeline *const *tls, size_t count,
                         size_t from, unsigned flags);
/* The heap's size and live requested bytes (with a heap per thread, the
 * sums over the heaps) from position 0 up to the current one, as the
 * first pass noted them: usage[i] is position
 * i * *stride (1 for a script of up to TL_USAGE_SAMPLES operations; on a
 * longer one, enough to note about that many).  Sets *count. */
#define TL_USAGE_SAMPLES 1024
const vm_usage *timeline_usage(const timeline *tl, size_t *count,
                               size_t *stride);

/* What the checkpoints hold: their count, interval and bytes. */
void timeline_memory(const timeline *tl, size_t *count, size_t *interval,
                     size_t *bytes);

#endif /* HL_VIEW_TIMELINE_H */

/* quiz.h - questions about the next step of a script, and their grading.
 *
 * In quiz mode the viewer stops before each operation and asks the learner
 * to predict it.  This module does the thinking, without a terminal:
 *
 *   1. quiz_snapshot() writes down the heap just before the step: its
 *      knobs, its end, and the freelist in list order.
 *   2. The step runs (replay_step), which reports what the call returned
 *      and every event the library raised meanwhile.
 *   3. quiz_make() turns the snapshot, the operation and the step's result
 *      into questions, each with its right answer and the reason for it,
 *      written in the reference's words (freelist, block, split, merge,
 *      grower):
 *        a, c, m, r   "Will the heap grow?"  (y or n)
 *                     "At which offset will X's block start?"  (a number,
 *                      or "null" when the call will fail)
 *        f            "Which neighbours will the freed block merge with?"
 *                     (none, the block before, after, or both)
 *      and in a script with threads (`thread` lines), first:
 *        a, c, m, r   "Which heap will serve this?"  (the heap's number)
 *        f            "Will this free be remote?"  (y or n)
 *   4. quiz_grade() reads what the learner typed and says right or wrong,
 *      and why.
 *
 * Checks and expects ask nothing, and neither does `f` of an ID that holds
 * NULL.  Everything the questions say is derived from the snapshot and the
 * events, so the questions can never disagree with the allocator.
 */
#ifndef HL_QUIZ_H
#define HL_QUIZ_H

#include <stdbool.h>
#include <stddef.h>

#include "heaplab.h"
#include "replay.h"
#include "script.h"

/* The freelist blocks a snapshot keeps; a longer list is counted only. */
#define QUIZ_MAX_FREE 64
#define QUIZ_TEXT_MAX 400

typedef struct quiz_block {
    size_t offset, size;   /* the header's offset, the contents' size */
} quiz_block;

/* The heap just before a step. */
typedef struct quiz_before {
    hl_config config;
    size_t heap_size;      /* bytes the grower had handed out */
    size_t first_block;    /* the offset of the first block */
    size_t heap_end;       /* where the last block ends (0: no block yet) */
    quiz_block freelist[QUIZ_MAX_FREE]; /* in list order */
    size_t nfree;          /* kept in freelist[] */
    size_t free_count;     /* on the list, kept or not */
    unsigned threads;      /* the script's threads (1: no `thread` lines) */
    unsigned heap_count;   /* the replay's heaps */
    unsigned heap;         /* the heap the step's thread uses (from 1) */
} quiz_before;

void quiz_snapshot(quiz_before *before, hl_heap *heap);
/* The heap (from 1) that operation `at` of the script runs on, among the
 * replay's `heaps`: its thread's with a heap per thread, else the one. */
unsigned quiz_step_heap(const hl_script *script, size_t at, unsigned heaps);
/* quiz_snapshot of heap number `number` (quiz_step_heap), with what the
 * questions about threads need: the script's threads, the heaps. */
void quiz_snapshot_step(quiz_before *before, hl_heap *heap,
                        const hl_script *script, unsigned heaps,
                        unsigned number);

typedef enum quiz_kind {
    QUIZ_GROW,   /* answer: 1 when the heap grows, else 0 */
    QUIZ_OFFSET, /* answer: the block's header offset, or QUIZ_NULL */
    QUIZ_MERGE,  /* answer: a quiz_merge */
    QUIZ_HEAP,   /* answer: the number of the heap that serves the call */
    QUIZ_REMOTE  /* answer: 1 when the free is remote, else 0 */
} quiz_kind;

typedef enum quiz_merge {
    QUIZ_MERGE_NONE,
    QUIZ_MERGE_BEFORE,
    QUIZ_MERGE_AFTER,
    QUIZ_MERGE_BOTH
} quiz_merge;

/* The answer to an offset question when the allocation returns NULL. */
#define QUIZ_NULL ((size_t)-1)

typedef struct quiz_question {
    quiz_kind kind;
    size_t answer;
    char prompt[QUIZ_TEXT_MAX];  /* the question itself */
    char hint[QUIZ_TEXT_MAX];    /* how to answer it */
    char reason[QUIZ_TEXT_MAX];  /* why the answer is what it is */
} quiz_question;

#define QUIZ_MAX_QUESTIONS 3

/* The questions about the step that `res` reports, asked of a heap that
 * looked like `before`; `id_name` names the operation's ID.  Fills out[]
 * and returns how many (0 when the step asks nothing). */
size_t quiz_make(quiz_question out[QUIZ_MAX_QUESTIONS],
                 const quiz_before *before, const char *id_name,
                 const hl_step_result *res);

typedef enum quiz_grade {
    QUIZ_RIGHT,
    QUIZ_WRONG,
    QUIZ_UNREADABLE /* not an answer to this kind of question */
} quiz_grade;

/* Reads `answer` as typed (y/yes/n/no; a number, or null; none/before/
 * after/both or their first letters, or 0-3; a heap's number) and grades
 * it.  verdict gets
 * "right: REASON" or "wrong: you said X, it is Y. REASON" (or, when
 * unreadable, what would have been understood). */
quiz_grade quiz_grade_answer(const quiz_question *q, const char *answer,
                             char *verdict, size_t size);

/* The name of an answer, as verdicts spell it ("y", "136", "before"). */
const char *quiz_answer_text(const quiz_question *q, size_t answer,
                             char *buf, size_t size);

/* A running score. */
typedef struct quiz_score {
    size_t asked, right;
} quiz_score;

void quiz_score_add(quiz_score *score, quiz_grade grade);
/* "7/9 right" */
const char *quiz_score_text(const quiz_score *score, char *buf, size_t size);

#endif /* HL_QUIZ_H */

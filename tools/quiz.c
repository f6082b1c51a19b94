/* quiz.c - the questions about a step, and grading what the learner typed
 * (see quiz.h).  The reasons are written in quiz_reason.c and
 * quiz_reason_offset.c.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quiz.h"
#include "quiz_internal.h"

/* ---------------------------------------------------------------------------
 * The heap before the step
 * ------------------------------------------------------------------------- */

static bool note_free_block(const hl_block_info *block, void *arg)
{
    quiz_before *b = arg;

    if (b->nfree < QUIZ_MAX_FREE)
        b->freelist[b->nfree++] = (quiz_block){block->offset, block->size};
    b->free_count++;
    return true;
}

static bool note_end(const hl_block_info *block, void *arg)
{
    quiz_before *b = arg;

    if (b->heap_end == 0)
        b->first_block = block->offset;
    b->heap_end = block->offset + HL_HEADER_SIZE + block->size;
    return true;
}

void quiz_snapshot(quiz_before *before, hl_heap *heap)
{
    hl_stats stats;

    memset(before, 0, sizeof *before);
    before->config = *hl_heap_config(heap);
    hl_heap_stats(heap, &stats);
    before->heap_size = stats.heap_size;
    hl_heap_visit_blocks(heap, note_end, before);
    hl_heap_visit_freelist(heap, note_free_block, before);
}

unsigned quiz_step_heap(const hl_script *script, size_t at, unsigned heaps)
{
    unsigned thread = at < script->nops && script->ops[at].thread
                          ? script->ops[at].thread : 1;

    return heaps > 1 ? thread : 1;
}

void quiz_snapshot_step(quiz_before *before, hl_heap *heap,
                        const hl_script *script, unsigned heaps,
                        unsigned number)
{
    quiz_snapshot(before, heap);
    before->threads = script->nthreads;
    before->heap_count = heaps;
    before->heap = number;
}

/* ---------------------------------------------------------------------------
 * Questions
 * ------------------------------------------------------------------------- */

const hl_event *quiz_find_event(const hl_step_result *res,
                                hl_event_kind kind)
{
    size_t i;

    for (i = res->nevents; i-- > 0;)
        if (res->events[i].kind == kind)
            return &res->events[i];
    return NULL;
}

static bool is_allocation(script_op_kind kind)
{
    return kind == SCRIPT_ALLOC || kind == SCRIPT_REALLOC ||
           kind == SCRIPT_CALLOC || kind == SCRIPT_MEMALIGN;
}

/* "a x 40": the operation as the script spells it, without a comment. */
static void op_text(char *buf, size_t size, const script_op *op)
{
    const char *hash = strchr(op->source, '#');
    int len = hash ? (int)(hash - op->source) : (int)strlen(op->source);

    while (len > 0 && isspace((unsigned char)op->source[len - 1]))
        len--;
    snprintf(buf, size, "%.*s", len, op->source);
}

static void ask_grow(quiz_question *q, const quiz_before *before,
                     const char *op, const hl_step_result *res)
{
    q->kind = QUIZ_GROW;
    q->answer = quiz_find_event(res, HL_EVENT_GROW) != NULL;
    if (before->heap_count > 1)
        snprintf(q->prompt, sizeof q->prompt,
                 "%s: will heap %u grow? (its end is at %zu now)", op,
                 before->heap, before->heap_size);
    else
        snprintf(q->prompt, sizeof q->prompt,
                 "%s: will the heap grow? (its end is at %zu now)", op,
                 before->heap_size);
    snprintf(q->hint, sizeof q->hint, "y yes, n no");
    quiz_reason_grow(q->reason, sizeof q->reason, before, res);
}

static void ask_offset(quiz_question *q, const quiz_before *before,
                       const char *op, const char *id_name,
                       const hl_step_result *res)
{
    q->kind = QUIZ_OFFSET;
    q->answer = res->failed ? QUIZ_NULL : res->offset;
    snprintf(q->prompt, sizeof q->prompt,
             "%s: at which offset will %s's block (its header) start?", op,
             id_name);
    snprintf(q->hint, sizeof q->hint,
             "type the offset and Enter (null: the call fails)");
    quiz_reason_offset(q->reason, sizeof q->reason, before, res);
}

static void ask_merge(quiz_question *q, const quiz_before *before,
                      const char *op, const hl_step_result *res)
{
    const hl_event *freed = quiz_find_event(res, HL_EVENT_FREE);
    bool before_merged = false, after_merged = false;
    size_t i;

    for (i = 0; i < res->nevents; i++) {
        const hl_event *ev = &res->events[i];
        if (ev->kind != HL_EVENT_MERGE)
            continue;
        if (ev->offset == freed->offset)
            after_merged = true;
        else if (ev->offset < freed->offset)
            before_merged = true;
    }
    q->kind = QUIZ_MERGE;
    q->answer = before_merged ? (after_merged ? QUIZ_MERGE_BOTH
                                              : QUIZ_MERGE_BEFORE)
                              : (after_merged ? QUIZ_MERGE_AFTER
                                              : QUIZ_MERGE_NONE);
    snprintf(q->prompt, sizeof q->prompt,
             "%s: block %zu (%zu bytes) is freed. Which neighbours will it "
             "merge with?", op, freed->offset, freed->size);
    snprintf(q->hint, sizeof q->hint,
             "n none, b the block before, a the block after, 2 both");
    quiz_reason_merge(q->reason, sizeof q->reason, before, res);
}

static void ask_heap(quiz_question *q, const quiz_before *before,
                     const char *op, const hl_step_result *res)
{
    q->kind = QUIZ_HEAP;
    q->answer = res->heap;
    snprintf(q->prompt, sizeof q->prompt,
             "%s: thread %u calls. Which heap will serve it?", op,
             res->thread);
    snprintf(q->hint, sizeof q->hint, "the heap's number, 1 to %u",
             before->heap_count);
    quiz_reason_heap(q->reason, sizeof q->reason, before, res);
}

static void ask_remote(quiz_question *q, const quiz_before *before,
                       const char *op, const char *id_name,
                       const hl_step_result *res)
{
    q->kind = QUIZ_REMOTE;
    q->answer = res->remote_heap != 0;
    snprintf(q->prompt, sizeof q->prompt,
             "%s: thread %u frees %s. Will this free be remote?", op,
             res->thread, id_name);
    snprintf(q->hint, sizeof q->hint, "y yes, n no");
    quiz_reason_remote(q->reason, sizeof q->reason, before, id_name, res);
}

/* Threads come first: which heap, or whether the free is remote; then
 * what the heap does. */
size_t quiz_make(quiz_question out[QUIZ_MAX_QUESTIONS],
                 const quiz_before *before, const char *id_name,
                 const hl_step_result *res)
{
    char op[QUIZ_TEXT_MAX / 4];
    bool threads = before->threads > 1;
    size_t n = 0;

    if (!res->op || !res->passed)
        return 0;
    op_text(op, sizeof op, res->op);
    memset(out, 0, QUIZ_MAX_QUESTIONS * sizeof *out);
    if (is_allocation(res->op->kind)) {
        /* A heap's number is one key: asked with up to 9 heaps. */
        if (threads && before->heap_count <= 9)
            ask_heap(&out[n++], before, op, res);
        /* On a call that fails, where the object goes (nowhere: null)
         * comes first, since why the heap does not grow says the call
         * failed. */
        if (res->failed)
            ask_offset(&out[n++], before, op, id_name, res);
        ask_grow(&out[n++], before, op, res);
        if (!res->failed)
            ask_offset(&out[n++], before, op, id_name, res);
        return n;
    }
    if (res->op->kind == SCRIPT_FREE && res->op->id != SCRIPT_NO_ID &&
        threads)
        ask_remote(&out[n++], before, op, id_name, res);
    if (res->op->kind == SCRIPT_FREE && !res->remote_heap &&
        quiz_find_event(res, HL_EVENT_FREE))
        ask_merge(&out[n++], before, op, res);
    return n;
}

/* ---------------------------------------------------------------------------
 * Answers
 * ------------------------------------------------------------------------- */

static const char *const merge_names[] = {"none", "before", "after", "both"};

const char *quiz_answer_text(const quiz_question *q, size_t answer,
                             char *buf, size_t size)
{
    switch (q->kind) {
    case QUIZ_GROW:
    case QUIZ_REMOTE:
        snprintf(buf, size, "%s", answer ? "y" : "n");
        break;
    case QUIZ_HEAP:
        snprintf(buf, size, "%zu", answer);
        break;
    case QUIZ_OFFSET:
        if (answer == QUIZ_NULL)
            snprintf(buf, size, "null");
        else
            snprintf(buf, size, "%zu", answer);
        break;
    case QUIZ_MERGE:
        snprintf(buf, size, "%s",
                 answer <= QUIZ_MERGE_BOTH ? merge_names[answer] : "?");
        break;
    }
    return buf;
}

static bool word_is(const char *word, const char *const *choices)
{
    for (; *choices; choices++)
        if (!strcmp(word, *choices))
            return true;
    return false;
}

/* The typed answer as a number of the question's kind, or false. */
static bool read_answer(const quiz_question *q, const char *word,
                        size_t *value)
{
    static const char *const yes[] = {"y", "yes", NULL};
    static const char *const no[] = {"n", "no", NULL};
    static const char *const null[] = {"null", "-", NULL};
    static const char *const merges[4][4] = {
        {"n", "none", "0", NULL}, {"b", "before", "1", NULL},
        {"a", "after", NULL}, {"2", "both", "3", NULL}};
    size_t i;
    char *end;

    switch (q->kind) {
    case QUIZ_GROW:
    case QUIZ_REMOTE:
        *value = word_is(word, yes) ? 1 : 0;
        return word_is(word, yes) || word_is(word, no);
    case QUIZ_HEAP:
        if (!isdigit((unsigned char)word[0]))
            return false;
        *value = strtoull(word, &end, 10);
        return *end == '\0' && *value >= 1;
    case QUIZ_OFFSET:
        if (word_is(word, null)) {
            *value = QUIZ_NULL;
            return true;
        }
        if (!isdigit((unsigned char)word[0]))
            return false;
        *value = strtoull(word, &end, 10);
        return *end == '\0';
    case QUIZ_MERGE:
        for (i = 0; i < 4; i++)
            if (word_is(word, merges[i])) {
                *value = i;
                return true;
            }
        return false;
    }
    return false;
}

quiz_grade quiz_grade_answer(const quiz_question *q, const char *answer,
                             char *verdict, size_t size)
{
    char word[32], said[32], is[32];
    size_t n = 0, value;

    while (isspace((unsigned char)*answer))
        answer++;
    while (*answer && !isspace((unsigned char)*answer) && n + 1 < sizeof word)
        word[n++] = (char)tolower((unsigned char)*answer++);
    word[n] = '\0';
    if (!read_answer(q, word, &value)) {
        snprintf(verdict, size, "'%s' is not an answer here: %s", word,
                 q->hint);
        return QUIZ_UNREADABLE;
    }
    if (value == q->answer) {
        snprintf(verdict, size, "right: %s", q->reason);
        return QUIZ_RIGHT;
    }
    snprintf(verdict, size, "wrong: you said %s, it is %s. %s",
             quiz_answer_text(q, value, said, sizeof said),
             quiz_answer_text(q, q->answer, is, sizeof is), q->reason);
    return QUIZ_WRONG;
}

void quiz_score_add(quiz_score *score, quiz_grade grade)
{
    if (grade == QUIZ_UNREADABLE)
        return;
    score->asked++;
    if (grade == QUIZ_RIGHT)
        score->right++;
}

const char *quiz_score_text(const quiz_score *score, char *buf, size_t size)
{
    snprintf(buf, size, "%zu/%zu right", score->right, score->asked);
    return buf;
}

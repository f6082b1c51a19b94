/* quiz_controller.c - quiz mode's state machine (see quiz_controller.h):
 * snapshot, step, ask, step back, then the verdicts and the step shown.
 * Plain C over the timeline, so tests drive it as the viewer's keys do.
 */
#include <stdio.h>
#include <string.h>

#include "quiz_controller.h"

/* ---------------------------------------------------------------------------
 * The panel and the status line
 * ------------------------------------------------------------------------- */

static void show_question(quiz_controller *q)
{
    const quiz_question *question = &q->questions[q->current];
    char head[VM_LINE_MAX];

    snprintf(head, sizeof head, "QUIZ (%zu/%zu for step %zu):",
             q->current + 1, q->count, q->target);
    vm_panel_add_text(&q->panel, head, 0);
    vm_panel_add_text(&q->panel, question->prompt, 0);
    vm_panel_add_text(&q->panel, question->hint, 0);
}

/* The score, and where the answer key is: every question of the script
 * with its answer and reason (heaplab run --answers), and, in a lesson,
 * the folder's answers.md. */
static void say_score(quiz_controller *q, bool has_next)
{
    char score[32], text[2 * VM_LINE_MAX];
    const char *name = q->script_name;

    snprintf(q->message, sizeof q->message, "quiz over: %s%s",
             quiz_score_text(&q->score, score, sizeof score),
             has_next ? "; n or Right: the next script" : "");
    if (!name)
        return;
    snprintf(text, sizeof text, "Quiz over, %s. The answer key, every "
             "question with its answer and why: heaplab run --answers %s%s",
             score, name, strstr(name, "lessons/") ? " (and the lesson's "
             "answers.md, beside the script)" : "");
    vm_panel_add_text(&q->panel, text, 0);
}

const char *quiz_answer_line(const quiz_controller *q, char *buf,
                             size_t size)
{
    const quiz_question *question = &q->questions[q->current];

    if (question->kind == QUIZ_OFFSET)
        snprintf(buf, size, "your answer: %s_ (offset, then Enter)",
                 q->typed);
    else
        snprintf(buf, size, "your answer? %s", question->hint);
    return buf;
}

/* ---------------------------------------------------------------------------
 * Asking
 * ------------------------------------------------------------------------- */

static const char *id_name(const hl_script *script, const hl_step_result *res)
{
    if (res->op->id == SCRIPT_NO_ID)
        return "-";
    return script->id_names[res->op->id];
}

static quiz_move go(timeline *tl, size_t position)
{
    return timeline_go(tl, position) == 0 ? QUIZ_MOVED : QUIZ_FAILED;
}

/* The heap that operation `at` will run on, as it is now. */
static void snapshot(quiz_before *before, timeline *tl,
                     const hl_script *script, size_t at)
{
    unsigned heaps = timeline_heap_count(tl);
    unsigned number = quiz_step_heap(script, at, heaps);

    quiz_snapshot_step(before, timeline_heap_at(tl, number), script, heaps,
                       number);
}

quiz_move quiz_next(quiz_controller *q, timeline *tl, const hl_script *script,
                    bool has_next)
{
    q->script_name = script->name;
    size_t at = timeline_position(tl), target = at + 1;
    const hl_step_result *res;
    quiz_before before;

    q->panel.count = 0;
    q->message[0] = '\0';
    if (target > timeline_length(tl)) {
        /* The score first; Right once more goes on to the next script. */
        if (has_next && q->over_shown)
            return QUIZ_LEAVE;
        q->over_shown = true;
        say_score(q, has_next);
        return QUIZ_OVER;
    }
    if (target <= q->asked_up_to)
        return go(tl, target);
    /* Steps 1 and 2: the heap before (the one the step's thread uses),
     * then the step. */
    snapshot(&before, tl, script, at);
    if (go(tl, target) != QUIZ_MOVED)
        return QUIZ_FAILED;
    q->asked_up_to = target;
    res = timeline_result(tl);
    if (!res)
        return QUIZ_MOVED;
    /* Step 3: the questions, asked from the heap before the step. */
    q->count = quiz_make(q->questions, &before, id_name(script, res), res);
    if (q->count == 0)
        return QUIZ_MOVED;
    if (go(tl, at) != QUIZ_MOVED)
        return QUIZ_FAILED;
    q->asking = true;
    q->current = 0;
    q->target = target;
    q->typed[0] = '\0';
    show_question(q);
    return QUIZ_ASKING;
}

/* Step 4: grades `typed`; after the last question, shows the step. */
static quiz_move answer(quiz_controller *q, timeline *tl, const char *typed,
                        bool has_next)
{
    char verdict[QUIZ_TEXT_MAX + 64];
    quiz_grade grade = quiz_grade_answer(&q->questions[q->current], typed,
                                         verdict, sizeof verdict);

    q->typed[0] = '\0';
    if (grade == QUIZ_UNREADABLE) {
        snprintf(q->message, sizeof q->message, "%.*s",
                 (int)sizeof q->message - 1, verdict);
        return QUIZ_ASKING;
    }
    quiz_score_add(&q->score, grade);
    q->panel.count = 0;
    vm_panel_add_text(&q->panel, verdict, 0);
    if (++q->current < q->count) {
        show_question(q);
        return QUIZ_ASKING;
    }
    q->asking = false;
    if (go(tl, q->target) != QUIZ_MOVED)
        return QUIZ_FAILED;
    if (q->target == timeline_length(tl))
        say_score(q, has_next);
    return QUIZ_MOVED;
}

quiz_move quiz_type(quiz_controller *q, timeline *tl, char key,
                    bool has_next)
{
    size_t len = strlen(q->typed);

    q->message[0] = '\0';
    if (!q->asking)
        return QUIZ_MOVED;
    if (q->questions[q->current].kind != QUIZ_OFFSET) {
        char one[2] = {key, '\0'};
        return answer(q, tl, one, has_next);
    }
    if (key > ' ' && key < 127 && len + 1 < sizeof q->typed) {
        q->typed[len] = key;
        q->typed[len + 1] = '\0';
    }
    return QUIZ_ASKING;
}

quiz_move quiz_enter(quiz_controller *q, timeline *tl, bool has_next)
{
    q->message[0] = '\0';
    if (!q->asking)
        return QUIZ_MOVED;
    if (q->questions[q->current].kind != QUIZ_OFFSET) {
        snprintf(q->message, sizeof q->message, "one key answers: %s",
                 q->questions[q->current].hint);
        return QUIZ_ASKING;
    }
    if (!q->typed[0])
        return QUIZ_ASKING;
    return answer(q, tl, q->typed, has_next);
}

void quiz_erase(quiz_controller *q)
{
    size_t len = strlen(q->typed);

    if (len)
        q->typed[len - 1] = '\0';
}

void quiz_skip(quiz_controller *q)
{
    /* Not asked again (their answers would count twice); Right shows it. */
    q->asking = false;
    q->asked_up_to = q->target;
    q->panel.count = 0;
    snprintf(q->message, sizeof q->message, "skipped: Right shows step %zu",
             q->target);
}

void quiz_moved(quiz_controller *q, const timeline *tl)
{
    q->panel.count = 0;
    if (timeline_position(tl) > q->asked_up_to)
        q->asked_up_to = timeline_position(tl);
}

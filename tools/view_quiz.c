/* view_quiz.c - quiz mode in the viewer: before a step is shown, ask.
 *
 * Going forward onto a step that has not been asked about yet:
 *   1. write down the heap as it is (quiz_snapshot),
 *   2. take the step, so the replay reports what it does,
 *   3. make its questions (quiz_make), and go back one step, so the
 *      learner predicts from the heap before it;
 *   4. read the answers (one key for y/n and merge questions, a number and
 *      Enter for offsets), grade each, and only then show the step, with
 *      the verdicts beside it.
 * Steps reached any other way (jumps, play) are not asked about, and
 * neither is a step whose questions Esc skipped; the score counts each
 * question answered once.
 */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "view.h"

/* ---------------------------------------------------------------------------
 * The panel: the question, then the verdicts, cut to the panel's width
 * ------------------------------------------------------------------------- */

static void panel_text(vm_panel *p, const char *text)
{
    size_t len = strlen(text), width = VM_PANEL_WIDTH;

    while (len > 0 && p->count < VM_PANEL_LINES) {
        size_t n = len;
        if (n > width) {
            n = width;
            while (n > width / 2 && text[n] != ' ')
                n--;
            if (text[n] != ' ')
                n = width;
        }
        snprintf(p->line[p->count++], VM_LINE_MAX, "%.*s", (int)n, text);
        while (n < len && text[n] == ' ')
            n++;
        text += n;
        len -= n;
    }
}

static void show_question(view *v)
{
    const quiz_question *q = &v->quiz.questions[v->quiz.current];
    char head[VM_LINE_MAX];

    snprintf(head, sizeof head, "QUIZ (%zu/%zu for step %zu):",
             v->quiz.current + 1, v->quiz.count, v->quiz.target);
    panel_text(&v->quiz.panel, head);
    panel_text(&v->quiz.panel, q->prompt);
    panel_text(&v->quiz.panel, q->hint);
}

/* ---------------------------------------------------------------------------
 * Asking
 * ------------------------------------------------------------------------- */

static const char *id_name(const view *v, const hl_step_result *res)
{
    if (res->op->id == SCRIPT_NO_ID)
        return "-";
    return v->script->id_names[res->op->id];
}

void view_quiz_next(view *v)
{
    size_t at = timeline_position(v->tl), target = at + 1;
    const hl_step_result *res;
    quiz_before before;
    char score[32];

    v->quiz.panel.count = 0;
    if (target > timeline_length(v->tl)) {
        /* The score first; Right once more goes on to the next script. */
        if (v->has_next && v->quiz.over_shown)
            v->go_next = v->quit = true;
        v->quiz.over_shown = true;
        snprintf(v->message, sizeof v->message, "quiz over: %s%s",
                 quiz_score_text(&v->quiz.score, score, sizeof score),
                 v->has_next ? "; n or Right: the next script" : "");
        return;
    }
    if (target <= v->quiz.asked_up_to) {
        view_go(v, target);
        return;
    }
    quiz_snapshot(&before, timeline_heap(v->tl));
    view_go(v, target);
    v->quiz.asked_up_to = target;
    res = timeline_result(v->tl);
    if (!res || timeline_position(v->tl) != target)
        return;
    v->quiz.count = quiz_make(v->quiz.questions, &before, id_name(v, res),
                              res);
    if (v->quiz.count == 0)
        return;
    view_go(v, at);
    v->quiz.asking = true;
    v->quiz.current = 0;
    v->quiz.target = target;
    v->quiz.typed[0] = '\0';
    show_question(v);
}

/* Grades `answer`; after the last question, shows the step. */
static void answer(view *v, const char *typed)
{
    char verdict[QUIZ_TEXT_MAX + 64], score[32];
    quiz_grade grade =
        quiz_grade_answer(&v->quiz.questions[v->quiz.current], typed,
                          verdict, sizeof verdict);

    v->quiz.typed[0] = '\0';
    if (grade == QUIZ_UNREADABLE) {
        snprintf(v->message, sizeof v->message, "%.*s",
                 (int)sizeof v->message - 1, verdict);
        return;
    }
    quiz_score_add(&v->quiz.score, grade);
    v->quiz.panel.count = 0;
    panel_text(&v->quiz.panel, verdict);
    if (++v->quiz.current < v->quiz.count) {
        show_question(v);
        return;
    }
    v->quiz.asking = false;
    view_go(v, v->quiz.target);
    if (v->quiz.target == timeline_length(v->tl))
        snprintf(v->message, sizeof v->message,
                 "quiz over: %s%s",
                 quiz_score_text(&v->quiz.score, score, sizeof score),
                 v->has_next ? "; n or Right: the next script" : "");
}

void view_quiz_key(view *v, int key)
{
    size_t len = strlen(v->quiz.typed);
    quiz_kind kind = v->quiz.questions[v->quiz.current].kind;

    if (key == 'q' || key == 'Q') {
        v->quit = true;
    } else if (key == 27) {
        /* Escape: skip the step's questions that are left.  They are not
         * asked again (their answers would count twice); Right shows it. */
        v->quiz.asking = false;
        v->quiz.asked_up_to = v->quiz.target;
        v->quiz.panel.count = 0;
        snprintf(v->message, sizeof v->message, "skipped: Right shows "
                 "step %zu", v->quiz.target);
    } else if (kind != QUIZ_OFFSET && key > 0 && key < 128) {
        char one[2] = {(char)key, '\0'};
        answer(v, one);
    } else if ((key == KEY_BACKSPACE || key == 127 || key == '\b') && len) {
        v->quiz.typed[len - 1] = '\0';
    } else if (key == '\n' || key == '\r' || key == KEY_ENTER) {
        if (len)
            answer(v, v->quiz.typed);
    } else if (key > ' ' && key < 127 && len + 1 < sizeof v->quiz.typed) {
        v->quiz.typed[len] = (char)key;
        v->quiz.typed[len + 1] = '\0';
    }
}

void view_quiz_moved(view *v)
{
    v->quiz.panel.count = 0;
    if (timeline_position(v->tl) > v->quiz.asked_up_to)
        v->quiz.asked_up_to = timeline_position(v->tl);
}

const char *view_quiz_status(const view *v, char *buf, size_t size)
{
    const quiz_question *q = &v->quiz.questions[v->quiz.current];

    if (q->kind == QUIZ_OFFSET)
        snprintf(buf, size, "your answer: %s_   (offset, then Enter; "
                 "Esc skips; q quits)", v->quiz.typed);
    else
        snprintf(buf, size, "your answer? %s   (Esc skips; q quits)",
                 q->hint);
    return buf;
}

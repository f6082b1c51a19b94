/* quiz_controller.h - quiz mode's state machine, without a terminal.
 *
 * The questions themselves come from quiz.h; this is what the viewer does
 * with them as the learner steps.  Going forward onto a step that has not
 * been asked about yet:
 *   1. write down the heap as it is (quiz_snapshot),
 *   2. take the step on the timeline, so the replay reports what it does,
 *   3. make its questions (quiz_make), and step back, so that the learner
 *      predicts from the heap before it;
 *   4. read the answers (one key for y/n and merge questions, a number and
 *      Enter for offsets), grade each, and only then show the step, with
 *      the verdicts in the panel.
 * Steps reached any other way (jumps, play) are not asked about, and
 * neither is a step whose questions Esc skipped; the score counts each
 * question answered once.  The viewer's key table calls these functions;
 * view_quiz.c only draws what they leave in `panel` and `message`.
 */
#ifndef HL_QUIZ_CONTROLLER_H
#define HL_QUIZ_CONTROLLER_H

#include <stdbool.h>
#include <stddef.h>

#include "quiz.h"
#include "view_model.h"
#include "view_timeline.h"

typedef struct quiz_controller {
    bool on;
    bool asking;            /* a question is up, the step not shown yet */
    quiz_question questions[QUIZ_MAX_QUESTIONS];
    size_t count, current;  /* the pending step's questions; the one up */
    size_t target;          /* the step they are about */
    size_t asked_up_to;     /* steps up to here have had their questions */
    char typed[24];         /* an offset being typed */
    quiz_score score;
    const char *script_name; /* for the answer key's command, at the end */
    bool over_shown;        /* the final score has been shown */
    vm_panel panel;         /* the question, then the verdicts */
    char message[VM_LINE_MAX]; /* for the status line, or "" */
} quiz_controller;

/* What the learner's move led to. */
typedef enum quiz_move {
    QUIZ_MOVED,     /* the timeline moved (or nothing was to be done) */
    QUIZ_ASKING,    /* a question is up */
    QUIZ_OVER,      /* past the last step: the score is in `message` */
    QUIZ_LEAVE,     /* Right again after the score: on to the next script */
    QUIZ_FAILED     /* the replay failed on the way */
} quiz_move;

/* Right: the next step, asked about first when it has not been.
 * `has_next`: a lesson script follows this one. */
quiz_move quiz_next(quiz_controller *q, timeline *tl, const hl_script *script,
                    bool has_next);
/* A key while a question is up: a printable character answers a y/n or
 * merge question at once, or is typed into an offset. */
quiz_move quiz_type(quiz_controller *q, timeline *tl, char key,
                    bool has_next);
/* Enter: answers an offset question with what was typed. */
quiz_move quiz_enter(quiz_controller *q, timeline *tl, bool has_next);
/* Backspace: erases the last character typed. */
void quiz_erase(quiz_controller *q);
/* Escape: skips the step's questions that are left. */
void quiz_skip(quiz_controller *q);
/* After any other move (a jump, play): steps passed are not asked. */
void quiz_moved(quiz_controller *q, const timeline *tl);
/* The status line while a question is up ("your answer: 13_"). */
const char *quiz_answer_line(const quiz_controller *q, char *buf,
                             size_t size);

#endif /* HL_QUIZ_CONTROLLER_H */

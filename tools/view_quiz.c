/* view_quiz.c - quiz mode in the viewer: the glue between the key table
 * and the quiz controller.
 *
 * The state machine (snapshot, step, ask, step back, verdict) is
 * quiz_controller.c's, tested without a terminal.  Here each quiz key's
 * action calls it, and passes on what it says: its message to the status
 * line, a failed replay as the viewer reports one, the end of the quiz as
 * the move to the next script.  The panel it fills is drawn by view_draw.c.
 */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "view.h"

/* What the controller's move means for the rest of the viewer. */
static void after(view *v, quiz_move move)
{
    if (v->quiz.message[0])
        snprintf(v->message, sizeof v->message, "%s", v->quiz.message);
    if (move == QUIZ_LEAVE) {
        v->go_next = v->quit = true;
    } else if (move == QUIZ_FAILED) {
        v->playing = false;
        snprintf(v->message, sizeof v->message,
                 "the replay failed on the way to step %zu",
                 timeline_position(v->tl) + 1);
    }
}

void view_quiz_next(view *v)
{
    after(v, quiz_next(&v->quiz, v->tl, v->script, v->has_next));
}

void view_quiz_type(view *v, int key)
{
    if (key > 0 && key < 127)
        after(v, quiz_type(&v->quiz, v->tl, (char)key, v->has_next));
}

void view_quiz_enter(view *v)
{
    after(v, quiz_enter(&v->quiz, v->tl, v->has_next));
}

void view_quiz_erase(view *v)
{
    quiz_erase(&v->quiz);
}

void view_quiz_skip(view *v)
{
    quiz_skip(&v->quiz);
    after(v, QUIZ_MOVED);
}

void view_quiz_moved(view *v)
{
    quiz_moved(&v->quiz, v->tl);
}

/* The answer so far, then the quiz keys' hints. */
const char *view_quiz_status(const view *v, char *buf, size_t size)
{
    char hints[VM_LINE_MAX * 2];
    size_t len;

    quiz_answer_line(&v->quiz, buf, size);
    len = strlen(buf);
    if (len + 3 < size && COLS > (int)len + 3)
        snprintf(buf + len, size - len, "   %s",
                 view_hints(v, hints, sizeof hints, (size_t)COLS - len - 4));
    return buf;
}

/* view_keys.c - every key of `heaplab view`, in one table.
 *
 * The table is the single place a key gets its meaning: the main loop
 * looks keys up here, and the help screen (`?`) is printed from it, so the
 * two cannot disagree.  Two modes come before the table: while the help
 * screen is up any key closes it, and after `g` keys spell the step number.
 * Actions change the view's state only; drawing happens after.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "view.h"

const view_speed view_speeds[] = {
    {1000, 1}, {500, 1}, {250, 1}, {100, 1}, {50, 1},
    {20, 1},   {10, 1},  {10, 10}, {10, 100}, {10, 1000},
};
const size_t view_speed_count = sizeof view_speeds / sizeof view_speeds[0];

/* ---------------------------------------------------------------------------
 * Actions
 * ------------------------------------------------------------------------- */

/* In a lesson, Right at the last step moves on to the next script. */
static void next_step(view *v)
{
    if (v->quiz.on) {
        view_quiz_next(v);
    } else if (timeline_position(v->tl) == timeline_length(v->tl) &&
               v->has_next) {
        v->go_next = v->quit = true;
    } else {
        view_go(v, timeline_position(v->tl) + 1);
    }
}

static void next_script(view *v)
{
    if (v->has_next)
        v->go_next = v->quit = true;
    else
        snprintf(v->message, sizeof v->message, "%s",
                 v->text ? "this is the lesson's last script"
                         : "no next script: n moves on in `heaplab lesson`");
}

static void previous_script(view *v)
{
    if (v->has_previous)
        v->go_previous = v->quit = true;
    else
        snprintf(v->message, sizeof v->message, "%s",
                 v->text ? "this is the lesson's first script"
                         : "no previous script: N goes back in `heaplab "
                           "lesson`");
}

static void lesson_text(view *v)
{
    if (v->text && v->text->block_count) {
        v->text->open = true;
        v->playing = false;
    } else {
        snprintf(v->message, sizeof v->message,
                 "no lesson text here: t works in `heaplab lesson N`");
    }
}

static void previous_step(view *v)
{
    size_t at = timeline_position(v->tl);
    view_go(v, at > 0 ? at - 1 : 0);
}

static void first_step(view *v) { view_go(v, 0); }
static void last_step(view *v) { view_go(v, timeline_length(v->tl)); }

static void start_prompt(view *v)
{
    v->playing = false;
    v->prompting = true;
    v->prompt[0] = '\0';
}

/* Goes to the next step with one of `flags`, or says there is none. */
static void find(view *v, unsigned flags, const char *what)
{
    size_t at = timeline_find(v->tl, timeline_position(v->tl), flags, false);

    if (at == 0) {
        snprintf(v->message, sizeof v->message, "no %s after step %zu", what,
                 timeline_position(v->tl));
        return;
    }
    view_go(v, at);
}

static void next_merge(view *v) { find(v, TL_MERGE, "merge"); }
static void next_grow(view *v) { find(v, TL_GROW, "grow"); }
static void next_null(view *v) { find(v, TL_NULL, "failed allocation"); }
static void next_check_failure(view *v)
{
    find(v, TL_CHECK_FAILED | TL_ERROR, "failed check");
}

static void play(view *v)
{
    v->playing = !v->playing;
    if (v->playing && timeline_position(v->tl) == timeline_length(v->tl))
        view_go(v, 0);
}

static void faster(view *v)
{
    if (v->speed + 1 < view_speed_count)
        v->speed++;
}

static void slower(view *v)
{
    if (v->speed > 0)
        v->speed--;
}

/* A zoom at its bound changes nothing, and says why. */
static void zoom_in(view *v)
{
    if (vm_zoom(&v->geo, true, v->model.heap_size))
        v->fit = false;
    else
        snprintf(v->message, sizeof v->message,
                 "z: %zu B/cell is the finest zoom (a cell is one header "
                 "word)", v->geo.bytes_per_cell);
}

static void zoom_out(view *v)
{
    if (vm_zoom(&v->geo, false, v->model.heap_size))
        v->fit = false;
    else
        snprintf(v->message, sizeof v->message,
                 "Z: at %zu B/cell one row already holds the whole heap",
                 v->geo.bytes_per_cell);
}

static void zoom_fit(view *v) { v->fit = true; }

static void scroll_by(view *v, long rows)
{
    if (rows < 0 && (size_t)-rows > v->geo.first_row)
        v->geo.first_row = 0;
    else
        v->geo.first_row += rows;
    vm_clamp_scroll(&v->geo, v->model.heap_size);
}

static void row_up(view *v) { scroll_by(v, -1); }
static void row_down(view *v) { scroll_by(v, 1); }
static void page_up(view *v) { scroll_by(v, -(long)v->geo.rows); }
static void page_down(view *v) { scroll_by(v, (long)v->geo.rows); }

static void help(view *v) { v->help = true; }
static void quit(view *v) { v->quit = true; }
static void resize(view *v) { (void)v; /* the next draw measures again */ }

/* ---------------------------------------------------------------------------
 * The table
 * ------------------------------------------------------------------------- */

typedef void (*view_action)(view *v);

static const struct binding {
    int keys[4];        /* curses key codes; unused slots are 0 */
    const char *names;  /* the keys as the help screen spells them */
    const char *what;   /* NULL: not shown in help */
    view_action action;
} bindings[] = {
    {{KEY_RIGHT, 'l', ' '}, "Right l Space", "next step", next_step},
    {{KEY_LEFT, 'h', KEY_BACKSPACE}, "Left h", "previous step",
     previous_step},
    {{KEY_HOME, '<'}, "Home <", "the start (step 0)", first_step},
    {{KEY_END, '>'}, "End >", "the last step", last_step},
    {{'g'}, "g N Enter", "go to step N", start_prompt},
    {{'p'}, "p", "play / pause", play},
    {{'+'}, "+", "play faster", faster},
    {{'-'}, "-", "play slower", slower},
    {{'m'}, "m", "next merge", next_merge},
    {{'G'}, "G", "next grow of the heap", next_grow},
    {{'f'}, "f", "next NULL allocation", next_null},
    {{'e'}, "e", "next failed check/expect", next_check_failure},
    {{'z'}, "z", "zoom in: fewer B a cell", zoom_in},
    {{'Z'}, "Z", "zoom out: more B a cell", zoom_out},
    {{'0'}, "0", "fit the heap to the map", zoom_fit},
    {{KEY_UP, 'k'}, "Up k", "scroll up a row", row_up},
    {{KEY_DOWN, 'j'}, "Down j", "scroll down a row", row_down},
    {{KEY_PPAGE}, "PgUp", "scroll up a page", page_up},
    {{KEY_NPAGE}, "PgDn", "scroll down a page", page_down},
    {{'t'}, "t", "the lesson's text", lesson_text},
    {{'n'}, "n", "the lesson's next script", next_script},
    {{'N'}, "N", "the previous script", previous_script},
    {{'?'}, "?", "this help", help},
    {{'q', 'Q'}, "q", "quit", quit},
    {{KEY_RESIZE}, "", NULL, resize},
};

#define NBINDINGS (sizeof bindings / sizeof bindings[0])

static view_action action_of(int key)
{
    size_t i, k;

    for (i = 0; i < NBINDINGS; i++)
        for (k = 0; k < 4 && bindings[i].keys[k]; k++)
            if (bindings[i].keys[k] == key)
                return bindings[i].action;
    return NULL;
}

const char *view_help_line(size_t i, char *buf, size_t size)
{
    size_t n;

    for (n = 0; n < NBINDINGS; n++)
        if (bindings[n].what && i-- == 0) {
            snprintf(buf, size, "%-13s %s", bindings[n].names,
                     bindings[n].what);
            return buf;
        }
    return NULL;
}

/* ---------------------------------------------------------------------------
 * Modes, then the table
 * ------------------------------------------------------------------------- */

/* After `g`: digits, Backspace, Enter to go, Escape to give up. */
static void prompt_key(view *v, int key)
{
    size_t len = strlen(v->prompt);

    if (key >= '0' && key <= '9' && len + 1 < sizeof v->prompt) {
        v->prompt[len] = (char)key;
        v->prompt[len + 1] = '\0';
    } else if ((key == KEY_BACKSPACE || key == 127 || key == '\b') && len) {
        v->prompt[len - 1] = '\0';
    } else if (key == '\n' || key == '\r' || key == KEY_ENTER) {
        v->prompting = false;
        if (len)
            view_go(v, strtoull(v->prompt, NULL, 10));
    } else if (key == 27 || key == 'q') {
        v->prompting = false;
    }
}

/* The play timer: the next step(s), stopping at the end and at a step
 * whose check failed. */
static void tick(view *v)
{
    size_t at = timeline_position(v->tl), to;
    size_t stop = timeline_find(v->tl, at, TL_CHECK_FAILED | TL_ERROR, false);

    if (!v->playing)
        return;
    to = at + view_speeds[v->speed].steps;
    if (stop && stop < to)
        to = stop;
    if (to >= timeline_length(v->tl) || to == stop)
        v->playing = false;
    view_go(v, to);
    if (v->quiz.on)
        view_quiz_moved(v);
}

void view_key(view *v, int key)
{
    view_action action;

    if (key == ERR) {
        tick(v);
        return;
    }
    if (key != KEY_RESIZE)
        v->message[0] = '\0';
    if (v->help && key != KEY_RESIZE) {
        v->help = false;
        return;
    }
    if (v->text && v->text->open && key != KEY_RESIZE) {
        view_text_key(v, key);
        return;
    }
    if (v->quiz.asking && key != KEY_RESIZE) {
        view_quiz_key(v, key);
        return;
    }
    if (v->prompting && key != KEY_RESIZE) {
        prompt_key(v, key);
        return;
    }
    action = action_of(key);
    if (action)
        action(v);
    if (action && v->quiz.on && action != next_step && action != resize &&
        action != help && action != lesson_text)
        view_quiz_moved(v);
    if (!action)
        snprintf(v->message, sizeof v->message,
                 "unknown key; ? shows the keys");
}

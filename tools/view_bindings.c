/* view_bindings.c - every key of `heaplab view`, in one table.
 *
 * The table is the single place a key gets its meaning.  Each row belongs
 * to a mode (the map, the block cursor, the "go to step" prompt, a quiz
 * question, the lesson's text, the help screen) and names the action its
 * keys take.  Besides single keys a row may stand for a class of keys (any
 * digit, any printable key, any other key).  A new mode is a value of
 * view_mode and its rows.  The actions are here too, most of them a line
 * or two; they change the view's state only, and drawing happens after.
 * Looking a key up, the help screen and the status line's hints all read
 * the table (view_keys.c), so none of them can disagree with another.
 */
#include <curses.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "view_bindings.h"

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

/* ---------------------------------------------------------------------------
 * The "go to step" prompt
 * ------------------------------------------------------------------------- */

static void prompt_digit(view *v, int key)
{
    size_t len = strlen(v->prompt);

    if (len + 1 < sizeof v->prompt) {
        v->prompt[len] = (char)key;
        v->prompt[len + 1] = '\0';
    }
}

static void prompt_erase(view *v)
{
    size_t len = strlen(v->prompt);

    if (len)
        v->prompt[len - 1] = '\0';
}

static void prompt_go(view *v)
{
    v->prompting = false;
    if (v->prompt[0])
        view_go(v, strtoull(v->prompt, NULL, 10));
}

static void prompt_cancel(view *v) { v->prompting = false; }

/* Goes to the next step with one of `flags` (with --compare: in any of
 * the heaps), or says there is none. */
static void find(view *v, unsigned flags, const char *what)
{
    size_t at = view_find(v, flags);

    if (at == 0) {
        snprintf(v->message, sizeof v->message, "no %s after step %zu%s",
                 what, timeline_position(v->tl),
                 v->compare ? " in any heap" : "");
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

static void zoom_fit(view *v)
{
    v->fit = true;
    v->followed = (size_t)-1;   /* and the window on this step's changes */
}

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

static void help(view *v)
{
    v->help_for = view_mode_of(v);
    v->help = true;
}

static void close_help(view *v) { v->help = false; }
static void quit(view *v) { v->quit = true; }
static void resize(view *v) { (void)v; /* the next draw measures again */ }


/* ---------------------------------------------------------------------------
 * The other modes' actions, in the table's terms
 * ------------------------------------------------------------------------- */

static void text_close(view *v) { v->text->open = false; }
static void text_up(view *v) { view_text_scroll(v, -1); }
static void text_down(view *v) { view_text_scroll(v, 1); }
static void text_page_up(view *v)
{
    view_text_scroll(v, -(long)view_text_rows());
}
static void text_page_down(view *v)
{
    view_text_scroll(v, (long)view_text_rows());
}
static void text_top(view *v) { view_text_scroll(v, -(long)v->text->count); }
static void text_end(view *v) { view_text_scroll(v, (long)v->text->count); }

static void panel_show(view *v) { view_panel_open(v, true); }
static void panel_close(view *v) { view_panel_open(v, false); }
static void panel_up(view *v) { view_panel_scroll(v, -1); }
static void panel_down(view *v) { view_panel_scroll(v, 1); }
static void panel_page_up(view *v)
{
    view_panel_scroll(v, -(long)view_panel_rows());
}
static void panel_page_down(view *v)
{
    view_panel_scroll(v, (long)view_panel_rows());
}
static void panel_top(view *v) { view_panel_scroll(v, -LONG_MAX); }
static void panel_end(view *v) { view_panel_scroll(v, LONG_MAX); }

static void block_next(view *v) { view_block_move(v, 1); }
static void block_previous(view *v) { view_block_move(v, -1); }
static void block_down(view *v) { view_block_row(v, 1); }
static void block_up(view *v) { view_block_row(v, -1); }
static void block_first(view *v) { view_block_end(v, false); }
static void block_last(view *v) { view_block_end(v, true); }

/* ---------------------------------------------------------------------------
 * The table
 * ------------------------------------------------------------------------- */

const struct binding bindings[] = {
    {ALL_MODES, {KEY_RESIZE}, "", NULL, NULL, 0, false, resize, NULL},

    /* The map */
    {VIEW_MODE_MAP, {'?'}, "?", "this help", "? help", 0, false, help, NULL},
    {VIEW_MODE_MAP, {'q', 'Q'}, "q", "quit", "q quit", 0, false, quit, NULL},
    {VIEW_MODE_MAP, {KEY_RIGHT, 'l', ' '}, "Right l Space", "next step",
     "Left/Right step", 0, false, next_step, NULL},
    {VIEW_MODE_MAP, {KEY_LEFT, 'h', KEY_BACKSPACE}, "Left h",
     "previous step", NULL, 0, true, previous_step, NULL},
    {VIEW_MODE_MAP, {KEY_HOME, '<'}, "Home <", "the start (step 0)", NULL, 0,
     true, first_step, NULL},
    {VIEW_MODE_MAP, {KEY_END, '>'}, "End >", "the last step", NULL, 0, true,
     last_step, NULL},
    {VIEW_MODE_MAP, {'t'}, "t", "the lesson's text", "t text", IN_LESSONS,
     false, lesson_text, NULL},
    {VIEW_MODE_MAP, {'n'}, "n", "the lesson's next script",
     "n/N next/previous script", IN_LESSONS, false, next_script, NULL},
    {VIEW_MODE_MAP, {'N'}, "N", "the previous script", NULL, 0, false,
     previous_script, NULL},
    {VIEW_MODE_MAP, {'c'}, "c", "the next heap's map", "c next heap",
     MANY_MAPS, false,
     view_next_map, NULL},
    {VIEW_MODE_MAP, {KEY_TAB}, "Tab", "decode a block (cursor)",
     "Tab blocks", 0, false, view_block_enter, NULL},
    {VIEW_MODE_MAP, {'P'}, "P", "the whole side panel", NULL, 0, false,
     panel_show, NULL},
    {VIEW_MODE_MAP, {'g'}, "g N Enter", "go to step N", "g go to", 0, false,
     start_prompt, NULL},
    {VIEW_MODE_MAP, {'p'}, "p", "play / pause", "p play", 0, true, play,
     NULL},
    {VIEW_MODE_MAP, {'+'}, "+", "play faster", NULL, 0, false, faster, NULL},
    {VIEW_MODE_MAP, {'-'}, "-", "play slower", NULL, 0, false, slower, NULL},
    {VIEW_MODE_MAP, {'m'}, "m", "next merge", "m merge", NOT_IN_LESSONS,
     true, next_merge, NULL},
    {VIEW_MODE_MAP, {'G'}, "G", "next grow of the heap", "G grow",
     NOT_IN_LESSONS, true, next_grow, NULL},
    {VIEW_MODE_MAP, {'f'}, "f", "next NULL allocation", "f NULL",
     NOT_IN_LESSONS, true, next_null, NULL},
    {VIEW_MODE_MAP, {'e'}, "e", "next failed check/expect", NULL, 0, true,
     next_check_failure, NULL},
    {VIEW_MODE_MAP, {'z'}, "z", "zoom in: fewer B a cell", "z/Z zoom", 0,
     false, zoom_in, NULL},
    {VIEW_MODE_MAP, {'Z'}, "Z", "zoom out: more B a cell", NULL, 0, false,
     zoom_out, NULL},
    {VIEW_MODE_MAP, {'0'}, "0", "fit the heap to the map", NULL, 0, false,
     zoom_fit, NULL},
    {VIEW_MODE_MAP, {KEY_UP, 'k'}, "Up k", "scroll up a row", NULL, 0, false,
     row_up, NULL},
    {VIEW_MODE_MAP, {KEY_DOWN, 'j'}, "Down j", "scroll down a row", NULL, 0,
     false, row_down, NULL},
    {VIEW_MODE_MAP, {KEY_PPAGE}, "PgUp", "scroll up a page", NULL, 0, false,
     page_up, NULL},
    {VIEW_MODE_MAP, {KEY_NPAGE}, "PgDn", "scroll down a page", NULL, 0,
     false, page_down, NULL},

    /* The block cursor */
    {VIEW_MODE_BLOCK, {'?'}, "?", "this help", "? help", 0, false, help,
     NULL},
    {VIEW_MODE_BLOCK, {'q', 'Q'}, "q", "quit", NULL, 0, false, quit, NULL},
    {VIEW_MODE_BLOCK, {KEY_TAB, KEY_ESCAPE, KEY_BTAB}, "Tab Esc",
     "back to stepping", "Tab/Esc leave", 0, false, view_block_leave, NULL},
    {VIEW_MODE_BLOCK, {KEY_RIGHT, 'l'}, "Right l", "the next block",
     "Left/Right block", 0, false, block_next, NULL},
    {VIEW_MODE_BLOCK, {KEY_LEFT, 'h'}, "Left h", "the block before", NULL, 0,
     false, block_previous, NULL},
    {VIEW_MODE_BLOCK, {KEY_DOWN, 'j'}, "Down j", "the block a row down",
     "Up/Down row", 0, false, block_down, NULL},
    {VIEW_MODE_BLOCK, {KEY_UP, 'k'}, "Up k", "the block a row up", NULL, 0,
     false, block_up, NULL},
    {VIEW_MODE_BLOCK, {'\n', '\r', KEY_ENTER}, "Enter",
     "a free block: the next on the freelist", "Enter next free", 0, false,
     view_block_follow, NULL},
    {VIEW_MODE_BLOCK, {'P'}, "P", "the whole side panel", NULL, 0, false,
     panel_show, NULL},
    {VIEW_MODE_BLOCK, {KEY_HOME, '<'}, "Home <", "the first block", NULL, 0,
     false, block_first, NULL},
    {VIEW_MODE_BLOCK, {KEY_END, '>'}, "End >", "the last block", NULL, 0,
     false, block_last, NULL},

    /* The "go to step" prompt */
    {VIEW_MODE_PROMPT, {'?'}, "?", "this help", NULL, 0, false, help, NULL},
    {VIEW_MODE_PROMPT, {KEYS_DIGIT}, "0-9", "the step's number", NULL, 0,
     false, NULL, prompt_digit},
    {VIEW_MODE_PROMPT, {KEY_BACKSPACE, 127, '\b'}, "Backspace",
     "erase a digit", NULL, 0, false, prompt_erase, NULL},
    {VIEW_MODE_PROMPT, {'\n', '\r', KEY_ENTER}, "Enter", "go to that step",
     "Enter goes", 0, true, prompt_go, NULL},
    {VIEW_MODE_PROMPT, {KEY_ESCAPE, 'q'}, "Esc q", "give up",
     "Esc gives up", 0, false, prompt_cancel, NULL},

    /* A quiz question */
    {VIEW_MODE_QUIZ, {'?'}, "?", "this help", NULL, 0, false, help, NULL},
    {VIEW_MODE_QUIZ, {'q', 'Q'}, "q", "quit", "q quits", 0, false, quit,
     NULL},
    {VIEW_MODE_QUIZ, {KEY_ESCAPE}, "Esc", "skip this step's questions",
     "Esc skips", 0, false, view_quiz_skip, NULL},
    {VIEW_MODE_QUIZ, {'P'}, "P", "the whole side panel (the freelist, the "
     "stats ...)", NULL, 0, false, panel_show, NULL},
    {VIEW_MODE_QUIZ, {KEY_BACKSPACE, 127, '\b'}, "Backspace",
     "erase what was typed", NULL, 0, false, view_quiz_erase, NULL},
    {VIEW_MODE_QUIZ, {'\n', '\r', KEY_ENTER}, "Enter", "answer the offset "
     "typed", NULL, 0, false, view_quiz_enter, NULL},
    {VIEW_MODE_QUIZ, {KEYS_PRINTABLE}, "y n ... 0-9",
     "answer; an offset: digits, then Enter", NULL, 0, false, NULL,
     view_quiz_type},

    /* The lesson's text */
    {VIEW_MODE_TEXT, {'?'}, "?", "this help", NULL, 0, false, help, NULL},
    {VIEW_MODE_TEXT, {KEY_UP, 'k'}, "Up k", "scroll up a line",
     "Up/Down PgUp/PgDn scroll", 0, false, text_up, NULL},
    {VIEW_MODE_TEXT, {KEY_DOWN, 'j', '\n'}, "Down j Enter",
     "scroll down a line", NULL, 0, false, text_down, NULL},
    {VIEW_MODE_TEXT, {KEY_PPAGE, 'b'}, "PgUp b", "scroll up a page", NULL, 0,
     false, text_page_up, NULL},
    {VIEW_MODE_TEXT, {KEY_NPAGE, ' '}, "PgDn Space", "scroll down a page",
     NULL, 0, false, text_page_down, NULL},
    {VIEW_MODE_TEXT, {KEY_HOME, '<'}, "Home <", "the top", NULL, 0, false,
     text_top, NULL},
    {VIEW_MODE_TEXT, {KEY_END, '>'}, "End >", "the end", NULL, 0, false,
     text_end, NULL},
    {VIEW_MODE_TEXT, {'t', 'q', 'Q', KEY_ESCAPE}, "t q Esc",
     "back to the heap", "t, q or Esc: back to the heap", 0, false,
     text_close, NULL},

    /* The side panel, whole */
    {VIEW_MODE_PANEL, {'?'}, "?", "this help", NULL, 0, false, help, NULL},
    {VIEW_MODE_PANEL, {KEY_UP, 'k'}, "Up k", "scroll up a line",
     "Up/Down PgUp/PgDn scroll", 0, false, panel_up, NULL},
    {VIEW_MODE_PANEL, {KEY_DOWN, 'j', '\n'}, "Down j Enter",
     "scroll down a line", NULL, 0, false, panel_down, NULL},
    {VIEW_MODE_PANEL, {KEY_PPAGE, 'b'}, "PgUp b", "scroll up a page", NULL,
     0, false, panel_page_up, NULL},
    {VIEW_MODE_PANEL, {KEY_NPAGE, ' '}, "PgDn Space", "scroll down a page",
     NULL, 0, false, panel_page_down, NULL},
    {VIEW_MODE_PANEL, {KEY_HOME, '<'}, "Home <", "the top", NULL, 0, false,
     panel_top, NULL},
    {VIEW_MODE_PANEL, {KEY_END, '>'}, "End >", "the end", NULL, 0, false,
     panel_end, NULL},
    {VIEW_MODE_PANEL, {'P', 'q', 'Q', KEY_ESCAPE}, "P q Esc",
     "back to the map", "P, q or Esc: back to the map", 0, false,
     panel_close, NULL},

    /* The help screen */
    {VIEW_MODE_HELP, {KEYS_OTHER}, "any key", "close this screen", NULL, 0,
     false, close_help, NULL},
};

const size_t binding_count = sizeof bindings / sizeof bindings[0];

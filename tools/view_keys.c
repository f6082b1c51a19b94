/* view_keys.c - what `heaplab view` does with a key, read from the key
 * table (view_bindings.c).
 *
 * The main loop looks a key up among the rows of the mode the view is in:
 * first the rows every mode shares, then the mode's single keys, then its
 * classes of keys, so that a single key always wins over a class.  The
 * help screen (`?`) is printed from that mode's rows, and so are the hints
 * on the status line.  The play timer arrives here too, as a key that is
 * no key (ERR), and moves the step on.
 */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "view_bindings.h"

const view_speed view_speeds[] = {
    {1000, 1}, {500, 1}, {250, 1}, {100, 1}, {50, 1},
    {20, 1},   {10, 1},  {10, 10}, {10, 100}, {10, 1000},
};
const size_t view_speed_count = sizeof view_speeds / sizeof view_speeds[0];

static bool row_takes(const struct binding *b, int key, bool classes)
{
    size_t k;

    for (k = 0; k < 4 && b->keys[k]; k++) {
        int code = b->keys[k];
        if (!classes ? code == key
            : code == KEYS_DIGIT ? key >= '0' && key <= '9'
            : code == KEYS_PRINTABLE ? key > ' ' && key < 127
            : code == KEYS_OTHER)
            return true;
    }
    return false;
}

/* The row for `key` in `mode`: every mode's rows, then the mode's single
 * keys, then its classes of keys.  NULL when none takes it. */
static const struct binding *binding_of(view_mode mode, int key)
{
    int pass;
    size_t i;

    for (pass = 0; pass < 3; pass++)
        for (i = 0; i < NBINDINGS; i++)
            if (bindings[i].mode == (pass == 0 ? ALL_MODES : mode) &&
                row_takes(&bindings[i], key, pass == 2))
                return &bindings[i];
    return NULL;
}

view_mode view_mode_of(const view *v)
{
    if (v->help)
        return VIEW_MODE_HELP;
    if (v->text && v->text->open)
        return VIEW_MODE_TEXT;
    if (v->panel_open)
        return VIEW_MODE_PANEL;
    if (v->quiz.asking)
        return VIEW_MODE_QUIZ;
    if (v->prompting)
        return VIEW_MODE_PROMPT;
    return v->block_mode ? VIEW_MODE_BLOCK : VIEW_MODE_MAP;
}

const char *view_mode_name(view_mode mode)
{
    static const char *const names[VIEW_MODES] = {
        "on the map", "in block mode (the block cursor)",
        "going to a step", "answering a quiz question",
        "in the lesson's text", "on this screen",
        "in the whole side panel"};

    return mode < VIEW_MODES ? names[mode] : "";
}

const char *view_help_line(view_mode mode, size_t i, char *buf, size_t size)
{
    size_t n;

    for (n = 0; n < NBINDINGS; n++)
        if (bindings[n].mode == mode && bindings[n].what && i-- == 0) {
            snprintf(buf, size, "%-13s %s", bindings[n].names,
                     bindings[n].what);
            return buf;
        }
    return NULL;
}

const char *view_hints(const view *v, char *buf, size_t size, size_t width)
{
    view_mode mode = view_mode_of(v);
    size_t len = 0, i;

    if (size)
        buf[0] = '\0';
    for (i = 0; i < NBINDINGS; i++) {
        const struct binding *b = &bindings[i];
        size_t need;
        if (b->mode != mode || !b->hint ||
            b->where == (v->text ? NOT_IN_LESSONS : IN_LESSONS) ||
            (b->where == MANY_MAPS && !view_many_maps(v)))
            continue;
        need = strlen(b->hint) + (len ? 2 : 0);
        if (len + need > width || len + need >= size)
            break;
        snprintf(buf + len, size - len, "%s%s", len ? "  " : "", b->hint);
        len += need;
    }
    return buf;
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
    view_mode mode = view_mode_of(v);
    const struct binding *b;

    if (key == ERR) {
        tick(v);
        return;
    }
    if (key != KEY_RESIZE)
        v->message[0] = '\0';
    b = binding_of(mode, key);
    if (!b) {
        if (mode == VIEW_MODE_MAP || mode == VIEW_MODE_BLOCK)
            snprintf(v->message, sizeof v->message,
                     "unknown key; ? shows the keys");
        return;
    }
    if (b->key_action)
        b->key_action(v, key);
    else
        b->action(v);
    if (b->jumps && v->quiz.on)
        view_quiz_moved(v);
}

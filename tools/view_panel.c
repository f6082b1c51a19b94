/* view_panel.c - the side panel: its parts beside the map, in the rows
 * there are, and all of them in a pane that scrolls (P).
 *
 * The parts, top to bottom: the step, the step's note, then a quiz's
 * question and verdicts (or, in block mode, the block decoded), the
 * events, with several heaps their remote lists and whose freelist and
 * stats follow, the freelist, and the stats at the bottom.  When they do
 * not all fit, the model shares the rows out by priority
 * (vm_parts_place): the step, the note and the question come first, then
 * the stats (with one map) and the events; every part gets a row at least,
 * and a part that is cut says how many of its lines are left out and that
 * P shows them.  The pane shows every line of every part, as wide as the
 * screen allows, and scrolls like the lesson's text.
 */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "view.h"

enum {
    PART_STEP, PART_NOTE, PART_FOCUS, PART_EVENTS, PART_REMOTE, PART_WHICH,
    PART_FREELIST, PART_STATS, PARTS
};

typedef struct panel_layout {
    vm_part part[PARTS];
    chtype attr[PARTS];
    size_t priority[PARTS];
    size_t count;           /* parts in the priority list */
} panel_layout;

/* The parts the view shows now, in the order they are drawn, and their
 * priority. */
static void layout_parts(view *v, panel_layout *l)
{
    const view_model *m = view_selected_model(v);
    bool many = view_many_maps(v);
    size_t k;
    /* With one map the stats come before the events, as they always
     * had their rows; while a question is up, what it is about (the
     * freelist, the stats) comes before the last step's events. */
    static const size_t single[] = {PART_STEP, PART_NOTE, PART_FOCUS,
                                    PART_STATS, PART_EVENTS, PART_FREELIST};
    static const size_t single_asking[] = {PART_STEP, PART_NOTE, PART_FOCUS,
                                           PART_FREELIST, PART_STATS,
                                           PART_EVENTS};
    static const size_t several[] = {PART_STEP, PART_NOTE, PART_FOCUS,
                                     PART_EVENTS, PART_REMOTE, PART_WHICH,
                                     PART_FREELIST, PART_STATS};
    static const size_t several_asking[] = {PART_STEP, PART_NOTE, PART_FOCUS,
                                            PART_REMOTE, PART_WHICH,
                                            PART_FREELIST, PART_STATS,
                                            PART_EVENTS};
    static const size_t block[] = {PART_STEP, PART_NOTE, PART_FOCUS,
                                   PART_STATS};
    bool asking = v->quiz.asking && !v->block_mode;
    const size_t *order = v->block_mode ? block
                          : many ? (asking ? several_asking : several)
                                 : (asking ? single_asking : single);

    memset(l, 0, sizeof *l);
    for (k = 0; k < PARTS; k++)
        l->attr[k] = A_NORMAL;
    l->part[PART_STEP] = (vm_part){&m->step, "step", 0, false, false, 0};
    l->attr[PART_STEP] = A_BOLD;
    l->part[PART_NOTE] = (vm_part){&m->note_lines, "note", 0, false, false,
                                   0};
    l->part[PART_STATS] = (vm_part){&m->stats, "stats", 1, false, false, 0};
    l->count = v->block_mode ? sizeof block / sizeof block[0]
               : many ? sizeof several / sizeof several[0]
                      : sizeof single / sizeof single[0];
    memcpy(l->priority, order, l->count * sizeof *order);
    if (v->block_mode) {
        l->part[PART_FOCUS] = (vm_part){&m->block, "block", 1, false, false,
                                        0};
        return;
    }
    if (v->quiz.panel.count) {
        l->part[PART_FOCUS] = (vm_part){&v->quiz.panel, "quiz", 1, asking,
                                        false, 0};
        l->attr[PART_FOCUS] = asking ? A_BOLD : A_NORMAL;
    }
    /* The events get what the rest does not need, half at least. */
    l->part[PART_EVENTS] = (vm_part){many ? &v->maps.events : &m->events,
                                     "events", 1, false, true, 0};
    l->part[PART_FREELIST] = (vm_part){&m->freelist, "freelist",
                                       many ? 0 : 1, false, false, 0};
    if (many) {
        l->part[PART_REMOTE] = (vm_part){&v->maps.remote, "remote lists", 1,
                                         false, false, 0};
        l->part[PART_WHICH] = (vm_part){&v->maps.which, NULL, 1, false,
                                        false, 0};
        l->attr[PART_WHICH] = A_BOLD;
    }
}

/* ---------------------------------------------------------------------------
 * Beside the map
 * ------------------------------------------------------------------------- */

/* One part from screen row y, in the rows it got. */
static void draw_part(const view *v, const vm_part *part, chtype attr, int y)
{
    int x = COLS - (int)v->model.panel_width - 1;
    int width = (int)v->model.panel_width;
    size_t first, more, shown = vm_part_lines(part, &first, &more), i;
    char line[VM_LINE_MAX];

    y += (int)part->gap;
    if (more && part->tail)
        mvaddnstr(y++, x, vm_part_more(part, more, line, sizeof line), width);
    attron(attr);
    for (i = 0; i < shown; i++)
        mvaddnstr(y++, x, part->panel->line[first + i], width);
    attroff(attr);
    if (more && !part->tail)
        mvaddnstr(y, x, vm_part_more(part, more, line, sizeof line), width);
}

void view_panel_draw(view *v)
{
    panel_layout l;
    int bottom = LINES - 1, y = 1;  /* the status line is the bottom */
    size_t k;

    layout_parts(v, &l);
    vm_parts_place(l.part, l.priority, l.count,
                   bottom > 1 ? (size_t)(bottom - 1) : 0);
    for (k = 0; k < PARTS; k++) {
        vm_part *part = &l.part[k];
        if (!part->rows)
            continue;
        if (k == PART_STATS)    /* at the bottom */
            y = bottom - (int)part->rows;
        draw_part(v, part, l.attr[k], y);
        y += (int)part->rows;
    }
}

/* ---------------------------------------------------------------------------
 * Whole, in a pane
 * ------------------------------------------------------------------------- */

/* Line i of the parts one after another, each under its gap: the line, or
 * "" for a gap, or NULL past the end; *attr is how it is drawn. */
static const char *pane_line(const panel_layout *l, size_t i, chtype *attr)
{
    size_t k;

    for (k = 0; k < PARTS; k++) {
        const vm_part *part = &l->part[k];
        size_t count = part->panel ? part->panel->count : 0;
        if (!count)
            continue;
        if (i < part->gap)
            return *attr = A_NORMAL, "";
        i -= part->gap;
        if (i < count)
            return *attr = l->attr[k], part->panel->line[i];
        i -= count;
    }
    return NULL;
}

static size_t pane_count(view *v)
{
    panel_layout l;
    chtype attr;
    size_t n = 0;

    layout_parts(v, &l);
    while (pane_line(&l, n, &attr))
        n++;
    return n;
}

size_t view_panel_rows(void)
{
    return LINES > 3 ? (size_t)(LINES - 2) : 1;
}

void view_panel_open(view *v, bool open)
{
    v->panel_open = open;
    v->panel_top = 0;
    if (open)
        v->playing = false;
}

void view_panel_scroll(view *v, long lines)
{
    v->panel_top = view_scrolled(v->panel_top, lines, pane_count(v),
                                 view_panel_rows());
}

void view_panel_pane_draw(view *v)
{
    panel_layout l;
    size_t rows = view_panel_rows(), count, i;
    char hints[VM_LINE_MAX * 2], title[160];
    chtype attr;
    const char *line;

    layout_parts(v, &l);
    count = pane_count(v);
    if (v->panel_top + rows > count)
        v->panel_top = count > rows ? count - rows : 0;
    snprintf(title, sizeof title, " the whole side panel: step %zu/%zu   "
             "lines %zu-%zu of %zu", timeline_position(v->tl),
             timeline_length(v->tl), count ? v->panel_top + 1 : 0,
             v->panel_top + rows < count ? v->panel_top + rows : count,
             count);
    attron(A_REVERSE);
    mvhline(0, 0, ' ', COLS);
    mvaddnstr(0, 0, title, COLS);
    attroff(A_REVERSE);
    for (i = 0; i < rows && (line = pane_line(&l, v->panel_top + i, &attr));
         i++) {
        attron(attr);
        mvaddnstr((int)i + 1, 1, line, COLS - 2);
        attroff(attr);
    }
    mvaddnstr(LINES - 1, 0,
              view_hints(v, hints, sizeof hints, (size_t)COLS - 1), COLS);
}

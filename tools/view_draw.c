/* view_draw.c - puts a view model on the screen with curses.
 *
 * Nothing here decides what the heap looks like: the model has every
 * cell's glyph, kind and marks and every panel line.  This file only
 * chooses where things go on the screen and what colour they get:
 *
 *   +- title: file, step, zoom, play state ----------------------------+
 *   | offset  map of cells, row by row         | step, op, outcome      |
 *   |    ...                                   | note                   |
 *   |                                          | events of this step    |
 *   |                                          | freelist               |
 *   | legend                                   | stats                  |
 *
 * (the side panel: view_panel.c)
 *   +- status: keys, a message, or the "go to step" prompt ------------+
 *
 * Colours only repeat what the glyphs already say; with NO_COLOR set, or
 * on a terminal without colours, none are used.  Cells that changed in
 * this step are drawn in inverse video, which needs no colour either.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "view.h"

enum pair {
    PAIR_HEADER = 1,
    PAIR_SLACK,
    PAIR_FREE,
    PAIR_PADDING,
    PAIR_CURSOR,
    PAIR_REMOTE,
    PAIR_DIFFERS,
    PAIR_OBJECT, /* the first of VIEW_OBJECT_COLOURS pairs */
};

#define VIEW_OBJECT_COLOURS 4

void view_draw_start(view *v)
{
    const char *no_colour = getenv("NO_COLOR");
    static const short objects[VIEW_OBJECT_COLOURS][2] = {
        {COLOR_BLACK, COLOR_GREEN}, {COLOR_BLACK, COLOR_CYAN},
        {COLOR_BLACK, COLOR_MAGENTA}, {COLOR_WHITE, COLOR_BLUE},
    };
    short i;

    v->colour = has_colors() && !(no_colour && no_colour[0]);
    if (!v->colour)
        return;
    start_color();
    use_default_colors();
    init_pair(PAIR_HEADER, COLOR_BLACK, COLOR_YELLOW);
    init_pair(PAIR_SLACK, COLOR_BLACK, COLOR_RED);
    init_pair(PAIR_FREE, COLOR_WHITE, -1);
    init_pair(PAIR_PADDING, COLOR_BLUE, -1);
    init_pair(PAIR_CURSOR, COLOR_BLACK, COLOR_WHITE);
    init_pair(PAIR_REMOTE, COLOR_WHITE, COLOR_MAGENTA);
    init_pair(PAIR_DIFFERS, COLOR_WHITE, COLOR_RED);
    for (i = 0; i < VIEW_OBJECT_COLOURS; i++)
        init_pair((short)(PAIR_OBJECT + i), objects[i][0], objects[i][1]);
}

/* The side panel's first column: its lines, panel_width columns wide,
 * end one column before the screen's edge. */
static int panel_x(const view *v)
{
    return COLS - (int)v->model.panel_width - 1;
}

/* The lesson's text is laid out here too, as wide as its pane. */
void view_layout(view *v)
{
    size_t width = vm_panel_width(COLS > 0 ? (size_t)COLS : 0);
    int room = COLS - (int)width - 1 - 1 - VIEW_GUTTER_COLS;

    v->model.panel_width = v->quiz.panel.width = width;
    /* The side panel shown whole (P) is wrapped as wide as the screen
     * lets its lines be; the map keeps its own width. */
    if (v->panel_open)
        v->model.panel_width = COLS > 2 && (size_t)COLS - 2 <
                                   VM_PANEL_MAX_WIDTH
                                   ? (size_t)COLS - 2 : VM_PANEL_MAX_WIDTH;
    v->geo.cells_per_row = room >= 8 ? (size_t)(room / 8 * 8) : 8;
    v->geo.rows = LINES > VIEW_ROWS_AROUND_MAP
                      ? (size_t)(LINES - VIEW_ROWS_AROUND_MAP) : 1;
    if (v->text && view_text_layout(v->text, COLS > 2 ? (size_t)COLS - 2 : 1))
        snprintf(v->message, sizeof v->message, "out of memory for the text");
}

/* ---------------------------------------------------------------------------
 * The map
 * ------------------------------------------------------------------------- */

static chtype cell_attributes(const view *v, const vm_cell *cell)
{
    chtype attr = cell->marks ? A_REVERSE | A_BOLD : A_NORMAL;

    if (cell->selected)
        return A_UNDERLINE | A_BOLD |
               (v->colour ? COLOR_PAIR(PAIR_CURSOR) : A_REVERSE);
    if (cell->differs)
        attr |= A_UNDERLINE;
    if (!v->colour)
        return attr;
    if (cell->differs && cell->kind != VM_HEADER)
        return attr | COLOR_PAIR(PAIR_DIFFERS);
    switch (cell->kind) {
    case VM_HEADER: return attr | COLOR_PAIR(PAIR_HEADER);
    case VM_SLACK: return attr | COLOR_PAIR(PAIR_SLACK);
    case VM_FREE: return attr | COLOR_PAIR(PAIR_FREE);
    case VM_CACHED: return attr | COLOR_PAIR(PAIR_SLACK);
    case VM_PADDING: return attr | COLOR_PAIR(PAIR_PADDING);
    case VM_REMOTE: return attr | COLOR_PAIR(PAIR_REMOTE);
    case VM_OBJECT:
        return attr | COLOR_PAIR(PAIR_OBJECT +
                                 (cell->label == VM_NO_LABEL
                                      ? 0
                                      : cell->label % VIEW_OBJECT_COLOURS));
    case VM_UNUSED: break;
    }
    return attr;
}

/* The window rows of model m from screen row y on. */
static void draw_cells(const view *v, const view_model *m, int y)
{
    size_t r, c;

    for (r = 0; r < m->geo.rows; r++) {
        size_t row = m->geo.first_row + r;
        if (row >= m->total_rows)
            break;
        bool selected = false;
        mvprintw(y + (int)r, 0, "%8zu ", vm_row_offset(&m->geo, row));
        for (c = 0; c < m->geo.cells_per_row; c++) {
            const vm_cell *cell = vm_cell_at(m, r, c);
            selected |= cell->selected;
            addch((chtype)(unsigned char)cell->glyph |
                  cell_attributes(v, cell));
        }
        /* The cursor's rows are pointed at too, for a screen without
         * attributes; else the window's first and last rows say when the
         * map goes on above or below them. */
        if (selected)
            mvaddch(y + (int)r, VIEW_GUTTER_COLS - 1, '>');
        else if (r == 0 && row > 0)
            mvaddch(y + (int)r, VIEW_GUTTER_COLS - 1, '^');
        else if (r + 1 == m->geo.rows && row + 1 < m->total_rows)
            mvaddch(y + (int)r, VIEW_GUTTER_COLS - 1, 'v');
    }
}

/* The kinds each legend names: one map, a map per heap (threads), and
 * heaps compared. */
static const vm_kind one_map[] = {VM_HEADER, VM_OBJECT, VM_SLACK, VM_FREE,
                                  VM_PADDING, VM_CACHED};
static const vm_kind heap_maps[] = {VM_HEADER, VM_OBJECT, VM_SLACK, VM_FREE,
                                    VM_CACHED, VM_REMOTE};
static const vm_kind compared[] = {VM_HEADER, VM_OBJECT, VM_SLACK, VM_FREE,
                                   VM_PADDING};
static const vm_kind every_kind[] = {VM_HEADER, VM_OBJECT, VM_SLACK, VM_FREE,
                                     VM_PADDING, VM_CACHED, VM_REMOTE};
#define NKINDS(list) (sizeof list / sizeof list[0])

/* The legend and the sparklines, under the map(s) at row y: the glyphs'
 * names (vm_legend), and what the attributes mean, shorter on a narrow
 * screen. */
static void draw_legend(const view *v, int y)
{
    const vm_kind *list = v->compare ? compared
                          : view_many_maps(v) ? heap_maps : one_map;
    size_t count = v->compare ? NKINDS(compared)
                   : view_many_maps(v) ? NKINDS(heap_maps) : NKINDS(one_map);
    const char *attributes = v->compare ? "  underlined: placed differently"
                                        : "  inverse: changed";
    char full[VM_LINE_MAX + 40] = " ", brief[VM_LINE_MAX];
    int room = panel_x(v) - 1;

    vm_legend(full + 1, sizeof full - 1, list, count, false);
    strncat(full, attributes, sizeof full - strlen(full) - 1);
    vm_legend(brief, sizeof brief, list, count, true);
    if (v->compare)
        strncat(brief, " _:differs", sizeof brief - strlen(brief) - 1);
    mvaddnstr(y, 0, (int)strlen(full) <= room ? full : brief, room);
    mvprintw(y + 1, 0, "size %s", v->model.spark_heap);
    printw("  live %s", v->model.spark_live);
}

static void draw_map(const view *v)
{
    draw_cells(v, &v->model, 1);
    draw_legend(v, (int)v->model.geo.rows + 1);
}

/* Several maps: each under its header line, or the selected one alone
 * under its header and the notice that says so. */
static void draw_maps(const view *v)
{
    const vm_maps *ms = &v->maps;
    int y = 1, width = panel_x(v) - 1;
    size_t k;

    for (k = 0; k < ms->count; k++) {
        const vm_map *map = &ms->map[k];
        if (!ms->stacked && k != ms->selected)
            continue;
        attron(A_BOLD | (k == ms->selected && ms->stacked ? A_UNDERLINE
                                                          : 0));
        mvaddnstr(y, 0, map->header, width);
        attroff(A_BOLD | A_UNDERLINE);
        y++;
        if (!ms->stacked)
            mvaddnstr(y++, 0, ms->notice, width);
        draw_cells(v, &map->model, y);
        y += (int)ms->rows_each;
    }
    draw_legend(v, LINES - 3);
}

/* ---------------------------------------------------------------------------
 * Title, status, help, and the screen as a whole
 * ------------------------------------------------------------------------- */

/* The title: the script's path, shortened from the left to leave room
 * for the rest (the step counter first), which is what the reader needs
 * most. */
static void draw_title(const view *v)
{
    static const char head[] = " heaplab view ";
    char rest[160], path[256];
    size_t at = timeline_position(v->tl), length = timeline_length(v->tl);
    int room;

    snprintf(rest, sizeof rest, "   step %zu/%zu   %zu B/cell%s", at, length,
             v->geo.bytes_per_cell, v->fit ? " (fit)" : "");
    if (v->playing)
        snprintf(rest + strlen(rest), sizeof rest - strlen(rest),
                 "   playing %d ms x%zu", view_speeds[v->speed].delay_ms,
                 view_speeds[v->speed].steps);
    if (v->quiz.on) {
        char score[32];
        snprintf(rest + strlen(rest), sizeof rest - strlen(rest),
                 "   quiz %s",
                 quiz_score_text(&v->quiz.score, score, sizeof score));
    }
    room = COLS - (int)(sizeof head - 1) - (int)strlen(rest);
    vm_shorten_left(path, sizeof path, v->title, room > 16 ? (size_t)room : 16);
    attron(A_REVERSE);
    mvhline(0, 0, ' ', COLS);
    mvaddnstr(0, 0, head, COLS);
    addnstr(path, COLS - (int)(sizeof head - 1));
    addnstr(rest, COLS - (int)(sizeof head - 1) - (int)strlen(path));
    attroff(A_REVERSE);
}

/* The status line: a question's answer, the prompt, a message, or the
 * hints of the mode's keys (view_hints, from the key table). */
static void draw_status(const view *v)
{
    int y = LINES - 1;
    char buf[VM_LINE_MAX * 2], hints[VM_LINE_MAX * 2];
    size_t len;

    move(y, 0);
    clrtoeol();
    if (v->quiz.asking && !v->message[0]) {
        mvaddnstr(y, 0, view_quiz_status(v, buf, sizeof buf), COLS);
    } else if (v->prompting) {
        snprintf(buf, sizeof buf, "go to step (0-%zu): %s_   ",
                 timeline_length(v->tl), v->prompt);
        len = strlen(buf);
        mvaddnstr(y, 0, buf, COLS);
        addnstr(view_hints(v, hints, sizeof hints,
                           COLS > (int)len + 1 ? (size_t)COLS - len - 1 : 0),
                COLS - (int)len);
    } else if (v->message[0]) {
        mvaddnstr(y, 0, v->message, COLS);
    } else {
        mvaddnstr(y, 0, view_hints(v, hints, sizeof hints, (size_t)COLS - 1),
                  COLS);
    }
}

/* The keys of the mode the help was opened from, from the key table: one
 * column when the screen is tall enough, else two; then how to close it. */
static void draw_help(const view *v)
{
    char line[VM_LINE_MAX];
    size_t count = 0, i;
    int per_column, width = COLS / 2 - 2, y;

    while (view_help_line(v->help_for, count, line, sizeof line))
        count++;
    per_column = (int)count + 8 <= LINES ? (int)count : ((int)count + 1) / 2;
    attron(A_BOLD);
    mvprintw(1, 2, "heaplab view: keys %s", view_mode_name(v->help_for));
    attroff(A_BOLD);
    for (i = 0; i < count; i++) {
        int column = (int)i / per_column;
        view_help_line(v->help_for, i, line, sizeof line);
        mvaddnstr(3 + (int)i % per_column, 2 + column * (width + 2), line,
                  per_column == (int)count ? COLS - 3 : width);
    }
    y = 4 + per_column;
    vm_legend(line, sizeof line, every_kind, NKINDS(every_kind), false);
    mvaddnstr(y, 2, line, COLS - 3);
    mvaddnstr(y + 1, 2, "An object shows its script ID; a remote one was "
                        "freed by another thread.", COLS - 3);
    mvaddnstr(y + 2, 2, "Inverse video: what this step changed.  "
                        "Underlined: placed differently.", COLS - 3);
    mvaddnstr(y + 3, 2, "size, live: the heap's size and its live bytes, "
                        "step by step.", COLS - 3);
    mvaddnstr(y + 4, 2, "^ or v after an offset: the map goes on above or "
                        "below (Up/Down, PgUp/PgDn).", COLS - 3);
    for (i = 0; view_help_line(VIEW_MODE_HELP, i, line, sizeof line); i++)
        mvaddnstr(y + 5 + (int)i, 2, line, COLS - 3);
}

static void draw_too_small(void)
{
    mvprintw(0, 0, "terminal too small: need at least %dx%d", VIEW_MIN_COLS,
             VIEW_MIN_ROWS);
    mvprintw(1, 0, "(it is %dx%d; q quits)", COLS, LINES);
}

void view_draw(view *v)
{
    erase();
    if (COLS < VIEW_MIN_COLS || LINES < VIEW_MIN_ROWS) {
        draw_too_small();
    } else if (v->help) {
        draw_title(v);
        draw_help(v);
    } else if (v->text && v->text->open) {
        view_text_draw(v);
    } else if (v->panel_open) {
        view_panel_pane_draw(v);
    } else {
        draw_title(v);
        if (view_many_maps(v))
            draw_maps(v);
        else
            draw_map(v);
        view_panel_draw(v);
        draw_status(v);
    }
    refresh();
}

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
    for (i = 0; i < VIEW_OBJECT_COLOURS; i++)
        init_pair((short)(PAIR_OBJECT + i), objects[i][0], objects[i][1]);
}

void view_map_size(int cols, int rows, size_t *cells, size_t *lines)
{
    int width = cols - VIEW_GUTTER_COLS - VIEW_PANEL_COLS - 1;

    *cells = width >= 8 ? (size_t)(width / 8 * 8) : 8;
    *lines = rows > 3 ? (size_t)(rows - 3) : 1;
}

/* ---------------------------------------------------------------------------
 * The map
 * ------------------------------------------------------------------------- */

static chtype cell_attributes(const view *v, const vm_cell *cell)
{
    chtype attr = cell->marks ? A_REVERSE | A_BOLD : A_NORMAL;

    if (!v->colour)
        return attr;
    switch (cell->kind) {
    case VM_HEADER: return attr | COLOR_PAIR(PAIR_HEADER);
    case VM_SLACK: return attr | COLOR_PAIR(PAIR_SLACK);
    case VM_FREE: return attr | COLOR_PAIR(PAIR_FREE);
    case VM_CACHED: return attr | COLOR_PAIR(PAIR_SLACK);
    case VM_PADDING: return attr | COLOR_PAIR(PAIR_PADDING);
    case VM_OBJECT:
        return attr | COLOR_PAIR(PAIR_OBJECT +
                                 (cell->label == VM_NO_LABEL
                                      ? 0
                                      : cell->label % VIEW_OBJECT_COLOURS));
    case VM_UNUSED: break;
    }
    return attr;
}

static void draw_map(const view *v)
{
    const view_model *m = &v->model;
    size_t r, c;

    for (r = 0; r < m->geo.rows; r++) {
        size_t row = m->geo.first_row + r;
        if (row >= m->total_rows)
            break;
        mvprintw((int)r + 1, 0, "%8zu ", vm_row_offset(&m->geo, row));
        for (c = 0; c < m->geo.cells_per_row; c++) {
            const vm_cell *cell = vm_cell_at(m, r, c);
            addch((chtype)(unsigned char)cell->glyph |
                  cell_attributes(v, cell));
        }
    }
    {
        static const char legend[] = " # header  = object  ~ slack  . free"
                                     "  / no block  + cached  inverse: changed";
        static const char brief[] = "# hdr = obj ~ slack . free / out + cache";
        int room = COLS - VIEW_PANEL_COLS - 1;
        mvaddnstr((int)m->geo.rows + 1, 0,
                  (int)sizeof legend - 1 <= room ? legend : brief, room);
    }
}

/* ---------------------------------------------------------------------------
 * The side panel
 * ------------------------------------------------------------------------- */

/* Draws panel lines from screen row y, at most `room` of them; a panel
 * that does not fit ends with how many lines were left out.  Returns the
 * next free row. */
static int draw_lines(const vm_panel *p, int y, int room, chtype attr)
{
    int x = COLS - VIEW_PANEL_COLS, i, shown = (int)p->count;

    if (shown > room) {
        shown = room > 0 ? room - 1 : 0;
    }
    attron(attr);
    for (i = 0; i < shown; i++)
        mvaddnstr(y + i, x, p->line[i], VIEW_PANEL_COLS - 1);
    attroff(attr);
    if (shown < (int)p->count && room > 0)
        mvprintw(y + shown, x, "  (+%d more lines)", (int)p->count - shown);
    return y + (shown < (int)p->count ? room : shown);
}

/* The note, cut into lines as wide as the panel (three at most). */
static int draw_note(const char *note, int y)
{
    int x = COLS - VIEW_PANEL_COLS, width = VIEW_PANEL_COLS - 1, i;
    size_t len = strlen(note);

    for (i = 0; i < 3 && len > 0; i++) {
        int n = len < (size_t)width ? (int)len : width;
        mvaddnstr(y++, x, note, n);
        note += n;
        len -= (size_t)n;
    }
    return y;
}

static void draw_panel(const view *v)
{
    const view_model *m = &v->model;
    int bottom = LINES - 1, y = 1;
    int stats_top = bottom - (int)m->stats.count;
    int events_room;

    y = draw_lines(&m->step, y, 8, A_BOLD);
    if (m->note[0])
        y = draw_note(m->note, y);
    if (v->quiz.panel.count)
        y = draw_lines(&v->quiz.panel, y + 1, stats_top - y - 6,
                       v->quiz.asking ? A_BOLD : A_NORMAL);
    events_room = (stats_top - y - 2) / 2;
    if (events_room < 2)
        events_room = 2;
    y = draw_lines(&m->events, y + 1, events_room, A_NORMAL);
    draw_lines(&m->freelist, y + 1, stats_top - y - 2, A_NORMAL);
    draw_lines(&m->stats, stats_top, (int)m->stats.count, A_NORMAL);
}

/* ---------------------------------------------------------------------------
 * Title, status, help, and the screen as a whole
 * ------------------------------------------------------------------------- */

static void draw_title(const view *v)
{
    char line[256];
    size_t at = timeline_position(v->tl), length = timeline_length(v->tl);

    snprintf(line, sizeof line,
             " heaplab view %s   step %zu/%zu   %zu B/cell%s   %s",
             v->title, at, length, v->geo.bytes_per_cell,
             v->fit ? " (fit)" : "", v->playing ? "playing" : "");
    if (v->playing)
        snprintf(line + strlen(line), sizeof line - strlen(line),
                 " %d ms x%zu", view_speeds[v->speed].delay_ms,
                 view_speeds[v->speed].steps);
    if (v->quiz.on) {
        char score[32];
        snprintf(line + strlen(line), sizeof line - strlen(line),
                 "  quiz %s",
                 quiz_score_text(&v->quiz.score, score, sizeof score));
    }
    attron(A_REVERSE);
    mvhline(0, 0, ' ', COLS);
    mvaddnstr(0, 0, line, COLS);
    attroff(A_REVERSE);
}

static void draw_status(const view *v)
{
    int y = LINES - 1;
    char buf[VM_LINE_MAX * 2];

    move(y, 0);
    clrtoeol();
    if (v->quiz.asking && !v->message[0]) {
        mvaddnstr(y, 0, view_quiz_status(v, buf, sizeof buf), COLS);
    } else if (v->prompting) {
        mvprintw(y, 0, "go to step (0-%zu): %s_", timeline_length(v->tl),
                 v->prompt);
    } else if (v->message[0]) {
        mvaddnstr(y, 0, v->message, COLS);
    } else {
        mvaddnstr(y, 0,
                  v->text ? "? help  q quit  Left/Right step  t text  "
                            "n next script  g go to  p play  z/Z zoom"
                          : "? help  q quit  Left/Right step  g go to  p play"
                            "  m merge  G grow  f NULL  z/Z zoom", COLS);
    }
}

/* The keys from the table: one column when the screen is tall enough,
 * else two. */
static void draw_help(void)
{
    char line[VM_LINE_MAX];
    size_t count = 0, i;
    int per_column, width = COLS / 2 - 2, y;

    while (view_help_line(count, line, sizeof line))
        count++;
    per_column = (int)count + 8 <= LINES ? (int)count : ((int)count + 1) / 2;
    attron(A_BOLD);
    mvaddstr(1, 2, "heaplab view: keys");
    attroff(A_BOLD);
    for (i = 0; i < count; i++) {
        int column = (int)i / per_column;
        view_help_line(i, line, sizeof line);
        mvaddnstr(3 + (int)i % per_column, 2 + column * (width + 2), line,
                  per_column == (int)count ? COLS - 3 : width);
    }
    y = 4 + per_column;
    mvaddnstr(y, 2, "# header  = object (its script ID)  ~ slack  . free"
                    "  / no block", COLS - 3);
    mvaddnstr(y + 1, 2, "Inverse video: what this step changed.", COLS - 3);
    mvaddnstr(y + 2, 2, "Any key closes this screen.", COLS - 3);
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
    } else if (v->text && v->text->open) {
        view_text_draw(v);
    } else if (v->help) {
        draw_title(v);
        draw_help();
    } else {
        draw_title(v);
        draw_map(v);
        draw_panel(v);
        draw_status(v);
    }
    refresh();
}

/* view.h - `heaplab view`: the state its files share.
 *
 *   view_command.c   the command line: the usage, the options, --compare
 *   view.c           the script, the main loop, and putting the terminal
 *                    back however the program ends
 *   view_timeline*.c steps and checkpoints: any step, forward or back,
 *                    replayed from the nearest checkpoint
 *   view_model*.c    what is shown, computed without a terminal
 *   view_draw.c      curses: copies a model to the screen, nothing more
 *   view_bindings.c  the one table of keys, mode by mode, and what each
 *                    key does (its rows' shape: view_bindings.h)
 *   view_keys.c      a key looked up in that table and done, and the help
 *                    screen and hints made from it
 *   view_quiz.c      quiz mode's glue: the keys' actions call the quiz
 *                    controller (quiz_controller.c, no curses) and pass
 *                    on what it says
 *   view_block.c     the block cursor: moving it, following the freelist
 *   view_text.c      the lesson's text, in a pane that scrolls
 *   view_panel.c     the side panel: its parts beside the map, in the
 *                    rows there are, and whole in a pane that scrolls (P)
 *   lesson.c         `heaplab lesson`: a lesson's scripts one after another
 */
#ifndef HL_VIEW_H
#define HL_VIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "quiz.h"
#include "quiz_controller.h"
#include "view_model.h"
#include "view_timeline.h"

/* The smallest terminal the viewer draws in. */
#define VIEW_MIN_COLS 80
#define VIEW_MIN_ROWS 20
/* The map's gutter (the row's offset); the side panel's width is a share
 * of the screen's (vm_panel_width). */
#define VIEW_GUTTER_COLS 9
/* The sparklines' row, "size " SPARK "  live " SPARK: their labels'
 * width, and the rows above and below the map (title, legend, that row,
 * the status line). */
#define VIEW_SPARK_LABELS 12
#define VIEW_ROWS_AROUND_MAP 4

/* Play speeds: a step (or several) every so many milliseconds. */
typedef struct view_speed {
    int delay_ms;
    size_t steps;
} view_speed;

/* The modes of the viewer: each has its own rows in the key table
 * (view_bindings.c).  view_mode_of() says which one a view is in. */
typedef enum view_mode {
    VIEW_MODE_MAP,      /* stepping through the script */
    VIEW_MODE_BLOCK,    /* the block cursor (Tab) */
    VIEW_MODE_PROMPT,   /* typing the N of "go to step N" */
    VIEW_MODE_QUIZ,     /* a quiz question is up */
    VIEW_MODE_TEXT,     /* the lesson's text pane */
    VIEW_MODE_HELP,     /* the help screen */
    VIEW_MODE_PANEL,    /* the side panel, whole, full screen (P) */
    VIEW_MODES
} view_mode;

/* A lesson's text (its README.md): read once as blocks (a paragraph or a
 * list item joined into one line, a heading, a line of code or of a table)
 * and laid out again in lines as wide as the pane whenever its width
 * changes. */
typedef struct view_text_block {
    char *text;
    size_t hang;            /* lines after the first start this far in */
    bool verbatim;          /* code, a heading, a table: never wrapped */
} view_text_block;

typedef struct view_text {
    const char *path;       /* NULL: no text (plain `heaplab view`) */
    view_text_block *blocks;
    size_t block_count;
    char **lines;           /* the blocks, wrapped at `width` */
    size_t count;
    size_t width;
    size_t top;             /* the first line shown */
    bool open;
} view_text;

/* --compare: the heap settings it takes, at most. */
#define VIEW_MAX_COMPARE 4

typedef struct view {
    const char *title;      /* the script's file name */
    const hl_script *script;
    timeline *tl;           /* the replay (with --compare: the first) */
    /* Several maps (view_maps.c): a heap per thread, or --compare. */
    size_t compare;         /* --compare: how many settings; else 0 */
    timeline *tls[VIEW_MAX_COMPARE]; /* --compare: one replay each */
    const char *settings[VIEW_MAX_COMPARE]; /* their titles */
    vm_maps maps;
    vm_label *map_labels;   /* every map's labels, heap after heap */
    size_t map_labels_capacity;
    view_model model;
    vm_geometry geo;
    bool fit;               /* the zoom follows the heap until z or Z,
                               and the window the step (vm_fit_blocks) */
    size_t followed;        /* the step the window last followed, or
                               (size_t)-1 for none yet */
    bool colour;            /* false under NO_COLOR or without colours */
    bool help;              /* the help screen is up */
    view_mode help_for;     /* the mode whose keys it shows */
    bool block_mode;        /* the block cursor is on (Tab) */
    size_t cursor;          /* the selected block's offset */
    bool playing;
    size_t speed;           /* index into view_speeds */
    bool prompting;         /* reading the N of "go to step N" */
    char prompt[24];
    char message[VM_LINE_MAX]; /* one line for the status bar, or "" */
    bool quit;
    quiz_controller quiz;
    view_text *text;        /* the lesson's text, or NULL */
    bool panel_open;        /* the side panel is shown whole (P) */
    size_t panel_top;       /* its first line shown there */
    bool has_next;          /* a lesson script follows this one */
    bool go_next;           /* leave for it (set by n, or Right at the end) */
    bool has_previous;      /* a lesson script comes before this one */
    bool go_previous;       /* leave for that one (set by N) */
} view;

/* What one run of the viewer shows, and how it ended. */
typedef struct view_request {
    const char *script;     /* the file */
    const char *title;      /* its name in the title line (NULL: script) */
    const char *heap;       /* --heap options, or NULL */
    const char *compare[VIEW_MAX_COMPARE]; /* --compare's settings */
    size_t compare_count;   /* 0: no --compare */
    bool quiz;
    view_text *text;        /* a lesson's text, or NULL */
    bool has_next;          /* a lesson script follows */
    bool went_next;         /* out: the learner moved on to it */
    quiz_score score;       /* in: the score so far (a lesson's earlier
                               scripts); out: with this script's answers */
    bool has_previous;      /* a lesson script comes before */
    bool went_previous;     /* out: the learner went back to it */
} view_request;

/* view.c: runs the viewer on one script; the screen stays up afterwards
 * for the next one, until view_screen_end().  Returns 0 when the learner
 * quit or moved on, 1 when the terminal or the replay failed, 2 for a
 * mistake in the script (printed on stderr, before the screen starts). */
int view_run(view_request *req);
void view_screen_end(void);

extern const view_speed view_speeds[];
extern const size_t view_speed_count;

/* view_keys.c: does what `key` means in the view's mode (a curses key
 * code, or ERR when the play timer fired). */
void view_key(view *v, int key);
view_mode view_mode_of(const view *v);
/* "on the map", "in block mode" ...: for the help screen's title. */
const char *view_mode_name(view_mode mode);
/* The help screen's lines for `mode`, from the key table: the i-th, or
 * NULL. */
const char *view_help_line(view_mode mode, size_t i, char *buf, size_t size);
/* The hints of the view's mode, from the key table, as many as fit whole
 * in `width` columns, two spaces apart. */
const char *view_hints(const view *v, char *buf, size_t size, size_t width);

/* view_draw.c */
void view_draw_start(view *v);  /* colours, once curses is up */
void view_draw(view *v);        /* the whole screen */
/* Measures the screen: the map's window (v->geo's cells a row and rows)
 * and the side panel's width (v->model.panel_width). */
void view_layout(view *v);

/* view_quiz.c: the quiz keys' actions, through the quiz controller. */
void view_quiz_next(view *v);           /* Right in quiz mode */
void view_quiz_type(view *v, int key);  /* a printable key: an answer */
void view_quiz_enter(view *v);
void view_quiz_erase(view *v);
void view_quiz_skip(view *v);
void view_quiz_moved(view *v);          /* after any other move */
const char *view_quiz_status(const view *v, char *buf, size_t size);

/* view_block.c: the block cursor's actions. */
void view_block_enter(view *v);         /* Tab */
void view_block_leave(view *v);         /* Tab or Escape */
void view_block_move(view *v, int by);  /* the next (1) or previous (-1) */
void view_block_row(view *v, int by);   /* a row down (1) or up (-1) */
void view_block_end(view *v, bool last);/* the first or the last block */
void view_block_follow(view *v);        /* Enter: along the freelist */

/* view_panel.c */
void view_panel_draw(view *v);          /* beside the map */
void view_panel_pane_draw(view *v);     /* whole, full screen */
/* Opens (or closes) the pane, and scrolls it by `lines` (pages:
 * view_panel_rows()), clamped to the panel's lines. */
void view_panel_open(view *v, bool open);
void view_panel_scroll(view *v, long lines);
size_t view_panel_rows(void);           /* the lines the pane shows */

/* view_text.c */
int view_text_load(view_text *t, const char *path);
/* Wraps the text at `width` columns (nothing to do when it already is). */
int view_text_layout(view_text *t, size_t width);
void view_text_free(view_text *t);
/* Scrolls the pane by `lines` (pages: pane_rows), clamped to the text. */
void view_text_scroll(view *v, long lines);
/* A pane's first line, `top`, moved by `lines` (up when negative) and
 * kept where `rows` rows of its `count` lines still show (view_text.c). */
size_t view_scrolled(size_t top, long lines, size_t count, size_t rows);
size_t view_text_rows(void);            /* the lines the pane shows */
void view_text_draw(const view *v);

/* view.c: recomputes the model for the current step and window. */
void view_refresh_model(view *v);

/* view_maps.c: several maps.  True when the view shows more than one
 * (a heap per thread, or --compare). */
bool view_many_maps(const view *v);
/* Builds v->maps for the current step. */
void view_refresh_maps(view *v);
/* The model of the map the panel and the block cursor are about, its heap
 * and its labels. */
view_model *view_selected_model(view *v);
hl_heap *view_selected_heap(view *v);
const vm_label *view_selected_labels(view *v, size_t *count);
/* Every timeline to the same step (--compare: all of them). */
int view_go_all(view *v, size_t position);
/* The first step after the current one with any of `flags` in any of the
 * view's timelines, or 0. */
size_t view_find(const view *v, unsigned flags);
/* c: the next map. */
void view_next_map(view *v);
/* Moves to step `position` (clamped), saying so in the status bar. */
void view_go(view *v, size_t position);

#endif /* HL_VIEW_H */

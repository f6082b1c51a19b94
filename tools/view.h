/* view.h - `heaplab view`: the state its files share.
 *
 *   view.c           the command: options, the script, the main loop, and
 *                    putting the terminal back however the program ends
 *   view_timeline.c  steps and checkpoints: any step, forward or back,
 *                    replayed from the nearest checkpoint
 *   view_model*.c    what is shown, computed without a terminal
 *   view_draw.c      curses: copies a model to the screen, nothing more
 *   view_keys.c      the one table of keys, and what each key does
 */
#ifndef HL_VIEW_H
#define HL_VIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "view_model.h"
#include "view_timeline.h"

/* The smallest terminal the viewer draws in. */
#define VIEW_MIN_COLS 80
#define VIEW_MIN_ROWS 20
/* The side panel's width, and the map's gutter (the row's offset). */
#define VIEW_PANEL_COLS 40
#define VIEW_GUTTER_COLS 9

/* Play speeds: a step (or several) every so many milliseconds. */
typedef struct view_speed {
    int delay_ms;
    size_t steps;
} view_speed;

typedef struct view {
    const char *title;      /* the script's file name */
    timeline *tl;
    view_model model;
    vm_geometry geo;
    bool fit;               /* the zoom follows the heap until z or Z */
    bool colour;            /* false under NO_COLOR or without colours */
    bool help;              /* the help screen is up */
    bool playing;
    size_t speed;           /* index into view_speeds */
    bool prompting;         /* reading the N of "go to step N" */
    char prompt[24];
    char message[VM_LINE_MAX]; /* one line for the status bar, or "" */
    bool quit;
} view;

extern const view_speed view_speeds[];
extern const size_t view_speed_count;

/* view_keys.c: does what `key` means (a curses key code, or ERR when the
 * play timer fired). */
void view_key(view *v, int key);
/* The help screen's lines, from the key table: i-th line, or NULL. */
const char *view_help_line(size_t i, char *buf, size_t size);

/* view_draw.c */
void view_draw_start(view *v);  /* colours, once curses is up */
void view_draw(view *v);        /* the whole screen */
/* The window the map gets in a screen of cols x rows. */
void view_map_size(int cols, int rows, size_t *cells, size_t *lines);

/* view.c: recomputes the model for the current step and window. */
void view_refresh_model(view *v);
/* Moves to step `position` (clamped), saying so in the status bar. */
void view_go(view *v, size_t position);

#endif /* HL_VIEW_H */

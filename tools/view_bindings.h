/* view_bindings.h - the key table of `heaplab view`: its rows' shape, the
 * classes of keys a row may take, and the table itself.  Filled in by
 * view_bindings.c, read by view_keys.c; not used outside them.
 */
#ifndef HL_VIEW_BINDINGS_H
#define HL_VIEW_BINDINGS_H

#include <curses.h>

#include "view.h"

/* Classes of keys, after curses' own codes: a row with one of them takes
 * any key of the class that no single-key row of its mode takes. */
enum {
    KEYS_DIGIT = KEY_MAX + 1,   /* 0 to 9 */
    KEYS_PRINTABLE,             /* a printable character */
    KEYS_OTHER,                 /* any key at all */
    KEY_ESCAPE = 27,
    KEY_TAB = '\t'
};

/* Every mode's rows: for KEY_RESIZE. */
#define ALL_MODES VIEW_MODES

/* Where a row's hint shows: in every view, or only outside a lesson, or
 * only in one (where the lesson's keys matter more than the jumps). */
enum { EVERYWHERE, NOT_IN_LESSONS, IN_LESSONS, MANY_MAPS };

typedef void (*view_action)(view *v);
typedef void (*view_key_action)(view *v, int key);

/* A row: the keys it takes in its mode, and what they do. */
struct binding {
    view_mode mode;
    int keys[4];        /* curses key codes; unused slots are 0 */
    const char *names;  /* the keys as the help screen spells them */
    const char *what;   /* NULL: not shown in help */
    const char *hint;   /* on the status line (NULL: none), in table order */
    int where;          /* of the hint */
    bool jumps;         /* moves past steps that a quiz does not ask */
    view_action action;
    view_key_action key_action; /* instead, for rows that need the key */
};

/* The rows, mode by mode (view_bindings.c), and how many. */
extern const struct binding bindings[];
extern const size_t binding_count;
#define NBINDINGS binding_count

#endif /* HL_VIEW_BINDINGS_H */

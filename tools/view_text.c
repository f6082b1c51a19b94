/* view_text.c - a lesson's text (its README.md) in a pane that scrolls.
 *
 * The file is read once and cut into lines no wider than the pane, at
 * spaces where it can be; the lines that only hold a marked claim for the
 * tests ("<!-- expect: ... -->") are left out.  The pane covers the map while it is open: `t`
 * opens it, and `t`, q or Escape close it; arrows and pages scroll.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "view.h"

static int add_line(view_text *t, const char *text, size_t len)
{
    char **lines, *copy;

    if (!(copy = malloc(len + 1)))
        return -1;
    memcpy(copy, text, len);
    copy[len] = '\0';
    if (!(lines = realloc(t->lines, (t->count + 1) * sizeof *lines))) {
        free(copy);
        return -1;
    }
    t->lines = lines;
    t->lines[t->count++] = copy;
    return 0;
}

/* One line of the file, cut into pieces of at most `width` columns. */
static int add_wrapped(view_text *t, const char *text, size_t len,
                       size_t width)
{
    do {
        size_t n = len;
        if (n > width) {
            n = width;
            while (n > width / 2 && text[n] != ' ')
                n--;
            if (text[n] != ' ')
                n = width;
        }
        if (add_line(t, text, n) != 0)
            return -1;
        while (n < len && text[n] == ' ')
            n++;
        text += n;
        len -= n;
    } while (len > 0);
    return 0;
}

int view_text_load(view_text *t, const char *path, size_t width)
{
    FILE *f = fopen(path, "r");
    char line[4096];
    int rc = 0;

    memset(t, 0, sizeof *t);
    t->path = path;
    if (!f)
        return -1;
    while (rc == 0 && fgets(line, sizeof line, f)) {
        size_t len = strcspn(line, "\r\n");
        if (!strncmp(line, "<!-- expect:", 12))
            continue;   /* for tests/lessons.sh, not for the learner */
        rc = add_wrapped(t, line, len, width);
    }
    fclose(f);
    return rc;
}

void view_text_free(view_text *t)
{
    size_t i;

    for (i = 0; i < t->count; i++)
        free(t->lines[i]);
    free(t->lines);
    t->lines = NULL;
    t->count = 0;
}

/* The rows the pane shows: all but the title and the status line. */
static size_t pane_rows(void)
{
    return LINES > 3 ? (size_t)(LINES - 2) : 1;
}

void view_text_key(view *v, int key)
{
    view_text *t = v->text;
    size_t rows = pane_rows();
    size_t last = t->count > rows ? t->count - rows : 0;

    switch (key) {
    case 't': case 'q': case 'Q': case 27:
        t->open = false;
        return;
    case KEY_UP: case 'k':
        t->top = t->top > 0 ? t->top - 1 : 0;
        break;
    case KEY_DOWN: case 'j': case '\n':
        t->top++;
        break;
    case KEY_PPAGE: case 'b':
        t->top = t->top > rows ? t->top - rows : 0;
        break;
    case KEY_NPAGE: case ' ':
        t->top += rows;
        break;
    case KEY_HOME: case '<':
        t->top = 0;
        break;
    case KEY_END: case '>':
        t->top = last;
        break;
    default:
        break;
    }
    if (t->top > last)
        t->top = last;
}

void view_text_draw(const view *v)
{
    const view_text *t = v->text;
    size_t rows = pane_rows(), i;
    char title[256];

    snprintf(title, sizeof title, " lesson text: %s   lines %zu-%zu of %zu",
             t->path, t->count ? t->top + 1 : 0,
             t->top + rows < t->count ? t->top + rows : t->count, t->count);
    attron(A_REVERSE);
    mvhline(0, 0, ' ', COLS);
    mvaddnstr(0, 0, title, COLS);
    attroff(A_REVERSE);
    for (i = 0; i < rows && t->top + i < t->count; i++)
        mvaddnstr((int)i + 1, 1, t->lines[t->top + i], COLS - 2);
    mvaddnstr(LINES - 1, 0,
              "Up/Down PgUp/PgDn scroll   t, q or Esc: back to the heap",
              COLS);
}

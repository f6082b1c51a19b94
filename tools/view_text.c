/* view_text.c - a lesson's text (its README.md) in a pane that scrolls.
 *
 * The file is read once, as markdown's blocks: the lines of a paragraph
 * or of a list item are joined into one, and its `**` (bold) marks are
 * left out; headings and code (indented four spaces, or fenced) stay as
 * they are, and a table's row is a line of its own, wrapped (with its
 * continuation two columns in) only when it is wider than the pane: a
 * row cut at the edge would lose its last cells.  A line that is only an
 * HTML comment is left out too, as a markdown reader hides it: those are
 * the marks the tests read ("<!-- expect: ... -->", "<!-- output -->",
 * "<!-- not run: ... -->"), not for the learner.  The blocks are then
 * wrapped at words to the pane's width (vm_wrap, as the side panel is),
 * again whenever the width changes.  The pane covers the map while it is open:
 * `t` opens it, and `t`, q or Escape close it; arrows and pages scroll
 * (the text pane's rows of the key table, in view_bindings.c).
 */
#include <ctype.h>
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "view.h"

/* ---------------------------------------------------------------------------
 * Reading: the file as blocks
 * ------------------------------------------------------------------------- */

/* A copy of text[0, len), without the `**` marks outside `code`. */
static char *prose_copy(const char *text, size_t len)
{
    char *copy = malloc(len + 1), *out = copy;
    bool code = false;
    size_t i;

    if (!copy)
        return NULL;
    for (i = 0; i < len; i++) {
        if (text[i] == '`')
            code = !code;
        if (!code && text[i] == '*' && i + 1 < len && text[i + 1] == '*') {
            i++;
            continue;
        }
        *out++ = text[i];
    }
    *out = '\0';
    return copy;
}

static char *copy_of(const char *text, size_t len)
{
    char *copy = malloc(len + 1);

    if (copy) {
        memcpy(copy, text, len);
        copy[len] = '\0';
    }
    return copy;
}

static int add_block(view_text *t, char *text, size_t hang, bool verbatim)
{
    view_text_block *blocks;

    if (!text)
        return -1;
    blocks = realloc(t->blocks, (t->block_count + 1) * sizeof *blocks);
    if (!blocks) {
        free(text);
        return -1;
    }
    t->blocks = blocks;
    t->blocks[t->block_count++] = (view_text_block){text, hang, verbatim};
    return 0;
}

/* "- ", "* " or "12. " at the start of text: the marker's width, or 0. */
static size_t list_marker(const char *text)
{
    size_t n = 0;

    if ((text[0] == '-' || text[0] == '*') && text[1] == ' ')
        return 2;
    while (isdigit((unsigned char)text[n]))
        n++;
    return n > 0 && text[n] == '.' && text[n + 1] == ' ' ? n + 2 : 0;
}

/* The paragraph being joined: its text so far and its hang. */
typedef struct paragraph {
    char *text;
    size_t len, hang;
} paragraph;

static int paragraph_end(view_text *t, paragraph *p)
{
    int rc = 0;

    if (p->text)
        rc = add_block(t, prose_copy(p->text, p->len), p->hang, false);
    free(p->text);
    memset(p, 0, sizeof *p);
    return rc;
}

/* Adds a line to the paragraph, after a space. */
static int paragraph_add(paragraph *p, const char *line, size_t len)
{
    char *text = realloc(p->text, p->len + len + 2);

    if (!text)
        return -1;
    if (p->len)
        text[p->len++] = ' ';
    memcpy(text + p->len, line, len);
    p->len += len;
    text[p->len] = '\0';
    p->text = text;
    return 0;
}

/* One line of the file. */
static int read_line(view_text *t, paragraph *p, bool *fenced,
                     const char *line, size_t len)
{
    size_t indent = strspn(line, " "), marker = list_marker(line + indent);

    if (!strncmp(line, "```", 3)) {
        *fenced = !*fenced;
        return paragraph_end(t, p) ? -1 : add_block(t, copy_of(line, len), 0,
                                                    true);
    }
    if (*fenced || (indent >= 4 && !p->text))
        return add_block(t, copy_of(line, len), 0, true);
    if (indent == len || line[0] == '#' || line[0] == '|') {
        if (paragraph_end(t, p) != 0)
            return -1;
        return add_block(t, prose_copy(line, indent == len ? 0 : len),
                         line[0] == '|' ? 2 : 0, line[0] != '|');
    }
    if (marker && paragraph_end(t, p) != 0)
        return -1;
    if (!p->text)
        p->hang = indent + marker;
    else
        line += indent, len -= indent;
    return paragraph_add(p, line, len);
}

/* Whether the line holds one HTML comment and nothing else but blanks. */
static bool is_comment_line(const char *line)
{
    size_t len;

    while (*line == ' ' || *line == '\t')
        line++;
    len = strcspn(line, "\r\n");
    while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\t'))
        len--;
    return len >= 7 && !strncmp(line, "<!--", 4) &&
           !strncmp(line + len - 3, "-->", 3);
}

int view_text_load(view_text *t, const char *path)
{
    FILE *f = fopen(path, "r");
    char line[4096];
    paragraph p = {NULL, 0, 0};
    bool fenced = false;
    int rc = 0;

    memset(t, 0, sizeof *t);
    t->path = path;
    if (!f)
        return -1;
    while (rc == 0 && fgets(line, sizeof line, f)) {
        if (is_comment_line(line))
            continue;
        rc = read_line(t, &p, &fenced, line, strcspn(line, "\r\n"));
    }
    if (paragraph_end(t, &p) != 0)
        rc = -1;
    fclose(f);
    return rc;
}

/* ---------------------------------------------------------------------------
 * Laying out: the blocks as lines of the pane's width
 * ------------------------------------------------------------------------- */

static int add_line(view_text *t, size_t indent, const char *text,
                    size_t len)
{
    char **lines, *copy;

    if (!(copy = malloc(indent + len + 1)))
        return -1;
    memset(copy, ' ', indent);
    memcpy(copy + indent, text, len);
    copy[indent + len] = '\0';
    if (!(lines = realloc(t->lines, (t->count + 1) * sizeof *lines))) {
        free(copy);
        return -1;
    }
    t->lines = lines;
    t->lines[t->count++] = copy;
    return 0;
}

static void free_lines(view_text *t)
{
    size_t i;

    for (i = 0; i < t->count; i++)
        free(t->lines[i]);
    free(t->lines);
    t->lines = NULL;
    t->count = 0;
}

static int add_wrapped(view_text *t, const view_text_block *b, size_t width)
{
    const char *text = b->text;
    size_t len = strlen(text), hang = b->hang < width / 2 ? b->hang : 0;
    size_t skip = 0, next, n;

    if (b->verbatim)
        return add_line(t, 0, text, len);
    do {
        n = vm_wrap(text, len, width - skip, &next);
        if (add_line(t, skip, text, n) != 0)
            return -1;
        text += next;
        len -= next;
        skip = hang;
    } while (len > 0);
    return 0;
}

int view_text_layout(view_text *t, size_t width)
{
    size_t i, old_count = t->count;

    if (width < 20)
        width = 20;
    if (width == t->width && t->lines)
        return 0;
    free_lines(t);
    t->width = width;
    for (i = 0; i < t->block_count; i++)
        if (add_wrapped(t, &t->blocks[i], width) != 0)
            return -1;
    /* About the same place in the text. */
    if (old_count > 0)
        t->top = t->top * t->count / old_count;
    return 0;
}

void view_text_free(view_text *t)
{
    size_t i;

    free_lines(t);
    for (i = 0; i < t->block_count; i++)
        free(t->blocks[i].text);
    free(t->blocks);
    t->blocks = NULL;
    t->block_count = 0;
}

/* ---------------------------------------------------------------------------
 * The pane
 * ------------------------------------------------------------------------- */

/* The rows the pane shows: all but the title and the status line. */
size_t view_text_rows(void)
{
    return LINES > 3 ? (size_t)(LINES - 2) : 1;
}

size_t view_scrolled(size_t top, long lines, size_t count, size_t rows)
{
    size_t last = count > rows ? count - rows : 0;

    if (lines < 0 && (size_t)-lines > top)
        top = 0;
    else if (lines > 0 && (size_t)lines > last)
        top = last;
    else
        top += (size_t)lines;
    return top > last ? last : top;
}

void view_text_scroll(view *v, long lines)
{
    view_text *t = v->text;

    t->top = view_scrolled(t->top, lines, t->count, view_text_rows());
}

void view_text_draw(const view *v)
{
    const view_text *t = v->text;
    size_t rows = view_text_rows(), i;
    char hints[VM_LINE_MAX * 2];
    char lines[64], path[256], title[512];
    int room;

    snprintf(lines, sizeof lines, "   lines %zu-%zu of %zu",
             t->count ? t->top + 1 : 0,
             t->top + rows < t->count ? t->top + rows : t->count, t->count);
    room = COLS - (int)strlen(" lesson text: ") - (int)strlen(lines);
    snprintf(title, sizeof title, " lesson text: %s%s",
             vm_shorten_left(path, sizeof path, t->path,
                             room > 16 ? (size_t)room : 16), lines);
    attron(A_REVERSE);
    mvhline(0, 0, ' ', COLS);
    mvaddnstr(0, 0, title, COLS);
    attroff(A_REVERSE);
    for (i = 0; i < rows && t->top + i < t->count; i++)
        mvaddnstr((int)i + 1, 1, t->lines[t->top + i], COLS - 2);
    mvaddnstr(LINES - 1, 0,
              view_hints(v, hints, sizeof hints, (size_t)COLS - 1), COLS);
}

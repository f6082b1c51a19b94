/* script.c - reading a script: the line loop, the table of operations,
 * and the note and thread lines (the operations a, f, r, c, m and check
 * are in script_calls.c, heap lines in script_heap.c, expect lines in
 * script_expect.c, IDs in script_ids.c).
 *
 * The parser works on its own copy of the source.  It cuts the copy into
 * lines in place (each newline becomes a NUL), so every operation can keep
 * a pointer to its source line for free.  Notes and ID names are copied
 * into one pool allocated once: each line adds at most its own length to
 * the pool, so a pool as long as the source never fills up and pointers
 * into it stay valid while parsing goes on.
 *
 * Memory: one array of operations growing by doubling, the pool, the ID
 * table; nothing is allocated per line.  That keeps a million-line trace
 * well under a second.  Reading a file is in script_file.c.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "script_parse.h"

/* ---------------------------------------------------------------------------
 * The pools
 * ------------------------------------------------------------------------- */

const char *strings_add(parser *p, const char *text, size_t len)
{
    char *at = p->script->strings + p->strings_len;

    if (len + 1 > p->strings_capacity - p->strings_len)
        return NULL; /* cannot happen: see the comment at the top */
    memcpy(at, text, len);
    at[len] = '\0';
    p->strings_len += len + 1;
    return at;
}

bool numbers_add(parser *p, size_t value)
{
    hl_script *s = p->script;

    if (p->numbers_len == p->numbers_capacity) {
        size_t capacity = p->numbers_capacity ? p->numbers_capacity * 2 : 16;
        size_t *numbers = realloc(s->numbers, capacity * sizeof *numbers);
        if (!numbers)
            return false;
        s->numbers = numbers;
        p->numbers_capacity = capacity;
    }
    s->numbers[p->numbers_len++] = value;
    return true;
}

const size_t *script_expect_freelist(const hl_script *script,
                                     const script_op *op)
{
    return script->numbers ? script->numbers + op->freelist_at : NULL;
}

/* ---------------------------------------------------------------------------
 * Operations
 * ------------------------------------------------------------------------- */

static const struct op_command {
    const char *name;
    script_op_kind kind;
    bool (*parse)(parser *p, cursor *c, script_op *op);
} op_commands[] = {
    {"a", SCRIPT_ALLOC, parse_alloc},
    {"f", SCRIPT_FREE, parse_free},
    {"r", SCRIPT_REALLOC, parse_realloc},
    {"c", SCRIPT_CALLOC, parse_calloc},
    {"m", SCRIPT_MEMALIGN, parse_memalign},
    {"check", SCRIPT_CHECK, parse_check},
    {"expect", SCRIPT_EXPECT, parse_expect},
};

#define NOP_COMMANDS (sizeof op_commands / sizeof op_commands[0])

const char *script_op_name(script_op_kind kind)
{
    return (unsigned)kind < NOP_COMMANDS ? op_commands[kind].name : "?";
}

/* A new operation at the end of the array, for the line being read. */
static script_op *new_op(parser *p, const char *source)
{
    hl_script *s = p->script;
    script_op *op;

    if (s->nops == p->ops_capacity) {
        size_t capacity = p->ops_capacity ? p->ops_capacity * 2 : 256;
        script_op *ops = realloc(s->ops, capacity * sizeof *ops);
        if (!ops)
            return NULL;
        s->ops = ops;
        p->ops_capacity = capacity;
    }
    op = &s->ops[s->nops++];
    memset(op, 0, sizeof *op);
    op->line = p->line;
    op->thread = p->thread;
    op->id = SCRIPT_NO_ID;
    op->source = source;
    op->note = p->pending_note;
    p->pending_note = NULL;
    p->seen_op = true;
    return op;
}

/* ---------------------------------------------------------------------------
 * Lines
 * ------------------------------------------------------------------------- */

/* note TEXT: the rest of the line, up to a comment.  Notes on consecutive
 * lines before one operation are joined with newlines; the pending note is
 * always the last thing in the pool, so joining only appends to it. */
static bool parse_note(parser *p, cursor *c)
{
    word first = cursor_next(c);
    const char *end = c->end;
    const char *added;

    if (first.len == 0)
        return parse_error(p, "expected text after 'note', got end of line");
    while (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r')
        end--;
    if (p->pending_note) /* its NUL becomes the newline between the two */
        p->script->strings[p->strings_len - 1] = '\n';
    added = strings_add(p, first.start, (size_t)(end - first.start));
    if (!added)
        return parse_error(p, "out of memory");
    if (!p->pending_note) {
        p->pending_note = added;
        p->pending_note_line = p->line;
    }
    return true;
}

/* thread N: the operations that follow run on thread N.  A note before it
 * stays pending for the next operation, which is on the new thread. */
static bool parse_thread(parser *p, cursor *c)
{
    size_t n;

    if (!parse_number_after(p, c, "a thread number", "thread", &n))
        return false;
    if (n < 1 || n > SCRIPT_MAX_THREADS)
        return parse_error(p, "expected a thread number from 1 to %d after "
                           "'thread', got %zu", SCRIPT_MAX_THREADS, n);
    if (!parse_line_end(p, c, "thread N"))
        return false;
    p->thread = (unsigned)n;
    if (p->thread > p->script->nthreads)
        p->script->nthreads = p->thread;
    return true;
}

/* A line that is one number, at the top of the file: a .rep header. */
static bool is_header_line(parser *p, word first, cursor *c)
{
    cursor rest = *c;

    return !p->seen_command && p->header_lines < 4 &&
           word_is_number(first) && cursor_next(&rest).len == 0;
}

static bool unknown_command(parser *p, word w)
{
    char seen[64];

    word_describe(w, seen, sizeof seen);
    if (!p->seen_command && word_is_number(w))
        return parse_error(p, "expected a command, got the number %s; a "
                           ".rep header has at most 4 lines", seen);
    return parse_error(p, "unknown command %s; expected a, f, r, c, m, "
                       "heap, thread, note, check or expect", seen);
}

static bool parse_line(parser *p, const char *line)
{
    cursor c;
    word command;
    script_op *op;
    size_t i;

    cursor_start(&c, line);
    command = cursor_next(&c);
    if (command.len == 0)
        return true;
    if (is_header_line(p, command, &c)) {
        size_t suggested = 0;
        if (p->header_lines++ == 0 &&
            parse_number(command, &suggested) == NUMBER_OK)
            p->script->trace_heap_size = suggested;
        p->script->is_trace = true;
        return true;
    }
    for (i = 0; i < NOP_COMMANDS; i++)
        if (word_is(command, op_commands[i].name))
            break;
    if (i == NOP_COMMANDS && !word_is(command, "heap") &&
        !word_is(command, "note") && !word_is(command, "thread"))
        return unknown_command(p, command);
    p->seen_command = true;
    if (word_is(command, "heap"))
        return parse_heap_line(p, &c);
    if (word_is(command, "thread"))
        return parse_thread(p, &c);
    if (word_is(command, "note"))
        return parse_note(p, &c);
    if (!(op = new_op(p, line)))
        return parse_error(p, "out of memory");
    op->kind = op_commands[i].kind;
    return op_commands[i].parse(p, &c, op);
}

/* Cuts the text into lines and parses each; stops at the first mistake. */
static bool parse_lines(parser *p, char *text, size_t len)
{
    char *line = text, *end = text + len;

    while (line < end) {
        char *newline = memchr(line, '\n', (size_t)(end - line));
        char *next = newline ? newline + 1 : end;
        if (newline) {
            *newline = '\0';
            if (newline > line && newline[-1] == '\r')
                newline[-1] = '\0';
        }
        p->line++;
        if (!parse_line(p, line))
            return false;
        line = next;
    }
    if (p->pending_note) {
        p->line = p->pending_note_line;
        return parse_error(p, "a note must come before an operation, and "
                           "none follows this one");
    }
    return true;
}

/* ---------------------------------------------------------------------------
 * Scripts
 * ------------------------------------------------------------------------- */

static size_t add_saturating(size_t a, size_t b)
{
    return a > SIZE_MAX - b ? SIZE_MAX : a + b;
}

size_t script_op_bytes(const script_op *op)
{
    if (op->kind == SCRIPT_CALLOC)
        return op->size && op->count > SIZE_MAX / op->size
                   ? SIZE_MAX : op->count * op->size;
    return op->size;
}

/* More than any block adds to what it holds: rounding to 16, a header,
 * the alignment of the heap's first object, a minimum block. */
#define BLOCK_EXTRA ((size_t)64)

/* What the allocations ask, each with BLOCK_EXTRA, and an aligned one
 * with room for a padding block in front: what script_capacity() needs
 * to hold a trace. */
static void count_allocations(hl_script *s)
{
    size_t i;

    for (i = 0; i < s->nops; i++) {
        const script_op *op = &s->ops[i];
        size_t bytes = script_op_bytes(op), extra = BLOCK_EXTRA;

        if (op->kind == SCRIPT_FREE || op->kind == SCRIPT_CHECK ||
            op->kind == SCRIPT_EXPECT)
            continue;
        if (op->kind == SCRIPT_MEMALIGN)
            extra = add_saturating(extra, 2 * op->align);
        s->alloc_bytes = add_saturating(s->alloc_bytes,
                                        add_saturating(bytes, extra));
        s->nallocs++;
    }
}

void script_free(hl_script *script)
{
    if (!script)
        return;
    free(script->name);
    free(script->text);
    free(script->ops);
    free(script->id_names);
    free(script->numbers);
    free(script->strings);
    free(script);
}

void script_set_error(char *err, size_t errlen, const char *name,
                      const char *what)
{
    if (err && errlen)
        snprintf(err, errlen, "%s: %s", name, what);
}

hl_script *script_parse_owned(const char *name, char *text, size_t len,
                              char *err, size_t errlen)
{
    hl_script *s = calloc(1, sizeof *s);
    parser p;
    bool ok;

    memset(&p, 0, sizeof p);
    if (!s || !(s->name = strdup(name)) || !(s->strings = malloc(len + 1)) ||
        !ids_init(&p.ids)) {
        script_set_error(err, errlen, name, "out of memory");
        if (s)
            s->text = text;
        else
            free(text);
        script_free(s);
        return NULL;
    }
    s->text = text;
    script_heap_default(&s->heap);
    s->nthreads = 1;
    p.thread = 1;
    p.script = s;
    p.err = err;
    p.errlen = errlen;
    p.strings_capacity = len + 1;
    ok = parse_lines(&p, text, len);
    ids_release(&p.ids);
    if (!ok) {
        script_free(s);
        return NULL;
    }
    count_allocations(s);
    return s;
}

hl_script *script_parse_string(const char *name, const char *text,
                               char *err, size_t errlen)
{
    size_t len = strlen(text);
    char *copy = malloc(len + 1);

    if (!copy) {
        script_set_error(err, errlen, name, "out of memory");
        return NULL;
    }
    memcpy(copy, text, len + 1);
    return script_parse_owned(name, copy, len, err, errlen);
}

/* script_parse.h - what the files of the script parser share: the parser's
 * state, the words of a line, numbers, IDs and error messages.  Not used
 * outside script*.c.
 *
 * The parser walks the source one line at a time.  A line is cut into
 * words at blanks; '#' ends it.  Each command's parser takes the words it
 * needs from a cursor and complains, naming what it expected, when a word
 * is missing or wrong.  The first complaint stops everything: the parser
 * never goes on after a mistake.
 */
#ifndef HL_SCRIPT_PARSE_H
#define HL_SCRIPT_PARSE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "script.h"

/* One word of a line: not NUL-terminated.  len == 0 means "no more words". */
typedef struct word {
    const char *start;
    size_t len;
} word;

/* Where the next word of a line is.  `end` is the line's end or its '#'. */
typedef struct cursor {
    const char *at, *end;
} cursor;

/* What the parser knows of one ID while it reads: whether it is live (an
 * allocation seen and no free since) and the line of its last operation. */
typedef struct id_state {
    unsigned line;
    bool live;
} id_state;

/* A slot of the hash table: the ID's index + 1 (0: empty), and its name's
 * hash, so that a probe rarely needs to look at the name itself. */
typedef struct id_slot {
    uint32_t hash;
    uint32_t id_plus_one;
} id_slot;

/* A hash table from ID names to dense indexes; the names themselves are
 * kept in the script (id_names). */
typedef struct id_table {
    id_slot *slots;
    size_t nslots;       /* a power of two, at least twice the IDs */
    id_state *states;    /* one per ID */
    size_t capacity;     /* of states and the script's id_names */
} id_table;

typedef struct parser {
    hl_script *script;
    unsigned line;       /* the line being read */
    char *err;
    size_t errlen;
    size_t ops_capacity;
    size_t numbers_len, numbers_capacity;
    size_t strings_len, strings_capacity;
    id_table ids;
    bool seen_command;   /* a line that is not part of a .rep header */
    bool seen_op;        /* an operation (not `heap` or `note`) */
    unsigned header_lines; /* single numbers skipped as a .rep header */
    unsigned thread;     /* the last `thread N`, 1 before any */
    const char *pending_note; /* for the next operation, or NULL */
    unsigned pending_note_line;
} parser;

/* script_words.c: words, numbers and messages */
void cursor_start(cursor *c, const char *line);
word cursor_next(cursor *c);
/* True when the word is spelled `text`.  Inline: the parser asks this of
 * every line, several times. */
static inline bool word_is(word w, const char *text)
{
    return strlen(text) == w.len && memcmp(w.start, text, w.len) == 0;
}
bool word_is_number(word w);
/* What a word looks like in a message: 'x12', or "end of line". */
const char *word_describe(word w, char *buf, size_t size);

typedef enum number_result {
    NUMBER_OK,
    NUMBER_BAD,         /* not digits with an optional K, M or G */
    NUMBER_TOO_BIG      /* does not fit in a size_t */
} number_result;
number_result parse_number(word w, size_t *value);

/* Writes "NAME:LINE: message" to the parser's err; returns false. */
bool parse_error(parser *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Reads a number that must follow `after`, e.g. a size after 'a ID'. */
bool parse_number_after(parser *p, cursor *c, const char *what,
                        const char *after, size_t *value);
/* Fails unless the line has no words left after `after`. */
bool parse_line_end(parser *p, cursor *c, const char *after);

/* script_ids.c: the ID table */
bool ids_init(id_table *ids);
void ids_release(id_table *ids);
/* The ID named by word w; creates it when `create` (as not live) and it is
 * new.  Returns its index, or SCRIPT_NO_ID when it is unknown and not
 * created, or when memory ran out (then *no_memory is set). */
size_t ids_find(parser *p, word w, bool create, bool *no_memory);
/* Reads the ID after `after`; checks that it is a word or a number. */
bool parse_id_word(parser *p, cursor *c, const char *after, word *w);
/* The ID of an `a`, `c`, `m` or `r` line, which makes it live.  Reusing a
 * live ID is an error unless `may_be_live` (r). */
bool ids_allocate(parser *p, word w, bool may_be_live, size_t *id);
/* The ID of an `f` line, which must be live and stops being so. */
bool ids_free(parser *p, word w, size_t *id);
/* An ID that an `expect` names: live, or just known when `need_live` is
 * false. */
bool ids_lookup(parser *p, word w, bool need_live, size_t *id);

/* script_heap.c: the `heap` line */
bool parse_heap_line(parser *p, cursor *c);

/* script_calls.c: the operations a, f, r, c, m and check */
bool parse_alloc(parser *p, cursor *c, script_op *op);
bool parse_free(parser *p, cursor *c, script_op *op);
bool parse_realloc(parser *p, cursor *c, script_op *op);
bool parse_calloc(parser *p, cursor *c, script_op *op);
bool parse_memalign(parser *p, cursor *c, script_op *op);
bool parse_check(parser *p, cursor *c, script_op *op);

/* script_expect.c */
bool parse_expect(parser *p, cursor *c, script_op *op);

/* script.c: the pool of notes and names, the freelist numbers, and the
 * parse of a whole text (len bytes, NUL-terminated), which the script takes
 * over. */
const char *strings_add(parser *p, const char *text, size_t len);
bool numbers_add(parser *p, size_t value);
hl_script *script_parse_owned(const char *name, char *text, size_t len,
                              char *err, size_t errlen);
/* Writes "NAME: what" to err. */
void script_set_error(char *err, size_t errlen, const char *name,
                      const char *what);

#endif /* HL_SCRIPT_PARSE_H */

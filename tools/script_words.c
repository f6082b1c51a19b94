/* script_words.c - the smallest pieces of the script language: words,
 * numbers, and the messages that say what was expected.
 *
 * Words are separated by blanks (spaces, tabs, and the '\r' of a file
 * written on Windows).  A number is decimal digits with an optional suffix
 * K, M or G (times 1024, 1024^2, 1024^3); one that does not fit in a size_t
 * is an error of its own, so that a message can tell "not a number" from
 * "too big".
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "script_parse.h"

/* Words longer than this are cut short in messages. */
#define MESSAGE_WORD_MAX 40

static bool is_blank(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\v' || ch == '\f';
}

static bool is_digit(char ch)
{
    return ch >= '0' && ch <= '9';
}

/* Starts reading the words of a NUL-terminated line; a '#' ends it. */
void cursor_start(cursor *c, const char *line)
{
    const char *hash = strchr(line, '#');

    c->at = line;
    c->end = hash ? hash : line + strlen(line);
}

word cursor_next(cursor *c)
{
    word w;

    while (c->at < c->end && is_blank(*c->at))
        c->at++;
    w.start = c->at;
    while (c->at < c->end && !is_blank(*c->at))
        c->at++;
    w.len = (size_t)(c->at - w.start);
    return w;
}

bool word_is(word w, const char *text)
{
    return strlen(text) == w.len && memcmp(w.start, text, w.len) == 0;
}

/* True when the word is digits only (a number without a suffix). */
bool word_is_number(word w)
{
    size_t i;

    for (i = 0; i < w.len; i++)
        if (!is_digit(w.start[i]))
            return false;
    return w.len > 0;
}

const char *word_describe(word w, char *buf, size_t size)
{
    if (w.len == 0)
        snprintf(buf, size, "end of line");
    else if (w.len > MESSAGE_WORD_MAX)
        snprintf(buf, size, "'%.*s...'", MESSAGE_WORD_MAX, w.start);
    else
        snprintf(buf, size, "'%.*s'", (int)w.len, w.start);
    return buf;
}

/* The multiplier of a suffix letter, or 0 when it is not one. */
static size_t suffix_multiplier(char letter)
{
    switch (letter) {
    case 'K': return (size_t)1 << 10;
    case 'M': return (size_t)1 << 20;
    case 'G': return (size_t)1 << 30;
    default: return 0;
    }
}

number_result parse_number(word w, size_t *value)
{
    size_t digits = w.len, multiplier = 1, n = 0, i;

    if (w.len > 1 && !is_digit(w.start[w.len - 1])) {
        multiplier = suffix_multiplier(w.start[w.len - 1]);
        digits--;
    }
    if (digits == 0 || multiplier == 0)
        return NUMBER_BAD;
    for (i = 0; i < digits; i++)
        if (!is_digit(w.start[i]))
            return NUMBER_BAD;
    for (i = 0; i < digits; i++) {
        size_t digit = (size_t)(w.start[i] - '0');
        if (n > (SIZE_MAX - digit) / 10)
            return NUMBER_TOO_BIG;
        n = n * 10 + digit;
    }
    if (n > SIZE_MAX / multiplier)
        return NUMBER_TOO_BIG;
    *value = n * multiplier;
    return NUMBER_OK;
}

bool parse_error(parser *p, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (!p->err || p->errlen == 0)
        return false;
    n = snprintf(p->err, p->errlen, "%s:%u: ", p->script->name, p->line);
    if (n >= 0 && (size_t)n < p->errlen) {
        va_start(ap, fmt);
        vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return false;
}

/* `what` names the number ("a size"), `after` what comes before it on the
 * line ("a ID"), for messages such as
 * "expected a size after 'a ID', got 'x12'". */
bool parse_number_after(parser *p, cursor *c, const char *what,
                        const char *after, size_t *value)
{
    char seen[MESSAGE_WORD_MAX + 8];
    word w = cursor_next(c);

    switch (w.len ? parse_number(w, value) : NUMBER_BAD) {
    case NUMBER_OK:
        return true;
    case NUMBER_TOO_BIG:
        return parse_error(p, "%s after '%s' is out of range: %s", what,
                           after, word_describe(w, seen, sizeof seen));
    case NUMBER_BAD:
    default:
        return parse_error(p, "expected %s after '%s', got %s", what, after,
                           word_describe(w, seen, sizeof seen));
    }
}

bool parse_line_end(parser *p, cursor *c, const char *after)
{
    char seen[MESSAGE_WORD_MAX + 8];
    word w = cursor_next(c);

    if (w.len == 0)
        return true;
    return parse_error(p, "unexpected %s after '%s'",
                       word_describe(w, seen, sizeof seen), after);
}

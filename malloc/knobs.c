/* knobs.c - reading the heap's knobs from the environment, without malloc.
 *
 * This runs inside the first call to malloc, so it may not allocate: no
 * strdup of what getenv() returns, no stdio, no strtok.  HEAPLAB_HEAP is
 * copied into a buffer on the stack and cut into words there; each word is
 * KEY=VALUE.  The library's own keys (preset, align, fit, order, merge,
 * place, cache, heaps) go
 * to hl_config_set() in the order they are written, so `preset=` first and
 * single knobs after it.  The keys of this library are grower=mmap|brk,
 * increment=SIZE (the grower's minimum increment) and reserve=SIZE (the
 * address space each heap's mmap grower reserves).  With no HEAPLAB_HEAP
 * the knobs are preset=fast: segregated fit, the cache on, a heap per
 * thread; heaps=one makes the one heap locked, as the seed's was.  A word that makes no sense is
 * reported on stderr, with write(2), and ignored; so is fit=segregated
 * (the default) with merge=lazy, which runs with fit=first instead.
 *
 * HEAPLAB_MMAP_THRESHOLD and HEAPLAB_TRIM_THRESHOLD are sizes or "off";
 * HEAPLAB_STATS is 1 (the exit line goes to stderr) or a file's path, in
 * which %p stands for the process id (the line is appended to that file:
 * handy when many processes report, and for programs that check what
 * they write to stderr).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "global.h"

#define HEAP_VAR "HEAPLAB_HEAP"
#define WORDS_MAX 512 /* longer settings are cut at this length */

static void say(const char *a, const char *b, const char *c)
{
    const char *parts[] = {"heaplab: ", a, b, c, "\n"};
    size_t i;

    for (i = 0; i < sizeof parts / sizeof parts[0]; i++)
        if (parts[i] && write(STDERR_FILENO, parts[i], strlen(parts[i])) < 0)
            return;
}

bool knobs_parse_size(const char *text, size_t *out)
{
    size_t n = 0, shift = 0;
    const char *p = text;

    if (*p < '0' || *p > '9')
        return false;
    for (; *p >= '0' && *p <= '9'; p++) {
        if (n > ((size_t)-1 - 9) / 10)
            return false;
        n = n * 10 + (size_t)(*p - '0');
    }
    switch (*p) {
    case 'k': case 'K': shift = 10; p++; break;
    case 'm': case 'M': shift = 20; p++; break;
    case 'g': case 'G': shift = 30; p++; break;
    case 't': case 'T': shift = 40; p++; break;
    }
    if (*p != '\0' || (shift && n > ((size_t)-1 >> shift)))
        return false;
    *out = n << shift;
    return true;
}

/* One KEY=VALUE word of HEAPLAB_HEAP; the word is cut at its '='. */
static void apply_word(global_knobs *knobs, char *word)
{
    char *value = strchr(word, '=');
    size_t size;

    if (!value) {
        say(HEAP_VAR ": expected KEY=VALUE, not '", word, "'");
        return;
    }
    *value++ = '\0';
    if (strcmp(word, "grower") == 0) {
        if (strcmp(value, "mmap") == 0)
            knobs->grower = GROWER_MMAP;
        else if (strcmp(value, "brk") == 0)
            knobs->grower = GROWER_BRK;
        else
            say(HEAP_VAR ": grower must be mmap or brk, not '", value, "'");
    } else if (strcmp(word, "increment") == 0 ||
               strcmp(word, "reserve") == 0) {
        bool is_increment = word[0] == 'i';
        if (!knobs_parse_size(value, &size) ||
            (is_increment && hl_grower_check_increment(size) != 0))
            say(HEAP_VAR ": not a usable size: ", value,
                is_increment ? " (increment: a multiple of 16, at most 1G)"
                             : NULL);
        else if (is_increment)
            knobs->increment = size;
        else
            knobs->reserve = knobs->thread_reserve = size;
    } else if (hl_config_set(&knobs->config, word, value) != 0) {
        value[-1] = '=';
        say(HEAP_VAR ": unknown knob or value: ", word, NULL);
    }
}

static void read_heap_words(global_knobs *knobs, const char *text)
{
    char words[WORDS_MAX];
    char *p = words, *word;

    strncpy(words, text, sizeof words - 1);
    words[sizeof words - 1] = '\0';
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        if (*p == '\0')
            return;
        word = p;
        while (*p && *p != ' ' && *p != '\t' && *p != ',')
            p++;
        if (*p)
            *p++ = '\0';
        apply_word(knobs, word);
    }
}

/* A threshold variable: a size, or "off" for one that is never reached. */
static void read_threshold(const char *name, size_t *out)
{
    const char *text = getenv(name);

    if (!text || !*text)
        return;
    if (strcmp(text, "off") == 0)
        *out = GLOBAL_NEVER;
    else if (!knobs_parse_size(text, out))
        say(name, ": not a size (or 'off'): ", text);
}

void knobs_read(global_knobs *knobs)
{
    const char *text;

    hl_config_preset(&knobs->config, HL_PRESET_FAST); /* the fast design */
    knobs->grower = GROWER_MMAP;
    knobs->increment = GLOBAL_DEFAULT_INCREMENT;
    knobs->reserve = GLOBAL_DEFAULT_RESERVE;
    knobs->thread_reserve = GLOBAL_DEFAULT_THREAD_RESERVE;
    knobs->mmap_threshold = GLOBAL_DEFAULT_MMAP_THRESHOLD;
    knobs->trim_threshold = GLOBAL_DEFAULT_TRIM_THRESHOLD;
    if ((text = getenv(HEAP_VAR)))
        read_heap_words(knobs, text);
    knobs->config.locked = knobs->config.heaps == HL_HEAPS_ONE;
    /* Segregated fit does not take lazy merging: a heap asked to merge
     * lazily (the reference's way) searches with first fit instead.  A
     * program is not stopped for that, but it is told: the heap it runs
     * on is not the one it asked for. */
    if (knobs->config.fit == HL_FIT_SEGREGATED &&
        knobs->config.merge == HL_MERGE_LAZY) {
        knobs->config.fit = HL_FIT_FIRST;
        say(HEAP_VAR ": fit=segregated cannot go with merge=lazy; ",
            "using fit=first instead", NULL);
    }
    read_threshold("HEAPLAB_MMAP_THRESHOLD", &knobs->mmap_threshold);
    read_threshold("HEAPLAB_TRIM_THRESHOLD", &knobs->trim_threshold);
    /* Thresholds the environment names stay put; the defaults follow the
     * program (threshold.c). */
    knobs->thresholds_fixed = getenv("HEAPLAB_MMAP_THRESHOLD") ||
                              getenv("HEAPLAB_TRIM_THRESHOLD");
    text = getenv("HEAPLAB_STATS");
    knobs->stats = text && *text && strcmp(text, "0") != 0;
    knobs->stats_path[0] = '\0';
    text = getenv("HEAPLAB_STATS_HEAPS");
    knobs->stats_heaps = knobs->stats && text && strcmp(text, "1") == 0;
    text = getenv("HEAPLAB_STATS");
    /* 1: stderr.  Anything else names a file; %p in it becomes the pid. */
    if (knobs->stats && strcmp(text, "1") != 0) {
        if (strlen(text) < sizeof knobs->stats_path)
            strcpy(knobs->stats_path, text);
        else
            say("HEAPLAB_STATS: the path is too long; stderr instead: ",
                text, NULL);
    }
}

/* Appends text to buf, which has room for `size` bytes in all. */
static void append(char *buf, size_t size, const char *text)
{
    size_t used = strlen(buf), n = strlen(text);

    if (used + n >= size)
        n = size - used - 1;
    memcpy(buf + used, text, n);
    buf[used + n] = '\0';
}

/* Appends " KEY=SIZE", SIZE in bytes or "off". */
static void append_size(char *buf, size_t size, const char *key, size_t n)
{
    char digits[24], *p = digits + sizeof digits - 1;
    const char *text = p;

    *p = '\0';
    if (n == GLOBAL_NEVER) {
        text = "off";
    } else {
        do
            *--p = (char)('0' + n % 10);
        while ((n /= 10) > 0);
        text = p;
    }
    append(buf, size, " ");
    append(buf, size, key);
    append(buf, size, "=");
    append(buf, size, text);
}

void knobs_describe(const global_knobs *knobs, char *buf, size_t size)
{
    buf[0] = '\0';
    append_size(buf, size, "align", knobs->config.align);
    append(buf, size, " fit=");
    append(buf, size, hl_fit_name(knobs->config.fit));
    append(buf, size, " order=");
    append(buf, size, hl_order_name(knobs->config.order));
    append(buf, size, " merge=");
    append(buf, size, hl_merge_name(knobs->config.merge));
    if (knobs->config.place != HL_PLACE_FRONT) {
        append(buf, size, " place=");
        append(buf, size, hl_place_name(knobs->config.place));
    }
    append(buf, size, knobs->config.cache ? " cache=on" : " cache=off");
    append(buf, size, " heaps=");
    append(buf, size, hl_heaps_name(knobs->config.heaps));
    append(buf, size, knobs->grower == GROWER_MMAP ? " grower=mmap"
                                                   : " grower=brk");
    append_size(buf, size, "increment", knobs->increment);
    append_size(buf, size, "mmap_threshold", knobs->mmap_threshold);
    append_size(buf, size, "trim_threshold", knobs->trim_threshold);
    memmove(buf, buf + 1, strlen(buf)); /* the leading space */
}

/* The stats path with each %p replaced by the pid (and %% by %), into
 * out; false when it does not fit. */
bool stats_expand_path(const char *template, long pid, char *out, size_t size)
{
    size_t used = 0;
    int n;

    for (; *template; template++) {
        if (template[0] == '%' && (template[1] == 'p' || template[1] == '%')) {
            n = template[1] == 'p' ? snprintf(out + used, size - used, "%ld",
                                               pid)
                                   : snprintf(out + used, size - used, "%%");
            template++;
        } else {
            n = snprintf(out + used, size - used, "%c", *template);
        }
        if (n < 0 || (size_t)n >= size - used)
            return false;
        used += (size_t)n;
    }
    return true;
}

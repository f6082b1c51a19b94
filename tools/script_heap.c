/* script_heap.c - the `heap KEY=VALUE ...` line, and `heaplab run --heap`.
 *
 * Keys:  preset=reference|default|fast|compact   align=8|16
 *        fit=first|next|best|worst|segregated  order=lifo|fifo|address
 *        merge=lazy|immediate|none  place=front|apart|zoned  cache=on|off
 *        heaps=one|per-thread  grower=static|mmap|brk
 *        capacity=SIZE   increment=SIZE
 * The first eight are the library's knobs and go through hl_config_set();
 * the last three choose the grower and are the runner's.  A preset sets
 * every library knob, so knobs written after it override it; the grower's
 * keys it leaves as they were (static, 1M and 4K until a line names them):
 * they describe what the script runs on, not a policy, and a recording's
 * heap line sets the capacity its program needed, which `--heap
 * preset=...` must not take away.  The options of one line apply left to
 * right, and all or none of them: a bad one leaves the settings as they
 * were.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "script_parse.h"

#define DEFAULT_CAPACITY ((size_t)1 << 20)
#define DEFAULT_INCREMENT ((size_t)4096)

static void runner_defaults(script_heap *heap)
{
    heap->grower = SCRIPT_GROWER_STATIC;
    heap->capacity = DEFAULT_CAPACITY;
    heap->capacity_given = false;
    heap->increment = DEFAULT_INCREMENT;
}

void script_heap_default(script_heap *heap)
{
    hl_config_preset(&heap->config, HL_PRESET_DEFAULT);
    runner_defaults(heap);
}

/* In the order of script_grower_kind. */
static const char *const grower_names[] = {"static", "mmap", "brk"};

#define NGROWERS (sizeof grower_names / sizeof grower_names[0])

const char *script_grower_name(script_grower_kind kind)
{
    return (unsigned)kind < NGROWERS ? grower_names[kind] : "?";
}

/* What each library key accepts, for messages. */
static const struct library_key {
    const char *key, *values;
} library_keys[] = {
    {"preset", "reference, default, fast or compact"},
    {"align", "8 or 16"},
    {"fit", "first, next, best, worst or segregated"},
    {"order", "lifo, fifo or address"},
    {"merge", "lazy, immediate or none"},
    {"place", "front, apart or zoned"},
    {"cache", "on or off"},
    {"heaps", "one or per-thread"},
};

#define NLIBRARY_KEYS (sizeof library_keys / sizeof library_keys[0])

/* A value in a message: 'value', or '' when there is none. */
static const char *describe_value(word value, char *buf, size_t size)
{
    if (value.len == 0) {
        snprintf(buf, size, "''");
        return buf;
    }
    return word_describe(value, buf, size);
}

/* Sets a library key through hl_config_set(), which wants C strings. */
static bool set_library_key(script_heap *heap, const struct library_key *k,
                            word value, char *why, size_t why_size)
{
    char text[32], seen[64];

    text[0] = '\0';
    if (value.len < sizeof text) {
        memcpy(text, value.start, value.len);
        text[value.len] = '\0';
    }
    if (hl_config_set(&heap->config, k->key, text) != 0) {
        snprintf(why, why_size, "bad value %s for '%s'; expected %s",
                 describe_value(value, seen, sizeof seen), k->key, k->values);
        return false;
    }
    return true;
}

static bool set_grower(script_heap *heap, word value, char *why,
                       size_t why_size)
{
    char seen[64];
    unsigned i;

    for (i = 0; i < NGROWERS; i++)
        if (word_is(value, grower_names[i])) {
            heap->grower = (script_grower_kind)i;
            return true;
        }
    snprintf(why, why_size, "bad value %s for 'grower'; expected static, "
             "mmap or brk", describe_value(value, seen, sizeof seen));
    return false;
}

/* The number of capacity=SIZE or increment=SIZE. */
static bool size_value(const char *key, word value, size_t *n, char *why,
                       size_t why_size)
{
    char seen[64];

    describe_value(value, seen, sizeof seen);
    switch (parse_number(value, n)) {
    case NUMBER_OK:
        return true;
    case NUMBER_TOO_BIG:
        snprintf(why, why_size, "value %s for '%s' is out of range", seen,
                 key);
        return false;
    case NUMBER_BAD:
    default:
        snprintf(why, why_size, "bad value %s for '%s'; expected a size "
                 "such as 64K", seen, key);
        return false;
    }
}

static bool set_increment(script_heap *heap, word value, char *why,
                          size_t why_size)
{
    char seen[64];
    size_t n;

    if (!size_value("increment", value, &n, why, why_size))
        return false;
    if (hl_grower_check_increment(n) != 0) {
        snprintf(why, why_size, "bad value %s for 'increment'; expected a "
                 "multiple of 16 no greater than 1G",
                 describe_value(value, seen, sizeof seen));
        return false;
    }
    heap->increment = n;
    return true;
}

/* Applies one KEY=VALUE; false with the reason in why. */
static bool heap_apply_option(script_heap *heap, word option, char *why,
                              size_t why_size)
{
    const char *eq = memchr(option.start, '=', option.len);
    word key, value;
    char seen[64];
    size_t i;

    if (!eq) {
        snprintf(why, why_size, "expected KEY=VALUE, got %s",
                 word_describe(option, seen, sizeof seen));
        return false;
    }
    key.start = option.start;
    key.len = (size_t)(eq - option.start);
    value.start = eq + 1;
    value.len = option.len - key.len - 1;
    for (i = 0; i < NLIBRARY_KEYS; i++)
        if (word_is(key, library_keys[i].key))
            return set_library_key(heap, &library_keys[i], value, why,
                                   why_size);
    if (word_is(key, "grower"))
        return set_grower(heap, value, why, why_size);
    if (word_is(key, "capacity")) {
        heap->capacity_given = true;
        return size_value("capacity", value, &heap->capacity, why, why_size);
    }
    if (word_is(key, "increment"))
        return set_increment(heap, value, why, why_size);
    snprintf(why, why_size, "unknown heap key %s; expected preset, align, "
             "fit, order, merge, place, cache, heaps, grower, capacity "
             "or increment",
             word_describe(key, seen, sizeof seen));
    return false;
}

/* Keys that are each good but cannot go together (hl_heap_init would refuse
 * them): lazy merging grows free blocks while they sit on a list, and a
 * segregated heap keeps each block on the list of its size. */
static bool settings_agree(const script_heap *heap, char *why,
                           size_t why_size)
{
    const hl_config *cfg = &heap->config;

    if (cfg->fit == HL_FIT_SEGREGATED && cfg->merge == HL_MERGE_LAZY) {
        snprintf(why, why_size, "fit=segregated cannot go with merge=lazy: "
                 "a segregated heap needs merge=immediate or merge=none");
        return false;
    }
    return true;
}

/* Applies every KEY=VALUE word left on the cursor to a copy of `heap`, and
 * keeps the copy only when all of them were good. */
static bool apply_options(script_heap *heap, cursor *c, char *why,
                          size_t why_size)
{
    script_heap changed = *heap;
    word w;

    while ((w = cursor_next(c)).len > 0)
        if (!heap_apply_option(&changed, w, why, why_size))
            return false;
    if (!settings_agree(&changed, why, why_size))
        return false;
    *heap = changed;
    return true;
}

bool parse_heap_line(parser *p, cursor *c)
{
    hl_script *s = p->script;
    char why[200];
    cursor first = *c;

    if (s->heap_line)
        return parse_error(p, "a second 'heap' line; the first is at line %u",
                           s->heap_line);
    if (p->seen_op)
        return parse_error(p, "'heap' after the first operation; it must "
                           "come before every a, f, r, c, m, check and "
                           "expect");
    if (cursor_next(&first).len == 0)
        return parse_error(p, "expected KEY=VALUE after 'heap', got end of "
                           "line");
    if (!apply_options(&s->heap, c, why, sizeof why))
        return parse_error(p, "%s", why);
    s->heap_line = p->line;
    return true;
}

int script_apply_heap_options(hl_script *script, const char *options,
                              char *err, size_t errlen)
{
    char why[200];
    cursor c;

    cursor_start(&c, options);
    if (!apply_options(&script->heap, &c, why, sizeof why)) {
        snprintf(err, errlen, "%s", why);
        return -1;
    }
    return 0;
}

size_t script_capacity(const hl_script *script)
{
    const script_heap *heap = &script->heap;
    size_t mib = (size_t)1 << 20, need, growth;

    if (heap->capacity_given || !script->is_trace)
        return heap->capacity;
    growth = script->nallocs > SIZE_MAX / (heap->increment + 1)
                 ? SIZE_MAX : script->nallocs * (heap->increment + 1);
    need = script->alloc_bytes > SIZE_MAX - growth
               ? SIZE_MAX : script->alloc_bytes + growth;
    if (need < script->trace_heap_size)
        need = script->trace_heap_size;
    if (need < heap->capacity)
        need = heap->capacity;
    return need > SIZE_MAX - mib ? need : (need + mib - 1) & ~(mib - 1);
}

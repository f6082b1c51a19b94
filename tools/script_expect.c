/* script_expect.c - parsing `expect WHAT ...`: a claim about the heap that
 * a replay checks when it gets there.
 *
 *   expect block ID OFFSET     the header of ID's block is at OFFSET
 *   expect size ID BYTES       hl_usable_size of ID's object
 *   expect null ID             the last operation on ID returned NULL
 *   expect heap_size N         and used_blocks, free_blocks, free_bytes,
 *                              largest_free, large_from, in_turn, grows,
 *                              splits, merges, cached_blocks, cache_hits:
 *                              the field of
 *                              hl_heap_stats of that name
 *   expect freelist 24,96,..   the free blocks' offsets in list order
 *   expect freelist empty
 *   expect heap ID N           ID's object is in heap N (with heaps=per-
 *                              thread, thread N's heap; heap 1 otherwise)
 *   expect remote N COUNT      COUNT frees wait on heap N's remote list
 *   expect cached CLASS COUNT  the current thread's heap caches COUNT
 *                              blocks of size class CLASS (0 .. 63)
 *
 * The other expects on the heap look at the current thread's heap.
 *
 * `block` and `size` need a live ID; `null` any ID allocated before.
 */
#include <stdio.h>
#include <string.h>

#include "script_parse.h"

/* What follows the name of each kind of expect. */
typedef enum expect_args {
    ARGS_ID_NUMBER, /* block, size */
    ARGS_ID,        /* null */
    ARGS_NUMBER,    /* the stats */
    ARGS_LIST,      /* freelist */
    ARGS_TWO        /* remote, cached: which one, then a number */
} expect_args;

static const struct expectation {
    const char *name;
    script_expect_what what;
    expect_args args;
    const char *value; /* how messages call the number */
} expectations[] = {
    {"block", EXPECT_BLOCK, ARGS_ID_NUMBER, "an offset"},
    {"size", EXPECT_SIZE, ARGS_ID_NUMBER, "a size"},
    {"null", EXPECT_NULL, ARGS_ID, NULL},
    {"heap_size", EXPECT_HEAP_SIZE, ARGS_NUMBER, "a size"},
    {"used_blocks", EXPECT_USED_BLOCKS, ARGS_NUMBER, "a count"},
    {"free_blocks", EXPECT_FREE_BLOCKS, ARGS_NUMBER, "a count"},
    {"free_bytes", EXPECT_FREE_BYTES, ARGS_NUMBER, "a size"},
    {"largest_free", EXPECT_LARGEST_FREE, ARGS_NUMBER, "a size"},
    {"large_from", EXPECT_LARGE_FROM, ARGS_NUMBER, "a size"},
    {"in_turn", EXPECT_IN_TURN, ARGS_NUMBER, "a percentage"},
    {"grows", EXPECT_GROWS, ARGS_NUMBER, "a count"},
    {"splits", EXPECT_SPLITS, ARGS_NUMBER, "a count"},
    {"merges", EXPECT_MERGES, ARGS_NUMBER, "a count"},
    {"cached_blocks", EXPECT_CACHED_BLOCKS, ARGS_NUMBER, "a count"},
    {"cache_hits", EXPECT_CACHE_HITS, ARGS_NUMBER, "a count"},
    {"freelist", EXPECT_FREELIST, ARGS_LIST, NULL},
    {"heap", EXPECT_HEAP, ARGS_ID_NUMBER, "a heap number"},
    {"remote", EXPECT_REMOTE, ARGS_TWO, "a heap number"},
    {"cached", EXPECT_CACHED, ARGS_TWO, "a size class"},
};

#define NEXPECTATIONS (sizeof expectations / sizeof expectations[0])

const char *script_expect_name(script_expect_what what)
{
    size_t i;

    for (i = 0; i < NEXPECTATIONS; i++)
        if (expectations[i].what == what)
            return expectations[i].name;
    return "?";
}

/* `expect freelist LIST`: offsets separated by commas, or `empty`. */
static bool parse_freelist(parser *p, cursor *c, script_op *op)
{
    word list = cursor_next(c), piece;
    const char *at = list.start, *end = list.start + list.len;
    char seen[64];
    size_t value;

    op->freelist_at = p->numbers_len;
    op->freelist_len = 0;
    if (word_is(list, "empty"))
        return true;
    if (list.len == 0)
        return parse_error(p, "expected block offsets separated by commas, "
                           "or 'empty', after 'expect freelist', got end of "
                           "line");
    for (;;) {
        const char *comma = memchr(at, ',', (size_t)(end - at));
        piece.start = at;
        piece.len = (size_t)((comma ? comma : end) - at);
        switch (parse_number(piece, &value)) {
        case NUMBER_OK:
            break;
        case NUMBER_TOO_BIG:
            return parse_error(p, "offset %s in 'expect freelist' is out of "
                               "range",
                               word_describe(piece, seen, sizeof seen));
        case NUMBER_BAD:
            return parse_error(p, "expected block offsets separated by "
                               "commas, or 'empty', after 'expect freelist', "
                               "got %s",
                               word_describe(list, seen, sizeof seen));
        }
        if (!numbers_add(p, value))
            return parse_error(p, "out of memory");
        op->freelist_len++;
        if (!comma)
            return true;
        at = comma + 1;
    }
}

/* The words after the kind of expect, as its entry says. */
static bool parse_arguments(parser *p, cursor *c, script_op *op,
                            const struct expectation *e)
{
    char after[40];
    word id;

    snprintf(after, sizeof after, "expect %s", e->name);
    if (e->args == ARGS_LIST)
        return parse_freelist(p, c, op);
    if (e->args == ARGS_NUMBER)
        return parse_number_after(p, c, e->value, after, &op->value);
    if (e->args == ARGS_TWO) {
        if (!parse_number_after(p, c, e->value, after, &op->which))
            return false;
        if (op->what == EXPECT_REMOTE &&
            (op->which < 1 || op->which > SCRIPT_MAX_THREADS))
            return parse_error(p, "expected a heap number from 1 to %d "
                               "after 'expect remote', got %zu",
                               SCRIPT_MAX_THREADS, op->which);
        if (op->what == EXPECT_CACHED && op->which >= HL_CACHE_CLASSES)
            return parse_error(p, "expected a size class from 0 to %d "
                               "after 'expect cached', got %zu",
                               HL_CACHE_CLASSES - 1, op->which);
        snprintf(after, sizeof after, "expect %s %s", e->name,
                 op->what == EXPECT_REMOTE ? "N" : "CLASS");
        return parse_number_after(p, c, "a count", after, &op->value);
    }
    if (!parse_id_word(p, c, after, &id) ||
        !ids_lookup(p, id, e->args == ARGS_ID_NUMBER, &op->id))
        return false;
    if (e->args == ARGS_ID)
        return true;
    snprintf(after, sizeof after, "expect %s ID", e->name);
    return parse_number_after(p, c, e->value, after, &op->value);
}

bool parse_expect(parser *p, cursor *c, script_op *op)
{
    word what = cursor_next(c);
    char seen[64], after[40];
    size_t i;

    for (i = 0; i < NEXPECTATIONS; i++)
        if (word_is(what, expectations[i].name))
            break;
    if (i == NEXPECTATIONS)
        return parse_error(p, "expected what to expect after 'expect' "
                           "(block, size, null, heap_size, used_blocks, "
                           "free_blocks, free_bytes, largest_free, large_from, "
                           "in_turn, grows, "
                           "splits, merges, cached_blocks, cache_hits, "
                           "freelist, heap, remote or cached), got %s",
                           word_describe(what, seen, sizeof seen));
    op->kind = SCRIPT_EXPECT;
    op->what = expectations[i].what;
    op->value = 0;
    if (!parse_arguments(p, c, op, &expectations[i]))
        return false;
    snprintf(after, sizeof after, "expect %s%s", expectations[i].name,
             expectations[i].args == ARGS_ID ? " ID"
             : expectations[i].args == ARGS_NUMBER ? " N"
             : expectations[i].args == ARGS_LIST ? " LIST"
             : expectations[i].args == ARGS_TWO ? " N COUNT" : " ID N");
    return parse_line_end(p, c, after);
}

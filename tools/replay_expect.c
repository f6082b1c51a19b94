/* replay_expect.c - checks and expects, run when a replay reaches them.
 *
 * An expect measures one thing of the heap as it is now, compares it with
 * the script's number and, when they differ, writes a message that says
 * both:  "t.hl:7: expect block x: expected 48, got 24".  A check runs the
 * library's heap checker and passes on its first complaint.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "replay_internal.h"

/* The freelist's offsets as "24,96" (or "empty"), cut short with ",..."
 * when they do not fit. */
typedef struct list_text {
    char text[128];
    size_t len;
    bool cut;
} list_text;

static void list_add(list_text *l, size_t value)
{
    char number[32];
    int n = snprintf(number, sizeof number, "%s%zu", l->len ? "," : "", value);

    if (l->cut)
        return;
    if ((size_t)n + 5 > sizeof l->text - l->len) {
        memcpy(l->text + l->len, ",...", 5);
        l->cut = true;
        return;
    }
    memcpy(l->text + l->len, number, (size_t)n + 1);
    l->len += (size_t)n;
}

static void list_finish(list_text *l)
{
    if (l->len == 0)
        memcpy(l->text, "empty", 6);
}

/* Walks the freelist along the expected offsets. */
typedef struct freelist_match {
    const size_t *expected;
    size_t nexpected, seen;
    bool same;
    list_text actual;
} freelist_match;

static bool match_block(const hl_block_info *block, void *arg)
{
    freelist_match *m = arg;

    if (m->seen >= m->nexpected || m->expected[m->seen] != block->offset)
        m->same = false;
    m->seen++;
    list_add(&m->actual, block->offset);
    return true;
}

static void expect_freelist(replay *r, const script_op *op,
                            hl_step_result *res, list_text *wanted,
                            list_text *got)
{
    freelist_match m;
    size_t i;

    memset(&m, 0, sizeof m);
    m.expected = script_expect_freelist(r->script, op);
    m.nexpected = op->freelist_len;
    m.same = true;
    hl_heap_visit_freelist(r->heap, match_block, &m);
    res->passed = m.same && m.seen == m.nexpected;
    for (i = 0; i < m.nexpected; i++)
        list_add(wanted, m.expected[i]);
    list_finish(wanted);
    list_finish(&m.actual);
    *got = m.actual;
}

/* The number an expect on the heap's stats measures. */
static size_t stats_field(const hl_stats *s, script_expect_what what)
{
    switch (what) {
    case EXPECT_HEAP_SIZE: return s->heap_size;
    case EXPECT_USED_BLOCKS: return s->used_blocks;
    case EXPECT_FREE_BLOCKS: return s->free_blocks;
    case EXPECT_FREE_BYTES: return s->free_bytes;
    case EXPECT_LARGEST_FREE: return s->largest_free;
    case EXPECT_LARGE_FROM: return s->large_from;
    case EXPECT_IN_TURN: return s->in_turn;
    case EXPECT_GROWS: return s->grows;
    case EXPECT_SPLITS: return s->splits;
    case EXPECT_MERGES: return s->merges;
    case EXPECT_CACHED_BLOCKS: return s->cached_blocks;
    case EXPECT_CACHE_HITS: return s->cache_hits;
    default: return 0;
    }
}

/* expect block/size/null ID: what the ID's object measures. */
static void expect_on_id(replay *r, const script_op *op, hl_step_result *res,
                         list_text *got)
{
    const replay_id *id = &r->ids[op->id];
    size_t actual = 0;

    if (op->what == EXPECT_NULL) {
        res->passed = id->last_null;
        if (id->object)
            snprintf(got->text, sizeof got->text, "an object in block %zu",
                     replay_block_offset(r, id->heap, id->object));
        else if (!id->last_null)
            snprintf(got->text, sizeof got->text, "a freed ID");
        return;
    }
    if (!id->object) {
        res->passed = false;
        snprintf(got->text, sizeof got->text, "NULL (its allocation failed)");
        return;
    }
    if (op->what == EXPECT_BLOCK)
        actual = replay_block_offset(r, id->heap, id->object);
    else if (op->what == EXPECT_HEAP)
        actual = id->heap + 1;
    else
        actual = hl_usable_size(r->slots[id->heap].heap, id->object);
    res->passed = actual == op->value;
    snprintf(got->text, sizeof got->text, "%zu", actual);
}

/* Counts the cached blocks of one size class. */
typedef struct class_count {
    const hl_heap *heap;
    size_t cls, count;
} class_count;

static bool count_class(const hl_block_info *block, void *arg)
{
    class_count *c = arg;

    if (hl_cache_class(c->heap, block->size) == c->cls)
        c->count++;
    return true;
}

/* expect remote N COUNT, expect cached CLASS COUNT */
static size_t measure_two(replay *r, const script_op *op, list_text *got)
{
    if (op->what == EXPECT_REMOTE) {
        hl_heap *heap = replay_heap_at(r, (unsigned)op->which);
        if (!heap) {
            snprintf(got->text, sizeof got->text, "no heap %zu (the replay "
                     "has %u)", op->which, r->nslots);
            return SIZE_MAX;
        }
        return hl_heap_visit_remote(heap, NULL, NULL);
    } else {
        class_count c = {r->heap, op->which, 0};
        hl_heap_visit_cache(r->heap, count_class, &c);
        return c.count;
    }
}

/* "FILE:LINE: expect WHAT [ID]: expected X, got Y" */
static void expect_failed(replay *r, const script_op *op, hl_step_result *res,
                          const char *wanted, const char *got)
{
    const hl_script *s = r->script;
    bool on_id = op->what == EXPECT_BLOCK || op->what == EXPECT_SIZE ||
                 op->what == EXPECT_NULL || op->what == EXPECT_HEAP;
    bool two = op->what == EXPECT_REMOTE || op->what == EXPECT_CACHED;
    char which[24] = "";

    if (on_id)
        snprintf(which, sizeof which, " %.20s", s->id_names[op->id]);
    else if (two)
        snprintf(which, sizeof which, " %zu", op->which);
    snprintf(res->message, sizeof res->message,
             "%s:%u: expect %s%s: expected %s, got %s", s->name, op->line,
             script_expect_name(op->what), which, wanted, got);
}

static void run_expect(replay *r, const script_op *op, hl_step_result *res)
{
    list_text wanted, got;
    hl_stats stats;

    memset(&wanted, 0, sizeof wanted);
    memset(&got, 0, sizeof got);
    snprintf(wanted.text, sizeof wanted.text, "%zu", op->value);
    switch (op->what) {
    case EXPECT_FREELIST:
        expect_freelist(r, op, res, &wanted, &got);
        break;
    case EXPECT_REMOTE:
    case EXPECT_CACHED: {
        size_t n = measure_two(r, op, &got);
        res->passed = n == op->value;
        if (n != SIZE_MAX)
            snprintf(got.text, sizeof got.text, "%zu", n);
        break;
    }
    case EXPECT_BLOCK:
    case EXPECT_SIZE:
    case EXPECT_HEAP:
    case EXPECT_NULL:
        if (op->what == EXPECT_NULL)
            snprintf(wanted.text, sizeof wanted.text, "NULL");
        expect_on_id(r, op, res, &got);
        break;
    default:
        hl_heap_stats(r->heap, &stats);
        res->passed = stats_field(&stats, op->what) == op->value;
        snprintf(got.text, sizeof got.text, "%zu",
                 stats_field(&stats, op->what));
        break;
    }
    if (!res->passed)
        expect_failed(r, op, res, wanted.text, got.text);
}

void replay_evaluate(replay *r, const script_op *op, hl_step_result *res)
{
    char why[200];
    unsigned i;

    if (op->kind == SCRIPT_EXPECT) {
        run_expect(r, op, res);
        return;
    }
    for (i = 0; i < r->nslots; i++) {
        res->passed = hl_heap_check(r->slots[i].heap, why, sizeof why);
        if (res->passed)
            continue;
        if (r->nslots > 1)
            snprintf(res->message, sizeof res->message, "%s:%u: check: "
                     "heap %u: %s", r->script->name, op->line, i + 1, why);
        else
            snprintf(res->message, sizeof res->message, "%s:%u: check: %s",
                     r->script->name, op->line, why);
        return;
    }
}

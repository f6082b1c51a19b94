/* check_replay.c - replaying scripts: what each step reports, expects that
 * hold and fail, and checkpoints that bring a replay back exactly. */
#include <errno.h>
#include <stdint.h>

#include "script_fixture.h"

static char err[512];
static hl_step_result res;

/* Runs the next step, which must exist. */
static const hl_step_result *step(replay *r)
{
    ck_assert(replay_step(r, &res));
    return &res;
}

/* ---------------------------------------------------------------------------
 * Steps
 * ------------------------------------------------------------------------- */

START_TEST(a_step_reports_the_object_and_the_events)
{
    hl_script *s;
    replay *r = replay_start("heap preset=reference\n"
                             "a x 10\na y 100\nf x\n", &s);
    const hl_step_result *got;

    ck_assert_uint_eq(replay_position(r), 0);
    got = step(r);
    ck_assert_uint_eq(got->index, 0);
    ck_assert_ptr_eq(got->op, &s->ops[0]);
    ck_assert_ptr_nonnull(got->object);
    ck_assert_ptr_eq(got->object, replay_object(r, 0));
    ck_assert_uint_eq(got->offset, 0);
    ck_assert(!got->failed);
    ck_assert(got->passed);
    ck_assert_uint_eq(got->nevents, 3);
    ck_assert_int_eq(got->events[0].kind, HL_EVENT_GROW);
    ck_assert_uint_eq(got->events[0].size, 4096);
    ck_assert_int_eq(got->events[1].kind, HL_EVENT_SPLIT);
    ck_assert_uint_eq(got->events[1].other_offset, 24);
    ck_assert_int_eq(got->events[2].kind, HL_EVENT_ALLOC);
    ck_assert_uint_eq(got->events[2].requested, 10);
    got = step(r);
    ck_assert_uint_eq(got->offset, 24);
    got = step(r);
    ck_assert_ptr_null(got->object);
    ck_assert_ptr_null(replay_object(r, 0));
    ck_assert_uint_eq(got->nevents, 1);
    ck_assert_int_eq(got->events[0].kind, HL_EVENT_FREE);
    ck_assert_uint_eq(replay_position(r), 3);
    ck_assert(!replay_step(r, &res));
    ck_assert_ptr_eq(replay_script(r), s);
    replay_finish(r, s);
}
END_TEST

START_TEST(a_failed_allocation_is_not_an_error)
{
    hl_script *s;
    replay *r = replay_start("heap capacity=4K\n"
                      "a x 8K\n"
                      "expect null x\n"
                      "f x\n"
                      "a x 16\n"
                      "expect block x 8\n", &s);
    const hl_step_result *got = step(r);

    ck_assert(got->failed);
    ck_assert_int_eq(got->error, ENOMEM);
    ck_assert(got->passed);
    ck_assert_int_eq(got->events[got->nevents - 1].kind, HL_EVENT_FAIL);
    ck_assert(step(r)->passed);
    got = step(r); /* frees NULL */
    ck_assert_uint_eq(got->nevents, 0);
    ck_assert(!step(r)->failed);
    ck_assert_msg(step(r)->passed, "%s", res.message);
    replay_finish(r, s);
}
END_TEST

/* Every failure is an event, also a calloc refused before it reaches the
 * heap (COUNT * SIZE overflows), which the library itself does not
 * report: the replay adds it, with what was asked. */
START_TEST(every_failed_allocation_is_an_event)
{
    hl_script *s;
    replay *r = replay_start("c x 4294967296 4294967297\n"
                             "a y 2M\n", &s);
    const hl_step_result *got = step(r);

    ck_assert(got->failed);
    ck_assert_uint_eq(got->nevents, 1);
    ck_assert_int_eq(got->events[0].kind, HL_EVENT_FAIL);
    ck_assert_uint_eq(got->events[0].requested, SIZE_MAX);
    got = step(r); /* no room on the default 1M heap */
    ck_assert(got->failed);
    ck_assert_int_eq(got->events[got->nevents - 1].kind, HL_EVENT_FAIL);
    ck_assert_uint_eq(got->events[got->nevents - 1].requested, 2 << 20);
    replay_finish(r, s);
}
END_TEST

/* A .rep trace without capacity=SIZE gets a heap that holds it: the 1M
 * default would fail the third 400K object.  A script that is not a trace
 * keeps the default, and capacity= always wins. */
START_TEST(a_trace_gets_a_heap_that_holds_it)
{
    static const char trace[] = "20000\n3\n3\n1\n"
                                "a 0 409600\na 1 409600\na 2 409600\n";
    hl_script *s;
    replay *r = replay_start(trace, &s);

    ck_assert(s->is_trace);
    ck_assert_uint_eq(s->trace_heap_size, 20000);
    ck_assert_uint_ge(script_capacity(s), 3 * 409600);
    ck_assert(!step(r)->failed);
    ck_assert(!step(r)->failed);
    ck_assert(!step(r)->failed);
    replay_finish(r, s);

    r = replay_start("a 0 409600\na 1 409600\na 2 409600\n", &s);
    ck_assert(!s->is_trace);
    ck_assert_uint_eq(script_capacity(s), 1 << 20);
    ck_assert(!step(r)->failed);
    ck_assert(!step(r)->failed);
    ck_assert(step(r)->failed);
    replay_finish(r, s);

    r = replay_start("20000\nheap capacity=64K\na 0 409600\n", &s);
    ck_assert_uint_eq(script_capacity(s), 64 << 10);
    ck_assert(step(r)->failed);
    replay_finish(r, s);
}
END_TEST

START_TEST(a_failed_realloc_keeps_the_old_object)
{
    hl_script *s;
    replay *r = replay_start("heap preset=reference capacity=4K increment=0\n"
                      "a x 100\n"
                      "r x 1M\n"
                      "expect null x\n"
                      "expect block x 0\n"
                      "expect size x 104\n"
                      "r x 200\n"
                      "expect block x 112\n", &s);

    ck_assert(!step(r)->failed);
    ck_assert(step(r)->failed);
    while (replay_step(r, &res))
        ck_assert_msg(res.passed, "%s", res.message);
    replay_finish(r, s);
}
END_TEST

START_TEST(calloc_zeroes_a_reused_block)
{
    hl_script *s;
    replay *r = replay_start("a x 64\nf x\nc y 8 8\n", &s);
    unsigned char *p;
    size_t i;

    memset(step(r)->object, 0xa5, 64);
    step(r);
    p = step(r)->object;
    ck_assert_uint_eq(res.offset, 8);
    for (i = 0; i < 64; i++)
        ck_assert_uint_eq(p[i], 0);
    replay_finish(r, s);
}
END_TEST

START_TEST(memalign_aligns_the_object)
{
    hl_script *s;
    replay *r = replay_start("m x 256 10\nm y 4K 10\nm z 128M 10\n", &s);

    ck_assert_uint_eq((uintptr_t)step(r)->object % 256, 0);
    ck_assert_uint_eq((uintptr_t)step(r)->object % 4096, 0);
    ck_assert(step(r)->failed);
    ck_assert_int_eq(res.error, EINVAL);
    replay_finish(r, s);
}
END_TEST

START_TEST(many_events_are_counted_beyond_the_array)
{
    /* 40 small blocks freed highest first, so that the lowest heads the
     * freelist; one big request then merges them all lazily. */
    char text[4096];
    size_t n = 0, i;
    hl_script *s;
    replay *r;

    n += (size_t)sprintf(text + n, "heap preset=reference\n");
    for (i = 0; i < 40; i++)
        n += (size_t)sprintf(text + n, "a b%zu 16\n", i);
    for (i = 40; i-- > 0;)
        n += (size_t)sprintf(text + n, "f b%zu\n", i);
    sprintf(text + n, "a big 900\n");
    r = replay_start(text, &s);
    while (replay_position(r) < 80)
        step(r);
    step(r);
    ck_assert_uint_eq(res.offset, 0);
    ck_assert_uint_eq(res.nevents, REPLAY_MAX_EVENTS);
    ck_assert_uint_eq(res.nevents + res.events_lost, 40 + 2);
    ck_assert_int_eq(res.events[0].kind, HL_EVENT_MERGE);
    replay_finish(r, s);
}
END_TEST

/* ---------------------------------------------------------------------------
 * Checks and expects
 * ------------------------------------------------------------------------- */

START_TEST(expects_that_hold_pass)
{
    hl_script *s;
    replay *r = replay_start("heap preset=reference\n"
                      "a x 10\n"
                      "a y 100\n"
                      "f x\n"
                      "check\n"
                      "expect block y 24\n"
                      "expect size y 104\n"
                      "expect freelist 0,136\n"
                      "expect heap_size 4K\n"
                      "expect used_blocks 1\n"
                      "expect free_blocks 2\n"
                      "expect free_bytes 3968\n"
                      "expect largest_free 3952\n"
                      "expect large_from 0\n"
                      "expect grows 1\n"
                      "expect splits 2\n"
                      "expect merges 0\n"
                      "f y\n"
                      "a z 4000\n"
                      "expect block z 24\n"
                      "expect merges 1\n"
                      "expect freelist 4032,0\n", &s);

    while (replay_step(r, &res))
        ck_assert_msg(res.passed, "%s", res.message);
    replay_finish(r, s);
}
END_TEST

/* Runs `text` to its last step, which must fail with `message`. */
static void assert_last_fails(const char *text, const char *message)
{
    hl_script *s;
    replay *r = replay_start(text, &s);

    while (replay_position(r) + 1 < s->nops)
        ck_assert_msg(step(r)->passed, "%s", res.message);
    ck_assert(!step(r)->passed);
    ck_assert_str_eq(res.message, message);
    replay_finish(r, s);
}

START_TEST(expects_that_do_not_hold_say_what_was_found)
{
    const char *ref = "heap preset=reference\na x 10\na y 100\n";
    char text[256];

#define FAILS(line, message)                                                   \
    do {                                                                       \
        snprintf(text, sizeof text, "%s%s\n", ref, line);                      \
        assert_last_fails(text, message);                                      \
    } while (0)
    FAILS("expect block y 8", "t.hl:4: expect block y: expected 8, got 24");
    FAILS("expect size x 10", "t.hl:4: expect size x: expected 10, got 16");
    FAILS("expect null y",
          "t.hl:4: expect null y: expected NULL, got an object in block 24");
    FAILS("f x\nexpect null x",
          "t.hl:5: expect null x: expected NULL, got a freed ID");
    FAILS("expect heap_size 8K",
          "t.hl:4: expect heap_size: expected 8192, got 4096");
    FAILS("expect used_blocks 1",
          "t.hl:4: expect used_blocks: expected 1, got 2");
    FAILS("expect free_blocks 0",
          "t.hl:4: expect free_blocks: expected 0, got 1");
    FAILS("expect free_bytes 0",
          "t.hl:4: expect free_bytes: expected 0, got 3952");
    FAILS("expect largest_free 1",
          "t.hl:4: expect largest_free: expected 1, got 3952");
    FAILS("expect large_from 256",
          "t.hl:4: expect large_from: expected 256, got 0");
    FAILS("expect grows 2", "t.hl:4: expect grows: expected 2, got 1");
    FAILS("expect splits 0", "t.hl:4: expect splits: expected 0, got 2");
    FAILS("expect merges 1", "t.hl:4: expect merges: expected 1, got 0");
    FAILS("expect freelist empty",
          "t.hl:4: expect freelist: expected empty, got 136");
    FAILS("f x\nexpect freelist 136,0",
          "t.hl:5: expect freelist: expected 136,0, got 0,136");
    FAILS("f x\nexpect freelist 0",
          "t.hl:5: expect freelist: expected 0, got 0,136");
    FAILS("f x\nf y\nexpect freelist 24,0,136,8",
          "t.hl:6: expect freelist: expected 24,0,136,8, got 24,0,136");
#undef FAILS
    assert_last_fails("heap capacity=4K\na x 1M\nexpect size x 16\n",
                      "t.hl:3: expect size x: expected 16, got NULL (its "
                      "allocation failed)");
}
END_TEST

START_TEST(a_long_freelist_is_cut_short_in_messages)
{
    char text[8192];
    size_t n = 0, i;

    n += (size_t)sprintf(text + n, "heap preset=reference merge=none\n");
    for (i = 0; i < 60; i++)
        n += (size_t)sprintf(text + n, "a b%zu 16\n", i);
    for (i = 0; i < 60; i += 2)
        n += (size_t)sprintf(text + n, "f b%zu\n", i);
    sprintf(text + n, "expect freelist empty\n");
    assert_last_fails(text, "t.hl:92: expect freelist: expected empty, got "
                      "1392,1344,1296,1248,1200,1152,1104,1056,1008,960,912,"
                      "864,816,768,720,672,624,576,528,480,432,384,336,288,"
                      "240,192,144,96,48,...");
}
END_TEST

/* ---------------------------------------------------------------------------
 * Growers
 * ------------------------------------------------------------------------- */

static const char grower_script[] =
    "a x 100\na y 5000\nf x\na z 40\n"
    "expect block y 120\nexpect block z 8\ncheck\n";

/* The same script on another grower gives the same offsets. */
static void run_on_grower(const char *grower)
{
    char text[512];
    hl_script *s;
    replay *r;

    snprintf(text, sizeof text, "heap grower=%s\n%s", grower, grower_script);
    r = replay_start(text, &s);
    while (replay_step(r, &res))
        ck_assert_msg(res.passed, "%s: %s", grower, res.message);
    replay_finish(r, s);
}

START_TEST(every_grower_gives_the_same_offsets)
{
    run_on_grower("static");
    run_on_grower("mmap");
    run_on_grower("brk");
}
END_TEST

START_TEST(a_grower_that_cannot_start_is_reported)
{
    hl_script *s = script_parse_string("t.hl", "heap grower=mmap capacity=0\n",
                                       err, sizeof err);

    ck_assert_ptr_nonnull(s);
    ck_assert_ptr_null(replay_new(s, err, sizeof err));
    ck_assert_str_eq(err, "t.hl: cannot set up the mmap grower with capacity "
                     "0: Invalid argument");
    script_free(s);
}
END_TEST

static Suite *replay_suite(void)
{
    Suite *s = suite_create("replay");
    TCase *steps = tcase_create("steps");
    TCase *expects = tcase_create("expects");
    TCase *growers = tcase_create("growers");

    tcase_add_test(steps, a_step_reports_the_object_and_the_events);
    tcase_add_test(steps, a_failed_allocation_is_not_an_error);
    tcase_add_test(steps, every_failed_allocation_is_an_event);
    tcase_add_test(steps, a_trace_gets_a_heap_that_holds_it);
    tcase_add_test(steps, a_failed_realloc_keeps_the_old_object);
    tcase_add_test(steps, calloc_zeroes_a_reused_block);
    tcase_add_test(steps, memalign_aligns_the_object);
    tcase_add_test(steps, many_events_are_counted_beyond_the_array);
    tcase_add_test(expects, expects_that_hold_pass);
    tcase_add_test(expects, expects_that_do_not_hold_say_what_was_found);
    tcase_add_test(expects, a_long_freelist_is_cut_short_in_messages);
    tcase_add_test(growers, every_grower_gives_the_same_offsets);
    tcase_add_test(growers, a_grower_that_cannot_start_is_reported);
    suite_add_tcase(s, steps);
    suite_add_tcase(s, expects);
    suite_add_tcase(s, growers);
    return s;
}

int main(void) { return fixture_run(replay_suite()); }

/* check_script_heap.c - the `heap` line of a script and `heaplab run --heap`:
 * defaults, presets, each key, and the exact message for each mistake. */
#include "script_fixture.h"

START_TEST(without_a_heap_line_the_heap_is_the_default)
{
    hl_script *s = parse_ok("a x 1\n");

    ck_assert_uint_eq(s->heap_line, 0);
    ck_assert_uint_eq(s->heap.config.align, 16);
    ck_assert_int_eq(s->heap.config.fit, HL_FIT_FIRST);
    ck_assert_int_eq(s->heap.config.order, HL_ORDER_LIFO);
    ck_assert_int_eq(s->heap.config.merge, HL_MERGE_IMMEDIATE);
    ck_assert_int_eq(s->heap.grower, SCRIPT_GROWER_STATIC);
    ck_assert_uint_eq(s->heap.capacity, 1024 * 1024);
    ck_assert_uint_eq(s->heap.increment, 4096);
    script_free(s);
}
END_TEST

START_TEST(the_heap_line_sets_every_key)
{
    hl_script *s = parse_ok("# first\nheap preset=reference align=16 "
                            "fit=best order=address merge=none grower=mmap "
                            "capacity=64K increment=256\na x 1\n");

    ck_assert_uint_eq(s->heap_line, 2);
    ck_assert_uint_eq(s->heap.config.align, 16);
    ck_assert_int_eq(s->heap.config.fit, HL_FIT_BEST);
    ck_assert_int_eq(s->heap.config.order, HL_ORDER_ADDRESS);
    ck_assert_int_eq(s->heap.config.merge, HL_MERGE_NONE);
    ck_assert_int_eq(s->heap.grower, SCRIPT_GROWER_MMAP);
    ck_assert_uint_eq(s->heap.capacity, 64 * 1024);
    ck_assert_uint_eq(s->heap.increment, 256);
    script_free(s);
}
END_TEST

/* A preset resets the library's knobs written before it, not the grower's
 * keys: they say what the script runs on. */
START_TEST(a_preset_resets_the_knobs_before_it)
{
    hl_script *s = parse_ok("heap fit=worst grower=brk capacity=8K "
                            "preset=reference order=fifo\n");

    ck_assert_uint_eq(s->heap.config.align, 8);
    ck_assert_int_eq(s->heap.config.fit, HL_FIT_FIRST);
    ck_assert_int_eq(s->heap.config.order, HL_ORDER_FIFO);
    ck_assert_int_eq(s->heap.config.merge, HL_MERGE_LAZY);
    ck_assert_int_eq(s->heap.grower, SCRIPT_GROWER_BRK);
    ck_assert_uint_eq(s->heap.capacity, 8 * 1024);
    script_free(s);
}
END_TEST

START_TEST(a_heap_line_comes_once_and_first)
{
    ck_assert_parse_error("heap align=8\n\nheap fit=best\n", "t.hl:3: a "
                          "second 'heap' line; the first is at line 1");
    ck_assert_parse_error("a x 1\nheap align=8\n", "t.hl:2: 'heap' after "
                          "the first operation; it must come before every "
                          "a, f, r, c, m, check and expect");
    ck_assert_parse_error("check\nheap align=8\n", "t.hl:2: 'heap' after "
                          "the first operation; it must come before every "
                          "a, f, r, c, m, check and expect");
}
END_TEST

START_TEST(a_heap_line_may_follow_a_note)
{
    hl_script *s = parse_ok("note hello\nheap align=8\na x 1\n");

    ck_assert_str_eq(s->ops[0].note, "hello");
    ck_assert_uint_eq(s->heap.config.align, 8);
    script_free(s);
}
END_TEST

START_TEST(bad_heap_options_are_refused)
{
    ck_assert_parse_error("heap\n", "t.hl:1: expected KEY=VALUE after "
                          "'heap', got end of line");
    ck_assert_parse_error("heap align\n",
                          "t.hl:1: expected KEY=VALUE, got 'align'");
    ck_assert_parse_error("heap colour=red\n", "t.hl:1: unknown heap key "
                          "'colour'; expected preset, align, fit, order, "
                          "merge, place, cache, heaps, grower, capacity "
                          "or increment");
    ck_assert_parse_error("heap align=4\n", "t.hl:1: bad value '4' for "
                          "'align'; expected 8 or 16");
    ck_assert_parse_error("heap fit=good\n", "t.hl:1: bad value 'good' for "
                          "'fit'; expected first, next, best, worst or "
                          "segregated");
    ck_assert_parse_error("heap cache=yes\n", "t.hl:1: bad value 'yes' for "
                          "'cache'; expected on or off");
    ck_assert_parse_error("heap heaps=two\n", "t.hl:1: bad value 'two' for "
                          "'heaps'; expected one or per-thread");
    ck_assert_parse_error("heap order=\n", "t.hl:1: bad value '' for "
                          "'order'; expected lifo, fifo or address");
    ck_assert_parse_error("heap merge=eager\n", "t.hl:1: bad value 'eager' "
                          "for 'merge'; expected lazy, immediate or none");
    ck_assert_parse_error("heap preset=rust\n", "t.hl:1: bad value 'rust' "
                          "for 'preset'; expected reference, default, "
                          "fast or compact");
    ck_assert_parse_error("heap grower=sbrk\n", "t.hl:1: bad value 'sbrk' "
                          "for 'grower'; expected static, mmap or brk");
    ck_assert_parse_error("heap capacity=lots\n", "t.hl:1: bad value 'lots' "
                          "for 'capacity'; expected a size such as 64K");
    ck_assert_parse_error("heap capacity=99999999999G\n", "t.hl:1: value "
                          "'99999999999G' for 'capacity' is out of range");
}
END_TEST

START_TEST(the_increment_must_suit_the_growers)
{
    hl_script *s = parse_ok("heap increment=1G\n");

    ck_assert_uint_eq(s->heap.increment, (size_t)1 << 30);
    script_free(s);
    s = parse_ok("heap increment=0\n");
    ck_assert_uint_eq(s->heap.increment, 0);
    script_free(s);
    ck_assert_parse_error("heap increment=100\n", "t.hl:1: bad value '100' "
                          "for 'increment'; expected a multiple of 16 no "
                          "greater than 1G");
    ck_assert_parse_error("heap increment=2G\n", "t.hl:1: bad value '2G' "
                          "for 'increment'; expected a multiple of 16 no "
                          "greater than 1G");
}
END_TEST

START_TEST(a_bad_heap_line_changes_nothing)
{
    hl_script *s = parse_ok("heap align=8 fit=best\n");

    ck_assert_int_eq(script_apply_heap_options(s, "fit=worst align=3",
                                               parse_err, sizeof parse_err),
                     -1);
    ck_assert_str_eq(parse_err, "bad value '3' for 'align'; expected 8 or 16");
    ck_assert_int_eq(s->heap.config.fit, HL_FIT_BEST);
    script_free(s);
}
END_TEST

START_TEST(heap_options_override_the_heap_line)
{
    hl_script *s = parse_ok("heap preset=reference capacity=64K\na x 1\n");

    ck_assert_int_eq(script_apply_heap_options(s, "fit=next  increment=64",
                                               parse_err, sizeof parse_err), 0);
    ck_assert_int_eq(s->heap.config.fit, HL_FIT_NEXT);
    ck_assert_uint_eq(s->heap.config.align, 8);
    ck_assert_uint_eq(s->heap.capacity, 64 * 1024);
    ck_assert_uint_eq(s->heap.increment, 64);
    ck_assert_int_eq(script_apply_heap_options(s, "preset=default", parse_err,
                                               sizeof parse_err), 0);
    ck_assert_uint_eq(s->heap.config.align, 16);
    ck_assert_uint_eq(s->heap.capacity, 64 * 1024); /* the script's */
    ck_assert_int_eq(script_apply_heap_options(s, "size=1", parse_err,
                                               sizeof parse_err), -1);
    ck_assert_str_eq(parse_err, "unknown heap key 'size'; expected preset, "
                     "align, fit, order, merge, place, cache, heaps, grower, "
                     "capacity or increment");
    script_free(s);
}
END_TEST

/* hl_heap_init refuses fit=segregated with merge=lazy; the parser says so
 * first, with the line, whether the keys come from one line, a preset and
 * a key, or the line and --heap. */
START_TEST(keys_that_cannot_go_together_are_refused)
{
    hl_script *s;

    ck_assert_parse_error("# lazy merging\nheap fit=segregated merge=lazy\n"
                          "a x 1\n",
                          "t.hl:2: fit=segregated cannot go with merge=lazy: "
                          "a segregated heap needs merge=immediate or "
                          "merge=none");
    ck_assert_parse_error("heap preset=fast merge=lazy\n",
                          "t.hl:1: fit=segregated cannot go with merge=lazy: "
                          "a segregated heap needs merge=immediate or "
                          "merge=none");
    s = parse_ok("heap merge=lazy\na x 1\n");
    ck_assert_int_eq(script_apply_heap_options(s, "fit=segregated", parse_err,
                                               sizeof parse_err), -1);
    ck_assert_str_eq(parse_err, "fit=segregated cannot go with merge=lazy: "
                     "a segregated heap needs merge=immediate or merge=none");
    ck_assert_int_eq(s->heap.config.fit, HL_FIT_FIRST);
    ck_assert_int_eq(script_apply_heap_options(s, "fit=segregated "
                                               "merge=none", parse_err,
                                               sizeof parse_err), 0);
    script_free(s);
}
END_TEST

static Suite *script_heap_suite(void)
{
    Suite *s = suite_create("script-heap");
    TCase *tc = tcase_create("heap");

    tcase_add_test(tc, without_a_heap_line_the_heap_is_the_default);
    tcase_add_test(tc, the_heap_line_sets_every_key);
    tcase_add_test(tc, a_preset_resets_the_knobs_before_it);
    tcase_add_test(tc, a_heap_line_comes_once_and_first);
    tcase_add_test(tc, a_heap_line_may_follow_a_note);
    tcase_add_test(tc, bad_heap_options_are_refused);
    tcase_add_test(tc, the_increment_must_suit_the_growers);
    tcase_add_test(tc, a_bad_heap_line_changes_nothing);
    tcase_add_test(tc, heap_options_override_the_heap_line);
    tcase_add_test(tc, keys_that_cannot_go_together_are_refused);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return fixture_run(script_heap_suite()); }

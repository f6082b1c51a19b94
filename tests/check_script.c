/* check_script.c - the script language: what each line parses into, and
 * the exact message for each mistake. */
#include <stdint.h>
#include <unistd.h>

#include "fixture.h"
#include "script.h"

static char err[512];

/* Parses text that must be good. */
static hl_script *parse_ok(const char *text)
{
    hl_script *s = script_parse_string("t.hl", text, err, sizeof err);

    ck_assert_msg(s != NULL, "unexpected error: %s", err);
    return s;
}

/* Parses text that must be refused with exactly `message`. */
#define ck_assert_parse_error(text, message)                                   \
    do {                                                                       \
        hl_script *s_ = script_parse_string("t.hl", (text), err, sizeof err);  \
        ck_assert_ptr_null(s_);                                                \
        ck_assert_str_eq(err, (message));                                      \
    } while (0)

/* ---------------------------------------------------------------------------
 * Operations
 * ------------------------------------------------------------------------- */

START_TEST(each_operation_becomes_one_op)
{
    hl_script *s = parse_ok("a x 10\n"
                            "c y 3 8\n"
                            "m z 64 100\n"
                            "r x 200\n"
                            "f y\n"
                            "check\n");

    ck_assert_uint_eq(s->nops, 6);
    ck_assert_uint_eq(s->nids, 3);
    ck_assert_int_eq(s->ops[0].kind, SCRIPT_ALLOC);
    ck_assert_uint_eq(s->ops[0].id, 0);
    ck_assert_uint_eq(s->ops[0].size, 10);
    ck_assert_int_eq(s->ops[1].kind, SCRIPT_CALLOC);
    ck_assert_uint_eq(s->ops[1].count, 3);
    ck_assert_uint_eq(s->ops[1].size, 8);
    ck_assert_int_eq(s->ops[2].kind, SCRIPT_MEMALIGN);
    ck_assert_uint_eq(s->ops[2].align, 64);
    ck_assert_uint_eq(s->ops[2].size, 100);
    ck_assert_int_eq(s->ops[3].kind, SCRIPT_REALLOC);
    ck_assert_uint_eq(s->ops[3].id, 0);
    ck_assert_int_eq(s->ops[4].kind, SCRIPT_FREE);
    ck_assert_uint_eq(s->ops[4].id, 1);
    ck_assert_int_eq(s->ops[5].kind, SCRIPT_CHECK);
    ck_assert_str_eq(s->id_names[2], "z");
    ck_assert_uint_eq(s->ops[5].line, 6);
    ck_assert_str_eq(s->ops[3].source, "r x 200");
    script_free(s);
}
END_TEST

START_TEST(comments_blank_lines_and_crlf_are_skipped)
{
    hl_script *s = parse_ok("# a comment\n"
                            "\n"
                            "   \t\n"
                            "a x 10   # trailing comment\r\n"
                            "f x#no space needed\r\n"
                            "#a y 10\n");

    ck_assert_uint_eq(s->nops, 2);
    ck_assert_uint_eq(s->ops[0].line, 4);
    ck_assert_uint_eq(s->ops[1].line, 5);
    ck_assert_str_eq(s->ops[0].source, "a x 10   # trailing comment");
    script_free(s);
}
END_TEST

START_TEST(an_empty_script_has_no_ops)
{
    hl_script *s = parse_ok("");

    ck_assert_uint_eq(s->nops, 0);
    ck_assert_uint_eq(s->nids, 0);
    script_free(s);
}
END_TEST

START_TEST(ids_are_numbers_or_words)
{
    hl_script *s = parse_ok("a 7 1\na _tmp2 1\na Node_3 1\nf 007\n");

    ck_assert_uint_eq(s->nids, 3);
    ck_assert_uint_eq(s->ops[3].id, 0); /* 007 is 7 */
    ck_assert_str_eq(s->id_names[0], "7");
    ck_assert_str_eq(s->id_names[1], "_tmp2");
    script_free(s);
    ck_assert_parse_error("a 2x 10\n", "t.hl:1: expected an ID (a number or "
                          "a name) after 'a', got '2x'");
    ck_assert_parse_error("a -3 10\n", "t.hl:1: expected an ID (a number or "
                          "a name) after 'a', got '-3'");
    ck_assert_parse_error("a\n", "t.hl:1: expected an ID (a number or a "
                          "name) after 'a', got end of line");
}
END_TEST

START_TEST(many_ids_get_dense_indexes)
{
    char line[64], *text = malloc(20000 * 24);
    size_t i, n = 0;
    hl_script *s;

    ck_assert_ptr_nonnull(text);
    for (i = 0; i < 10000; i++)
        n += (size_t)sprintf(text + n, "a id%zu %zu\n", i, i);
    for (i = 0; i < 10000; i += 2)
        n += (size_t)sprintf(text + n, "f id%zu\n", i);
    s = parse_ok(text);
    ck_assert_uint_eq(s->nids, 10000);
    ck_assert_uint_eq(s->ops[10000 + 2500].id, 5000);
    snprintf(line, sizeof line, "id%d", 9999);
    ck_assert_str_eq(s->id_names[9999], line);
    script_free(s);
    free(text);
}
END_TEST

START_TEST(sizes_take_k_m_g_suffixes)
{
    hl_script *s = parse_ok("a x 4K\na y 3M\na z 2G\na w 0\n"
                            "a v 18446744073709551615\n");

    ck_assert_uint_eq(s->ops[0].size, 4096);
    ck_assert_uint_eq(s->ops[1].size, 3 * 1024 * 1024);
    ck_assert_uint_eq(s->ops[2].size, (size_t)2 << 30);
    ck_assert_uint_eq(s->ops[3].size, 0);
    ck_assert_uint_eq(s->ops[4].size, SIZE_MAX);
    script_free(s);
}
END_TEST

START_TEST(bad_sizes_are_refused)
{
    ck_assert_parse_error("a x x12\n",
                          "t.hl:1: expected a size after 'a ID', got 'x12'");
    ck_assert_parse_error("a x\n", "t.hl:1: expected a size after 'a ID', "
                          "got end of line");
    ck_assert_parse_error("a x 4k\n",
                          "t.hl:1: expected a size after 'a ID', got '4k'");
    ck_assert_parse_error("a x 0x10\n",
                          "t.hl:1: expected a size after 'a ID', got '0x10'");
    ck_assert_parse_error("a x K\n",
                          "t.hl:1: expected a size after 'a ID', got 'K'");
    ck_assert_parse_error("a x 1.5K\n",
                          "t.hl:1: expected a size after 'a ID', got '1.5K'");
    ck_assert_parse_error("a x -1\n",
                          "t.hl:1: expected a size after 'a ID', got '-1'");
}
END_TEST

START_TEST(sizes_past_size_max_are_out_of_range)
{
    ck_assert_parse_error("a x 18446744073709551616\n",
                          "t.hl:1: a size after 'a ID' is out of range: "
                          "'18446744073709551616'");
    ck_assert_parse_error("a x 17179869184G\n",
                          "t.hl:1: a size after 'a ID' is out of range: "
                          "'17179869184G'");
    ck_assert_parse_error("c x 99999999999999999999999 1\n",
                          "t.hl:1: a count after 'c ID' is out of range: "
                          "'99999999999999999999999'");
}
END_TEST

START_TEST(each_operation_names_what_it_missed)
{
    ck_assert_parse_error("r x\n",
                          "t.hl:1: expected a size after 'r ID', got end of line");
    ck_assert_parse_error("c x 3\n", "t.hl:1: expected a size after "
                          "'c ID COUNT', got end of line");
    ck_assert_parse_error("c x y 3\n",
                          "t.hl:1: expected a count after 'c ID', got 'y'");
    ck_assert_parse_error("m x 16\n", "t.hl:1: expected a size after "
                          "'m ID ALIGN', got end of line");
    ck_assert_parse_error("f\n", "t.hl:1: expected an ID (a number or a "
                          "name) after 'f', got end of line");
    ck_assert_parse_error("a x 1 2\n",
                          "t.hl:1: unexpected '2' after 'a ID SIZE'");
    ck_assert_parse_error("a x 1\nf x now\n",
                          "t.hl:2: unexpected 'now' after 'f ID'");
    ck_assert_parse_error("check all\n", "t.hl:1: unexpected 'all' after 'check'");
}
END_TEST

START_TEST(alignments_must_be_powers_of_two)
{
    hl_script *s = parse_ok("m x 1 8\nm y 4K 8\n");

    ck_assert_uint_eq(s->ops[1].align, 4096);
    script_free(s);
    ck_assert_parse_error("m x 24 8\n", "t.hl:1: expected an alignment (a "
                          "power of two) after 'm ID', got '24'");
    ck_assert_parse_error("m x 0 8\n", "t.hl:1: expected an alignment (a "
                          "power of two) after 'm ID', got '0'");
}
END_TEST

START_TEST(unknown_commands_are_refused)
{
    ck_assert_parse_error("a x 1\nalloc y 2\n",
                          "t.hl:2: unknown command 'alloc'; expected a, f, "
                          "r, c, m, heap, note, check or expect");
    ck_assert_parse_error("A x 1\n", "t.hl:1: unknown command 'A'; expected "
                          "a, f, r, c, m, heap, note, check or expect");
}
END_TEST

/* ---------------------------------------------------------------------------
 * Liveness of IDs
 * ------------------------------------------------------------------------- */

START_TEST(freeing_an_id_that_is_not_live_is_refused)
{
    ck_assert_parse_error("a x 1\nf y\n",
                          "t.hl:2: unknown ID 'y': it was never allocated");
    ck_assert_parse_error("a x 1\nf x\n\nf x\n",
                          "t.hl:4: unknown ID 'x': it was freed at line 2");
}
END_TEST

START_TEST(allocating_a_live_id_is_refused)
{
    ck_assert_parse_error("a x 1\nc x 1 1\n", "t.hl:2: reused ID 'x': it is "
                          "still live, allocated at line 1");
    ck_assert_parse_error("a 5 1\nr 5 9\nm 05 8 1\n", "t.hl:3: reused ID "
                          "'05': it is still live, allocated at line 2");
}
END_TEST

START_TEST(an_id_may_be_allocated_again_once_freed)
{
    hl_script *s = parse_ok("a x 1\nf x\na x 2\nf x\n");

    ck_assert_uint_eq(s->nids, 1);
    ck_assert_uint_eq(s->ops[2].id, 0);
    script_free(s);
}
END_TEST

START_TEST(realloc_of_an_id_that_is_not_live_allocates)
{
    hl_script *s = parse_ok("r x 10\nr x 20\nf x\nr x 5\nf x\n");

    ck_assert_uint_eq(s->nops, 5);
    script_free(s);
}
END_TEST

START_TEST(free_minus_one_frees_null)
{
    hl_script *s = parse_ok("f -1\n");

    ck_assert_int_eq(s->ops[0].kind, SCRIPT_FREE);
    ck_assert_uint_eq(s->ops[0].id, SCRIPT_NO_ID);
    script_free(s);
    ck_assert_parse_error("a -1 8\n", "t.hl:1: expected an ID (a number or "
                          "a name) after 'a', got '-1'");
    ck_assert_parse_error("f -2\n", "t.hl:1: expected an ID (a number or a "
                          "name) after 'f', got '-2'");
}
END_TEST

/* ---------------------------------------------------------------------------
 * The heap line and --heap
 * ------------------------------------------------------------------------- */

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

START_TEST(a_preset_resets_the_keys_before_it)
{
    hl_script *s = parse_ok("heap fit=worst grower=brk capacity=8K "
                            "preset=reference order=fifo\n");

    ck_assert_uint_eq(s->heap.config.align, 8);
    ck_assert_int_eq(s->heap.config.fit, HL_FIT_FIRST);
    ck_assert_int_eq(s->heap.config.order, HL_ORDER_FIFO);
    ck_assert_int_eq(s->heap.config.merge, HL_MERGE_LAZY);
    ck_assert_int_eq(s->heap.grower, SCRIPT_GROWER_STATIC);
    ck_assert_uint_eq(s->heap.capacity, 1024 * 1024);
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
                          "merge, grower, capacity or increment");
    ck_assert_parse_error("heap align=4\n", "t.hl:1: bad value '4' for "
                          "'align'; expected 8 or 16");
    ck_assert_parse_error("heap fit=good\n", "t.hl:1: bad value 'good' for "
                          "'fit'; expected first, next, best or worst");
    ck_assert_parse_error("heap order=\n", "t.hl:1: bad value '' for "
                          "'order'; expected lifo, fifo or address");
    ck_assert_parse_error("heap merge=eager\n", "t.hl:1: bad value 'eager' "
                          "for 'merge'; expected lazy, immediate or none");
    ck_assert_parse_error("heap preset=rust\n", "t.hl:1: bad value 'rust' "
                          "for 'preset'; expected reference or default");
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

    ck_assert_int_eq(script_apply_heap_options(s, "fit=worst align=3", err,
                                               sizeof err), -1);
    ck_assert_str_eq(err, "bad value '3' for 'align'; expected 8 or 16");
    ck_assert_int_eq(s->heap.config.fit, HL_FIT_BEST);
    script_free(s);
}
END_TEST

START_TEST(heap_options_override_the_heap_line)
{
    hl_script *s = parse_ok("heap preset=reference capacity=64K\na x 1\n");

    ck_assert_int_eq(script_apply_heap_options(s, "fit=next  increment=64",
                                               err, sizeof err), 0);
    ck_assert_int_eq(s->heap.config.fit, HL_FIT_NEXT);
    ck_assert_uint_eq(s->heap.config.align, 8);
    ck_assert_uint_eq(s->heap.capacity, 64 * 1024);
    ck_assert_uint_eq(s->heap.increment, 64);
    ck_assert_int_eq(script_apply_heap_options(s, "preset=default", err,
                                               sizeof err), 0);
    ck_assert_uint_eq(s->heap.config.align, 16);
    ck_assert_uint_eq(s->heap.capacity, 1024 * 1024);
    ck_assert_int_eq(script_apply_heap_options(s, "size=1", err, sizeof err),
                     -1);
    ck_assert_str_eq(err, "unknown heap key 'size'; expected preset, align, "
                     "fit, order, merge, grower, capacity or increment");
    script_free(s);
}
END_TEST

/* ---------------------------------------------------------------------------
 * Notes
 * ------------------------------------------------------------------------- */

START_TEST(a_note_goes_with_the_next_operation)
{
    hl_script *s = parse_ok("note  first the header   # not this\n"
                            "a x 8\n"
                            "a y 8\n"
                            "note two lines\n"
                            "# between\n"
                            "note of text\n"
                            "expect used_blocks 2\n");

    ck_assert_str_eq(s->ops[0].note, "first the header");
    ck_assert_ptr_null(s->ops[1].note);
    ck_assert_str_eq(s->ops[2].note, "two lines\nof text");
    script_free(s);
}
END_TEST

START_TEST(a_note_needs_text_and_an_operation_after_it)
{
    ck_assert_parse_error("note\na x 1\n",
                          "t.hl:1: expected text after 'note', got end of line");
    ck_assert_parse_error("note   # only a comment\na x 1\n",
                          "t.hl:1: expected text after 'note', got end of line");
    ck_assert_parse_error("a x 1\nnote the end\n\n", "t.hl:2: a note must "
                          "come before an operation, and none follows this one");
}
END_TEST

/* ---------------------------------------------------------------------------
 * Expect
 * ------------------------------------------------------------------------- */

START_TEST(each_expect_is_parsed)
{
    hl_script *s = parse_ok("a x 8\n"
                            "expect block x 0\n"
                            "expect size x 24\n"
                            "expect null x\n"
                            "expect heap_size 4K\n"
                            "expect used_blocks 1\n"
                            "expect free_blocks 1\n"
                            "expect free_bytes 4056\n"
                            "expect largest_free 4056\n"
                            "expect grows 1\n"
                            "expect splits 1\n"
                            "expect merges 0\n"
                            "expect freelist 32,64,1K\n"
                            "expect freelist empty\n");
    const size_t *list;

    ck_assert_uint_eq(s->nops, 14);
    ck_assert_int_eq(s->ops[1].what, EXPECT_BLOCK);
    ck_assert_uint_eq(s->ops[1].id, 0);
    ck_assert_uint_eq(s->ops[1].value, 0);
    ck_assert_int_eq(s->ops[2].what, EXPECT_SIZE);
    ck_assert_uint_eq(s->ops[2].value, 24);
    ck_assert_int_eq(s->ops[3].what, EXPECT_NULL);
    ck_assert_int_eq(s->ops[4].what, EXPECT_HEAP_SIZE);
    ck_assert_uint_eq(s->ops[4].value, 4096);
    ck_assert_uint_eq(s->ops[4].id, SCRIPT_NO_ID);
    ck_assert_int_eq(s->ops[11].what, EXPECT_MERGES);
    ck_assert_int_eq(s->ops[12].what, EXPECT_FREELIST);
    ck_assert_uint_eq(s->ops[12].freelist_len, 3);
    list = script_expect_freelist(s, &s->ops[12]);
    ck_assert_uint_eq(list[0], 32);
    ck_assert_uint_eq(list[1], 64);
    ck_assert_uint_eq(list[2], 1024);
    ck_assert_uint_eq(s->ops[13].freelist_len, 0);
    script_free(s);
}
END_TEST

START_TEST(expect_null_takes_a_freed_id)
{
    hl_script *s = parse_ok("a x 8\nf x\nexpect null x\n");

    ck_assert_uint_eq(s->ops[2].id, 0);
    script_free(s);
    ck_assert_parse_error("expect null x\n",
                          "t.hl:1: unknown ID 'x': it was never allocated");
    ck_assert_parse_error("a x 8\nexpect null x 0\n",
                          "t.hl:2: unexpected '0' after 'expect null ID'");
}
END_TEST

START_TEST(bad_expects_are_refused)
{
    ck_assert_parse_error("expect\n", "t.hl:1: expected what to expect after "
                          "'expect' (block, size, null, heap_size, "
                          "used_blocks, free_blocks, free_bytes, "
                          "largest_free, grows, splits, merges or freelist), "
                          "got end of line");
    ck_assert_parse_error("expect blocks 3\n", "t.hl:1: expected what to "
                          "expect after 'expect' (block, size, null, "
                          "heap_size, used_blocks, free_blocks, free_bytes, "
                          "largest_free, grows, splits, merges or freelist), "
                          "got 'blocks'");
    ck_assert_parse_error("a x 8\nexpect block x\n", "t.hl:2: expected an "
                          "offset after 'expect block ID', got end of line");
    ck_assert_parse_error("a x 8\nexpect size x big\n", "t.hl:2: expected a "
                          "size after 'expect size ID', got 'big'");
    ck_assert_parse_error("a x 8\nf x\nexpect block x 0\n",
                          "t.hl:3: unknown ID 'x': it was freed at line 2");
    ck_assert_parse_error("expect size y 0\n",
                          "t.hl:1: unknown ID 'y': it was never allocated");
    ck_assert_parse_error("expect grows\n", "t.hl:1: expected a count after "
                          "'expect grows', got end of line");
    ck_assert_parse_error("expect heap_size 1 2\n",
                          "t.hl:1: unexpected '2' after 'expect heap_size N'");
    ck_assert_parse_error("a x 8\nexpect block x 0 0\n",
                          "t.hl:2: unexpected '0' after 'expect block ID N'");
}
END_TEST

START_TEST(bad_freelists_are_refused)
{
    const char *msg = "t.hl:1: expected block offsets separated by commas, "
                      "or 'empty', after 'expect freelist', got ";
    char want[256];

    snprintf(want, sizeof want, "%s'24,,48'", msg);
    ck_assert_parse_error("expect freelist 24,,48\n", want);
    snprintf(want, sizeof want, "%s'24,'", msg);
    ck_assert_parse_error("expect freelist 24,\n", want);
    snprintf(want, sizeof want, "%send of line", msg);
    ck_assert_parse_error("expect freelist\n", want);
    snprintf(want, sizeof want, "%s'none'", msg);
    ck_assert_parse_error("expect freelist none\n", want);
    snprintf(want, sizeof want, "%s'24,'", msg);
    ck_assert_parse_error("expect freelist 24, 48\n", want);
    ck_assert_parse_error("expect freelist 24 48\n",
                          "t.hl:1: unexpected '48' after 'expect freelist LIST'");
    ck_assert_parse_error("expect freelist 1,99999999999999999999\n",
                          "t.hl:1: offset '99999999999999999999' in 'expect "
                          "freelist' is out of range");
}
END_TEST

/* ---------------------------------------------------------------------------
 * CS:APP traces
 * ------------------------------------------------------------------------- */

/* A made-up trace in the 2002 layout: heap size, IDs, ops, weight. */
static const char trace_2002[] =
    "20000\n"
    "3\n"
    "7\n"
    "1\n"
    "a 0 512\n"
    "a 1 128\n"
    "r 0 640\n"
    "a 2 64\n"
    "f 1\n"
    "f 0\n"
    "f 2\n";

START_TEST(a_rep_header_of_four_lines_is_skipped)
{
    hl_script *s = parse_ok(trace_2002);

    ck_assert_uint_eq(s->nops, 7);
    ck_assert_uint_eq(s->nids, 3);
    ck_assert_uint_eq(s->ops[0].line, 5);
    ck_assert_int_eq(s->ops[2].kind, SCRIPT_REALLOC);
    ck_assert_uint_eq(s->ops[2].size, 640);
    script_free(s);
}
END_TEST

START_TEST(a_rep_header_of_three_lines_is_skipped)
{
    hl_script *s = parse_ok("2\n5\n1\na 0 10\na 1 20\nf 0\nf 1\nf -1\n");

    ck_assert_uint_eq(s->nops, 5);
    ck_assert_uint_eq(s->ops[4].id, SCRIPT_NO_ID);
    script_free(s);
}
END_TEST

START_TEST(a_rep_header_has_at_most_four_numbers)
{
    ck_assert_parse_error("1\n2\n3\n4\n5\na 0 1\n", "t.hl:5: expected a "
                          "command, got the number '5'; a .rep header has at "
                          "most 4 lines");
    ck_assert_parse_error("a 0 1\n7\n", "t.hl:2: unknown command '7'; "
                          "expected a, f, r, c, m, heap, note, check or "
                          "expect");
    ck_assert_parse_error("12 13\n", "t.hl:1: expected a command, got the "
                          "number '12'; a .rep header has at most 4 lines");
}
END_TEST

/* ---------------------------------------------------------------------------
 * Files
 * ------------------------------------------------------------------------- */

/* Writes `len` bytes to a new temporary file; returns its name. */
static const char *temp_script(const char *text, size_t len)
{
    static char path[] = "/tmp/check_script_XXXXXX";
    int fd;

    strcpy(path + strlen(path) - 6, "XXXXXX");
    fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, text, len), (ssize_t)len);
    close(fd);
    return path;
}

START_TEST(a_script_loads_from_a_file)
{
    const char *path = temp_script(trace_2002, strlen(trace_2002));
    hl_script *s = script_load(path, err, sizeof err);

    ck_assert_msg(s != NULL, "%s", err);
    ck_assert_str_eq(s->name, path);
    ck_assert_uint_eq(s->nops, 7);
    script_free(s);
    unlink(path);
}
END_TEST

START_TEST(file_errors_name_the_file)
{
    const char *path;
    char want[128];

    ck_assert_ptr_null(script_load("/nonexistent/t.hl", err, sizeof err));
    ck_assert_str_eq(err, "/nonexistent/t.hl: No such file or directory");
    path = temp_script("a x 1\nf x\0\n", 11);
    ck_assert_ptr_null(script_load(path, err, sizeof err));
    snprintf(want, sizeof want, "%s:2: the line holds a NUL byte", path);
    ck_assert_str_eq(err, want);
    unlink(path);
    path = temp_script("a x 1\nf y\n", 10);
    ck_assert_ptr_null(script_load(path, err, sizeof err));
    snprintf(want, sizeof want, "%s:2: unknown ID 'y': it was never "
             "allocated", path);
    ck_assert_str_eq(err, want);
    unlink(path);
}
END_TEST

START_TEST(long_words_are_cut_short_in_messages)
{
    ck_assert_parse_error("a x 123456789012345678901234567890123456789012345\n",
                          "t.hl:1: a size after 'a ID' is out of range: "
                          "'1234567890123456789012345678901234567890...'");
}
END_TEST

START_TEST(names_of_kinds)
{
    ck_assert_str_eq(script_op_name(SCRIPT_MEMALIGN), "m");
    ck_assert_str_eq(script_op_name(SCRIPT_EXPECT), "expect");
    ck_assert_str_eq(script_expect_name(EXPECT_LARGEST_FREE), "largest_free");
    ck_assert_str_eq(script_grower_name(SCRIPT_GROWER_BRK), "brk");
}
END_TEST

static Suite *script_suite(void)
{
    Suite *s = suite_create("script");
    TCase *ops = tcase_create("operations");
    TCase *ids = tcase_create("ids");
    TCase *heap_line = tcase_create("heap");
    TCase *notes = tcase_create("notes");
    TCase *expect = tcase_create("expect");
    TCase *traces = tcase_create("traces");
    TCase *files = tcase_create("files");

    tcase_add_test(ops, each_operation_becomes_one_op);
    tcase_add_test(ops, comments_blank_lines_and_crlf_are_skipped);
    tcase_add_test(ops, an_empty_script_has_no_ops);
    tcase_add_test(ops, sizes_take_k_m_g_suffixes);
    tcase_add_test(ops, bad_sizes_are_refused);
    tcase_add_test(ops, sizes_past_size_max_are_out_of_range);
    tcase_add_test(ops, each_operation_names_what_it_missed);
    tcase_add_test(ops, alignments_must_be_powers_of_two);
    tcase_add_test(ops, unknown_commands_are_refused);
    tcase_add_test(ops, names_of_kinds);
    tcase_add_test(ids, ids_are_numbers_or_words);
    tcase_add_test(ids, many_ids_get_dense_indexes);
    tcase_add_test(ids, freeing_an_id_that_is_not_live_is_refused);
    tcase_add_test(ids, allocating_a_live_id_is_refused);
    tcase_add_test(ids, an_id_may_be_allocated_again_once_freed);
    tcase_add_test(ids, realloc_of_an_id_that_is_not_live_allocates);
    tcase_add_test(ids, free_minus_one_frees_null);
    tcase_add_test(heap_line, without_a_heap_line_the_heap_is_the_default);
    tcase_add_test(heap_line, the_heap_line_sets_every_key);
    tcase_add_test(heap_line, a_preset_resets_the_keys_before_it);
    tcase_add_test(heap_line, a_heap_line_comes_once_and_first);
    tcase_add_test(heap_line, a_heap_line_may_follow_a_note);
    tcase_add_test(heap_line, bad_heap_options_are_refused);
    tcase_add_test(heap_line, the_increment_must_suit_the_growers);
    tcase_add_test(heap_line, a_bad_heap_line_changes_nothing);
    tcase_add_test(heap_line, heap_options_override_the_heap_line);
    tcase_add_test(notes, a_note_goes_with_the_next_operation);
    tcase_add_test(notes, a_note_needs_text_and_an_operation_after_it);
    tcase_add_test(expect, each_expect_is_parsed);
    tcase_add_test(expect, expect_null_takes_a_freed_id);
    tcase_add_test(expect, bad_expects_are_refused);
    tcase_add_test(expect, bad_freelists_are_refused);
    tcase_add_test(traces, a_rep_header_of_four_lines_is_skipped);
    tcase_add_test(traces, a_rep_header_of_three_lines_is_skipped);
    tcase_add_test(traces, a_rep_header_has_at_most_four_numbers);
    tcase_add_test(files, a_script_loads_from_a_file);
    tcase_add_test(files, file_errors_name_the_file);
    tcase_add_test(files, long_words_are_cut_short_in_messages);
    suite_add_tcase(s, ops);
    suite_add_tcase(s, ids);
    suite_add_tcase(s, heap_line);
    suite_add_tcase(s, notes);
    suite_add_tcase(s, expect);
    suite_add_tcase(s, traces);
    suite_add_tcase(s, files);
    return s;
}

int main(void) { return fixture_run(script_suite()); }

/* check_script_expect.c - parsing `expect` lines: each kind, and the exact
 * message for each mistake. */
#include "script_fixture.h"

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
                          "largest_free, large_from, in_turn, grows, splits, merges, "
                          "cached_blocks, "
                          "cache_hits, freelist, heap, remote or cached), "
                          "got end of line");
    ck_assert_parse_error("expect blocks 3\n", "t.hl:1: expected what to "
                          "expect after 'expect' (block, size, null, "
                          "heap_size, used_blocks, free_blocks, free_bytes, "
                          "largest_free, large_from, in_turn, grows, splits, merges, "
                          "cached_blocks, "
                          "cache_hits, freelist, heap, remote or cached), "
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
    ck_assert_parse_error("expect freelist 24 48\n", "t.hl:1: unexpected "
                          "'48' after 'expect freelist LIST'");
    ck_assert_parse_error("expect freelist 1,99999999999999999999\n",
                          "t.hl:1: offset '99999999999999999999' in 'expect "
                          "freelist' is out of range");
}
END_TEST

static Suite *script_expect_suite(void)
{
    Suite *s = suite_create("script-expect");
    TCase *tc = tcase_create("expect");

    tcase_add_test(tc, each_expect_is_parsed);
    tcase_add_test(tc, expect_null_takes_a_freed_id);
    tcase_add_test(tc, bad_expects_are_refused);
    tcase_add_test(tc, bad_freelists_are_refused);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return fixture_run(script_expect_suite()); }

/* check_script.c - the script language: what each line parses into, and
 * the exact message for each mistake. */
#include <stdint.h>
#include <unistd.h>

#include "script_fixture.h"

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
    ck_assert_parse_error("r x\n", "t.hl:1: expected a size after 'r ID', "
                          "got end of line");
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
    ck_assert_parse_error("check all\n",
                          "t.hl:1: unexpected 'all' after 'check'");
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
                          "r, c, m, heap, thread, note, check or expect");
    ck_assert_parse_error("A x 1\n", "t.hl:1: unknown command 'A'; expected "
                          "a, f, r, c, m, heap, thread, note, check or "
                          "expect");
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
                          "t.hl:1: expected text after 'note', "
                          "got end of line");
    ck_assert_parse_error("note   # only a comment\na x 1\n",
                          "t.hl:1: expected text after 'note', "
                          "got end of line");
    ck_assert_parse_error("a x 1\nnote the end\n\n",
                          "t.hl:2: a note must come before an operation, "
                          "and none follows this one");
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
                          "expected a, f, r, c, m, heap, thread, note, check or "
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
    hl_script *s = script_load(path, parse_err, sizeof parse_err);

    ck_assert_msg(s != NULL, "%s", parse_err);
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

    ck_assert_ptr_null(script_load("/nonexistent/t.hl", parse_err,
                                   sizeof parse_err));
    ck_assert_str_eq(parse_err, "/nonexistent/t.hl: No such file or directory");
    path = temp_script("a x 1\nf x\0\n", 11);
    ck_assert_ptr_null(script_load(path, parse_err, sizeof parse_err));
    snprintf(want, sizeof want, "%s:2: the line holds a NUL byte", path);
    ck_assert_str_eq(parse_err, want);
    unlink(path);
    path = temp_script("a x 1\nf y\n", 10);
    ck_assert_ptr_null(script_load(path, parse_err, sizeof parse_err));
    snprintf(want, sizeof want, "%s:2: unknown ID 'y': it was never "
             "allocated", path);
    ck_assert_str_eq(parse_err, want);
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
    ck_assert_str_eq(script_expect_name(EXPECT_LARGE_FROM), "large_from");
    ck_assert_str_eq(script_grower_name(SCRIPT_GROWER_BRK), "brk");
}
END_TEST

static Suite *script_suite(void)
{
    Suite *s = suite_create("script");
    TCase *ops = tcase_create("operations");
    TCase *ids = tcase_create("ids");
    TCase *notes = tcase_create("notes");
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
    tcase_add_test(notes, a_note_goes_with_the_next_operation);
    tcase_add_test(notes, a_note_needs_text_and_an_operation_after_it);
    tcase_add_test(traces, a_rep_header_of_four_lines_is_skipped);
    tcase_add_test(traces, a_rep_header_of_three_lines_is_skipped);
    tcase_add_test(traces, a_rep_header_has_at_most_four_numbers);
    tcase_add_test(files, a_script_loads_from_a_file);
    tcase_add_test(files, file_errors_name_the_file);
    tcase_add_test(files, long_words_are_cut_short_in_messages);
    suite_add_tcase(s, ops);
    suite_add_tcase(s, ids);
    suite_add_tcase(s, notes);
    suite_add_tcase(s, traces);
    suite_add_tcase(s, files);
    return s;
}

int main(void) { return fixture_run(script_suite()); }

/* check_view_block.c - the viewer's block cursor and its sparklines,
 * without a terminal.
 *
 * The block pane is compared with what a reader works out from the layout
 * in lib/block.h: the header word's size, bits and slack, a free block's
 * node links and footer, the object's first bytes.  The check byte mixes
 * in the block's address, which this test does not choose (the fixture's
 * buffer is where the linker put it), so it is read from the header's
 * last byte in memory and the pane must agree with it; then that byte is
 * corrupted, and the pane must say the check no longer holds.
 */
#include <ctype.h>

#include "fixture.h"
#include "script_fixture.h"
#include "view_model.h"
#include "view_timeline.h"

static view_model model;

static void teardown(void)
{
    view_model_free(&model);
}

/* The heap's word at `offset`, opened to valgrind and ASan: the tests
 * read and smash headers and footers on purpose. */
static unsigned char *at(size_t offset)
{
    return fixture_expose((unsigned char *)hl_heap_base(heap) + offset,
                          HL_HEADER_SIZE);
}

/* A panel line, asserting it is there. */
static const char *line(const vm_panel *p, size_t i)
{
    ck_assert_msg(i < p->count, "the panel has %zu lines, not %zu", p->count,
                  i + 1);
    return p->line[i];
}

/* Three blocks of the reference heap: a (40 B) freed at 0, s (16 B) used
 * at 48, and the rest of the first 4096 bytes free at 72; the freelist is
 * a, then the rest (lifo). */
static void three_blocks(void)
{
    void *a;

    fixture_heap(HL_PRESET_REFERENCE, NULL);
    a = hl_alloc(heap, 40);
    ck_assert_ptr_nonnull(hl_alloc(heap, 16));
    hl_free(heap, a);
}

/* ---------------------------------------------------------------------------
 * Decoding
 * ------------------------------------------------------------------------- */

START_TEST(a_used_block_is_decoded_field_by_field)
{
    char expected[VM_LINE_MAX];
    vm_panel p = {VM_PANEL_WIDTH, 0, {{0}}};
    vm_label labels[] = {{0, 0, "a", 0, false}};
    hl_block_bits bits;
    unsigned check;
    char *object;

    fixture_heap(HL_PRESET_REFERENCE, NULL);
    object = hl_alloc(heap, 10);
    fixture_expose(object, 16); /* the slack too, closed to the tools */
    memset(object, 0, 16);  /* the whole contents: 10 B and the slack */
    memcpy(object, "hello", 6);
    ck_assert(hl_heap_block_bits(heap, 0, &bits));
    check = at(0)[7];       /* the header's top byte, little-endian */
    ck_assert_uint_eq(bits.size, 16);
    ck_assert_uint_eq(bits.slack, 6);
    ck_assert(!bits.free && !bits.prev_free && !bits.cached);
    ck_assert_uint_eq(bits.check, check);
    ck_assert_uint_ne(check, 0);
    ck_assert(bits.check_holds);

    vm_text_block(&p, heap, 0, labels, 1);
    ck_assert_str_eq(line(&p, 0), "BLOCK 0 [a]: used, 16 B");
    snprintf(expected, sizeof expected, "header at 0: 0x%02x06000000000010",
             check);
    ck_assert_str_eq(line(&p, 1), expected);
    snprintf(expected, sizeof expected,
             "  10 00 00 00 00 00 06 %02x .......%c", check,
             isprint((int)check) ? (char)check : '.');
    ck_assert_str_eq(line(&p, 2), expected);
    ck_assert_str_eq(line(&p, 3), "  size 16  F 0  P 0  C 0  slack 6");
    snprintf(expected, sizeof expected, "  check 0x%02x: holds", check);
    ck_assert_str_eq(line(&p, 4), expected);
    ck_assert_str_eq(line(&p, 5), "object at 8: 10 B asked, first 16:");
    ck_assert_str_eq(line(&p, 6), "  68 65 6c 6c 6f 00 00 00 hello...");
    ck_assert_str_eq(line(&p, 7), "  00 00 00 00 00 00 00 00 ........");
    ck_assert_uint_eq(p.count, 8);
}
END_TEST

START_TEST(a_corrupted_check_byte_is_reported)
{
    char expected[VM_LINE_MAX];
    vm_panel p = {VM_PANEL_WIDTH, 0, {{0}}};
    hl_block_bits bits;
    unsigned check;

    fixture_heap(HL_PRESET_REFERENCE, NULL);
    ck_assert_ptr_nonnull(hl_alloc(heap, 10));
    check = at(0)[7];
    at(0)[7] ^= 0x5a;
    ck_assert(hl_heap_block_bits(heap, 0, &bits));
    ck_assert_uint_eq(bits.check, check ^ 0x5a);
    ck_assert_uint_eq(bits.check_expected, check);
    ck_assert(!bits.check_holds);
    ck_assert_uint_eq(bits.size, 16);   /* the other fields are intact */
    vm_text_block(&p, heap, 0, NULL, 0);
    snprintf(expected, sizeof expected,
             "  check 0x%02x: FAILS (0x%02x expected)", check ^ 0x5a,
             check);
    ck_assert_str_eq(line(&p, 4), expected);
    at(0)[7] ^= 0x5a;
}
END_TEST

START_TEST(a_free_block_shows_its_node)
{
    vm_panel p = {VM_PANEL_WIDTH, 0, {{0}}};
    hl_block_bits bits;

    three_blocks();
    ck_assert(hl_heap_block_bits(heap, 0, &bits));
    ck_assert(bits.free && bits.has_node && bits.links_in_heap);
    ck_assert(!bits.has_footer);        /* lazy merging: no footers */
    ck_assert_uint_eq(bits.next_offset, 72);
    ck_assert_uint_eq(bits.prev_offset, HL_NO_OFFSET);
    vm_text_block(&p, heap, 0, NULL, 0);
    ck_assert_str_eq(line(&p, 0), "BLOCK 0: free, 40 B");
    ck_assert_str_eq(line(&p, 3), "  size 40  F 1  P 0  C 0  slack 0");
    ck_assert_str_eq(line(&p, 5), "node at 8: next 72, prev none");
    ck_assert_uint_eq(p.count, 6);
    /* The rest: after a on the list, last on it. */
    ck_assert(hl_heap_block_bits(heap, 72, &bits));
    ck_assert_uint_eq(bits.next_offset, HL_NO_OFFSET);
    ck_assert_uint_eq(bits.prev_offset, 0);
}
END_TEST

START_TEST(immediate_merging_gives_a_footer_and_p_bits)
{
    vm_panel p = {VM_PANEL_WIDTH, 0, {{0}}};
    hl_block_bits bits;
    void *a;

    fixture_heap(HL_PRESET_REFERENCE, "merge=immediate", NULL);
    a = hl_alloc(heap, 40);
    ck_assert_ptr_nonnull(hl_alloc(heap, 24));
    hl_free(heap, a);
    ck_assert(hl_heap_block_bits(heap, 0, &bits));
    ck_assert(bits.has_footer);
    ck_assert(bits.footer == bits.header);
    vm_text_block(&p, heap, 0, NULL, 0);
    ck_assert_msg(strstr(line(&p, 6), "footer at 40: 0x") == line(&p, 6),
                  "'%s'", line(&p, 6));
    ck_assert_str_eq(line(&p, 7), "  the same as the header");
    /* The block after a (s, used, at 48) knows a is free: its P bit. */
    ck_assert(hl_heap_block_bits(heap, 48, &bits));
    ck_assert(bits.prev_free && !bits.free);
    /* A footer written over is shown as such. */
    at(40)[0] ^= 0x08;
    vm_text_block(&p, heap, 0, NULL, 0);
    ck_assert_str_eq(line(&p, 7), "  DIFFERS from the header");
    at(40)[0] ^= 0x08;
}
END_TEST

START_TEST(no_block_outside_the_heap)
{
    hl_block_bits bits;

    three_blocks();
    ck_assert(!hl_heap_block_bits(heap, 4096, &bits));
    ck_assert(!hl_heap_block_bits(heap, (size_t)-8, &bits));
}
END_TEST

/* ---------------------------------------------------------------------------
 * Moving the cursor
 * ------------------------------------------------------------------------- */

START_TEST(the_cursor_goes_from_block_to_block)
{
    three_blocks();
    ck_assert_uint_eq(vm_block_step(heap, 0, 1), 48);
    ck_assert_uint_eq(vm_block_step(heap, 48, 1), 72);
    ck_assert_uint_eq(vm_block_step(heap, 72, 1), 72);  /* the last */
    ck_assert_uint_eq(vm_block_step(heap, 48, -1), 0);
    ck_assert_uint_eq(vm_block_step(heap, 0, -1), 0);   /* the first */
    ck_assert_uint_eq(vm_block_at(heap, 50), 48);
    ck_assert_uint_eq(vm_block_at(heap, 4096), VM_NO_BLOCK);
    ck_assert_uint_eq(vm_block_from(heap, 49), 48);
    /* Rows of 64 bytes: 0 is above 48's row-mate 64 (inside block 48),
     * and block 72 spans row 1 to the end, so down from it stays. */
    ck_assert_uint_eq(vm_block_row(heap, 0, 64, 1), 48);
    ck_assert_uint_eq(vm_block_row(heap, 72, 64, -1), 0);
    ck_assert_uint_eq(vm_block_row(heap, 0, 64, -1), 0);
    ck_assert_uint_eq(vm_block_row(heap, 72, 8192, 1), 72);
}
END_TEST

START_TEST(enter_follows_the_freelist)
{
    three_blocks();
    ck_assert_uint_eq(vm_freelist_after(heap, 0), 72);
    ck_assert_uint_eq(vm_freelist_after(heap, 72), VM_NO_BLOCK);
    ck_assert_uint_eq(vm_freelist_after(heap, 48), VM_NO_BLOCK); /* used */
}
END_TEST

START_TEST(the_selected_block_is_marked_on_the_map)
{
    vm_step step = {1, 1, 1, "op", NULL, VM_STEP_DONE, NULL, NULL, 0, 0,
                    0, 0, 0, 0, NULL, NULL, NULL, 0, VM_CALL_MALLOC};
    vm_geometry geo = {8, 16, 0, 1};
    char selected[17];
    size_t c;

    three_blocks();
    view_model_init(&model);
    ck_assert_int_eq(view_model_build(&model, heap, &step, &geo, NULL, 0), 0);
    vm_select(&model, heap, 50, NULL, 0);   /* inside block 48 */
    ck_assert_uint_eq(model.cursor, 48);
    for (c = 0; c < 16; c++)
        selected[c] = vm_cell_at(&model, 0, c)->selected ? 'x' : '-';
    selected[16] = '\0';
    /* Block 48: its header cell (48) and 16 B of object (56, 64). */
    ck_assert_str_eq(selected, "------xxx-------");
    ck_assert_str_eq(model.block.line[0], "BLOCK 48: used, 16 B");
    vm_select(&model, heap, VM_NO_BLOCK, NULL, 0);
    ck_assert_uint_eq(model.cursor, VM_NO_BLOCK);
    ck_assert_uint_eq(model.block.count, 0);
    ck_assert(!vm_cell_at(&model, 0, 6)->selected);
}
END_TEST

/* ---------------------------------------------------------------------------
 * Sparklines
 * ------------------------------------------------------------------------- */

START_TEST(spark_glyphs_rise_with_the_value)
{
    ck_assert_int_eq(vm_spark_glyph(0, 100), ' ');
    ck_assert_int_eq(vm_spark_glyph(1, 100), '.');
    ck_assert_int_eq(vm_spark_glyph(50, 100), '=');
    ck_assert_int_eq(vm_spark_glyph(99, 100), '*');
    ck_assert_int_eq(vm_spark_glyph(100, 100), '#');
}
END_TEST

START_TEST(sparklines_share_the_heap_scale)
{
    const vm_usage samples[] = {
        {0, 0}, {4096, 10}, {4096, 2000}, {8192, 8192},
        {8192, 100}, {8192, 0}, {4096, 0}, {4096, 4096}};
    char heap_line[VM_SPARK_MAX + 1], live_line[VM_SPARK_MAX + 1];

    ck_assert_uint_eq(vm_sparklines(heap_line, live_line, 40, samples, 4), 4);
    ck_assert_str_eq(heap_line, " ==#");
    ck_assert_str_eq(live_line, " .:#");
    /* Eight samples in four columns: each column the highest of two. */
    ck_assert_uint_eq(vm_sparklines(heap_line, live_line, 4, samples, 8), 4);
    ck_assert_str_eq(heap_line, "=##=");
    ck_assert_str_eq(live_line, ".#.=");
}
END_TEST

START_TEST(the_timeline_samples_every_step_of_a_short_script)
{
    hl_script *s = parse_ok("heap preset=reference capacity=64K "
                            "increment=4096\na a 10\na b 100\na c 40\n"
                            "f a\nf b\nf c\n");
    char err[256], heap_line[VM_SPARK_MAX + 1], live_line[VM_SPARK_MAX + 1];
    timeline *tl = timeline_open(s, 0, TL_BUDGET, err, sizeof err);
    const vm_usage *usage;
    size_t count, stride;

    ck_assert_ptr_nonnull(tl);
    ck_assert_int_eq(timeline_go(tl, 4), 0);
    usage = timeline_usage(tl, &count, &stride);
    ck_assert_uint_eq(stride, 1);
    ck_assert_uint_eq(count, 5);
    ck_assert_uint_eq(usage[0].heap_size, 0);
    ck_assert_uint_eq(usage[1].heap_size, 4096);
    ck_assert_uint_eq(usage[1].live, 10);
    ck_assert_uint_eq(usage[3].live, 150);
    ck_assert_uint_eq(usage[4].live, 140);
    vm_sparklines(heap_line, live_line, 40, usage, count);
    ck_assert_str_eq(heap_line, " ####");
    ck_assert_str_eq(live_line, " ....");
    ck_assert_int_eq(timeline_go(tl, 6), 0);
    usage = timeline_usage(tl, &count, &stride);
    ck_assert_uint_eq(count, 7);
    ck_assert_uint_eq(usage[6].live, 0);
    timeline_close(tl);
    script_free(s);
}
END_TEST

static Suite *view_block_suite(void)
{
    Suite *s = suite_create("view_block");
    TCase *decode = tcase_create("decode");
    TCase *cursor = tcase_create("cursor");
    TCase *spark = tcase_create("sparkline");

    tcase_add_checked_fixture(cursor, NULL, teardown);
    tcase_add_test(decode, a_used_block_is_decoded_field_by_field);
    tcase_add_test(decode, a_corrupted_check_byte_is_reported);
    tcase_add_test(decode, a_free_block_shows_its_node);
    tcase_add_test(decode, immediate_merging_gives_a_footer_and_p_bits);
    tcase_add_test(decode, no_block_outside_the_heap);
    tcase_add_test(cursor, the_cursor_goes_from_block_to_block);
    tcase_add_test(cursor, enter_follows_the_freelist);
    tcase_add_test(cursor, the_selected_block_is_marked_on_the_map);
    tcase_add_test(spark, spark_glyphs_rise_with_the_value);
    tcase_add_test(spark, sparklines_share_the_heap_scale);
    tcase_add_test(spark, the_timeline_samples_every_step_of_a_short_script);
    suite_add_tcase(s, decode);
    suite_add_tcase(s, cursor);
    suite_add_tcase(s, spark);
    return s;
}

int main(void) { return fixture_run(view_block_suite()); }

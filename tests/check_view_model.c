/* check_view_model.c - what `heaplab view` draws where, without a terminal.
 *
 * Each test builds a small heap on the static-buffer fixture, records the
 * library's events for the last operation (as the replay does for a step),
 * builds the view model and compares it with the picture a reader would
 * draw by hand: one character per cell, '#' header, '=' object (with the
 * label over its first cells), '~' slack, '.' free, '/' in no block.
 * view_navigation.c adds the timeline: step N reached through checkpoints
 * looks the same as step N reached one step at a time.
 */
#include "fixture.h"
#include "view_model.h"

/* The events of the operation under test, as the observer reports them. */
static hl_event events[64];
static size_t event_count;

static void record(const hl_event *ev, void *arg)
{
    (void)arg;
    if (event_count < sizeof events / sizeof events[0])
        events[event_count++] = *ev;
}

static void watch(void)
{
    event_count = 0;
    hl_heap_set_observer(heap, record, NULL);
}

static view_model model;

/* The model of `heap` after the operations watched, with 16 cells a row of
 * `bytes` each, `rows` rows from the top. */
static view_model *build(size_t bytes, size_t rows, const vm_label *labels,
                         size_t label_count)
{
    vm_step step = {1, 1, 1, "op", NULL, VM_STEP_DONE, NULL, events,
                    event_count, 0};
    vm_geometry geo = {bytes, 16, 0, rows};

    view_model_init(&model);
    ck_assert_int_eq(view_model_build(&model, heap, &step, &geo, labels,
                                      label_count), 0);
    return &model;
}

static const char *row(size_t r)
{
    static char text[64];
    return vm_row_text(&model, r, text, sizeof text);
}

/* The marks of row r as a string: 'x' where `mark` is set, '-' elsewhere. */
static const char *marks(size_t r, unsigned mark)
{
    static char text[64];
    size_t c;

    for (c = 0; c < model.geo.cells_per_row; c++)
        text[c] = vm_cell_at(&model, r, c)->marks & mark ? 'x' : '-';
    text[c] = '\0';
    return text;
}

static void teardown(void)
{
    view_model_free(&model);
}

/* ---------------------------------------------------------------------------
 * What is drawn where
 * ------------------------------------------------------------------------- */

START_TEST(one_object_is_a_header_its_label_and_slack)
{
    vm_label labels[] = {{0, 0, "a"}};

    fixture_heap(HL_PRESET_REFERENCE, NULL);
    watch();
    hl_alloc(heap, 10); /* block 0: header, 10 bytes asked, 16 given */
    build(8, 2, labels, 1);
    ck_assert_str_eq(row(0), "#a~#............");
    ck_assert_str_eq(row(1), "................");
    ck_assert_uint_eq(vm_cell_at(&model, 0, 1)->kind, VM_OBJECT);
    ck_assert_uint_eq(vm_cell_at(&model, 0, 1)->label, 0);
    ck_assert_uint_eq(vm_cell_at(&model, 0, 2)->kind, VM_SLACK);
    ck_assert_uint_eq(vm_cell_at(&model, 0, 3)->kind, VM_HEADER);
    ck_assert_uint_eq(vm_cell_at(&model, 0, 3)->block, 24);
    ck_assert_uint_eq(vm_cell_at(&model, 0, 4)->kind, VM_FREE);
    ck_assert_uint_eq(vm_cell_at(&model, 0, 4)->label, VM_NO_LABEL);
    ck_assert_uint_eq(model.heap_size, 4096);
    ck_assert_uint_eq(model.total_rows, 4096 / 128);
}
END_TEST

START_TEST(a_label_starts_every_row_of_its_object)
{
    vm_label labels[] = {{0, 0, "a"}, {24, 1, "big"}};

    fixture_heap(HL_PRESET_REFERENCE, NULL);
    hl_alloc(heap, 10);
    watch();
    hl_alloc(heap, 100); /* block 24: [32, 132) asked, 4 bytes of slack */
    vm_labels_sort(labels, 2);
    build(8, 2, labels, 2);
    ck_assert_str_eq(row(0), "#a~#big=========");
    /* The cell [128, 136) is half object, half slack: the object is first. */
    ck_assert_str_eq(row(1), "b#..............");
    ck_assert_uint_eq(vm_cell_at(&model, 1, 1)->block, 136);
}
END_TEST

START_TEST(padding_before_the_first_block_and_nothing_after)
{
    fixture_heap_sized(HL_PRESET_DEFAULT, 160, 0, NULL);
    hl_alloc(heap, 20); /* align 16: the first block starts at 8 */
    build(8, 2, NULL, 0);
    /* The heap grew by exactly what the object needed: [0, 40).  The
     * last cell is half object, half slack: the object comes first. */
    ck_assert_uint_eq(model.heap_size, 40);
    ck_assert_str_eq(row(0), "/#===           ");
    ck_assert_uint_eq(vm_cell_at(&model, 0, 0)->kind, VM_PADDING);
    ck_assert_uint_eq(vm_cell_at(&model, 0, 5)->kind, VM_UNUSED);
    ck_assert_uint_eq(vm_cell_at(&model, 0, 1)->block, 8);
}
END_TEST

START_TEST(a_zoomed_out_cell_shows_what_covers_most_of_it)
{
    vm_label labels[] = {{0, 0, "a"}};

    fixture_heap(HL_PRESET_REFERENCE, NULL);
    hl_alloc(heap, 200); /* block 0: [8, 208) asked; free from 208 */
    build(64, 1, labels, 1);
    /* [0,64) starts block 0; [192,256) holds 16 object bytes, a free
     * header and 40 free bytes: block 208 begins there, so its header. */
    ck_assert_str_eq(row(0), "#a=#............");
    ck_assert_uint_eq(vm_cell_at(&model, 0, 3)->block, 208);
}
END_TEST

/* ---------------------------------------------------------------------------
 * What changed in a step
 * ------------------------------------------------------------------------- */

START_TEST(the_first_allocation_grows_and_splits)
{
    fixture_heap(HL_PRESET_REFERENCE, NULL);
    watch();
    hl_alloc(heap, 10);
    build(8, 1, NULL, 0);
    ck_assert_str_eq(marks(0, VM_MARK_GROWN), "xxxxxxxxxxxxxxxx");
    ck_assert_str_eq(marks(0, VM_MARK_NEW), "xxx-------------");
    ck_assert_str_eq(marks(0, VM_MARK_SPLIT), "---xxxxxxxxxxxxx");
    ck_assert_str_eq(model.events.line[0], "grow: heap end 0 -> 4096 (+4096)");
    ck_assert_str_eq(model.events.line[1], "split: block 0 keeps 16 B,");
    ck_assert_str_eq(model.events.line[2], "  new free block 24, 4064 B");
    ck_assert_str_eq(model.events.line[3], "alloc: block 0, 16 B for 10");
    ck_assert_uint_eq(model.events.count, 4);
}
END_TEST

/* Lesson 6: `m x 64 16` after `a a 8`.  The events panel names the free
 * block at 24 as the padding, in front of x, and the map highlights it,
 * not x, as the block cut off in front. */
START_TEST(a_padding_block_is_named_and_marked)
{
    vm_label labels[] = {{0, 0, "a"}, {56, 1, "x"}};

    fixture_heap(HL_PRESET_REFERENCE, NULL);
    hl_alloc(heap, 8);
    watch();
    hl_aligned_alloc(heap, 64, 16);
    build(8, 1, labels, 2);
    ck_assert_str_eq(row(0), "#a~#...#x=#.....");
    ck_assert_str_eq(model.events.line[0], "split: free padding block 24,");
    ck_assert_str_eq(model.events.line[1], "  24 B, in front of block 56 [x]");
    ck_assert_str_eq(model.events.line[2], "split: block 56 [x] keeps 16 B,");
    ck_assert_str_eq(model.events.line[3], "  new free block 80, 4008 B");
    ck_assert_str_eq(marks(0, VM_MARK_PADDING), "---xxxx---------");
    ck_assert_str_eq(marks(0, VM_MARK_NEW), "-------xxx------");
    ck_assert_uint_eq(vm_cell_at(&model, 0, 4)->kind, VM_FREE);
}
END_TEST

START_TEST(an_immediate_merge_highlights_the_merged_block)
{
    void *a, *b;

    fixture_heap(HL_PRESET_DEFAULT, NULL);
    a = hl_alloc(heap, 20); /* block 8 */
    b = hl_alloc(heap, 20); /* block 40 */
    hl_alloc(heap, 20);     /* block 72 keeps b from merging forward */
    hl_free(heap, a);
    watch();
    hl_free(heap, b);
    build(8, 1, NULL, 0);
    ck_assert_str_eq(row(0), "/#.......#===#..");
    ck_assert_str_eq(marks(0, VM_MARK_MERGED), "-xxxxxxxx-------");
    ck_assert_str_eq(marks(0, VM_MARK_FREED), "-----xxxx-------");
    ck_assert_str_eq(model.events.line[0], "free: block 40, 24 B");
    ck_assert_str_eq(model.events.line[1], "merge: block 8 absorbs");
    ck_assert_str_eq(model.events.line[2], "  block 40 (24 B) -> 56 B");
}
END_TEST

START_TEST(a_lazy_merge_happens_in_the_search)
{
    vm_label labels[] = {{0, 3, "c"}};
    void *a, *b;

    fixture_heap(HL_PRESET_REFERENCE, NULL);
    a = hl_alloc(heap, 16); /* block 0 */
    b = hl_alloc(heap, 16); /* block 24 */
    hl_free(heap, b);
    hl_free(heap, a);       /* freelist: 0, 24, 48 */
    watch();
    hl_alloc(heap, 40);     /* 0 absorbs 24 and 48, then splits */
    build(8, 1, labels, 1);
    /* Labels are those after the step: c now owns block 0. */
    ck_assert_str_eq(model.events.line[0], "merge: block 0 [c] absorbs");
    ck_assert_str_eq(model.events.line[1], "  block 24 (16 B) -> 40 B");
    ck_assert_str_eq(model.events.line[2], "merge: block 0 [c] absorbs");
    ck_assert_str_eq(model.events.line[3], "  block 48 (4040 B) -> 4088 B");
    ck_assert_str_eq(model.events.line[6], "alloc: block 0 [c], 40 B for 40");
    ck_assert_str_eq(row(0), "#c====#.........");
    ck_assert_str_eq(marks(0, VM_MARK_MERGED), "xxxxxxxxxxxxxxxx");
}
END_TEST

START_TEST(a_failed_allocation_is_spelled_out)
{
    fixture_heap_sized(HL_PRESET_REFERENCE, 4096, 4096, NULL);
    watch();
    ck_assert_ptr_null(hl_alloc(heap, 10000));
    build(8, 1, NULL, 0);
    ck_assert_str_eq(model.events.line[0], "fail: no room for 10000 B: NULL");
    ck_assert_str_eq(row(0), "                ");
}
END_TEST

/* ---------------------------------------------------------------------------
 * Panels
 * ------------------------------------------------------------------------- */

START_TEST(the_freelist_panel_is_in_list_order)
{
    void *a, *b;

    fixture_heap(HL_PRESET_DEFAULT, NULL);
    a = hl_alloc(heap, 20);
    b = hl_alloc(heap, 20);
    hl_alloc(heap, 20);
    hl_free(heap, a);
    hl_free(heap, b);
    build(8, 1, NULL, 0);
    ck_assert_uint_eq(model.freelist.count, 3);
    ck_assert_str_eq(model.freelist.line[0], "freelist: 2 blocks");
    ck_assert_str_eq(model.freelist.line[1], "  1. block 8, 56 B");
    /* The heap ends at 4088: the last 8 bytes cannot hold an aligned
     * block and stay padding. */
    ck_assert_str_eq(model.freelist.line[2], "  2. block 104, 3976 B");
}
END_TEST

START_TEST(a_long_freelist_ends_with_how_many_more)
{
    void *p[100];
    size_t i;

    fixture_heap(HL_PRESET_REFERENCE, "merge=none", NULL);
    for (i = 0; i < 100; i++)
        p[i] = hl_alloc(heap, 16);
    for (i = 0; i < 100; i += 2)
        hl_free(heap, p[i]);
    build(8, 1, NULL, 0);
    ck_assert_uint_eq(model.freelist.count, VM_PANEL_LINES);
    ck_assert_str_eq(model.freelist.line[0], "freelist: 51 blocks");
    ck_assert_str_eq(model.freelist.line[1], "  1. block 2352, 16 B");
    ck_assert_str_eq(model.freelist.line[VM_PANEL_LINES - 1],
                     "  ... 5 more blocks");
}
END_TEST

START_TEST(the_step_and_stats_panels)
{
    vm_step step = {2, 9, 7, "b = alloc 100", "a note", VM_STEP_CHECK_FAILED,
                    "block b is 112 bytes, not 100", NULL, 0, 0};
    vm_geometry geo = {8, 16, 0, 1};

    fixture_heap(HL_PRESET_REFERENCE, NULL);
    hl_alloc(heap, 100);
    view_model_init(&model);
    ck_assert_int_eq(view_model_build(&model, heap, &step, &geo, NULL, 0), 0);
    ck_assert_str_eq(model.step.line[0], "step 2 of 9");
    ck_assert_str_eq(model.step.line[1], "line 7: b = alloc 100");
    ck_assert_str_eq(model.step.line[2], "FAILED");
    ck_assert_str_eq(model.step.line[3], "  block b is 112 bytes, not 100");
    ck_assert_str_eq(model.note, "a note");
    ck_assert_str_eq(model.events.line[0], "(no events)");
    ck_assert_str_eq(model.stats.line[0],
                     "first fit, lifo, merge lazy, align 8");
    ck_assert_str_eq(model.stats.line[1], "heap      4096 B (peak 4096)");
    ck_assert_str_eq(model.stats.line[2], "used      104 B in 1 blocks");
    ck_assert_str_eq(model.stats.line[3], "free      3976 B in 1 blocks");
    ck_assert_str_eq(model.stats.line[6], "utilization      2.4%");
}
END_TEST

/* ---------------------------------------------------------------------------
 * Zoom and scroll
 * ------------------------------------------------------------------------- */

START_TEST(zoom_arithmetic)
{
    vm_geometry geo = {8, 64, 0, 10};

    /* 64 cells of 8 bytes: 512 bytes a row. */
    ck_assert_uint_eq(vm_rows_needed(0, &geo), 1);
    ck_assert_uint_eq(vm_rows_needed(512, &geo), 1);
    ck_assert_uint_eq(vm_rows_needed(513, &geo), 2);
    ck_assert_uint_eq(vm_row_offset(&geo, 3), 1536);

    /* The whole of 1 MiB in 10 rows: 2048 bytes a cell (2^20 / 640). */
    vm_fit(&geo, 1 << 20);
    ck_assert_uint_eq(geo.bytes_per_cell, 2048);
    ck_assert_uint_le(vm_rows_needed(1 << 20, &geo), 10);

    /* Zooming in keeps the top-left byte in the top row. */
    geo.first_row = 5; /* byte 5 * 128 KiB = 640 KiB */
    vm_zoom(&geo, true, 1 << 20);
    ck_assert_uint_eq(geo.bytes_per_cell, 1024);
    /* Row 10 would be the top, but 16 rows in a window of 10 stop at 6. */
    ck_assert_uint_eq(geo.first_row, 6);
    vm_zoom(&geo, false, 1 << 20);
    ck_assert_uint_eq(geo.bytes_per_cell, 2048);
    /* Scrolling never shows rows past the heap: 8 rows, window 10. */
    ck_assert_uint_eq(geo.first_row, 0);
}
END_TEST

START_TEST(zoom_stops_at_its_bounds)
{
    vm_geometry geo = {8, 64, 0, 10};

    vm_zoom(&geo, true, 4096);
    ck_assert_uint_eq(geo.bytes_per_cell, 8);
    vm_zoom(&geo, false, 4096); /* 512 -> 1024 bytes a row */
    vm_zoom(&geo, false, 4096);
    vm_zoom(&geo, false, 4096);
    ck_assert_uint_eq(geo.bytes_per_cell, 64); /* one row holds the heap */
    vm_zoom(&geo, false, 4096);
    ck_assert_uint_eq(geo.bytes_per_cell, 64);
}
END_TEST

START_TEST(a_scrolled_window_shows_later_rows)
{
    fixture_heap(HL_PRESET_REFERENCE, NULL);
    hl_alloc(heap, 10);
    hl_alloc(heap, 100);
    {
        vm_geometry geo = {8, 16, 1, 1}; /* the second row only */
        view_model_init(&model);
        ck_assert_int_eq(view_model_build(&model, heap, NULL, &geo, NULL, 0),
                         0);
    }
    ck_assert_str_eq(row(0), "=#..............");
    ck_assert_uint_eq(model.geo.first_row, 1);
}
END_TEST

TCase *navigation_tcase(void); /* view_navigation.c */

static Suite *view_model_suite(void)
{
    Suite *s = suite_create("view_model");
    TCase *map = tcase_create("map");
    TCase *changes = tcase_create("changes");
    TCase *panels = tcase_create("panels");
    TCase *zoom = tcase_create("zoom");

    tcase_add_checked_fixture(map, NULL, teardown);
    tcase_add_test(map, one_object_is_a_header_its_label_and_slack);
    tcase_add_test(map, a_label_starts_every_row_of_its_object);
    tcase_add_test(map, padding_before_the_first_block_and_nothing_after);
    tcase_add_test(map, a_zoomed_out_cell_shows_what_covers_most_of_it);
    tcase_add_test(map, a_scrolled_window_shows_later_rows);
    suite_add_tcase(s, map);

    tcase_add_checked_fixture(changes, NULL, teardown);
    tcase_add_test(changes, the_first_allocation_grows_and_splits);
    tcase_add_test(changes, a_padding_block_is_named_and_marked);
    tcase_add_test(changes, an_immediate_merge_highlights_the_merged_block);
    tcase_add_test(changes, a_lazy_merge_happens_in_the_search);
    tcase_add_test(changes, a_failed_allocation_is_spelled_out);
    suite_add_tcase(s, changes);

    tcase_add_checked_fixture(panels, NULL, teardown);
    tcase_add_test(panels, the_freelist_panel_is_in_list_order);
    tcase_add_test(panels, a_long_freelist_ends_with_how_many_more);
    tcase_add_test(panels, the_step_and_stats_panels);
    suite_add_tcase(s, panels);

    tcase_add_test(zoom, zoom_arithmetic);
    tcase_add_test(zoom, zoom_stops_at_its_bounds);
    suite_add_tcase(s, zoom);

    suite_add_tcase(s, navigation_tcase());
    return s;
}

int main(void) { return fixture_run(view_model_suite()); }

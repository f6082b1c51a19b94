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
                    event_count, 0,
                    0, 0, 0, 0, NULL, NULL, NULL, 0, VM_CALL_MALLOC};
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
    vm_label labels[] = {{0, 0, "a", 0, false}};

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

START_TEST(a_label_starts_every_row_of_its_object_where_it_fits)
{
    vm_label labels[] = {{0, 0, "a", 0, false}, {24, 1, "big", 0, false}};

    fixture_heap(HL_PRESET_REFERENCE, NULL);
    hl_alloc(heap, 10);
    watch();
    hl_alloc(heap, 100); /* block 24: [32, 132) asked, 4 bytes of slack */
    vm_labels_sort(labels, 2);
    build(8, 2, labels, 2);
    ck_assert_str_eq(row(0), "#a~#big=========");
    /* The cell [128, 136) is half object, half slack: the object is first.
     * "big" does not fit in its one cell: no label, rather than a "b". */
    ck_assert_str_eq(row(1), "=#..............");
    ck_assert_uint_eq(vm_cell_at(&model, 1, 1)->block, 136);
}
END_TEST

/* A recording's IDs are numbers: 703 cut to its first cell read "#7~#",
 * as if it were some block 7. */
START_TEST(a_label_that_does_not_fit_is_not_cut)
{
    vm_label labels[] = {{0, 0, "703", 0, false}, {24, 1, "70", 0, false}};

    fixture_heap(HL_PRESET_REFERENCE, NULL);
    hl_alloc(heap, 10);  /* block 0: one object cell */
    hl_alloc(heap, 16);  /* block 24: two object cells */
    build(8, 1, labels, 2);
    ck_assert_str_eq(row(0), "#=~#70#.........");
    ck_assert_uint_eq(vm_cell_at(&model, 0, 1)->kind, VM_OBJECT);
    ck_assert_uint_eq(vm_cell_at(&model, 0, 1)->label, 0);
}
END_TEST

START_TEST(objects_of_0_and_1_bytes_get_their_cell_and_label)
{
    vm_label labels[] = {{0, 0, "x", 0, false}, {24, 1, "y", 0, false}};

    fixture_heap(HL_PRESET_REFERENCE, NULL);
    hl_alloc(heap, 0);   /* block 0: 16 bytes, none of them asked for */
    hl_alloc(heap, 1);   /* block 24: 1 byte asked for */
    build(8, 1, labels, 2);
    ck_assert_str_eq(row(0), "#x~#y~#.........");
    ck_assert_uint_eq(vm_cell_at(&model, 0, 1)->kind, VM_OBJECT);
    ck_assert_uint_eq(vm_cell_at(&model, 0, 2)->kind, VM_SLACK);
    ck_assert_uint_eq(vm_cell_at(&model, 0, 4)->kind, VM_OBJECT);
    /* Zoomed out, the blocks are smaller than a cell: their headers show. */
    view_model_free(&model);
    build(32, 1, labels, 2);
    ck_assert_str_eq(row(0), "##..............");
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
    vm_label labels[] = {{0, 0, "a", 0, false}};

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
    vm_label labels[] = {{0, 0, "a", 0, false}, {56, 1, "x", 0, false}};

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
    vm_label labels[] = {{0, 3, "c", 0, false}};
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
                    "block b is 112 bytes, not 100", NULL, 0, 0,
                    0, 0, 0, 0, NULL, NULL, NULL, 0, VM_CALL_MALLOC};
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
    ck_assert_str_eq(model.stats.line[2], "grower    static");
    ck_assert_str_eq(model.stats.line[3], "used      104 B in 1 block");
    ck_assert_str_eq(model.stats.line[4], "free      3976 B in 1 block");
    ck_assert_str_eq(model.stats.line[7], "utilization      2.4%");
}
END_TEST

/* With place=apart the stats panel says where the split stands and
 * whether large objects go to the back: 16 and 96 bytes in turn (blocks
 * of 24 and 104, a mean of 64) put the split at 96 and every request
 * switched kind; twenty more of 16 bytes make it 4 switches in 23 (17%).
 * (The panel's first line, the configuration, takes two lines here.) */
START_TEST(the_stats_panel_shows_the_split_and_the_turns)
{
    vm_step step = {1, 1, 1, "a x 16", NULL, VM_STEP_DONE, NULL, NULL, 0, 0,
                    0, 0, 0, 0, NULL, NULL, NULL, 0, VM_CALL_MALLOC};
    vm_geometry geo = {8, 16, 0, 1};
    int i;

    fixture_heap(HL_PRESET_DEFAULT, "place=apart", NULL);
    /* One request: nothing measured yet, not "100%". */
    hl_alloc(heap, 16);
    view_model_init(&model);
    ck_assert_int_eq(view_model_build(&model, heap, &step, &geo, NULL, 0), 0);
    ck_assert_str_eq(model.stats.line[8], "in turn   -: large at the back");
    hl_free(heap, hl_alloc(heap, 96)); /* the second: 1 of 1 switched */
    ck_assert_int_eq(view_model_build(&model, heap, &step, &geo, NULL, 0), 0);
    ck_assert_str_eq(model.stats.line[8], "in turn   100%: large at the back");
    for (i = 0; i < 2; i++) {
        hl_alloc(heap, 16);
        hl_alloc(heap, 96);
    }
    ck_assert_int_eq(view_model_build(&model, heap, &step, &geo, NULL, 0), 0);
    ck_assert_str_eq(model.stats.line[7], "large     from 96 B (apart)");
    ck_assert_str_eq(model.stats.line[8], "in turn   100%: large at the back");
    for (i = 0; i < 20; i++)
        hl_alloc(heap, 16);
    ck_assert_int_eq(view_model_build(&model, heap, &step, &geo, NULL, 0), 0);
    ck_assert_str_eq(model.stats.line[8], "in turn   24%: large at the front");
}
END_TEST

/* ---------------------------------------------------------------------------
 * Text at the panel's width
 * ------------------------------------------------------------------------- */

/* The panel's lines joined again, with single spaces: what was wrapped. */
static const char *joined(const vm_panel *p, size_t from, size_t count)
{
    static char text[1024];
    size_t i, len = 0;

    text[0] = '\0';
    for (i = from; i < from + count && i < p->count; i++) {
        const char *line = p->line[i] + strspn(p->line[i], " ");
        len += (size_t)snprintf(text + len, sizeof text - len, "%s%s",
                                len ? " " : "", line);
    }
    return text;
}

static void assert_within(const vm_panel *p, size_t width)
{
    size_t i;

    for (i = 0; i < p->count; i++)
        ck_assert_msg(strlen(p->line[i]) <= width,
                      "line %zu is %zu columns, wider than %zu: '%s'", i,
                      strlen(p->line[i]), width, p->line[i]);
}

/* Whether every letter of `brief` is in `name`, in order: an
 * abbreviation of it, not another word. */
static bool abbreviates(const char *brief, const char *name)
{
    for (; *brief; brief++, name++)
        if (!(name = strchr(name, *brief)))
            return false;
    return true;
}

/* The legends, short and long, come from one table, and say the same:
 * '/' is "no block" in both (the short legend said "out"). */
START_TEST(the_legends_name_each_glyph_alike)
{
    static const vm_kind all[] = {VM_HEADER, VM_OBJECT, VM_SLACK, VM_FREE,
                                  VM_PADDING, VM_CACHED, VM_REMOTE};
    char full[128], brief[128], one_full[32], one_brief[32];
    size_t i;

    ck_assert_uint_eq(vm_legend(full, sizeof full, all, 7, false),
                      strlen(full));
    ck_assert_str_eq(full, "# header  = object  ~ slack  . free  / no block"
                           "  + cached  % remote");
    vm_legend(brief, sizeof brief, all, 7, true);
    ck_assert_str_eq(brief, "#hdr =obj ~slk .free /noblk +cache %remote");
    for (i = 0; i < 7; i++) {
        vm_legend(one_full, sizeof one_full, &all[i], 1, false);
        vm_legend(one_brief, sizeof one_brief, &all[i], 1, true);
        ck_assert_int_eq(one_full[0], one_brief[0]);
        ck_assert_msg(abbreviates(one_brief + 1, one_full + 2),
                      "'%s' does not abbreviate '%s'", one_brief, one_full);
    }
    /* Cut at the buffer, never past it. */
    ck_assert_uint_eq(vm_legend(one_full, 12, all, 7, false), 11);
    ck_assert_str_eq(one_full, "# header  =");
}
END_TEST

START_TEST(wrapping_cuts_after_words)
{
    const char *text = "the freelist. 4064 B";
    size_t next;

    /* Within the width: the whole text. */
    ck_assert_uint_eq(vm_wrap(text, strlen(text), 40, &next), 20);
    ck_assert_uint_eq(next, 20);
    /* "freelist." does not fit in 12: the line ends after "the". */
    ck_assert_uint_eq(vm_wrap(text, strlen(text), 12, &next), 3);
    ck_assert_uint_eq(next, 4);
    /* A space just past the width: the whole word before it fits. */
    ck_assert_uint_eq(vm_wrap(text, strlen(text), 13, &next), 13);
    ck_assert_uint_eq(next, 14);
    /* Only a word wider than the whole width is cut inside. */
    ck_assert_uint_eq(vm_wrap("12345678", 8, 5, &next), 5);
    ck_assert_uint_eq(next, 5);
    /* Leading spaces are the line's indent, not a place to cut. */
    ck_assert_uint_eq(vm_wrap("    12345678", 12, 6, &next), 6);
    /* Nor the space between a number and its unit: "keeps 56" then "B,"
     * would read as two things. */
    text = "block 8 keeps 56 B, new free block";
    ck_assert_uint_eq(vm_wrap(text, strlen(text), 17, &next), 13);
    ck_assert_uint_eq(next, 14);
    ck_assert_uint_eq(vm_wrap(text, strlen(text), 19, &next), 19);
    /* A number before a word that only starts with B is cut as usual. */
    text = "free 56 Bytes";
    ck_assert_uint_eq(vm_wrap(text, strlen(text), 10, &next), 7);
}
END_TEST

/* A note of two `note` lines is one string with a newline between them;
 * the newline reached curses inside a panel line, which went on at the
 * screen's left edge, over the map's offsets ("a copy20" for 1920). */
START_TEST(a_newline_always_ends_a_line)
{
    static const char *const notes[] = {
        ("a is free: b's header now has its P bit set, and a's last word "
         "is\na copy of a's header.  Predict what freeing b does."),
        "short\nlines", "ends on spaces   \nthen more", "one\n\ntwo\n",
    };
    static const size_t widths[] = {VM_PANEL_WIDTH, 40, 66,
                                    VM_PANEL_MAX_WIDTH};
    const char *text = "short\nlines";
    size_t next, i, w, l;

    /* The first line ends at the newline, within the width or not. */
    ck_assert_uint_eq(vm_wrap(text, strlen(text), 40, &next), 5);
    ck_assert_uint_eq(next, 6);
    ck_assert_uint_eq(vm_wrap(text, strlen(text), 5, &next), 5);
    ck_assert_uint_eq(next, 6);
    ck_assert_uint_eq(vm_wrap(text, strlen(text), 3, &next), 3);
    ck_assert_uint_eq(next, 3);
    /* Cut at spaces that end at a newline: one break, not two. */
    text = "aaaa bbbb   \ncc";
    ck_assert_uint_eq(vm_wrap(text, strlen(text), 9, &next), 9);
    ck_assert_uint_eq(next, 13);
    /* An empty line stays one. */
    ck_assert_uint_eq(vm_wrap("\nx", 2, 10, &next), 0);
    ck_assert_uint_eq(next, 1);

    for (i = 0; i < sizeof notes / sizeof notes[0]; i++)
        for (w = 0; w < sizeof widths / sizeof widths[0]; w++) {
            vm_panel p;
            memset(&p, 0, sizeof p);
            p.width = widths[w];
            ck_assert(vm_panel_add_text(&p, notes[i], 0));
            assert_within(&p, widths[w]);
            for (l = 0; l < p.count; l++)
                ck_assert_msg(!strchr(p.line[l], '\n'),
                              "line %zu holds a newline: '%s'", l,
                              p.line[l]);
        }

    /* The note's second line starts a line of its own, at any width. */
    {
        vm_panel p;
        memset(&p, 0, sizeof p);
        p.width = 66;
        ck_assert(vm_panel_add_text(&p, notes[0], 0));
        ck_assert_uint_eq(p.count, 2);
        ck_assert_str_eq(p.line[0], "a is free: b's header now has its P bit "
                                    "set, and a's last word is");
        ck_assert_str_eq(p.line[1],
                         "a copy of a's header.  Predict what freeing b does.");
        memset(&p, 0, sizeof p);
        p.width = VM_PANEL_WIDTH;
        ck_assert(vm_panel_add_text(&p, notes[3], 0));
        ck_assert_uint_eq(p.count, 3);
        ck_assert_str_eq(p.line[0], "one");
        ck_assert_str_eq(p.line[1], "");
        ck_assert_str_eq(p.line[2], "two");
    }
}
END_TEST

START_TEST(the_panel_takes_a_share_of_the_screen)
{
    ck_assert_uint_eq(vm_panel_width(80), VM_PANEL_WIDTH);
    ck_assert_uint_eq(vm_panel_width(120), 40);
    ck_assert_uint_eq(vm_panel_width(200), 66);
    ck_assert_uint_eq(vm_panel_width(1000), VM_PANEL_MAX_WIDTH);
    ck_assert_uint_lt(VM_PANEL_MAX_WIDTH, VM_LINE_MAX);
}
END_TEST

/* The settings line, "first fit, lifo, merge immediate, align 16", was
 * cut at 40 columns, and lost its 16. */
START_TEST(the_stats_wrap_at_words_at_any_width)
{
    static const size_t widths[] = {VM_PANEL_WIDTH, 41, 50, 66,
                                    VM_PANEL_MAX_WIDTH};
    size_t i;

    fixture_heap(HL_PRESET_DEFAULT, NULL);
    hl_alloc(heap, 100);
    for (i = 0; i < sizeof widths / sizeof widths[0]; i++) {
        vm_panel p;
        memset(&p, 0, sizeof p);
        p.width = widths[i];
        vm_text_stats(&p, heap);
        assert_within(&p, widths[i]);
        if (widths[i] < 42) {
            /* A setting and its value stay on one line. */
            ck_assert_str_eq(p.line[0], "first fit, lifo, merge immediate,");
            ck_assert_str_eq(p.line[1], "  align 16");
            ck_assert_str_eq(p.line[2], "heap      4096 B (peak 4096)");
        } else {
            ck_assert_str_eq(p.line[0],
                             "first fit, lifo, merge immediate, align 16");
        }
    }
}
END_TEST

/* A long label pushed "for 256" past the panel's edge, which showed
 * "264 B for 2": every number must come whole. */
START_TEST(an_event_wraps_and_keeps_its_numbers_whole)
{
    static const size_t widths[] = {VM_PANEL_WIDTH, 45, 60};
    vm_label labels[] = {{0, 0, "a_rather_long_name", 0, false}};
    vm_step step = {1, 1, 1, "a a_rather_long_name 256", NULL, VM_STEP_DONE,
                    NULL, events, 0, 0,
                    0, 0, 0, 0, NULL, NULL, NULL, 0, VM_CALL_MALLOC};
    size_t i, e;

    fixture_heap(HL_PRESET_REFERENCE, NULL);
    watch();
    hl_alloc(heap, 256);
    step.event_count = event_count;
    for (i = 0; i < sizeof widths / sizeof widths[0]; i++) {
        vm_panel p;
        memset(&p, 0, sizeof p);
        p.width = widths[i];
        vm_text_events(&p, &step, labels, 1);
        assert_within(&p, widths[i]);
        for (e = 0; e < p.count; e++)
            if (!strncmp(p.line[e], "alloc:", 6))
                break;
        ck_assert_uint_lt(e, p.count);
        ck_assert_str_eq(joined(&p, e, widths[i] < 50 ? 2 : 1),
                         "alloc: block 0 [a_rather_long_name], 256 B for 256");
    }
}
END_TEST

START_TEST(a_long_message_and_the_note_wrap_in_the_model)
{
    vm_step step = {2, 9, 7, "b = alloc 100",
                    "Predict: where will x's block start, and how big is it?",
                    VM_STEP_CHECK_FAILED,
                    "block b is 112 bytes, not 100: the object got 12 bytes "
                    "of slack", NULL, 0, 0,
                    0, 0, 0, 0, NULL, NULL, NULL, 0, VM_CALL_MALLOC};
    vm_geometry geo = {8, 16, 0, 1};

    fixture_heap(HL_PRESET_REFERENCE, NULL);
    view_model_init(&model);
    model.panel_width = 40;
    ck_assert_int_eq(view_model_build(&model, heap, &step, &geo, NULL, 0), 0);
    assert_within(&model.step, 40);
    assert_within(&model.note_lines, 40);
    ck_assert_str_eq(model.step.line[3],
                     "  block b is 112 bytes, not 100: the");
    ck_assert_str_eq(model.step.line[4], "  object got 12 bytes of slack");
    ck_assert_uint_eq(model.note_lines.count, 2);
    ck_assert_str_eq(model.note_lines.line[0],
                     "Predict: where will x's block start, and");
    ck_assert_str_eq(model.note_lines.line[1], "how big is it?");
    /* A wide panel: one line each. */
    model.panel_width = 66;
    ck_assert_int_eq(view_model_build(&model, heap, &step, &geo, NULL, 0), 0);
    ck_assert_uint_eq(model.note_lines.count, 1);
    ck_assert_uint_eq(model.step.count, 4);
    /* A note of two lines keeps them, and is not cut at four lines. */
    step.note = "h1's block (520 bytes) is in the class of 512 to 639 "
                "bytes, h2's\n(760) in the class of 640 to 767.  Predict "
                "where x, 600 bytes, goes.\nThen free h1.";
    model.panel_width = VM_PANEL_WIDTH;
    ck_assert_int_eq(view_model_build(&model, heap, &step, &geo, NULL, 0), 0);
    assert_within(&model.note_lines, VM_PANEL_WIDTH);
    ck_assert_uint_eq(model.note_lines.count, 5);
    ck_assert_str_eq(model.note_lines.line[0],
                     "h1's block (520 bytes) is in the class");
    ck_assert_str_eq(model.note_lines.line[1], "of 512 to 639 bytes, h2's");
    ck_assert_str_eq(model.note_lines.line[2],
                     "(760) in the class of 640 to 767.");
    ck_assert_str_eq(model.note_lines.line[3],
                     "Predict where x, 600 bytes, goes.");
    ck_assert_str_eq(model.note_lines.line[4], "Then free h1.");
}
END_TEST

static void fill(vm_panel *p, size_t count)
{
    size_t i;

    memset(p, 0, sizeof *p);
    for (i = 0; i < count; i++)
        snprintf(p->line[i], VM_LINE_MAX, "line %zu", i);
    p->count = count;
}

/* At 80x24 a quiz's verdict and question (9 lines) got 5 rows, and the
 * question showed as "QUIZ (2/2 for step 5):" and "(+4 more lines)". */
START_TEST(the_side_panel_shares_its_rows_by_priority)
{
    enum { STEP, QUIZ, EVENTS, FREELIST, STATS };
    static vm_panel panels[5];
    vm_part parts[5] = {
        {&panels[STEP], "step", 0, false, false, 0},
        {&panels[QUIZ], "quiz", 1, true, false, 0},
        {&panels[EVENTS], "events", 1, false, true, 0},
        {&panels[FREELIST], "freelist", 1, false, false, 0},
        {&panels[STATS], "stats", 1, false, false, 0},
    };
    const size_t asking[] = {STEP, QUIZ, FREELIST, STATS, EVENTS};
    const size_t stepping[] = {STEP, QUIZ, STATS, EVENTS, FREELIST};
    size_t first, more, shown;
    char buf[VM_LINE_MAX];

    fill(&panels[STEP], 3);
    fill(&panels[QUIZ], 9);
    fill(&panels[EVENTS], 2);
    fill(&panels[FREELIST], 3);
    fill(&panels[STATS], 9);
    /* 22 rows: the question whole, the freelist whole, the stats cut,
     * the events one line that says what they are. */
    vm_parts_place(parts, asking, 5, 22);
    ck_assert_uint_eq(parts[STEP].rows, 3);
    ck_assert_uint_eq(parts[QUIZ].rows, 10);
    ck_assert_uint_eq(parts[FREELIST].rows, 4);
    ck_assert_uint_eq(parts[EVENTS].rows, 2);
    ck_assert_uint_eq(parts[STATS].rows, 3);
    shown = vm_part_lines(&parts[EVENTS], &first, &more);
    ck_assert_uint_eq(shown, 0);
    ck_assert_uint_eq(more, 2);
    ck_assert_str_eq(vm_part_more(&parts[EVENTS], more, buf, sizeof buf),
                     "  (events: 2 lines: P shows all)");
    shown = vm_part_lines(&parts[STATS], &first, &more);
    ck_assert_uint_eq(shown, 1);
    ck_assert_uint_eq(more, 8);
    ck_assert_str_eq(vm_part_more(&parts[STATS], more, buf, sizeof buf),
                     "  (+8 more lines: P shows all)");
    /* Fewer rows: the question keeps its last lines, the line that says
     * how many are left out above them; the parts after it a line each. */
    vm_parts_place(parts, asking, 5, 16);
    ck_assert_uint_eq(parts[QUIZ].rows, 7);
    shown = vm_part_lines(&parts[QUIZ], &first, &more);
    ck_assert_uint_eq(shown, 5);
    ck_assert_uint_eq(first, 4);
    ck_assert_uint_eq(more, 4);
    ck_assert_uint_eq(parts[FREELIST].rows, 2);
    ck_assert_uint_eq(parts[STATS].rows, 2);
    ck_assert_uint_eq(parts[EVENTS].rows, 2);
    /* Stepping, many events: they take what the freelist does not need,
     * and half of the rows left at least. */
    fill(&panels[EVENTS], 20);
    panels[QUIZ].count = 0;
    vm_parts_place(parts, stepping, 5, 22);
    ck_assert_uint_eq(parts[QUIZ].rows, 0);
    ck_assert_uint_eq(parts[STATS].rows, 10);
    ck_assert_uint_eq(parts[EVENTS].rows, 5);
    ck_assert_uint_eq(parts[FREELIST].rows, 4);
    ck_assert_uint_eq(parts[STEP].rows + parts[STATS].rows +
                      parts[EVENTS].rows + parts[FREELIST].rows, 22);
    /* Room for all: each part whole. */
    vm_parts_place(parts, stepping, 5, 60);
    ck_assert_uint_eq(parts[EVENTS].rows, 21);
    ck_assert_uint_eq(parts[FREELIST].rows, 4);
}
END_TEST

START_TEST(a_long_path_is_shortened_from_the_left)
{
    char buf[64];

    ck_assert_str_eq(vm_shorten_left(buf, sizeof buf, "tests/view-demo.txt",
                                     40), "tests/view-demo.txt");
    ck_assert_str_eq(vm_shorten_left(buf, sizeof buf,
                                     "/a/long/way/to/tests/view-demo.txt",
                                     20), ".../view-demo.txt");
    ck_assert_str_eq(vm_shorten_left(buf, sizeof buf,
                                     "/a/long/way/to/tests/view-demo.txt",
                                     24), ".../tests/view-demo.txt");
    ck_assert_str_eq(vm_shorten_left(buf, sizeof buf, "abcdefghij", 8),
                     "...fghij");
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

    /* At a bound nothing changes, and the caller is told (to say why). */
    ck_assert(!vm_zoom(&geo, true, 4096));
    ck_assert_uint_eq(geo.bytes_per_cell, 8);
    ck_assert(vm_zoom(&geo, false, 4096)); /* 512 -> 1024 bytes a row */
    vm_zoom(&geo, false, 4096);
    vm_zoom(&geo, false, 4096);
    ck_assert_uint_eq(geo.bytes_per_cell, 64); /* one row holds the heap */
    ck_assert(!vm_zoom(&geo, false, 4096));
    ck_assert_uint_eq(geo.bytes_per_cell, 64);
}
END_TEST

/* Fit makes the zoom finer until every block has its header cell and a
 * cell of its contents: lesson 2's blocks of 24 bytes hid under their
 * neighbours at 16 B a cell. */
START_TEST(fit_zooms_in_until_every_block_shows)
{
    vm_geometry geo = {8, 24, 0, 20};
    size_t size;

    fixture_heap(HL_PRESET_REFERENCE, NULL);
    hl_alloc(heap, 1000);
    ck_assert_uint_eq(vm_zoom_showing_blocks(heap, 64), 64);
    hl_alloc(heap, 16);
    /* 24 bytes from 1008: at 16 B a cell the next header (the free rest
     * at 1032) takes the block's only cell of contents. */
    ck_assert_uint_eq(vm_zoom_showing_blocks(heap, 64), 8);
    ck_assert_uint_eq(vm_zoom_showing_blocks(heap, 4), 8);
    /* 4096 bytes need 16 B a cell in 480 cells; the blocks need 8, and
     * then 22 rows: the window keeps its top. */
    size = vm_fit_blocks(&geo, &heap, 1);
    ck_assert_uint_eq(size, 4096);
    ck_assert_uint_eq(geo.bytes_per_cell, 8);
    ck_assert_uint_eq(geo.first_row, 0);
    ck_assert_uint_eq(vm_rows_needed(size, &geo), 22);
}
END_TEST

/* With fit, the window goes to what a step changed when it is out of
 * sight: a quarter of the window above it, as far as the map goes. */
START_TEST(the_window_follows_the_step)
{
    vm_geometry geo = {8, 16, 0, 4}; /* 128 bytes a row, 32 rows */
    hl_event ev = {HL_EVENT_FREE, 1000, 16, 1008, 0, 0, 0};
    vm_step step = {3, 9, 0, NULL, NULL, VM_STEP_DONE, NULL, &ev, 1, 0,
                    0, 0, 0, 0, NULL, NULL, NULL, 0, VM_CALL_FREE};
    size_t from, to;

    ck_assert(vm_step_bytes(&step, &from, &to));
    ck_assert_uint_eq(from, 1000);
    ck_assert_uint_eq(to, 1024);
    vm_follow(&geo, &step, 4096);
    ck_assert_uint_eq(geo.first_row, 6);   /* row 7, one row below the top */
    vm_follow(&geo, &step, 4096);          /* in sight: stays */
    ck_assert_uint_eq(geo.first_row, 6);
    ev.offset = 4000;                      /* the last row: clamped */
    vm_follow(&geo, &step, 4096);
    ck_assert_uint_eq(geo.first_row, 28);
    ev.offset = 0;
    vm_follow(&geo, &step, 4096);
    ck_assert_uint_eq(geo.first_row, 0);
    step.event_count = 0;                  /* nothing changed: stays */
    geo.first_row = 5;
    ck_assert(!vm_step_bytes(&step, &from, &to));
    vm_follow(&geo, &step, 4096);
    ck_assert_uint_eq(geo.first_row, 5);
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
    tcase_add_test(map, a_label_starts_every_row_of_its_object_where_it_fits);
    tcase_add_test(map, a_label_that_does_not_fit_is_not_cut);
    tcase_add_test(map, objects_of_0_and_1_bytes_get_their_cell_and_label);
    tcase_add_test(map, padding_before_the_first_block_and_nothing_after);
    tcase_add_test(map, a_zoomed_out_cell_shows_what_covers_most_of_it);
    tcase_add_test(map, a_scrolled_window_shows_later_rows);
    tcase_add_test(map, fit_zooms_in_until_every_block_shows);
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
    tcase_add_test(panels, the_stats_panel_shows_the_split_and_the_turns);
    tcase_add_test(panels, the_legends_name_each_glyph_alike);
    tcase_add_test(panels, wrapping_cuts_after_words);
    tcase_add_test(panels, a_newline_always_ends_a_line);
    tcase_add_test(panels, the_panel_takes_a_share_of_the_screen);
    tcase_add_test(panels, the_stats_wrap_at_words_at_any_width);
    tcase_add_test(panels, an_event_wraps_and_keeps_its_numbers_whole);
    tcase_add_test(panels, a_long_message_and_the_note_wrap_in_the_model);
    tcase_add_test(panels, a_long_path_is_shortened_from_the_left);
    tcase_add_test(panels, the_side_panel_shares_its_rows_by_priority);
    suite_add_tcase(s, panels);

    tcase_add_test(zoom, zoom_arithmetic);
    tcase_add_test(zoom, zoom_stops_at_its_bounds);
    tcase_add_test(zoom, the_window_follows_the_step);
    suite_add_tcase(s, zoom);

    suite_add_tcase(s, navigation_tcase());
    return s;
}

int main(void) { return fixture_run(view_model_suite()); }

/* check_merge.c - the three merge modes (merge.c): lazy forward merging
 * during the search, immediate merging on free with boundary tags, and
 * none.  Three neighbours a, b, c of 16 bytes each are freed in an order
 * that needs merging both ways. */
#include "fixture.h"

static void *a, *b, *c;

static void three_neighbours(const char *merge)
{
    fixture_heap(HL_PRESET_REFERENCE, merge, NULL);
    a = hl_alloc(heap, 16);
    b = hl_alloc(heap, 16);
    c = hl_alloc(heap, 16);
}

/* Immediate: c joins the free rest after it; b then joins c (after it)
 * and a (before it, found through a's footer): one block is left. */
START_TEST(immediate_merges_both_ways_on_free)
{
    hl_stats s;

    three_neighbours("merge=immediate"); /* blocks of 24: 0 32 64, rest 96 */
    hl_free(heap, a);
    hl_free(heap, c);
    ck_assert_str_eq(fixture_blocks(),
                     "block 0 free 24\n"
                     "block 32 used 24 requested 16\n"
                     "block 64 free 4024\n" /* 24 + 8 + 3992 */
                     "freelist 64 0\n");
    hl_free(heap, b);
    ck_assert_str_eq(fixture_blocks(), "block 0 free 4088\nfreelist 0\n");
    hl_heap_stats(heap, &s);
    ck_assert_uint_eq(s.merges, 3);
    ck_assert_heap_ok();
}
END_TEST

/* Immediate merging keeps used blocks free of any cost: a used block's
 * contents are exactly what a non-merging heap gives it, plus the room a
 * footer needs when the block is free again (24, not 16). */
START_TEST(immediate_grows_the_free_block_at_the_end)
{
    void *big;

    three_neighbours("merge=immediate");
    big = hl_alloc(heap, 6000);
    /* The free rest at 96 is extended by the growth instead of left. */
    ck_assert_uint_eq(block_offset(big), 96);
    ck_assert_heap_ok();
}
END_TEST

/* Lazy: free only tags; the next search joins forward. */
START_TEST(lazy_merges_only_when_searching)
{
    hl_stats s;

    three_neighbours("merge=lazy");
    hl_free(heap, c);
    hl_free(heap, b);
    hl_free(heap, a);
    hl_heap_stats(heap, &s);
    ck_assert_uint_eq(s.merges, 0);
    ck_assert_uint_eq(s.free_blocks, 4);
    /* a is at the head: it takes in b, c and the rest, one after another */
    hl_alloc(heap, 100);
    hl_heap_stats(heap, &s);
    ck_assert_uint_eq(s.merges, 3);
    ck_assert_str_eq(fixture_blocks(),
                     "block 0 used 104 requested 100\n"
                     "block 112 free 3976\n"
                     "freelist 112\n");
}
END_TEST

/* Lazy merging is forward only: a free block before the searched one is
 * never joined to it. */
START_TEST(lazy_never_merges_backwards)
{
    three_neighbours("merge=lazy");
    hl_free(heap, a);
    hl_free(heap, b); /* list: 24 0 72; 24 is visited first: nothing after */
    ck_assert_uint_eq(block_offset(hl_alloc(heap, 16)), 24);
    ck_assert_str_eq(fixture_blocks(),
                     "block 0 free 16\n"
                     "block 24 used 16 requested 16\n"
                     "block 48 used 16 requested 16\n"
                     "block 72 free 4016\n"
                     "freelist 0 72\n");
}
END_TEST

/* None: 40 bytes do not fit in any of three free neighbours of 16, so
 * they come from the rest, and fragmentation is there to measure. */
START_TEST(none_leaves_neighbours_apart)
{
    hl_stats s;

    three_neighbours("merge=none");
    hl_free(heap, a);
    hl_free(heap, b);
    hl_free(heap, c);
    ck_assert_uint_eq(block_offset(hl_alloc(heap, 40)), 72);
    hl_heap_stats(heap, &s);
    ck_assert_uint_eq(s.merges, 0);
    ck_assert_uint_eq(s.free_blocks, 4);
    ck_assert(s.fragmentation > 0.0);
    ck_assert_heap_ok();
}
END_TEST

/* Merges are reported to the observer with both blocks and the new size. */
static hl_event seen[16];
static int nseen;
static void record(const hl_event *ev, void *arg)
{
    (void)arg;
    if (nseen < 16)
        seen[nseen++] = *ev;
}

START_TEST(merge_events_name_both_blocks)
{
    three_neighbours("merge=immediate");
    hl_free(heap, a);
    nseen = 0;
    hl_heap_set_observer(heap, record, NULL);
    hl_free(heap, b);
    ck_assert_int_eq(nseen, 2);
    ck_assert_int_eq(seen[0].kind, HL_EVENT_FREE);
    ck_assert_uint_eq(seen[0].offset, 32);
    ck_assert_int_eq(seen[1].kind, HL_EVENT_MERGE);
    ck_assert_uint_eq(seen[1].offset, 0);        /* the survivor */
    ck_assert_uint_eq(seen[1].other_offset, 32); /* the absorbed */
    ck_assert_uint_eq(seen[1].size, 56);         /* 24 + 8 + 24 */
}
END_TEST

Suite *merge_suite(void);
Suite *merge_suite(void)
{
    Suite *s = suite_create("merge");
    TCase *tc = tcase_create("modes");

    tcase_add_test(tc, immediate_merges_both_ways_on_free);
    tcase_add_test(tc, immediate_grows_the_free_block_at_the_end);
    tcase_add_test(tc, lazy_merges_only_when_searching);
    tcase_add_test(tc, lazy_never_merges_backwards);
    tcase_add_test(tc, none_leaves_neighbours_apart);
    tcase_add_test(tc, merge_events_name_both_blocks);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return fixture_run(merge_suite()); }

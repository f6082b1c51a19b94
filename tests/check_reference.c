/* check_reference.c - rules 1 to 7 of docs/reference-algorithm.md, case by
 * case, on the `reference` preset.  Every expected dump below was worked
 * out by hand from the rules; the comments show the arithmetic. */
#include "fixture.h"

static void reference_heap(void) { fixture_heap(HL_PRESET_REFERENCE, NULL); }

/* Rule 1: size -> max(size, 16) rounded up to 8; a minimum block is 24. */
START_TEST(rule1_sizes_round_up_to_16_then_8)
{
    void *a, *b, *c, *d;

    reference_heap();
    a = hl_alloc(heap, 0);   /* 16 */
    b = hl_alloc(heap, 1);   /* 16 */
    c = hl_alloc(heap, 17);  /* 24 */
    d = hl_alloc(heap, 24);  /* 24 */
    ck_assert_uint_eq(block_offset(a), 0);
    ck_assert_uint_eq(block_offset(b), 24);
    ck_assert_uint_eq(block_offset(c), 48);
    ck_assert_uint_eq(block_offset(d), 80);
    ck_assert_uint_eq(hl_usable_size(heap, a), 16);
    ck_assert_uint_eq(hl_usable_size(heap, c), 24);
    ck_assert_ptr_ne(a, b); /* a zero-size request gets a real block */
    ck_assert_str_eq(fixture_blocks(),
                     "block 0 used 16 requested 0\n"
                     "block 24 used 16 requested 1\n"
                     "block 48 used 24 requested 17\n"
                     "block 80 used 24 requested 24\n"
                     "block 112 free 3976\n" /* 4096 - 112 - 8 */
                     "freelist 112\n");
    ck_assert_heap_ok();
}
END_TEST

/* Rule 2: the object goes right after the header, or at least 32 bytes
 * in, so that a padding block of 24 fits in front of it. */
START_TEST(rule2_padding_block_in_front_of_aligned_object)
{
    void *a, *m;

    reference_heap();
    a = hl_alloc(heap, 8);
    m = hl_aligned_alloc(heap, 64, 8);
    ck_assert_uint_eq((uintptr_t)m % 64, 0);
    /* The free rest starts at 24; the first 64-aligned address past its
     * header is 64, a gap of 40 >= 32: a padding block of 24 in front. */
    ck_assert_uint_eq(block_offset(a), 0);
    ck_assert_uint_eq(block_offset(m), 56);
    ck_assert_str_eq(fixture_blocks(),
                     "block 0 used 16 requested 8\n"
                     "block 24 free 24\n"
                     "block 56 used 16 requested 8\n"
                     "block 80 free 4008\n"
                     "freelist 80 24\n"); /* padding pushed first */
    ck_assert_heap_ok();
}
END_TEST

/* Rule 2: a gap of 16 or 24 is too small for a padding block, so the
 * object moves on to a gap of at least 32. */
START_TEST(rule2_gap_of_16_is_not_allowed)
{
    void *m;

    reference_heap();
    m = hl_aligned_alloc(heap, 16, 8);
    ck_assert_uint_eq(block_offset(m), 24); /* object at 32, gap 32 */
    ck_assert_str_eq(fixture_blocks(),
                     "block 0 free 16\n"
                     "block 24 used 16 requested 8\n"
                     "block 48 free 4040\n"
                     "freelist 48 0\n");
    ck_assert_heap_ok();
}
END_TEST

/* Rule 3: merging happens during the search, forward only, so the order
 * in which two neighbours were freed decides what the next request gets. */
START_TEST(rule3_merge_forward_during_search)
{
    void *a, *b, *c, *d;

    reference_heap();
    a = hl_alloc(heap, 16);
    b = hl_alloc(heap, 16);
    c = hl_alloc(heap, 16);
    hl_free(heap, b);
    hl_free(heap, a); /* freelist: 0 24 72 */
    ck_assert_str_eq(fixture_blocks(),
                     "block 0 free 16\n"
                     "block 24 free 16\n"
                     "block 48 used 16 requested 16\n"
                     "block 72 free 4016\n"
                     "freelist 0 24 72\n");
    /* The search visits 0 first, merges 24 into it (16 + 8 + 16 = 40),
     * places 16 and splits off a rest of 24 (contents 16). */
    d = hl_alloc(heap, 16);
    ck_assert_ptr_eq(d, a);
    ck_assert_str_eq(fixture_blocks(),
                     "block 0 used 16 requested 16\n"
                     "block 24 free 16\n"
                     "block 48 used 16 requested 16\n"
                     "block 72 free 4016\n"
                     "freelist 24 72\n");
    ck_assert_uint_eq(block_offset(c), 48);
    ck_assert_heap_ok();
}
END_TEST

START_TEST(rule3_other_free_order_takes_first_node)
{
    void *a, *b, *d;

    reference_heap();
    a = hl_alloc(heap, 16);
    b = hl_alloc(heap, 16);
    hl_alloc(heap, 16);
    hl_free(heap, a);
    hl_free(heap, b); /* freelist: 24 0 72; 24 fits at once */
    d = hl_alloc(heap, 16);
    ck_assert_ptr_eq(d, b);
    ck_assert_str_eq(fixture_blocks(),
                     "block 0 free 16\n"
                     "block 24 used 16 requested 16\n"
                     "block 48 used 16 requested 16\n"
                     "block 72 free 4016\n"
                     "freelist 0 72\n");
}
END_TEST

/* Rule 4: a rest under 24 bytes stays inside the object. */
START_TEST(rule4_small_rest_stays_inside)
{
    void *a, *b;

    reference_heap();
    a = hl_alloc(heap, 40);
    hl_alloc(heap, 8);
    hl_free(heap, a);
    b = hl_alloc(heap, 24); /* 40 - 24 = 16 < 24: no split */
    ck_assert_ptr_eq(a, b);
    ck_assert_uint_eq(hl_usable_size(heap, b), 40);
    ck_assert_str_eq(fixture_blocks(),
                     "block 0 used 40 requested 24\n"
                     "block 48 used 16 requested 8\n"
                     "block 72 free 4016\n"
                     "freelist 72\n");
}
END_TEST

/* Rule 5: nothing fits, so the object goes at the end; the free block
 * that ends at the old end is not extended. */
START_TEST(rule5_grow_places_at_end_and_leaves_free_block)
{
    void *a, *b;
    hl_stats s;

    reference_heap();
    a = hl_alloc(heap, 10);
    b = hl_alloc(heap, 5000);
    ck_assert_uint_eq(block_offset(a), 0);
    ck_assert_uint_eq(block_offset(b), 4096);
    ck_assert_str_eq(fixture_blocks(),
                     "block 0 used 16 requested 10\n"
                     "block 24 free 4064\n"
                     "block 4096 used 5000 requested 5000\n"
                     "freelist 24\n");
    hl_heap_stats(heap, &s);
    ck_assert_uint_eq(s.heap_size, 4096 + 5008); /* grown by the distance */
    ck_assert_uint_eq(s.grows, 2);
    ck_assert_heap_ok();
}
END_TEST

/* Rule 5: the grower grows by at least its minimum increment; the
 * surplus becomes a free block on the right. */
START_TEST(rule5_minimum_increment_surplus_is_free)
{
    reference_heap();
    hl_alloc(heap, 100);
    ck_assert_str_eq(fixture_blocks(),
                     "block 0 used 104 requested 100\n"
                     "block 112 free 3976\n"
                     "freelist 112\n");
}
END_TEST

/* Rule 6: free tags and pushes; neighbours stay apart. */
START_TEST(rule6_free_does_not_merge)
{
    void *a, *b;

    reference_heap();
    a = hl_alloc(heap, 16);
    b = hl_alloc(heap, 16);
    hl_free(heap, a);
    hl_free(heap, b);
    ck_assert_str_eq(fixture_blocks(),
                     "block 0 free 16\n"
                     "block 24 free 16\n"
                     "block 48 free 4040\n"
                     "freelist 24 0 48\n");
    ck_assert_heap_ok();
}
END_TEST

/* Rule 7: shrinking splits off a rest of at least 24 bytes. */
START_TEST(rule7_shrink_in_place)
{
    void *a, *r;

    reference_heap();
    a = hl_alloc(heap, 100);
    r = hl_realloc(heap, a, 40);
    ck_assert_ptr_eq(a, r);
    ck_assert_str_eq(fixture_blocks(),
                     "block 0 used 40 requested 40\n"
                     "block 48 free 56\n"
                     "block 112 free 3976\n"
                     "freelist 48 112\n");
}
END_TEST

/* Rule 7: growing takes in the free blocks that follow. */
START_TEST(rule7_grow_by_absorbing_neighbour)
{
    void *a, *b, *r;

    reference_heap();
    a = hl_alloc(heap, 16);
    b = hl_alloc(heap, 16);
    hl_alloc(heap, 16);
    memset(a, 'x', 16);
    hl_free(heap, b);
    r = hl_realloc(heap, a, 40);
    ck_assert_ptr_eq(a, r);
    ck_assert_int_eq(((char *)r)[15], 'x');
    ck_assert_str_eq(fixture_blocks(),
                     "block 0 used 40 requested 40\n"
                     "block 48 used 16 requested 16\n"
                     "block 72 free 4016\n"
                     "freelist 72\n");
}
END_TEST

/* Rule 7: absorbed neighbours stay absorbed when the block still does not
 * fit; they are freed with the old block, as one free block. */
START_TEST(rule7_absorbed_neighbours_freed_together)
{
    void *a, *b, *r;

    reference_heap();
    a = hl_alloc(heap, 16);
    b = hl_alloc(heap, 16);
    hl_alloc(heap, 16);
    strcpy(a, "fifteen chars..");
    hl_free(heap, b);
    r = hl_realloc(heap, a, 100);
    ck_assert_ptr_ne(a, r);
    ck_assert_str_eq(r, "fifteen chars..");
    ck_assert_uint_eq(block_offset(r), 72);
    ck_assert_str_eq(fixture_blocks(),
                     "block 0 free 40\n"
                     "block 48 used 16 requested 16\n"
                     "block 72 used 104 requested 100\n"
                     "block 184 free 3904\n"
                     "freelist 0 184\n");
    ck_assert_heap_ok();
}
END_TEST

/* Rule 7: the reference never grows the heap in place: the last block
 * moves, even though it is at the end. */
START_TEST(rule7_never_grows_in_place)
{
    void *a, *r;

    reference_heap();
    a = hl_alloc(heap, 10);
    r = hl_realloc(heap, a, 5000);
    ck_assert_ptr_ne(a, r);
    ck_assert_uint_eq(block_offset(r), 4096);
    ck_assert_str_eq(fixture_blocks(),
                     "block 0 free 4088\n" /* took in the free rest */
                     "block 4096 used 5000 requested 5000\n"
                     "freelist 0\n");
}
END_TEST

Suite *reference_suite(void);
Suite *reference_suite(void)
{
    Suite *s = suite_create("reference");
    TCase *tc = tcase_create("rules");

    tcase_add_test(tc, rule1_sizes_round_up_to_16_then_8);
    tcase_add_test(tc, rule2_padding_block_in_front_of_aligned_object);
    tcase_add_test(tc, rule2_gap_of_16_is_not_allowed);
    tcase_add_test(tc, rule3_merge_forward_during_search);
    tcase_add_test(tc, rule3_other_free_order_takes_first_node);
    tcase_add_test(tc, rule4_small_rest_stays_inside);
    tcase_add_test(tc, rule5_grow_places_at_end_and_leaves_free_block);
    tcase_add_test(tc, rule5_minimum_increment_surplus_is_free);
    tcase_add_test(tc, rule6_free_does_not_merge);
    tcase_add_test(tc, rule7_shrink_in_place);
    tcase_add_test(tc, rule7_grow_by_absorbing_neighbour);
    tcase_add_test(tc, rule7_absorbed_neighbours_freed_together);
    tcase_add_test(tc, rule7_never_grows_in_place);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return fixture_run(reference_suite()); }

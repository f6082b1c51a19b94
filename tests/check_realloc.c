/* check_realloc.c - realloc beyond the reference (realloc.c): growing the
 * last block in place, merging a shrunk rest, moving, and the edges. */
#include "fixture.h"

/* The default heap grows the last block in place instead of moving it. */
START_TEST(default_grows_last_block_in_place)
{
    char *a, *r;
    hl_stats s;

    fixture_heap(HL_PRESET_DEFAULT, NULL);
    a = hl_alloc(heap, 10);
    strcpy(a, "kept");
    r = hl_realloc(heap, a, 10000);
    ck_assert_ptr_eq(a, r);
    ck_assert_str_eq(r, "kept");
    hl_heap_stats(heap, &s);
    ck_assert_uint_eq(s.used_blocks, 1);
    ck_assert_uint_ge(hl_usable_size(heap, r), 10000);
    ck_assert_heap_ok();
}
END_TEST

/* Shrinking with immediate merging: the rest joins the free block after. */
START_TEST(shrunk_rest_merges_with_free_neighbour)
{
    void *a, *r;

    fixture_heap(HL_PRESET_DEFAULT, NULL);
    a = hl_alloc(heap, 200); /* at 8, contents 200; rest at 216 */
    r = hl_realloc(heap, a, 40);
    ck_assert_ptr_eq(a, r);
    ck_assert_str_eq(fixture_blocks(),
                     "block 8 used 40 requested 40\n"
                     "block 56 free 4024\n" /* 4088 - 56 - 8 */
                     "freelist 56\n");
    ck_assert_heap_ok();
}
END_TEST

/* A block boxed in by used neighbours moves and keeps its bytes. */
START_TEST(boxed_in_block_moves)
{
    unsigned char *a, *r;
    int i;

    fixture_heap(HL_PRESET_DEFAULT, NULL);
    a = hl_alloc(heap, 64);
    hl_alloc(heap, 8);
    for (i = 0; i < 64; i++)
        a[i] = (unsigned char)i;
    r = hl_realloc(heap, a, 500);
    ck_assert_ptr_ne(a, r);
    for (i = 0; i < 64; i++)
        ck_assert_uint_eq(r[i], (unsigned)i);
    ck_assert_heap_ok();
}
END_TEST

START_TEST(realloc_null_allocates_and_zero_shrinks)
{
    void *p, *q;

    fixture_heap(HL_PRESET_DEFAULT, NULL);
    p = hl_realloc(heap, NULL, 100);
    ck_assert_ptr_nonnull(p);
    q = hl_realloc(heap, p, 0); /* a minimum block, still live */
    ck_assert_ptr_eq(p, q);
    ck_assert_uint_eq(hl_usable_size(heap, q), 24);
    hl_free(heap, q);
    ck_assert_heap_ok();
}
END_TEST

/* A request near SIZE_MAX fails cleanly and leaves the object alone. */
START_TEST(huge_realloc_fails_and_keeps_the_object)
{
    char *p;

    fixture_heap(HL_PRESET_DEFAULT, NULL);
    p = hl_alloc(heap, 32);
    strcpy(p, "still here");
    errno = 0;
    ck_assert_ptr_null(hl_realloc(heap, p, SIZE_MAX));
    ck_assert_int_eq(errno, ENOMEM);
    ck_assert_ptr_null(hl_realloc(heap, p, HL_MAX_REQUEST + 1));
    ck_assert_str_eq(p, "still here");
    ck_assert_heap_ok();
}
END_TEST

/* When the grower is out of memory a realloc that must move fails, and
 * the neighbours it took in are given back as free space. */
START_TEST(failed_move_leaves_heap_consistent)
{
    char *a;
    hl_stats s;

    fixture_heap_sized(HL_PRESET_REFERENCE, 4096, 0, NULL);
    a = hl_alloc(heap, 16);
    hl_alloc(heap, 16);
    strcpy(a, "abc");
    ck_assert_ptr_null(hl_realloc(heap, a, 8000));
    ck_assert_int_eq(errno, ENOMEM);
    ck_assert_str_eq(a, "abc");
    hl_heap_stats(heap, &s);
    ck_assert_uint_eq(s.failures, 1);
    ck_assert_heap_ok();
}
END_TEST

Suite *realloc_suite(void);
Suite *realloc_suite(void)
{
    Suite *s = suite_create("realloc");
    TCase *tc = tcase_create("realloc");

    tcase_add_test(tc, default_grows_last_block_in_place);
    tcase_add_test(tc, shrunk_rest_merges_with_free_neighbour);
    tcase_add_test(tc, boxed_in_block_moves);
    tcase_add_test(tc, realloc_null_allocates_and_zero_shrinks);
    tcase_add_test(tc, huge_realloc_fails_and_keeps_the_object);
    tcase_add_test(tc, failed_move_leaves_heap_consistent);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return fixture_run(realloc_suite()); }

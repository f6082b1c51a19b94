/* check_block.c - rule 1 and the block layout: what one allocation leaves
 * in memory. */
#include "fixture.h"

START_TEST(first_allocation_is_a_header_and_an_object)
{
    void *p;

    fixture_heap(HL_PRESET_REFERENCE, NULL);
    p = hl_alloc(heap, 10);
    ck_assert_ptr_nonnull(p);
    ck_assert_uint_eq(block_offset(p), 0);
    ck_assert_str_eq(fixture_blocks(),
                     "block 0 used 16 requested 10\n"
                     "block 24 free 4064\n"
                     "freelist 24\n");
    ck_assert_heap_ok();
}
END_TEST

Suite *block_suite(void);
Suite *block_suite(void)
{
    Suite *s = suite_create("block");
    TCase *tc = tcase_create("layout");

    tcase_add_test(tc, first_allocation_is_a_header_and_an_object);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return fixture_run(block_suite()); }

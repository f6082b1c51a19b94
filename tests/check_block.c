/* check_block.c - what one allocation leaves in memory: headers, object
 * sizes and alignment, for both alignments and every merge mode. */
#include "fixture.h"

START_TEST(reference_first_block_starts_at_offset_0)
{
    void *p;

    fixture_heap(HL_PRESET_REFERENCE, NULL);
    p = hl_alloc(heap, 10);
    ck_assert_uint_eq(block_offset(p), 0);
    ck_assert_uint_eq((uintptr_t)p % 8, 0);
    ck_assert_str_eq(fixture_blocks(),
                     "block 0 used 16 requested 10\n"
                     "block 24 free 4064\n"
                     "freelist 24\n");
    ck_assert_heap_ok();
}
END_TEST

/* With 16-byte alignment the first header sits 8 bytes in, so that the
 * object after it is 16-aligned; every block is then 16*k bytes long. */
START_TEST(default_first_block_is_8_bytes_in)
{
    void *a, *b, *c;

    fixture_heap(HL_PRESET_DEFAULT, NULL);
    a = hl_alloc(heap, 10);  /* contents 24: 8 + 24 = 32 */
    b = hl_alloc(heap, 25);  /* contents 40: 8 + 40 = 48 */
    c = hl_alloc(heap, 0);   /* contents 24 */
    ck_assert_uint_eq(block_offset(a), 8);
    ck_assert_uint_eq(block_offset(b), 40);
    ck_assert_uint_eq(block_offset(c), 88);
    ck_assert_uint_eq((uintptr_t)a % 16, 0);
    ck_assert_uint_eq((uintptr_t)b % 16, 0);
    ck_assert_uint_eq((uintptr_t)c % 16, 0);
    ck_assert_uint_eq(hl_usable_size(heap, b), 40);
    ck_assert_heap_ok();
}
END_TEST

/* A free block must hold a node (16 bytes) and, with immediate merging, a
 * footer: the smallest contents are 16 for the reference, 24 otherwise. */
START_TEST(minimum_contents_follow_the_merge_mode)
{
    fixture_heap(HL_PRESET_REFERENCE, "merge=immediate", NULL);
    ck_assert_uint_eq(hl_usable_size(heap, hl_alloc(heap, 1)), 24);
    fixture_heap(HL_PRESET_REFERENCE, "merge=none", NULL);
    ck_assert_uint_eq(hl_usable_size(heap, hl_alloc(heap, 1)), 16);
    fixture_heap(HL_PRESET_DEFAULT, "merge=lazy", NULL);
    ck_assert_uint_eq(hl_usable_size(heap, hl_alloc(heap, 1)), 24);
}
END_TEST

/* Every size from 0 to 200 gets an object at least that big, aligned,
 * and writing all of it leaves the heap sound. */
START_TEST(every_small_size_is_usable_in_full)
{
    static const char *merges[] = {"merge=lazy", "merge=immediate",
                                   "merge=none"};
    size_t size;
    int align, m;

    for (align = 8; align <= 16; align += 8)
        for (m = 0; m < 3; m++) {
            fixture_heap(HL_PRESET_DEFAULT, align == 8 ? "align=8" : "align=16",
                         merges[m], NULL);
            for (size = 0; size <= 200; size++) {
                unsigned char *p = hl_alloc(heap, size);
                ck_assert_ptr_nonnull(p);
                ck_assert_uint_eq((uintptr_t)p % (uintptr_t)align, 0);
                ck_assert_uint_ge(hl_usable_size(heap, p), size);
                /* All of it, slack too: opened to valgrind and ASan,
                 * which see only the `size` bytes asked for. */
                memset(fixture_expose(p, hl_usable_size(heap, p)), 0xab,
                       hl_usable_size(heap, p));
            }
            ck_assert_heap_ok();
        }
}
END_TEST

/* The config knobs by name, and their names back. */
START_TEST(config_set_accepts_known_values_only)
{
    hl_config cfg;

    hl_config_preset(&cfg, HL_PRESET_DEFAULT);
    ck_assert_int_eq(hl_config_set(&cfg, "fit", "best"), 0);
    ck_assert_str_eq(hl_fit_name(cfg.fit), "best");
    ck_assert_int_eq(hl_config_set(&cfg, "order", "address"), 0);
    ck_assert_str_eq(hl_order_name(cfg.order), "address");
    ck_assert_int_eq(hl_config_set(&cfg, "merge", "none"), 0);
    ck_assert_str_eq(hl_merge_name(cfg.merge), "none");
    ck_assert_int_eq(hl_config_set(&cfg, "align", "8"), 0);
    ck_assert_uint_eq(cfg.align, 8);
    ck_assert_int_eq(hl_config_set(&cfg, "align", "32"), -1);
    ck_assert_int_eq(hl_config_set(&cfg, "fit", "good"), -1);
    ck_assert_int_eq(hl_config_set(&cfg, "colour", "red"), -1);
    ck_assert_str_eq(hl_fit_name(cfg.fit), "best"); /* untouched */
    ck_assert_int_eq(hl_config_set(&cfg, "preset", "reference"), 0);
    ck_assert_uint_eq(cfg.align, 8);
    ck_assert_str_eq(hl_merge_name(cfg.merge), "lazy");
    ck_assert_str_eq(hl_fit_name(cfg.fit), "first");
}
END_TEST

START_TEST(init_rejects_a_bad_config)
{
    hl_config cfg;

    hl_config_preset(&cfg, HL_PRESET_DEFAULT);
    cfg.align = 4;
    ck_assert_int_eq(hl_static_grower_init(&fixture_grower, fixture_buffer,
                                           4096, 0), 0);
    errno = 0;
    ck_assert_ptr_null(hl_heap_init(&fixture_space, &cfg,
                                    &fixture_grower.base));
    ck_assert_int_eq(errno, EINVAL);
    cfg.align = 16;
    ck_assert_ptr_null(hl_heap_init(&fixture_space, &cfg, NULL));
}
END_TEST

Suite *block_suite(void);
Suite *block_suite(void)
{
    Suite *s = suite_create("block");
    TCase *tc = tcase_create("layout");

    tcase_add_test(tc, reference_first_block_starts_at_offset_0);
    tcase_add_test(tc, default_first_block_is_8_bytes_in);
    tcase_add_test(tc, minimum_contents_follow_the_merge_mode);
    tcase_add_test(tc, every_small_size_is_usable_in_full);
    tcase_add_test(tc, config_set_accepts_known_values_only);
    tcase_add_test(tc, init_rejects_a_bad_config);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return fixture_run(block_suite()); }

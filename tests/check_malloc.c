/* check_malloc.c - the malloc family of libheaplab-malloc, edge by edge,
 * against what the C library promises (and glibc does). */
#include "malloc_names.h"

START_TEST(malloc_zero_gives_distinct_objects)
{
    void *p = malloc(0), *q = malloc(0);

    ck_assert_ptr_nonnull(p);
    ck_assert_ptr_nonnull(q);
    ck_assert_ptr_ne(p, q);
    free(p);
    free(q);
}
END_TEST

START_TEST(objects_are_aligned_for_any_type)
{
    void *p[64];
    size_t i;

    for (i = 0; i < 64; i++) {
        p[i] = malloc(i * 7 + 1);
        ck_assert(is_aligned(p[i], 16));
    }
    for (i = 0; i < 64; i++)
        free(p[i]);
}
END_TEST

START_TEST(impossible_sizes_fail_with_enomem)
{
    errno = 0;
    ck_assert_ptr_null(malloc(opaque(SIZE_MAX)));
    ck_assert_int_eq(errno, ENOMEM);
    errno = 0;
    ck_assert_ptr_null(malloc(opaque(SIZE_MAX / 2)));
    ck_assert_int_eq(errno, ENOMEM);
}
END_TEST

START_TEST(free_of_null_does_nothing)
{
    hl_global_stats before = global_stats(), after;

    free(NULL);
    after = global_stats();
    ck_assert_uint_eq(after.heap.frees, before.heap.frees);
}
END_TEST

/* calloc must zero all count * size bytes of memory that held an object
 * before.  Each object here is dirtied, freed, and taken back by calloc
 * (from the cache for the small one, from the freelist for the big one).
 * The suite is built with -fno-builtin-malloc and friends (Makefile.am):
 * otherwise gcc -O2 deletes the malloc, memset and free of a dead object,
 * and calloc never sees dirty memory. */
START_TEST(calloc_zeroes_reused_memory)
{
    static const size_t shapes[][2] = {{10, 100}, {3, 2000}, {7, 24}};
    unsigned char *p, *q;
    size_t i, s, bytes;

    for (s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        bytes = shapes[s][0] * shapes[s][1];
        p = malloc(bytes);
        memset(p, 0xAA, bytes);
        free(p);
        q = calloc(shapes[s][0], shapes[s][1]);
        ck_assert_ptr_eq(q, p); /* the dirty memory came back */
        for (i = 0; i < bytes; i++)
            ck_assert_msg(q[i] == 0, "calloc(%zu, %zu): byte %zu is %#x",
                          shapes[s][0], shapes[s][1], i, q[i]);
        free(q);
    }
}
END_TEST

START_TEST(calloc_overflow_fails_with_enomem)
{
    errno = 0;
    ck_assert_ptr_null(calloc(opaque(SIZE_MAX / 2), 3));
    ck_assert_int_eq(errno, ENOMEM);
    ck_assert_ptr_null(calloc(opaque((size_t)1 << 33), (size_t)1 << 33));
    free(calloc(0, 5)); /* a real object, freed like any other */
}
END_TEST

START_TEST(realloc_null_is_malloc)
{
    char *p = realloc(NULL, 40);

    ck_assert_ptr_nonnull(p);
    ck_assert_uint_ge(malloc_usable_size(p), 40);
    free(p);
}
END_TEST

START_TEST(realloc_to_zero_frees_and_returns_null)
{
    char *p = malloc(40);
    size_t frees_before = global_stats().heap.frees;
    void *result = realloc(p, 0);
    size_t frees_after = global_stats().heap.frees;

    ck_assert_ptr_null(result);
    ck_assert_uint_eq(frees_after, frees_before + 1);
}
END_TEST

START_TEST(realloc_keeps_the_contents)
{
    char *p = malloc(10), *q;
    int i;

    memcpy(p, "heaplab!!", 10);
    q = malloc(10); /* so that growing p cannot stay in place forever */
    for (i = 0; i < 12; i++) {
        p = realloc(p, (size_t)20 << i);
        ck_assert_ptr_nonnull(p);
        ck_assert_str_eq(p, "heaplab!!");
    }
    p = realloc(p, 12);
    ck_assert_str_eq(p, "heaplab!!");
    free(p);
    free(q);
}
END_TEST

START_TEST(failed_realloc_leaves_the_object_alone)
{
    char *p = malloc(32);

    strcpy(p, "still here");
    errno = 0;
    ck_assert_ptr_null(realloc(p, opaque(SIZE_MAX - 4096)));
    ck_assert_int_eq(errno, ENOMEM);
    ck_assert_str_eq(p, "still here");
    free(p);
}
END_TEST

START_TEST(reallocarray_checks_the_product)
{
    int *p = reallocarray(NULL, 100, sizeof(int));

    ck_assert_ptr_nonnull(p);
    p[99] = 7;
    errno = 0;
    ck_assert_ptr_null(reallocarray(p, opaque(SIZE_MAX / 2), 4));
    ck_assert_int_eq(errno, ENOMEM);
    ck_assert_int_eq(p[99], 7); /* untouched */
    p = reallocarray(p, 200, sizeof(int));
    ck_assert_int_eq(p[99], 7);
    free(p);
}
END_TEST

START_TEST(aligned_alloc_honours_powers_of_two)
{
    size_t align;

    for (align = 1; align <= 65536; align *= 2) {
        void *p = aligned_alloc(align, 100);
        ck_assert_ptr_nonnull(p);
        ck_assert(is_aligned(p, align));
        free(p);
    }
    errno = 0;
    ck_assert_ptr_null(aligned_alloc(opaque(24), 100));
    ck_assert_int_eq(errno, EINVAL);
    errno = 0;
    ck_assert_ptr_null(aligned_alloc(opaque(0), 100));
    ck_assert_int_eq(errno, EINVAL);
}
END_TEST

START_TEST(posix_memalign_returns_errors_and_keeps_errno)
{
    void *p = NULL;

    errno = 1234;
    ck_assert_int_eq(posix_memalign(&p, 3, 10), EINVAL);
    ck_assert_int_eq(posix_memalign(&p, 4, 10), EINVAL); /* < sizeof(void*) */
    ck_assert_int_eq(posix_memalign(&p, 256, opaque(SIZE_MAX - 100)), ENOMEM);
    ck_assert_ptr_null(p);
    ck_assert_int_eq(errno, 1234);
    ck_assert_int_eq(posix_memalign(&p, 256, 10), 0);
    ck_assert(is_aligned(p, 256));
    ck_assert_int_eq(errno, 1234);
    free(p);
}
END_TEST

START_TEST(memalign_rounds_the_alignment_up)
{
    void *p = memalign(opaque(48), 10);

    ck_assert_ptr_nonnull(p);
    ck_assert(is_aligned(p, 64));
    free(p);
}
END_TEST

START_TEST(valloc_and_pvalloc_give_whole_pages)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    void *v = valloc(10), *pv = pvalloc(page + 1), *zero = pvalloc(0);

    ck_assert(is_aligned(v, page));
    ck_assert(is_aligned(pv, page));
    ck_assert_uint_ge(malloc_usable_size(pv), 2 * page);
    ck_assert(is_aligned(zero, page));
    ck_assert_uint_ge(malloc_usable_size(zero), page);
    free(v);
    free(pv);
    free(zero);
}
END_TEST

START_TEST(usable_size_covers_the_request)
{
    size_t n;

    ck_assert_uint_eq(malloc_usable_size(NULL), 0);
    for (n = 1; n < 5000; n = n * 3 + 1) {
        char *p = malloc(n);
        size_t usable = malloc_usable_size(p);
        ck_assert_uint_ge(usable, n);
        memset(p, 1, usable); /* all of it is the caller's */
        free(p);
    }
}
END_TEST

Suite *malloc_suite(void);
Suite *malloc_suite(void)
{
    Suite *s = suite_create("malloc");
    TCase *basics = tcase_create("basics");
    TCase *resizing = tcase_create("resizing");
    TCase *aligned = tcase_create("aligned");

    tcase_add_test(basics, malloc_zero_gives_distinct_objects);
    tcase_add_test(basics, objects_are_aligned_for_any_type);
    tcase_add_test(basics, impossible_sizes_fail_with_enomem);
    tcase_add_test(basics, free_of_null_does_nothing);
    tcase_add_test(basics, calloc_zeroes_reused_memory);
    tcase_add_test(basics, calloc_overflow_fails_with_enomem);
    tcase_add_test(basics, usable_size_covers_the_request);
    suite_add_tcase(s, basics);
    tcase_add_test(resizing, realloc_null_is_malloc);
    tcase_add_test(resizing, realloc_to_zero_frees_and_returns_null);
    tcase_add_test(resizing, realloc_keeps_the_contents);
    tcase_add_test(resizing, failed_realloc_leaves_the_object_alone);
    tcase_add_test(resizing, reallocarray_checks_the_product);
    suite_add_tcase(s, resizing);
    tcase_add_test(aligned, aligned_alloc_honours_powers_of_two);
    tcase_add_test(aligned, posix_memalign_returns_errors_and_keeps_errno);
    tcase_add_test(aligned, memalign_rounds_the_alignment_up);
    tcase_add_test(aligned, valloc_and_pvalloc_give_whole_pages);
    suite_add_tcase(s, aligned);
    return s;
}

int main(void) { return fixture_run(malloc_suite()); }

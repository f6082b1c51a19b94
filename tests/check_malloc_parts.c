/* check_malloc_parts.c - the inside of libheaplab-malloc, part by part:
 * reading knobs from the environment, the bootstrap buffer, and mappings.
 *
 * These functions are hidden in the shared library, so the suite compiles
 * their files into itself (#include of the .c files) and calls them
 * directly; the heap underneath is the ordinary libheaplab.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fixture.h"

#include "bootstrap.c"
#include "knobs.c"
#include "mapping.c"
#include "threshold.c"

/* A freed mapping lifts the thresholds to just above its size, up to 32
 * MiB; never down, and never when the environment set them. */
START_TEST(freed_mappings_move_the_default_thresholds)
{
    global_knobs k;

    unsetenv("HEAPLAB_HEAP");
    unsetenv("HEAPLAB_MMAP_THRESHOLD");
    unsetenv("HEAPLAB_TRIM_THRESHOLD");
    knobs_read(&k);
    ck_assert(!k.thresholds_fixed);
    threshold_start(&k);
    ck_assert_uint_eq(threshold_mmap(), (size_t)1 << 20);
    threshold_after_unmap((size_t)8 << 20);
    ck_assert_uint_eq(threshold_mmap(), ((size_t)8 << 20) + 1);
    ck_assert_uint_eq(threshold_trim(), ((size_t)16 << 20) + 2);
    threshold_after_unmap((size_t)2 << 20); /* smaller: stays */
    ck_assert_uint_eq(threshold_mmap(), ((size_t)8 << 20) + 1);
    threshold_after_unmap((size_t)64 << 20); /* too big to follow */
    ck_assert_uint_eq(threshold_mmap(), ((size_t)8 << 20) + 1);

    setenv("HEAPLAB_MMAP_THRESHOLD", "2M", 1);
    knobs_read(&k);
    ck_assert(k.thresholds_fixed);
    threshold_start(&k);
    threshold_after_unmap((size_t)8 << 20);
    ck_assert_uint_eq(threshold_mmap(), (size_t)2 << 20);
    unsetenv("HEAPLAB_MMAP_THRESHOLD");
}
END_TEST

START_TEST(stats_path_takes_the_pid)
{
    char out[32];

    ck_assert(stats_expand_path("/tmp/h-%p.txt", 4242, out, sizeof out));
    ck_assert_str_eq(out, "/tmp/h-4242.txt");
    ck_assert(stats_expand_path("a%%p%p", 7, out, sizeof out));
    ck_assert_str_eq(out, "a%p7");
    ck_assert(stats_expand_path("stats.log", 7, out, sizeof out));
    ck_assert_str_eq(out, "stats.log");
    ck_assert(!stats_expand_path("/a/very/long/path/%p/and/more", 123456789,
                                 out, sizeof out));
}
END_TEST

START_TEST(sizes_read_with_binary_suffixes)
{
    size_t n;

    ck_assert(knobs_parse_size("0", &n) && n == 0);
    ck_assert(knobs_parse_size("4096", &n) && n == 4096);
    ck_assert(knobs_parse_size("64K", &n) && n == 65536);
    ck_assert(knobs_parse_size("1m", &n) && n == 1048576);
    ck_assert(knobs_parse_size("2G", &n) && n == (size_t)2 << 30);
    ck_assert(knobs_parse_size("1T", &n) && n == (size_t)1 << 40);
    ck_assert(!knobs_parse_size("", &n));
    ck_assert(!knobs_parse_size("K", &n));
    ck_assert(!knobs_parse_size("12x", &n));
    ck_assert(!knobs_parse_size("1KB", &n));
    ck_assert(!knobs_parse_size("-1", &n));
    ck_assert(!knobs_parse_size("99999999999999999999", &n));
    ck_assert(!knobs_parse_size("20000000T", &n));
}
END_TEST

START_TEST(default_knobs_without_environment)
{
    global_knobs k;
    char text[256];

    unsetenv("HEAPLAB_HEAP");
    unsetenv("HEAPLAB_MMAP_THRESHOLD");
    unsetenv("HEAPLAB_TRIM_THRESHOLD");
    unsetenv("HEAPLAB_STATS");
    knobs_read(&k);
    knobs_describe(&k, text, sizeof text);
    ck_assert_str_eq(text, "align=16 fit=segregated order=lifo "
                           "merge=immediate cache=on heaps=per-thread "
                           "grower=mmap increment=65536 "
                           "mmap_threshold=1048576 trim_threshold=1048576");
    ck_assert(!k.config.locked); /* per-thread heaps take no lock */
    ck_assert(!k.stats);
}
END_TEST

START_TEST(heap_words_apply_left_to_right)
{
    global_knobs k;

    setenv("HEAPLAB_HEAP", " fit=worst,preset=reference  order=fifo "
                           "grower=brk increment=4K reserve=1G", 1);
    setenv("HEAPLAB_MMAP_THRESHOLD", "1M", 1);
    setenv("HEAPLAB_TRIM_THRESHOLD", "off", 1);
    setenv("HEAPLAB_STATS", "/tmp/somewhere", 1);
    knobs_read(&k);
    ck_assert_uint_eq(k.config.align, 8);
    ck_assert_int_eq(k.config.fit, HL_FIT_FIRST); /* the preset came after */
    ck_assert_int_eq(k.config.order, HL_ORDER_FIFO);
    ck_assert_int_eq(k.config.merge, HL_MERGE_LAZY);
    ck_assert(k.config.locked); /* the preset's one heap, as the seed's */
    ck_assert_int_eq(k.config.heaps, HL_HEAPS_ONE);
    ck_assert(!k.config.cache);
    ck_assert_int_eq(k.grower, GROWER_BRK);
    ck_assert_uint_eq(k.increment, 4096);
    ck_assert_uint_eq(k.reserve, (size_t)1 << 30);
    ck_assert_uint_eq(k.mmap_threshold, (size_t)1 << 20);
    ck_assert_uint_eq(k.trim_threshold, GLOBAL_NEVER);
    ck_assert(k.stats);
    ck_assert_str_eq(k.stats_path, "/tmp/somewhere");
}
END_TEST

START_TEST(bad_words_leave_the_defaults)
{
    global_knobs k;

    setenv("HEAPLAB_HEAP", "fit=bogus lonely increment=24 grower=sbrk", 1);
    setenv("HEAPLAB_MMAP_THRESHOLD", "lots", 1);
    unsetenv("HEAPLAB_TRIM_THRESHOLD");
    setenv("HEAPLAB_STATS", "0", 1);
    knobs_read(&k);
    ck_assert_int_eq(k.config.fit, HL_FIT_SEGREGATED);
    ck_assert_uint_eq(k.increment, GLOBAL_DEFAULT_INCREMENT);
    ck_assert_int_eq(k.grower, GROWER_MMAP);
    ck_assert_uint_eq(k.mmap_threshold, GLOBAL_DEFAULT_MMAP_THRESHOLD);
    ck_assert(!k.stats);
}
END_TEST

/* knobs_read, with what it writes on stderr caught in `out`. */
static void read_knobs_caught(global_knobs *k, char *out, size_t size)
{
    FILE *caught = tmpfile();
    int saved = dup(STDERR_FILENO);
    ssize_t n;

    ck_assert(caught != NULL && saved >= 0);
    ck_assert_int_ge(dup2(fileno(caught), STDERR_FILENO), 0);
    knobs_read(k);
    ck_assert_int_ge(dup2(saved, STDERR_FILENO), 0);
    close(saved);
    n = pread(fileno(caught), out, size - 1, 0);
    out[n > 0 ? n : 0] = '\0';
    fclose(caught);
}

/* Segregated fit (the default) cannot merge lazily: the drop-in runs with
 * first fit then, and says so, once; a heap that needs no change is run
 * without a word. */
START_TEST(a_knob_changed_for_another_is_reported)
{
    global_knobs k;
    char said[512], text[256];

    unsetenv("HEAPLAB_MMAP_THRESHOLD");
    unsetenv("HEAPLAB_TRIM_THRESHOLD");
    unsetenv("HEAPLAB_STATS");
    setenv("HEAPLAB_HEAP", "cache=off merge=lazy", 1);
    read_knobs_caught(&k, said, sizeof said);
    ck_assert_int_eq(k.config.fit, HL_FIT_FIRST);
    ck_assert_str_eq(said, "heaplab: HEAPLAB_HEAP: fit=segregated cannot go "
                           "with merge=lazy; using fit=first instead\n");
    knobs_describe(&k, text, sizeof text);
    ck_assert_ptr_nonnull(strstr(text, "fit=first order=lifo merge=lazy"));

    setenv("HEAPLAB_HEAP", "preset=reference", 1);
    read_knobs_caught(&k, said, sizeof said);
    ck_assert_int_eq(k.config.merge, HL_MERGE_LAZY);
    ck_assert_str_eq(said, "");
    unsetenv("HEAPLAB_HEAP");
    read_knobs_caught(&k, said, sizeof said);
    ck_assert_int_eq(k.config.fit, HL_FIT_SEGREGATED);
    ck_assert_str_eq(said, "");
}
END_TEST

START_TEST(bootstrap_hands_out_aligned_static_memory)
{
    char *a = bootstrap_alloc(10, 0), *b = bootstrap_alloc(100, 4096);
    int local;

    ck_assert(bootstrap_owns(a) && bootstrap_owns(b));
    ck_assert(!bootstrap_owns(&local));
    ck_assert_uint_eq((uintptr_t)a % 16, 0);
    ck_assert_uint_eq((uintptr_t)b % 4096, 0);
    ck_assert_uint_eq(bootstrap_usable_size(a), 10);
    ck_assert_uint_eq(bootstrap_usable_size(b), 100);
    ck_assert_int_eq(b[99], 0); /* fresh, so zeroed */
    errno = 0;
    ck_assert_ptr_null(bootstrap_alloc((size_t)1 << 20, 0));
    ck_assert_int_eq(errno, ENOMEM);
}
END_TEST

START_TEST(mappings_are_recognised_resized_and_unmapped)
{
    char *p = mapping_alloc(200000, 0);
    char *aligned = mapping_alloc(100, (size_t)1 << 20);
    uintptr_t address;

    ck_assert(mapping_owns(p) && mapping_owns(aligned));
    ck_assert_uint_eq((uintptr_t)aligned % ((size_t)1 << 20), 0);
    ck_assert_uint_ge(mapping_usable_size(p), 200000);
    memset(p, 'x', 200000);
    p = mapping_resize(p, (size_t)4 << 20);
    ck_assert(mapping_owns(p));
    ck_assert_int_eq(p[199999], 'x');
    ck_assert_uint_ge(mapping_usable_size(p), (size_t)4 << 20);
    address = (uintptr_t)p;
    mapping_free(p);
    mapping_free(aligned);
    ck_assert(!mapping_owns((void *)address)); /* unmapped: not even read */
}
END_TEST

START_TEST(memory_that_is_not_a_mapping_is_not_taken_for_one)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    char *two = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    ck_assert_ptr_ne(two, MAP_FAILED);
    memset(two, 0x5a, 2 * page);
    ck_assert(!mapping_owns(two + page + 64)); /* garbage header */
    ck_assert(!mapping_owns(two + page + 8));  /* not 64-aligned */
    munmap(two, page);
    ck_assert(!mapping_owns(two + page));      /* header page unmapped */
    munmap(two + page, page);
}
END_TEST

Suite *malloc_parts_suite(void);
Suite *malloc_parts_suite(void)
{
    Suite *s = suite_create("malloc-parts");
    TCase *knobs = tcase_create("knobs");
    TCase *bootstrap = tcase_create("bootstrap");
    TCase *mappings = tcase_create("mappings");

    tcase_add_test(knobs, sizes_read_with_binary_suffixes);
    tcase_add_test(knobs, stats_path_takes_the_pid);
    tcase_add_test(knobs, freed_mappings_move_the_default_thresholds);
    tcase_add_test(knobs, default_knobs_without_environment);
    tcase_add_test(knobs, heap_words_apply_left_to_right);
    tcase_add_test(knobs, bad_words_leave_the_defaults);
    tcase_add_test(knobs, a_knob_changed_for_another_is_reported);
    suite_add_tcase(s, knobs);
    tcase_add_test(bootstrap, bootstrap_hands_out_aligned_static_memory);
    suite_add_tcase(s, bootstrap);
    tcase_add_test(mappings, mappings_are_recognised_resized_and_unmapped);
    tcase_add_test(mappings, memory_that_is_not_a_mapping_is_not_taken_for_one);
    suite_add_tcase(s, mappings);
    return s;
}

int main(void) { return fixture_run(malloc_parts_suite()); }

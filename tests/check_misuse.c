/* check_misuse.c - misuse caught and named, in release builds: double
 * frees, foreign pointers, reallocs of them; and the defined edges: sizes
 * near SIZE_MAX, bad alignments, zero sizes. */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fixture.h"

static int errors, foreign_errors;
static hl_error_kind last_kind;
static char last_op[32];

static void note_error(hl_heap *h, hl_error_kind kind, const char *op,
                       const void *ptr, const char *message, void *arg)
{
    (void)h, (void)ptr, (void)message, (void)arg;
    errors++;
    foreign_errors += kind == HL_ERROR_FOREIGN;
    last_kind = kind;
    snprintf(last_op, sizeof last_op, "%s", op);
}

static void watched_heap(hl_preset preset, const char *merge)
{
    fixture_heap(preset, merge, NULL);
    hl_heap_set_error_hook(heap, note_error, NULL);
    errors = foreign_errors = 0;
}

START_TEST(double_free_is_caught_and_ignored)
{
    char before[4096];
    void *a;

    watched_heap(HL_PRESET_REFERENCE, "merge=lazy");
    a = hl_alloc(heap, 16);
    hl_alloc(heap, 16);
    hl_free(heap, a);
    strcpy(before, fixture_blocks());
    hl_free(heap, a);
    ck_assert_int_eq(errors, 1);
    ck_assert_int_eq(last_kind, HL_ERROR_DOUBLE_FREE);
    ck_assert_str_eq(last_op, "free");
    ck_assert_str_eq(fixture_blocks(), before); /* nothing was applied */
    ck_assert_heap_ok();
}
END_TEST

/* With immediate merging b is swallowed by a; its old header still says
 * free, so the second free of b is still named a double free. */
START_TEST(double_free_after_merge_is_caught)
{
    void *a, *b;

    watched_heap(HL_PRESET_DEFAULT, "merge=immediate");
    a = hl_alloc(heap, 16);
    b = hl_alloc(heap, 16);
    hl_alloc(heap, 16);
    hl_free(heap, a);
    hl_free(heap, b);
    hl_free(heap, b);
    ck_assert_int_eq(errors, 1);
    ck_assert_int_eq(last_kind, HL_ERROR_DOUBLE_FREE);
    ck_assert_heap_ok();
}
END_TEST

START_TEST(foreign_pointers_are_caught)
{
    int on_stack;
    char *a;

    watched_heap(HL_PRESET_DEFAULT, "merge=immediate");
    a = hl_alloc(heap, 64);
    memset(a, 0x5a, 64);               /* the caller's data, no header */
    hl_free(heap, &on_stack);          /* outside the heap */
    ck_assert_int_eq(last_kind, HL_ERROR_FOREIGN);
    hl_free(heap, a + 1);              /* misaligned */
    hl_free(heap, a + 32);             /* inside an object */
    ck_assert_int_eq(errors, 3);
    ck_assert_int_eq(last_kind, HL_ERROR_FOREIGN);
    ck_assert_heap_ok();
}
END_TEST

/* A word that looks like a used header (a plausible size, tag clear) but
 * that the heap did not write fails on its check byte. */
START_TEST(fake_header_inside_an_object_is_caught)
{
    unsigned long long *words;

    watched_heap(HL_PRESET_DEFAULT, "merge=immediate");
    words = hl_alloc(heap, 128);
    words[3] = 24; /* "a used block of 24" before &words[4] */
    hl_free(heap, &words[4]);
    ck_assert_int_eq(errors, 1);
    ck_assert_int_eq(last_kind, HL_ERROR_FOREIGN);
    ck_assert_heap_ok();
}
END_TEST

/* A real header copied to another address inside an object: its size and
 * tags are right, but its check byte was computed for the address it came
 * from, so free() of the pointer after the copy is caught (each copy
 * passes with odds of 1/255 at most: of eight, at least four must fail). */
START_TEST(copied_header_fails_at_another_address)
{
    unsigned long long *words, header;
    int i;

    watched_heap(HL_PRESET_DEFAULT, "merge=immediate");
    words = hl_alloc(heap, 64);
    header = *(unsigned long long *)fixture_expose(words - 1, 8);
    words = hl_alloc(heap, 1024);
    for (i = 0; i < 8; i++) {
        words[2 * i + 1] = header; /* before &words[2 * i + 2], aligned */
        hl_free(heap, &words[2 * i + 2]);
    }
    ck_assert_int_ge(foreign_errors, 4);
}
END_TEST

START_TEST(realloc_and_usable_size_of_foreign_pointer)
{
    int on_stack;
    void *a;

    watched_heap(HL_PRESET_DEFAULT, "merge=immediate");
    a = hl_alloc(heap, 16);
    errno = 0;
    ck_assert_ptr_null(hl_realloc(heap, &on_stack, 100));
    ck_assert_int_eq(errno, EINVAL);
    ck_assert_str_eq(last_op, "realloc");
    ck_assert_uint_eq(hl_usable_size(heap, &on_stack), 0);
    ck_assert_str_eq(last_op, "usable_size");
    hl_free(heap, a);
    ck_assert_ptr_null(hl_realloc(heap, a, 100));
    ck_assert_int_eq(last_kind, HL_ERROR_DOUBLE_FREE);
    ck_assert_int_eq(errors, 3);
}
END_TEST

/* A write after free that smashes a free block's header is found by the
 * next search, reported as corruption, and not followed. */
START_TEST(write_after_free_is_reported_as_corruption)
{
    static const char *fits[] = {"fit=first", "fit=next", "fit=best",
                                 "fit=worst", "fit=segregated"};
    unsigned long long *a;
    int f;

    for (f = 0; f < 5; f++) {
        fixture_heap(HL_PRESET_DEFAULT, fits[f], NULL);
        hl_heap_set_error_hook(heap, note_error, NULL);
        errors = 0;
        a = hl_alloc(heap, 64);
        hl_alloc(heap, 16);
        hl_free(heap, a);
        *(unsigned long long *)fixture_expose(a - 1, 8) =
            0x4141414141414141ull; /* over the free block's header */
        hl_alloc(heap, 32);
        ck_assert_int_eq(errors, 1);
        ck_assert_int_eq(last_kind, HL_ERROR_CORRUPT);
        ck_assert_str_eq(last_op, "malloc");
    }
}
END_TEST

/* The default hook prints one line and aborts: run it in a child. */
START_TEST(default_hook_prints_one_line_and_aborts)
{
    int fds[2], status;
    char line[256] = {0}, expected[128];
    void *a;
    pid_t pid;
    ssize_t n;

    fixture_heap(HL_PRESET_DEFAULT, NULL);
    a = hl_alloc(heap, 16);
    hl_free(heap, a);
    ck_assert_int_eq(pipe(fds), 0);
    pid = fork();
    if (pid == 0) {
        dup2(fds[1], STDERR_FILENO);
        hl_free(heap, a);
        _exit(0); /* not reached */
    }
    close(fds[1]);
    n = read(fds[0], line, sizeof line - 1);
    waitpid(pid, &status, 0);
    ck_assert(n > 0);
    snprintf(expected, sizeof expected, "heaplab: free(): double free of %p\n",
             a);
    ck_assert_str_eq(line, expected);
    ck_assert(WIFSIGNALED(status));
    ck_assert_int_eq(WTERMSIG(status), SIGABRT);
}
END_TEST

START_TEST(sizes_near_size_max_fail_with_enomem)
{
    fixture_heap(HL_PRESET_DEFAULT, NULL);
    errno = 0;
    ck_assert_ptr_null(hl_alloc(heap, SIZE_MAX));
    ck_assert_int_eq(errno, ENOMEM);
    ck_assert_ptr_null(hl_alloc(heap, SIZE_MAX - 7));
    ck_assert_ptr_null(hl_alloc(heap, HL_MAX_REQUEST + 1));
    errno = 0;
    ck_assert_ptr_null(hl_calloc(heap, SIZE_MAX / 2, 3)); /* overflows */
    ck_assert_int_eq(errno, ENOMEM);
    ck_assert_ptr_null(hl_aligned_alloc(heap, 64, SIZE_MAX));
    ck_assert_heap_ok();
}
END_TEST

START_TEST(alignment_must_be_a_power_of_two)
{
    void *p;

    fixture_heap(HL_PRESET_DEFAULT, NULL);
    errno = 0;
    ck_assert_ptr_null(hl_aligned_alloc(heap, 3, 10));
    ck_assert_int_eq(errno, EINVAL);
    ck_assert_ptr_null(hl_aligned_alloc(heap, 0, 10));
    ck_assert_ptr_null(hl_aligned_alloc(heap, 48, 10));
    ck_assert_ptr_null(hl_aligned_alloc(heap, HL_MAX_ALIGN * 2, 10));
    ck_assert_int_eq(errno, EINVAL);
    p = hl_aligned_alloc(heap, 4096, 1);
    ck_assert_ptr_nonnull(p);
    ck_assert_uint_eq((uintptr_t)p % 4096, 0);
    p = hl_aligned_alloc(heap, 1, 1); /* smaller than the heap's: fine */
    ck_assert_uint_eq((uintptr_t)p % 16, 0);
    ck_assert_heap_ok();
}
END_TEST

START_TEST(zero_sizes_and_null)
{
    void *p, *q;
    unsigned char *z;
    size_t i;

    fixture_heap(HL_PRESET_DEFAULT, NULL);
    hl_free(heap, NULL);
    ck_assert_uint_eq(hl_usable_size(heap, NULL), 0);
    p = hl_alloc(heap, 0);
    q = hl_alloc(heap, 0);
    ck_assert_ptr_nonnull(p);
    ck_assert_ptr_ne(p, q);
    ck_assert_ptr_nonnull(hl_calloc(heap, 0, 10));
    ck_assert_ptr_nonnull(hl_calloc(heap, 10, 0));
    /* calloc zeroes memory that was dirty */
    z = hl_alloc(heap, 200);
    memset(z, 0xff, 200);
    hl_free(heap, z);
    z = hl_calloc(heap, 25, 8);
    for (i = 0; i < 200; i++)
        ck_assert_uint_eq(z[i], 0);
    ck_assert_heap_ok();
}
END_TEST

Suite *misuse_suite(void);
Suite *misuse_suite(void)
{
    Suite *s = suite_create("misuse");
    TCase *tc = tcase_create("misuse"), *edges = tcase_create("edges");

    tcase_add_test(tc, double_free_is_caught_and_ignored);
    tcase_add_test(tc, double_free_after_merge_is_caught);
    tcase_add_test(tc, foreign_pointers_are_caught);
    tcase_add_test(tc, fake_header_inside_an_object_is_caught);
    tcase_add_test(tc, copied_header_fails_at_another_address);
    tcase_add_test(tc, realloc_and_usable_size_of_foreign_pointer);
    tcase_add_test(tc, write_after_free_is_reported_as_corruption);
    tcase_add_test(tc, default_hook_prints_one_line_and_aborts);
    tcase_add_test(edges, sizes_near_size_max_fail_with_enomem);
    tcase_add_test(edges, alignment_must_be_a_power_of_two);
    tcase_add_test(edges, zero_sizes_and_null);
    suite_add_tcase(s, tc);
    suite_add_tcase(s, edges);
    return s;
}

int main(void) { return fixture_run(misuse_suite()); }

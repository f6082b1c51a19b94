/* check_grower.c - the growers and their contract: static, mmap, brk, a
 * grower written by the user, the minimum increment, and running out. */
#include <errno.h>
#include <unistd.h>

#include "fixture.h"

START_TEST(increment_must_be_a_multiple_of_16)
{
    hl_static_grower g;

    ck_assert_int_eq(hl_static_grower_init(&g, fixture_buffer, 4096, 0), 0);
    ck_assert_int_eq(hl_static_grower_init(&g, fixture_buffer, 4096, 16), 0);
    ck_assert_int_eq(hl_static_grower_init(&g, fixture_buffer, 4096, 8),
                     EINVAL);
    ck_assert_int_eq(hl_static_grower_init(&g, fixture_buffer, 4096, 4097),
                     EINVAL);
    ck_assert_int_eq(hl_static_grower_init(&g, fixture_buffer, 4096,
                                           HL_MAX_INCREMENT + 16), EINVAL);
    ck_assert_int_eq(hl_grower_check_increment(4096), 0);
}
END_TEST

/* grow(0) reports the end; grow(n) moves it by max(n, increment). */
START_TEST(static_grower_follows_the_contract)
{
    hl_static_grower g;
    char *end;
    size_t grown;

    hl_static_grower_init(&g, fixture_buffer, 10000, 4096);
    ck_assert_int_eq(g.base.grow(&g.base, 0, &end, &grown), 0);
    ck_assert_ptr_eq(end, fixture_buffer);
    ck_assert_uint_eq(grown, 0);
    ck_assert_int_eq(g.base.grow(&g.base, 100, &end, &grown), 0);
    ck_assert_uint_eq(grown, 4096);
    ck_assert_int_eq(g.base.grow(&g.base, 5000, &end, &grown), 0);
    ck_assert_ptr_eq(end, fixture_buffer + 4096);
    ck_assert_uint_eq(grown, 5000); /* exactly: the heap asks for whole blocks */
    /* 10000 - 9096 = 904 left: less than the increment will do, more
     * than what is left will not */
    ck_assert_int_eq(g.base.grow(&g.base, 100, &end, &grown), 0);
    ck_assert_uint_eq(grown, 904);
    ck_assert_int_eq(g.base.grow(&g.base, 16, &end, &grown), ENOMEM);
}
END_TEST

/* Out of memory: NULL, ENOMEM, and the heap exactly as it was. */
START_TEST(exhausted_grower_leaves_heap_unchanged)
{
    char before[8192];
    void *p;

    fixture_heap_sized(HL_PRESET_DEFAULT, 8192, 4096, NULL);
    ck_assert_ptr_nonnull(hl_alloc(heap, 3000));
    ck_assert_ptr_nonnull(hl_alloc(heap, 3000));
    strcpy(before, fixture_blocks());
    errno = 0;
    p = hl_alloc(heap, 3000);
    ck_assert_ptr_null(p);
    ck_assert_int_eq(errno, ENOMEM);
    ck_assert_str_eq(fixture_blocks(), before);
    ck_assert_heap_ok();
    /* smaller requests still succeed from what is left */
    ck_assert_ptr_nonnull(hl_alloc(heap, 1000));
    ck_assert_heap_ok();
}
END_TEST

START_TEST(mmap_grower_commits_and_gives_back)
{
    hl_mmap_grower g;
    hl_config cfg;
    void *p;
    size_t back;

    ck_assert_int_eq(hl_mmap_grower_init(&g, 1 << 20, 4096), 0);
    hl_config_preset(&cfg, HL_PRESET_DEFAULT);
    heap = hl_heap_init(&fixture_space, &cfg, &g.base);
    p = hl_alloc(heap, 300000);
    ck_assert_ptr_nonnull(p);
    memset(p, 1, 300000);
    ck_assert_uint_ge(g.committed, 300000);
    hl_free(heap, p);
    back = hl_heap_trim(heap, 0);
    ck_assert_uint_gt(back, 290000);
    ck_assert_uint_lt(g.committed, 4096 * 2);
    ck_assert_heap_ok();
    /* beyond the reservation: ENOMEM */
    ck_assert_ptr_null(hl_alloc(heap, 2 << 20));
    ck_assert_int_eq(errno, ENOMEM);
    p = hl_alloc(heap, 1000); /* memory comes back after a trim */
    ck_assert_ptr_nonnull(p);
    memset(p, 2, 1000);
    ck_assert_heap_ok();
    hl_mmap_grower_release(&g);
}
END_TEST

static bool note_last(const hl_block_info *block, void *arg)
{
    *(hl_block_info *)arg = *block;
    return true;
}

/* hl_heap_trim(heap, keep) leaves the free top block with room for an
 * object of `keep` bytes: a header (8) and keep rounded as a request is
 * (1000 stays 1000; 1001 becomes 1016 with align 16).  The static grower
 * gives back exactly what it is asked, so the sizes are exact. */
START_TEST(trim_keeps_exactly_a_block_for_keep)
{
    static const size_t keeps[][2] = {{1000, 1000}, {1001, 1016}, {24, 24}};
    hl_block_info last;
    hl_stats s;
    size_t grows;
    int i;

    for (i = 0; i < 3; i++) {
        fixture_heap(HL_PRESET_DEFAULT, NULL);
        hl_alloc(heap, 16);
        hl_free(heap, hl_alloc(heap, 20000));
        ck_assert_uint_gt(hl_heap_trim(heap, keeps[i][0]), 0);
        hl_heap_visit_blocks(heap, note_last, &last);
        ck_assert(last.free);
        ck_assert_uint_eq(last.size, keeps[i][1]);
        hl_heap_stats(heap, &s);
        ck_assert_uint_eq(s.heap_size, last.offset + 8 + keeps[i][1]);
        grows = s.grows;
        ck_assert_ptr_nonnull(hl_alloc(heap, keeps[i][0])); /* no growth */
        hl_heap_stats(heap, &s);
        ck_assert_uint_eq(s.grows, grows);
        ck_assert_heap_ok();
    }
}
END_TEST

/* A trim whose free top block has its header in a page's last word: the
 * block's freelist node is on the next page, which the trim gives back.
 * The heap must be done with the node before the page goes (it used to
 * read it after, and die of SIGSEGV). */
START_TEST(mmap_trim_of_a_block_whose_node_is_on_the_next_page)
{
    hl_mmap_grower g;
    hl_config cfg;
    hl_block_info info;
    void *a, *b;

    ck_assert_int_eq(hl_mmap_grower_init(&g, 1 << 20, 4096), 0);
    hl_config_preset(&cfg, HL_PRESET_DEFAULT);
    heap = hl_heap_init(&fixture_space, &cfg, &g.base);
    /* The first block starts at 8; 4072 bytes end it at 4088, a page's
     * last word, where the next block's header goes. */
    a = hl_alloc(heap, 4072);
    b = hl_alloc(heap, 5000);
    ck_assert(hl_heap_block_of(heap, b, &info));
    ck_assert_uint_eq(info.offset, 4088);
    hl_free(heap, b); /* merges with the free rest: the top is at 4088 */
    ck_assert_uint_gt(hl_heap_trim(heap, 0), 0);
    ck_assert_uint_le(g.committed, 4096);
    ck_assert_heap_ok();
    memset(a, 3, 4072);
    ck_assert_ptr_nonnull(hl_alloc(heap, 100)); /* it grows again */
    ck_assert_heap_ok();
    hl_mmap_grower_release(&g);
}
END_TEST

/* Auto trimming: the free that leaves more than twice the threshold free
 * at the top trims at once, keeping the threshold; without it, nothing
 * goes back until hl_heap_trim. */
START_TEST(auto_trim_gives_the_top_back_at_the_last_free)
{
    hl_mmap_grower g;
    hl_config cfg;
    void *o[64];
    hl_stats s;
    int i;

    ck_assert_int_eq(hl_mmap_grower_init(&g, 1 << 20, 4096), 0);
    hl_config_preset(&cfg, HL_PRESET_DEFAULT);
    heap = hl_heap_init(&fixture_space, &cfg, &g.base);
    if (_i)
        hl_heap_set_auto_trim(heap, 4096);
    for (i = 0; i < 64; i++)
        o[i] = hl_alloc(heap, 1000);
    for (i = 0; i < 63; i++) { /* bottom up: the top stays in use */
        hl_free(heap, o[i]);
        hl_heap_stats(heap, &s);
        ck_assert_uint_eq(s.trims, 0);
    }
    hl_free(heap, o[63]);
    hl_heap_stats(heap, &s);
    if (_i) {
        ck_assert_uint_eq(s.trims, 1);
        ck_assert_uint_le(s.heap_size, 4096 + 2 * 4096);
        ck_assert_uint_eq(s.trimmed_bytes, s.peak_heap_size - s.heap_size);
    } else {
        ck_assert_uint_eq(s.trims, 0);
        ck_assert_uint_eq(s.heap_size, s.peak_heap_size);
    }
    ck_assert_heap_ok();
    hl_mmap_grower_release(&g);
}
END_TEST

/* A heap that grows back after an auto trim was in a phase: the next
 * phase's end keeps what it grew back to, instead of trimming again. */
START_TEST(auto_trim_learns_from_a_heap_that_grows_back)
{
    hl_mmap_grower g;
    hl_config cfg;
    void *o[64];
    hl_stats s;
    int i, round;

    ck_assert_int_eq(hl_mmap_grower_init(&g, 1 << 20, 4096), 0);
    hl_config_preset(&cfg, HL_PRESET_DEFAULT);
    heap = hl_heap_init(&fixture_space, &cfg, &g.base);
    hl_heap_set_auto_trim(heap, 4096);
    for (round = 0; round < 3; round++) {
        for (i = 0; i < 64; i++)
            o[i] = hl_alloc(heap, 1000);
        for (i = 0; i < 64; i++)
            hl_free(heap, o[i]);
        hl_heap_stats(heap, &s);
        ck_assert_uint_eq(s.trims, 1); /* the first round's end only */
        ck_assert_heap_ok();
    }
    ck_assert_uint_gt(s.heap_size, 60 * 1000);
    hl_mmap_grower_release(&g);
}
END_TEST

/* The brk grower never writes over memory someone else got by moving the
 * break: it notices and fails cleanly. */
START_TEST(brk_grower_detects_a_foreign_break)
{
    hl_brk_grower g;
    hl_config cfg;
    char *a, *b;

    ck_assert_int_eq(hl_brk_grower_init(&g, 4096), 0);
    hl_config_preset(&cfg, HL_PRESET_DEFAULT);
    heap = hl_heap_init(&fixture_space, &cfg, &g.base);
    a = hl_alloc(heap, 100);
    ck_assert_ptr_nonnull(a);
    b = hl_alloc(heap, 6000); /* a second growth, nothing in between */
    ck_assert_ptr_nonnull(b);
    strcpy(a, "mine");
    ck_assert_ptr_ne(sbrk(4096), (void *)-1); /* someone else's memory */
    errno = 0;
    ck_assert_ptr_null(hl_alloc(heap, 20000));
    ck_assert_int_eq(errno, ENOMEM);
    ck_assert_str_eq(a, "mine");
    ck_assert_heap_ok();
    ck_assert_ptr_nonnull(hl_alloc(heap, 100)); /* free space still serves */
}
END_TEST

/* A user-written grower: a struct that embeds hl_grower first, and one
 * function.  This one hands out a fixed array in 64-byte steps and counts
 * its calls (the example in heaplab(3)). */
typedef struct counting_grower {
    hl_grower base;
    char *start;
    size_t used, capacity;
    int calls;
} counting_grower;

static int counting_grow(hl_grower *self, size_t n, char **old_end,
                         size_t *grown)
{
    counting_grower *g = (counting_grower *)self;
    size_t step = (n + 63) & ~(size_t)63;

    g->calls++;
    if (step > g->capacity - g->used)
        return ENOMEM;
    *old_end = g->start + g->used;
    *grown = step;
    g->used += step;
    return 0;
}

START_TEST(user_written_grower_works)
{
    counting_grower g = {{"counting", counting_grow, NULL, 0},
                         fixture_buffer, 0, 1024, 0};
    hl_config cfg;
    void *p[10];
    int i;

    hl_config_preset(&cfg, HL_PRESET_REFERENCE);
    heap = hl_heap_init(&fixture_space, &cfg, &g.base);
    for (i = 0; i < 10; i++)
        ck_assert_ptr_nonnull(p[i] = hl_alloc(heap, 40));
    ck_assert_uint_eq(g.used, 10 * 64); /* 48-byte blocks, 64-byte steps */
    ck_assert_int_gt(g.calls, 1);
    ck_assert_heap_ok();
    ck_assert_uint_eq(hl_heap_trim(heap, 0), 0); /* no trim: nothing back */
    ck_assert_ptr_null(hl_alloc(heap, 1000));
    ck_assert_int_eq(errno, ENOMEM);
}
END_TEST

/* A grower that breaks the contract is reported, not trusted. */
static int liar_grow(hl_grower *self, size_t n, char **old_end, size_t *grown)
{
    static size_t calls;
    (void)self;
    *old_end = fixture_buffer + (calls++ ? 100000 : 0); /* jumps */
    *grown = n == 0 ? 0 : n + 4096;
    return 0;
}

static hl_error_kind last_kind;
static int errors;
static void count_errors(hl_heap *h, hl_error_kind kind, const char *op,
                         const void *ptr, const char *message, void *arg)
{
    (void)h, (void)op, (void)ptr, (void)message, (void)arg;
    last_kind = kind;
    errors++;
}

START_TEST(contract_breaking_grower_is_reported)
{
    hl_grower liar = {"liar", liar_grow, NULL, 0};
    hl_config cfg;

    hl_config_preset(&cfg, HL_PRESET_DEFAULT);
    heap = hl_heap_init(&fixture_space, &cfg, &liar);
    hl_heap_set_error_hook(heap, count_errors, NULL);
    errors = 0;
    ck_assert_ptr_null(hl_alloc(heap, 10));
    ck_assert_int_eq(errors, 1);
    ck_assert_int_eq(last_kind, HL_ERROR_GROWER);
    ck_assert_heap_ok();
}
END_TEST

Suite *grower_suite(void);
Suite *grower_suite(void)
{
    Suite *s = suite_create("grower");
    TCase *tc = tcase_create("growers");

    tcase_add_test(tc, increment_must_be_a_multiple_of_16);
    tcase_add_test(tc, static_grower_follows_the_contract);
    tcase_add_test(tc, exhausted_grower_leaves_heap_unchanged);
    tcase_add_test(tc, mmap_grower_commits_and_gives_back);
    tcase_add_test(tc, trim_keeps_exactly_a_block_for_keep);
    tcase_add_test(tc, mmap_trim_of_a_block_whose_node_is_on_the_next_page);
    tcase_add_loop_test(tc, auto_trim_gives_the_top_back_at_the_last_free, 0,
                        2);
    tcase_add_test(tc, auto_trim_learns_from_a_heap_that_grows_back);
    tcase_add_test(tc, brk_grower_detects_a_foreign_break);
    tcase_add_test(tc, user_written_grower_works);
    tcase_add_test(tc, contract_breaking_grower_is_reported);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return fixture_run(grower_suite()); }

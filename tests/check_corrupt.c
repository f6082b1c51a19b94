/* check_corrupt.c - a heap whose own words a program overwrote: every
 * link, footer and header is checked before it is followed, a broken one
 * is reported once (HL_ERROR_CORRUPT, under the operation's real name),
 * and the heap is latched corrupt: allocations fail with ENOMEM, frees do
 * nothing, and nothing is ever written through a forged link.
 *
 * A free block's object starts with its node {next, prev}; with immediate
 * merging its last word is a footer equal to its header; the header is
 * the word before the object.  A write after free reaches the first two;
 * a write past the end of the object before reaches the third. */
#include "watch.h"

/* Where the forged links point: a write through them would land here. */
static uint64_t target[4];

static const char *const fits[] = {"fit=first", "fit=next", "fit=best",
                                   "fit=worst", "fit=segregated"};
#define FITS 5

static void corrupt_heap(const char *fit, const char *merge)
{
    fixture_heap(HL_PRESET_DEFAULT, fit, merge, NULL);
    watch_errors();
    memset(target, 0, sizeof target);
}

/* The words around an object: its header ([-1]) and the freelist node a
 * free block keeps in it ([0], [1]), open to the test's writes. */
static uint64_t *words(void *object)
{
    return (uint64_t *)fixture_expose((char *)object - 8, 24) + 1;
}

/* The footer of the free block whose object is p (immediate merging). */
static uint64_t *footer_of(void *p, size_t usable)
{
    return fixture_expose((char *)p + usable - 8, 8);
}

static void assert_reported_once(const char *op)
{
    ck_assert_int_eq(errors, 1);
    ck_assert_int_eq(last_kind, HL_ERROR_CORRUPT);
    ck_assert_str_eq(last_op, op);
}

static void assert_target_untouched(void)
{
    int i;

    for (i = 0; i < 4; i++)
        ck_assert_uint_eq(target[i], 0);
}

/* The unlink attack: two pointers written into a freed object's first
 * words.  Unlinking it blindly would write one through the other. */
START_TEST(forged_links_are_not_followed)
{
    char *a, *b;
    void *p;

    corrupt_heap(fits[_i], "merge=immediate");
    a = hl_alloc(heap, 64);
    hl_alloc(heap, 16);
    b = hl_alloc(heap, 64);
    hl_alloc(heap, 16);
    hl_free(heap, a);
    hl_free(heap, b);
    words(b)[0] = (uint64_t)(uintptr_t)&target[0]; /* next */
    words(b)[1] = (uint64_t)(uintptr_t)&target[2]; /* prev */
    errno = 0;
    p = hl_alloc(heap, 64);
    ck_assert_ptr_null(p);
    ck_assert_int_eq(errno, ENOMEM);
    assert_reported_once("malloc");
    assert_target_untouched();
}
END_TEST

/* A plain 8-byte write into a freed object's first word. */
START_TEST(a_wild_next_link_is_reported)
{
    char *a;

    corrupt_heap(fits[_i], "merge=immediate");
    a = hl_alloc(heap, 64);
    hl_alloc(heap, 16);
    hl_free(heap, a);
    words(a)[0] = 0x4141414141414141ull;
    ck_assert_ptr_null(hl_alloc(heap, 32));
    assert_reported_once("malloc");
}
END_TEST

/* Links that lie inside the heap but do not point back. */
START_TEST(links_that_do_not_point_back_are_reported)
{
    char *a, *b, *c;

    corrupt_heap(fits[_i], "merge=immediate");
    a = hl_alloc(heap, 64);
    hl_alloc(heap, 16);
    b = hl_alloc(heap, 64);
    hl_alloc(heap, 16);
    c = hl_alloc(heap, 64);
    hl_alloc(heap, 16);
    hl_free(heap, a);
    hl_free(heap, b);
    words(b)[0] = (uint64_t)(uintptr_t)c; /* a live object, aligned */
    ck_assert_ptr_null(hl_alloc(heap, 64));
    assert_reported_once("malloc");
    /* b's links, or c as a node of the list (the fits that walk it all) */
    ck_assert(last_ptr == b || last_ptr == c);
}
END_TEST

/* free() merges backwards with a freed block whose links were written. */
START_TEST(free_reports_the_neighbour_it_would_unlink)
{
    char *a, *b;

    corrupt_heap("fit=first", "merge=immediate");
    a = hl_alloc(heap, 64);
    b = hl_alloc(heap, 64);
    hl_alloc(heap, 16);
    hl_free(heap, a);
    words(a)[0] = (uint64_t)(uintptr_t)&target[0];
    words(a)[1] = (uint64_t)(uintptr_t)&target[2];
    hl_free(heap, b);
    assert_reported_once("free");
    ck_assert_ptr_eq(last_ptr, a);
    assert_target_untouched();
}
END_TEST

/* The footer leads free() to the block before: it must name a sound free
 * block, equal to its header, that ends exactly where the freed one
 * starts.  Each way of breaking it is reported. */
START_TEST(a_broken_footer_stops_the_backward_merge)
{
    char *a, *b;
    size_t usable;
    uint64_t *footer, forged[4];
    int i;

    for (i = 0; i < 4; i++) {
        corrupt_heap("fit=first", "merge=immediate");
        a = hl_alloc(heap, 64);
        usable = hl_usable_size(heap, a);
        b = hl_alloc(heap, 64);
        hl_alloc(heap, 16);
        hl_free(heap, a);
        footer = footer_of(a, usable);
        forged[0] = 0x4141414141414141ull;   /* wild */
        forged[1] = *footer + 16;            /* a bigger block */
        forged[2] = *footer - 16;            /* a smaller one */
        forged[3] = *footer & ~(uint64_t)1;  /* "used" */
        *footer = forged[i];
        hl_free(heap, b);
        assert_reported_once("free");
        ck_assert_ptr_eq(last_ptr, b);
        ck_assert_ptr_null(hl_alloc(heap, 16)); /* latched */
        ck_assert_int_eq(errors, 1);
    }
}
END_TEST

/* free() merges forwards with a free block whose header was overwritten
 * (a write past the end of the object before it), or whose footer was. */
START_TEST(a_broken_next_block_stops_the_forward_merge)
{
    char *a, *b;
    size_t usable;

    corrupt_heap("fit=first", "merge=immediate");
    a = hl_alloc(heap, 64);
    usable = hl_usable_size(heap, a);
    b = hl_alloc(heap, 64);
    hl_alloc(heap, 16);
    hl_free(heap, b);
    words(b)[-1] |= (uint64_t)1 << 40; /* b's header: a bigger size */
    hl_free(heap, a);
    assert_reported_once("free");
    ck_assert_ptr_eq(last_ptr, b);

    corrupt_heap("fit=first", "merge=immediate");
    a = hl_alloc(heap, 64);
    b = hl_alloc(heap, 64);
    hl_alloc(heap, 16);
    hl_free(heap, b);
    *footer_of(b, usable) ^= 0x10; /* header sound, footer not equal */
    hl_free(heap, a);
    assert_reported_once("free");
}
END_TEST

/* realloc takes in the free block after the object: checked first. */
START_TEST(realloc_checks_the_block_it_takes_in)
{
    char *a, *b;
    size_t usable;
    int i;

    for (i = 0; i < 2; i++) {
        corrupt_heap("fit=first", "merge=immediate");
        a = hl_alloc(heap, 64);
        usable = hl_usable_size(heap, a);
        memset(a, 0x5a, 64);
        b = hl_alloc(heap, 64);
        hl_alloc(heap, 16);
        hl_free(heap, b);
        if (i == 0)
            *footer_of(b, usable) ^= 0x10;
        else
            words(b)[0] = (uint64_t)(uintptr_t)&target[0];
        errno = 0;
        ck_assert_ptr_null(hl_realloc(heap, a, 120));
        ck_assert_int_eq(errno, ENOMEM);
        assert_reported_once("realloc");
        ck_assert_uint_eq((unsigned char)a[63], 0x5a);
        assert_target_untouched();
    }
}
END_TEST

/* On the reference heap, two neighbouring 32-byte objects a and b between
 * used blocks, freed b then a: the lazy search visits a first. */
static void two_free_neighbours(char **a, char **b)
{
    fixture_heap(HL_PRESET_REFERENCE, NULL);
    watch_errors();
    hl_alloc(heap, 16);
    *a = hl_alloc(heap, 32);
    *b = hl_alloc(heap, 32);
    hl_alloc(heap, 16);
    hl_free(heap, *b);
    hl_free(heap, *a);
}

/* Lazy merging joins the free blocks after a block as the search visits
 * it; a header the heap did not write, even one whose tag says "free",
 * ends the merge with a report instead of taking in a wild size. */
START_TEST(lazy_merging_reports_an_unsound_header)
{
    char *a, *b;

    two_free_neighbours(&a, &b);
    words(b)[-1] = 0x4141414141414141ull; /* tagged free, not sound */
    errno = 0;
    ck_assert_ptr_null(hl_alloc(heap, 60));
    ck_assert_int_eq(errno, ENOMEM);
    assert_reported_once("malloc");
    ck_assert_ptr_eq(last_ptr, b);
}
END_TEST

/* The same heap without the damage: the two blocks are joined, and the
 * 60-byte object goes where a was. */
START_TEST(lazy_merging_joins_sound_blocks)
{
    char *a, *b;

    two_free_neighbours(&a, &b);
    ck_assert_ptr_eq(hl_alloc(heap, 60), a);
    ck_assert_int_eq(errors, 0);
    ck_assert_heap_ok();
}
END_TEST

/* With order=address a free walks the list to find its place: a forged
 * link on the way is reported, under "free". */
START_TEST(address_order_walk_checks_each_node)
{
    char *a, *b;

    fixture_heap(HL_PRESET_DEFAULT, "order=address", NULL);
    watch_errors();
    memset(target, 0, sizeof target);
    a = hl_alloc(heap, 64);
    hl_alloc(heap, 16);
    b = hl_alloc(heap, 64);
    hl_alloc(heap, 16);
    hl_free(heap, a);
    words(a)[0] = (uint64_t)(uintptr_t)&target[0];
    hl_free(heap, b);
    assert_reported_once("free");
    assert_target_untouched();
}
END_TEST

/* The heap's free last block is found through the footer at the heap's
 * end: by a growth, which joins it, and by a trim.  a is freed into that
 * block; its footer is the heap's last word. */
static uint64_t *free_last_block_footer(void)
{
    char *a;

    hl_alloc(heap, 16);
    a = hl_alloc(heap, 64);
    hl_free(heap, a);
    return footer_of(a, (size_t)(words(a)[-1] & 0xfffffffffff8ull));
}

START_TEST(growth_checks_the_last_footer)
{
    corrupt_heap("fit=first", "merge=immediate");
    *free_last_block_footer() = 0x4141414141414141ull;
    ck_assert_ptr_null(hl_alloc(heap, 100000)); /* must grow */
    assert_reported_once("malloc");
}
END_TEST

START_TEST(trim_checks_the_last_footer)
{
    corrupt_heap("fit=first", "merge=immediate");
    *free_last_block_footer() ^= 0x10;
    ck_assert_uint_eq(hl_heap_trim(heap, 0), 0);
    assert_reported_once("heap"); /* trim names no operation of its own */
    ck_assert_ptr_null(hl_alloc(heap, 100000)); /* latched */
    ck_assert_int_eq(errors, 1);
}
END_TEST

/* Once corrupt, every operation fails cleanly and reports nothing more. */
START_TEST(corruption_is_latched)
{
    char *a, *live;
    void *out;

    corrupt_heap("fit=first", "merge=immediate");
    live = hl_alloc(heap, 64);
    a = hl_alloc(heap, 64);
    hl_alloc(heap, 16);
    hl_free(heap, a);
    words(a)[0] = 0x4141414141414141ull;
    ck_assert_ptr_null(hl_alloc(heap, 64));
    ck_assert_int_eq(errors, 1);

    errno = 0;
    ck_assert_ptr_null(hl_calloc(heap, 2, 8));
    ck_assert_int_eq(errno, ENOMEM);
    errno = 0;
    ck_assert_ptr_null(hl_aligned_alloc(heap, 64, 8));
    ck_assert_int_eq(errno, ENOMEM);
    errno = 0;
    ck_assert_ptr_null(hl_realloc(heap, live, 200));
    ck_assert_int_eq(errno, ENOMEM);
    ck_assert_ptr_null(hl_realloc(heap, NULL, 8));
    hl_free(heap, live);
    hl_free(heap, live); /* not even a double free is looked at */
    hl_free_remote(heap, live);
    ck_assert_ptr_null(hl_alloc(heap, 8));
    ck_assert_uint_eq(hl_heap_trim(heap, 0), 0);
    ck_assert_uint_eq(hl_heap_flush_cache(heap), 0);
    ck_assert_int_eq(errors, 1);
    out = hl_alloc(heap, 0);
    ck_assert_ptr_null(out);
}
END_TEST

/* The report names the operation that found the damage. */
START_TEST(the_report_names_the_operation)
{
    static const char *const ops[] = {"malloc", "calloc", "aligned_alloc",
                                      "realloc"};
    char *a, *live;
    int i;

    for (i = 0; i < 4; i++) {
        corrupt_heap("fit=first", "merge=immediate");
        live = hl_alloc(heap, 16);
        a = hl_alloc(heap, 64);
        hl_alloc(heap, 16);
        hl_free(heap, a);
        words(a)[0] = 0x4141414141414141ull;
        switch (i) {
        case 0: hl_alloc(heap, 64); break;
        case 1: hl_calloc(heap, 4, 16); break;
        case 2: hl_aligned_alloc(heap, 64, 32); break;
        case 3: hl_realloc(heap, live, 64); break;
        }
        assert_reported_once(ops[i]);
    }
}
END_TEST

static bool count_block(const hl_block_info *block, void *arg)
{
    (void)block;
    ++*(int *)arg;
    return true;
}

/* Looking at a corrupt heap reports nothing and follows nothing: the
 * freelist walk stops at a forged link, the block walk at a forged
 * header, and a link back to the list's own head does not loop. */
START_TEST(walkers_stop_at_the_damage)
{
    char *a, *b;
    int seen;
    uint64_t header;

    corrupt_heap("fit=first", "merge=immediate");
    a = hl_alloc(heap, 64);
    hl_alloc(heap, 16);
    b = hl_alloc(heap, 64);
    hl_alloc(heap, 16);
    hl_free(heap, a);
    hl_free(heap, b); /* b -> a -> rest */
    seen = 0;
    ck_assert_uint_eq(hl_heap_visit_freelist(heap, count_block, &seen), 3);

    words(b)[0] = 0x4141414141414141ull;
    seen = 0;
    ck_assert_uint_eq(hl_heap_visit_freelist(heap, count_block, &seen), 1);
    words(b)[0] = (uint64_t)(uintptr_t)b; /* b -> b -> b ... */
    ck_assert_uint_lt(hl_heap_visit_freelist(heap, count_block, &seen),
                      FIXTURE_CAPACITY / 32);

    header = words(b)[-1];
    words(b)[-1] = 0x4141414141414141ull;
    seen = 0;
    ck_assert_uint_eq(hl_heap_visit_blocks(heap, count_block, &seen), 2);
    ck_assert(!hl_heap_block_of(heap, b + 96, NULL));
    words(b)[-1] = header;
    ck_assert_int_eq(errors, 0);
}
END_TEST

Suite *corrupt_suite(void);
Suite *corrupt_suite(void)
{
    Suite *s = suite_create("corrupt");
    TCase *links = tcase_create("links"), *tags = tcase_create("tags"),
          *latch = tcase_create("latch");

    tcase_add_loop_test(links, forged_links_are_not_followed, 0, FITS);
    tcase_add_loop_test(links, a_wild_next_link_is_reported, 0, FITS);
    tcase_add_loop_test(links, links_that_do_not_point_back_are_reported, 0,
                        FITS);
    tcase_add_test(links, free_reports_the_neighbour_it_would_unlink);
    tcase_add_test(links, address_order_walk_checks_each_node);
    suite_add_tcase(s, links);
    tcase_add_test(tags, a_broken_footer_stops_the_backward_merge);
    tcase_add_test(tags, a_broken_next_block_stops_the_forward_merge);
    tcase_add_test(tags, realloc_checks_the_block_it_takes_in);
    tcase_add_test(tags, lazy_merging_reports_an_unsound_header);
    tcase_add_test(tags, lazy_merging_joins_sound_blocks);
    tcase_add_test(tags, growth_checks_the_last_footer);
    tcase_add_test(tags, trim_checks_the_last_footer);
    suite_add_tcase(s, tags);
    tcase_add_test(latch, corruption_is_latched);
    tcase_add_test(latch, the_report_names_the_operation);
    tcase_add_test(latch, walkers_stop_at_the_damage);
    suite_add_tcase(s, latch);
    return s;
}

int main(void) { return fixture_run(corrupt_suite()); }

/* check_policy.c - the placement policies (fit.c) and the freelist orders
 * (freelist.c), on one layout a reader can keep in mind:
 *
 *   x1: 0 (104)  y: 112  x2: 136 (40)  z: 184  x3: 208 (64)  w: 280
 *   rest: 304 (3784)
 *
 * x1, x2 and x3 are freed, in that order, leaving holes of 104, 40 and 64
 * between used blocks.  The heap is the reference (align 8, lazy merging),
 * with one knob turned per test. */
#include "fixture.h"

static void *x1, *x2, *x3;

static void holes_merging(const char *fit, const char *order,
                          const char *merge)
{
    fixture_heap(HL_PRESET_REFERENCE, fit, order, merge, NULL);
    x1 = hl_alloc(heap, 100);
    hl_alloc(heap, 8);
    x2 = hl_alloc(heap, 40);
    hl_alloc(heap, 8);
    x3 = hl_alloc(heap, 64);
    hl_alloc(heap, 8);
    hl_free(heap, x1);
    hl_free(heap, x2);
    hl_free(heap, x3);
    ck_assert_heap_ok();
}

static void holes(const char *fit, const char *order)
{
    holes_merging(fit, order, "merge=lazy");
}

START_TEST(lifo_order_puts_the_last_freed_first)
{
    holes("fit=first", "order=lifo");
    ck_assert_str_eq(strstr(fixture_blocks(), "freelist"),
                     "freelist 208 136 0 304\n");
}
END_TEST

START_TEST(fifo_order_puts_the_last_freed_last)
{
    holes("fit=first", "order=fifo");
    ck_assert_str_eq(strstr(fixture_blocks(), "freelist"),
                     "freelist 304 0 136 208\n");
}
END_TEST

START_TEST(address_order_sorts_the_list)
{
    holes("fit=first", "order=address");
    ck_assert_str_eq(strstr(fixture_blocks(), "freelist"),
                     "freelist 0 136 208 304\n");
}
END_TEST

/* A freed block's place in address order is found by walking the list
 * from its head and the heap from the block, a step of each in turn
 * (freelist.c).  Here both answer.  40 objects; the even ones are freed
 * upwards, then the odd ones up to 35 (the list's walk is short: little
 * lies below each).  Then 39 and 37, with 38 free in between: the heap's
 * walk answers, in a step or two.  With fit=segregated the odd objects
 * are of another size class, so the heap's walk must pass the free
 * blocks of the other bin (38) to find 39.  No merging, so that every
 * block stays on the list; the checker fails a list out of address
 * order. */
START_TEST(address_order_places_each_free_by_either_walk)
{
    static const char *fits[] = {"fit=first", "fit=segregated"};
    static const int last[] = {39, 37};
    void *o[40];
    hl_stats st;
    int i;

    fixture_heap(HL_PRESET_DEFAULT, fits[_i], "order=address", "merge=none",
                 NULL);
    for (i = 0; i < 40; i++)
        o[i] = hl_alloc(heap, _i && i % 2 ? 600 : 24);
    for (i = 0; i < 40; i += 2) {
        hl_free(heap, o[i]);
        ck_assert_heap_ok();
    }
    for (i = 1; i < 37; i += 2) {
        hl_free(heap, o[i]);
        ck_assert_heap_ok();
    }
    for (i = 0; i < 2; i++) {
        hl_free(heap, o[last[i]]);
        ck_assert_heap_ok();
    }
    hl_heap_stats(heap, &st);
    ck_assert_uint_eq(st.used_blocks, 0);
    ck_assert_uint_ge(st.free_blocks, 41); /* and the rests of each growth */
}
END_TEST

/* First fit takes the head (x3's hole, 64) and splits it: 32 + 8 + 24. */
START_TEST(first_fit_takes_the_first_that_fits)
{
    void *p;

    holes("fit=first", "order=lifo");
    p = hl_alloc(heap, 32);
    ck_assert_ptr_eq(p, x3);
    ck_assert_str_eq(strstr(fixture_blocks(), "freelist"),
                     "freelist 248 136 0 304\n");
}
END_TEST

/* Best fit takes the smallest hole that fits (x2's, 40), whole. */
START_TEST(best_fit_takes_the_smallest_that_fits)
{
    void *p;

    holes("fit=best", "order=lifo");
    p = hl_alloc(heap, 32);
    ck_assert_ptr_eq(p, x2);
    ck_assert_uint_eq(hl_usable_size(heap, p), 40);
}
END_TEST

/* Among holes of one size, best fit takes the first in list order (fit.c):
 * three 40-byte holes, freed a, b, c.  lifo lists them c b a, fifo a b c. */
START_TEST(best_fit_breaks_ties_by_list_order)
{
    static const char *orders[] = {"order=lifo", "order=fifo"};
    void *a, *b, *c;
    int i;

    for (i = 0; i < 2; i++) {
        fixture_heap(HL_PRESET_REFERENCE, "fit=best", orders[i], NULL);
        a = hl_alloc(heap, 40);
        hl_alloc(heap, 8);
        b = hl_alloc(heap, 40);
        hl_alloc(heap, 8);
        c = hl_alloc(heap, 40);
        hl_alloc(heap, 8);
        hl_free(heap, a);
        hl_free(heap, b);
        hl_free(heap, c);
        ck_assert_ptr_eq(hl_alloc(heap, 40), i == 0 ? c : a);
        ck_assert_ptr_eq(hl_alloc(heap, 40), b);
        ck_assert_heap_ok();
    }
}
END_TEST

/* Worst fit takes the largest block: the rest at the end. */
START_TEST(worst_fit_takes_the_largest)
{
    void *p;

    holes("fit=worst", "order=lifo");
    p = hl_alloc(heap, 32);
    ck_assert_uint_eq(block_offset(p), 304);
}
END_TEST

/* Next fit goes on from where it stopped: after taking x3's hole it starts
 * at x2's, where first fit would start again at the head (the rest of x3's
 * hole, 248, 24 bytes, just right for 16). */
START_TEST(next_fit_continues_where_it_stopped)
{
    void *p;

    holes("fit=next", "order=lifo");
    ck_assert_ptr_eq(hl_alloc(heap, 32), x3);
    p = hl_alloc(heap, 16);
    ck_assert_ptr_eq(p, x2);

    holes("fit=first", "order=lifo");
    ck_assert_ptr_eq(hl_alloc(heap, 32), x3);
    p = hl_alloc(heap, 16);
    ck_assert_uint_eq(block_offset(p), 248);
}
END_TEST

/* Next fit wraps around to the head when the tail holds nothing that fits. */
START_TEST(next_fit_wraps_around)
{
    void *p;

    holes("fit=next", "order=address"); /* 0 136 208 304 */
    ck_assert_uint_eq(block_offset(hl_alloc(heap, 3000)), 304);
    /* the rover is past the end of the list: the search starts at 0 */
    p = hl_alloc(heap, 100);
    ck_assert_ptr_eq(p, x1);
    ck_assert_heap_ok();
}
END_TEST

/* Segregated fit keeps one list per size class (16 bytes wide below 512):
 * the holes and the big rest sit in different bins, listed class by class,
 * and a request looks in its own class first.  (No merging: segregated fit
 * does not take lazy merging, and the layout stays the reference's.) */
START_TEST(segregated_fit_searches_the_right_class)
{
    void *p;

    holes_merging("fit=segregated", "order=lifo", "merge=none");
    ck_assert_str_eq(strstr(fixture_blocks(), "freelist"),
                     "freelist 136 208 0 304\n"); /* 40, 64, 104, 3784 */
    p = hl_alloc(heap, 32); /* class 32..47: x2's hole of 40 */
    ck_assert_ptr_eq(p, x2);
    p = hl_alloc(heap, 90); /* 96 bytes, class 96..111: x1's hole of 104 */
    ck_assert_ptr_eq(p, x1);
    p = hl_alloc(heap, 50); /* 56, class 48..63 is empty: then 64..79 */
    ck_assert_ptr_eq(p, x3);
    ck_assert_heap_ok();
}
END_TEST

START_TEST(segregated_fit_refuses_lazy_merging)
{
    hl_config cfg;

    hl_config_preset(&cfg, HL_PRESET_REFERENCE);
    ck_assert_int_eq(hl_config_set(&cfg, "fit", "segregated"), 0);
    errno = 0;
    ck_assert_ptr_null(hl_heap_init(&fixture_space, &cfg,
                                    &fixture_grower.base));
    ck_assert_int_eq(errno, EINVAL);
}
END_TEST

/* Every fit and order agrees on what is allocated, only not on where. */
START_TEST(every_policy_keeps_the_heap_sound)
{
    static const char *fits[] = {"fit=first", "fit=next", "fit=best",
                                 "fit=worst", "fit=segregated"};
    static const char *orders[] = {"order=lifo", "order=fifo",
                                   "order=address"};
    int f, o, i;

    for (f = 0; f < 5; f++)
        for (o = 0; o < 3; o++) {
            void *live[64] = {0};
            fixture_heap(HL_PRESET_DEFAULT, fits[f], orders[o], NULL);
            for (i = 0; i < 2000; i++) {
                int k = (i * 37) % 64;
                if (live[k]) {
                    hl_free(heap, live[k]);
                    live[k] = NULL;
                } else {
                    live[k] = hl_alloc(heap, (size_t)(i * 13 % 300));
                    ck_assert_ptr_nonnull(live[k]);
                }
            }
            ck_assert_heap_ok();
        }
}
END_TEST

/* place=apart on the default heap (align 16, immediate merging), whose
 * first growth makes one free block 8..4088: a large object (300 bytes,
 * a block of 8 + 312) goes to its back, at 3768; small ones (40, 200) to
 * its front, one after the other, so the free space stays in one piece
 * between the two kinds. */
START_TEST(place_apart_puts_large_at_the_back_small_at_the_front)
{
    void *x, *y, *w;

    fixture_heap(HL_PRESET_DEFAULT, "place=apart", NULL);
    x = hl_alloc(heap, 300);
    y = hl_alloc(heap, 40);
    w = hl_alloc(heap, 200);
    ck_assert_uint_eq(block_offset(x), 3768);
    ck_assert_uint_eq(block_offset(y), 8);
    ck_assert_uint_eq(block_offset(w), 56);
    ck_assert_str_eq(strstr(fixture_blocks(), "freelist"),
                     "freelist 264\n");
    /* Freed, the large one joins the free middle; the next large one
     * (500: 8 + 504) again ends at the heap's end. */
    hl_free(heap, x);
    ck_assert_uint_eq(block_offset(hl_alloc(heap, 500)), 3576);
    ck_assert_heap_ok();
}
END_TEST

/* The front placement (the default) puts the same three objects one after
 * the other from the start: the difference is place=apart's alone. */
START_TEST(place_front_puts_everything_at_the_front)
{
    fixture_heap(HL_PRESET_DEFAULT, NULL);
    ck_assert_uint_eq(block_offset(hl_alloc(heap, 300)), 8);
    ck_assert_uint_eq(block_offset(hl_alloc(heap, 40)), 328);
}
END_TEST

static size_t large_from(void)
{
    hl_stats s;

    hl_heap_stats(heap, &s);
    return s.large_from;
}

static hl_stats stats(void)
{
    hl_stats s;

    hl_heap_stats(heap, &s);
    return s;
}

/* A program of small objects in turn: 16 and 96 bytes (blocks of 8 + 24
 * and 8 + 104).  The first 16-byte one makes the running mean 24, so
 * blocks from 36 bytes on (half again) count as large, and the 96-byte
 * one goes to the back of the free block, 3976..4088, though it is under
 * HL_PLACE_LARGE; the next goes in front of it.  Every request switched
 * kind: in turn 100%. */
START_TEST(place_apart_splits_a_program_of_small_objects)
{
    int i;

    fixture_heap(HL_PRESET_DEFAULT, "place=apart", NULL);
    for (i = 0; i < 4; i++) {
        ck_assert_uint_eq(block_offset(hl_alloc(heap, 16)), 8 + 32 * i);
        ck_assert_uint_eq(block_offset(hl_alloc(heap, 96)), 3976 - 112 * i);
    }
    ck_assert_uint_eq(stats().in_turn, 100);
    ck_assert(stats().large_at_back);
    ck_assert_heap_ok();
}
END_TEST

/* Twenty 16-byte objects, then one of 96 bytes: large (the split is at
 * 36), but the program has not been asking for the two kinds in turn
 * (one switch in twenty requests: 5%), so it goes to the front, at 648,
 * right after the small ones, as place=front would put it. */
START_TEST(place_apart_needs_the_kinds_in_turn)
{
    int i;

    fixture_heap(HL_PRESET_DEFAULT, "place=apart", NULL);
    for (i = 0; i < 20; i++)
        ck_assert_uint_eq(block_offset(hl_alloc(heap, 16)), 8 + 32 * i);
    ck_assert_uint_eq(large_from(), 36);
    ck_assert_uint_eq(block_offset(hl_alloc(heap, 96)), 648);
    ck_assert_uint_eq(stats().in_turn, 5);
    ck_assert(!stats().large_at_back);
    ck_assert_heap_ok();
}
END_TEST

/* Requests of 600 and 40 bytes in turn (blocks of 8 + 600 and 8 + 40)
 * put the mean at 320: half again, 480, is over HL_PLACE_LARGE, which is
 * where the split stays.  So a 300-byte object (8 + 312) is large, and
 * goes to the back, under the two large ones, at 2552. */
START_TEST(place_apart_splits_at_most_at_the_fixed_size)
{
    int i;

    fixture_heap(HL_PRESET_DEFAULT, "place=apart", NULL);
    for (i = 0; i < 2; i++) {
        ck_assert_uint_eq(block_offset(hl_alloc(heap, 600)), 3480 - 608 * i);
        ck_assert_uint_eq(block_offset(hl_alloc(heap, 40)), 8 + 48 * i);
    }
    ck_assert_uint_eq(large_from(), HL_PLACE_LARGE);
    ck_assert_uint_eq(block_offset(hl_alloc(heap, 300)), 2552);
    ck_assert_heap_ok();
}
END_TEST

/* The mean is of what malloc is asked for: a realloc that moves its
 * object (boxed in by s) to 3000 bytes leaves it as it was, and so does
 * a free.  With place=front there is no split to report. */
START_TEST(the_split_ignores_realloc_moves_and_frees)
{
    void *a, *moved;

    fixture_heap(HL_PRESET_DEFAULT, "place=apart", NULL);
    a = hl_alloc(heap, 16);
    hl_alloc(heap, 16);
    moved = hl_realloc(heap, a, 3000);
    ck_assert_ptr_nonnull(moved);
    ck_assert_ptr_ne(moved, a);
    ck_assert_uint_eq(large_from(), 36);
    hl_free(heap, moved);
    ck_assert_uint_eq(large_from(), 36);
    fixture_heap(HL_PRESET_DEFAULT, NULL);
    hl_alloc(heap, 16);
    ck_assert_uint_eq(large_from(), 0);
}
END_TEST

/* The mean follows a program that changes its sizes: after 2048 requests
 * of 16 bytes (blocks of 24) it is 24; after 4096 more of 200 bytes
 * (blocks of 208), each weighing 1/1024 of it, the old size has all but
 * gone (208 - 184 * e^-4 is about 205), and the split is back at
 * HL_PLACE_LARGE.  A plain mean of all 6144 would be 147, a split of 220. */
START_TEST(the_split_follows_a_change_of_sizes)
{
    int i;

    fixture_heap(HL_PRESET_DEFAULT, "place=apart", NULL);
    for (i = 0; i < 2048; i++)
        hl_free(heap, hl_alloc(heap, 16));
    ck_assert_uint_eq(large_from(), 36);
    for (i = 0; i < 4096; i++)
        hl_free(heap, hl_alloc(heap, 200));
    ck_assert_uint_eq(large_from(), HL_PLACE_LARGE);
    ck_assert_heap_ok();
}
END_TEST

/* A realloc that can grow neither forward (s is in the way) nor at the
 * heap's end moves the object down into the free block before it, with
 * place=apart: a's hole (8..120) and b (120..232) hold 152 bytes and a
 * free rest of 56; without it, b moves to the free space after s, and
 * a's hole and b's old block merge into one free block, 8..232. */
START_TEST(place_apart_realloc_moves_down_into_the_block_before)
{
    void *a, *b, *moved;
    const char *knobs[] = {"place=apart", "place=front"};
    const size_t expected[] = {8, 264};
    int i;

    for (i = 0; i < 2; i++) {
        fixture_heap(HL_PRESET_DEFAULT, knobs[i], NULL);
        a = hl_alloc(heap, 100);
        b = hl_alloc(heap, 100);
        hl_alloc(heap, 16);
        memset(b, 0x5a, 100);
        hl_free(heap, a);
        moved = hl_realloc(heap, b, 150);
        ck_assert_uint_eq(block_offset(moved), expected[i]);
        ck_assert_int_eq(((unsigned char *)moved)[0], 0x5a);
        ck_assert_int_eq(((unsigned char *)moved)[99], 0x5a);
        ck_assert_heap_ok();
    }
    ck_assert_ptr_nonnull(strstr(fixture_blocks(), "block 8 free 216\n"));
}
END_TEST

/* Two holes on the default heap with fit=best: a 200-byte one at 8
 * (block 8..216) and a 56-byte one at 248 (block 248..312), each kept
 * from the next by a 16-byte object (a block of 8 + 24); the free rest
 * of the first growth follows, 344..4088.  A small request (40 bytes)
 * takes the tighter hole with place=apart, as best fit does, and the
 * lowest one with place=zoned, whose small objects gather at the bottom
 * of the heap.  A large request (300 bytes: 8 + 312) fits only the rest;
 * after five small requests it is the first switch of kind in five (20%:
 * the kinds do not come in turn), so it goes to the rest's front, at 344,
 * under both. */
static void two_holes(const char *place)
{
    void *low, *high;

    fixture_heap(HL_PRESET_DEFAULT, "fit=best", place, NULL);
    low = hl_alloc(heap, 200);
    hl_alloc(heap, 16);
    high = hl_alloc(heap, 56);
    hl_alloc(heap, 16);
    ck_assert_uint_eq(block_offset(low), 8);
    ck_assert_uint_eq(block_offset(high), 248);
    hl_free(heap, low);
    hl_free(heap, high);
    ck_assert_heap_ok();
}

START_TEST(place_zoned_puts_small_objects_in_the_lowest_hole)
{
    const char *knobs[] = {"place=apart", "place=zoned"};
    const size_t small_at[] = {248, 8};
    int i;

    for (i = 0; i < 2; i++) {
        two_holes(knobs[i]);
        ck_assert_uint_eq(block_offset(hl_alloc(heap, 40)), small_at[i]);
        ck_assert_uint_eq(block_offset(hl_alloc(heap, 300)), 344);
        ck_assert_heap_ok();
    }
}
END_TEST

/* A realloc that must move: x (100 bytes, block 424..528) is boxed in by
 * 16-byte objects on both sides and grows to 150 (a block of 8 + 152).
 * Two holes fit it: 200 bytes at 8 and 152 at 248.  place=apart moves x
 * to the tighter one, at 248; place=zoned to the lowest, at 8, with the
 * hole's rest free after it (168..216), room to grow into next time. */
START_TEST(place_zoned_realloc_moves_to_the_lowest_hole)
{
    const char *knobs[] = {"place=apart", "place=zoned"};
    const size_t moved_at[] = {248, 8};
    void *low, *high, *x, *moved;
    int i;

    for (i = 0; i < 2; i++) {
        fixture_heap(HL_PRESET_DEFAULT, "fit=best", knobs[i], NULL);
        low = hl_alloc(heap, 200);
        hl_alloc(heap, 16);
        high = hl_alloc(heap, 152);
        hl_alloc(heap, 16);
        x = hl_alloc(heap, 100);
        hl_alloc(heap, 16);
        ck_assert_uint_eq(block_offset(x), 440);
        hl_free(heap, low);
        hl_free(heap, high);
        memset(x, 0x3c, 100);
        moved = hl_realloc(heap, x, 150);
        ck_assert_uint_eq(block_offset(moved), moved_at[i]);
        ck_assert_int_eq(((unsigned char *)moved)[99], 0x3c);
        ck_assert_heap_ok();
    }
    ck_assert_ptr_nonnull(strstr(fixture_blocks(), "block 168 free 40\n"));
}
END_TEST

Suite *policy_suite(void);
Suite *policy_suite(void)
{
    Suite *s = suite_create("policy");
    TCase *orders = tcase_create("order"), *fits = tcase_create("fit");

    tcase_add_test(orders, lifo_order_puts_the_last_freed_first);
    tcase_add_test(orders, fifo_order_puts_the_last_freed_last);
    tcase_add_test(orders, address_order_sorts_the_list);
    tcase_add_loop_test(orders, address_order_places_each_free_by_either_walk,
                        0, 2);
    tcase_add_test(fits, first_fit_takes_the_first_that_fits);
    tcase_add_test(fits, best_fit_takes_the_smallest_that_fits);
    tcase_add_test(fits, best_fit_breaks_ties_by_list_order);
    tcase_add_test(fits, worst_fit_takes_the_largest);
    tcase_add_test(fits, next_fit_continues_where_it_stopped);
    tcase_add_test(fits, next_fit_wraps_around);
    tcase_add_test(fits, segregated_fit_searches_the_right_class);
    tcase_add_test(fits, segregated_fit_refuses_lazy_merging);
    tcase_add_test(fits, every_policy_keeps_the_heap_sound);
    tcase_add_test(fits, place_apart_puts_large_at_the_back_small_at_the_front);
    tcase_add_test(fits, place_front_puts_everything_at_the_front);
    tcase_add_test(fits, place_apart_splits_a_program_of_small_objects);
    tcase_add_test(fits, place_apart_needs_the_kinds_in_turn);
    tcase_add_test(fits, place_apart_splits_at_most_at_the_fixed_size);
    tcase_add_test(fits, the_split_ignores_realloc_moves_and_frees);
    tcase_add_test(fits, the_split_follows_a_change_of_sizes);
    tcase_add_test(fits, place_apart_realloc_moves_down_into_the_block_before);
    tcase_add_test(fits, place_zoned_puts_small_objects_in_the_lowest_hole);
    tcase_add_test(fits, place_zoned_realloc_moves_to_the_lowest_hole);
    suite_add_tcase(s, orders);
    suite_add_tcase(s, fits);
    return s;
}

int main(void) { return fixture_run(policy_suite()); }

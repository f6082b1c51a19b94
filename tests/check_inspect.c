/* check_inspect.c - the introspection hooks: walks, events, stats, the
 * checker (fed deliberately broken heaps) and the stable dump. */
#include <errno.h>

#include "fixture.h"

static hl_event seen[32];
static int nseen;
static void record(const hl_event *ev, void *arg)
{
    (void)arg;
    if (nseen < 32)
        seen[nseen++] = *ev;
}

/* The first allocation on a default heap: the grower pushes the end from
 * 0 to 4096, the new free block is split, the object is allocated. */
START_TEST(events_of_a_first_allocation)
{
    fixture_heap(HL_PRESET_DEFAULT, NULL);
    nseen = 0;
    hl_heap_set_observer(heap, record, NULL);
    hl_alloc(heap, 10);
    ck_assert_int_eq(nseen, 3);
    ck_assert_str_eq(hl_event_name(seen[0].kind), "grow");
    ck_assert_uint_eq(seen[0].offset, 0);
    ck_assert_uint_eq(seen[0].size, 4096);
    ck_assert_str_eq(hl_event_name(seen[1].kind), "split");
    ck_assert_uint_eq(seen[1].offset, 8);
    ck_assert_uint_eq(seen[1].size, 24);
    ck_assert_uint_eq(seen[1].other_offset, 40);
    ck_assert_uint_eq(seen[1].other_size, 4040);
    ck_assert_str_eq(hl_event_name(seen[2].kind), "alloc");
    ck_assert_uint_eq(seen[2].requested, 10);
    /* The block geometry, from heaplab.h: the object follows the header. */
    ck_assert_uint_eq(seen[2].object_offset, seen[2].offset + HL_HEADER_SIZE);
    ck_assert_uint_eq(seen[2].object_offset, 16);
}
END_TEST

/* A snapshot puts the heap back exactly: the same dump, the same next
 * allocation; the observer in force stays; a short buffer, or a snapshot
 * of another heap, is refused. */
static char snapshot_buf[1 << 21];

START_TEST(snapshot_and_restore)
{
    char before[4096], after[4096];
    void *a, *b, *c, *again;
    size_t n;
    int err;

    fixture_heap(HL_PRESET_FAST, NULL);
    a = hl_alloc(heap, 100);
    b = hl_alloc(heap, 40);
    hl_free(heap, a);
    snprintf(before, sizeof before, "%s", fixture_dump());
    n = hl_heap_snapshot(heap, snapshot_buf, sizeof snapshot_buf);
    ck_assert_uint_eq(n, hl_heap_snapshot_size(heap));
    ck_assert_uint_eq(hl_heap_snapshot(heap, snapshot_buf, n - 1), 0);
    err = errno;
    ck_assert_int_eq(err, ENOSPC);

    c = hl_alloc(heap, 100);  /* from the cache: a's block */
    hl_free(heap, b);
    hl_alloc(heap, 3000);
    ck_assert_str_ne(fixture_dump(), before);

    nseen = 0;
    hl_heap_set_observer(heap, record, NULL);
    ck_assert_int_eq(hl_heap_restore(heap, snapshot_buf, n), 0);
    snprintf(after, sizeof after, "%s", fixture_dump());
    ck_assert_str_eq(after, before);
    ck_assert_heap_ok();
    again = hl_alloc(heap, 100);
    ck_assert_ptr_eq(again, c); /* the same choice again */
    ck_assert_int_gt(nseen, 0);  /* the observer set after it is kept */
    ck_assert_int_eq(hl_heap_restore(heap, snapshot_buf, n - 1), -1);
    err = errno;
    ck_assert_int_eq(err, EINVAL);
}
END_TEST

/* A walk gives each block's object offset: one header past the block. */
static bool object_follows_header(const hl_block_info *b, void *arg)
{
    (*(int *)arg)++;
    ck_assert_uint_eq(b->object_offset, b->offset + HL_HEADER_SIZE);
    return true;
}

START_TEST(walks_give_the_object_offset)
{
    void *p;
    hl_block_info info;
    int n = 0;

    fixture_heap(HL_PRESET_REFERENCE, NULL);
    p = hl_alloc(heap, 40);
    hl_alloc(heap, 40);
    ck_assert(hl_heap_block_of(heap, p, &info));
    ck_assert_ptr_eq((char *)hl_heap_base(heap) + info.object_offset, p);
    hl_free(heap, p);
    ck_assert_uint_eq(hl_heap_visit_blocks(heap, object_follows_header, &n),
                      3);
    ck_assert_int_eq(n, 3);
}
END_TEST

/* An object aligned to 64 on the reference heap (lesson 6): the free block
 * at 24 is cut in two.  The object's block at 56 is what remains; the new
 * free block is the padding at 24, in front of it.  Then the rest on the
 * right is split off as usual, after the object. */
START_TEST(events_of_a_padding_split)
{
    fixture_heap(HL_PRESET_REFERENCE, NULL);
    hl_alloc(heap, 8);
    nseen = 0;
    hl_heap_set_observer(heap, record, NULL);
    hl_aligned_alloc(heap, 64, 16);
    ck_assert_int_eq(nseen, 3);
    ck_assert_str_eq(hl_event_name(seen[0].kind), "split");
    ck_assert_uint_eq(seen[0].offset, 56);       /* the object's block */
    ck_assert_uint_eq(seen[0].size, 4096 - 64);  /* up to the heap's end */
    ck_assert_uint_eq(seen[0].other_offset, 24); /* the padding */
    ck_assert_uint_eq(seen[0].other_size, 24);
    ck_assert_uint_lt(seen[0].other_offset, seen[0].offset);
    ck_assert_str_eq(hl_event_name(seen[1].kind), "split");
    ck_assert_uint_eq(seen[1].offset, 56);
    ck_assert_uint_eq(seen[1].size, 16);
    ck_assert_uint_eq(seen[1].other_offset, 80);  /* the rest, after */
    ck_assert_uint_eq(seen[1].other_size, 4008);
    ck_assert_str_eq(hl_event_name(seen[2].kind), "alloc");
    ck_assert_uint_eq(seen[2].offset, 56);
}
END_TEST

START_TEST(events_of_realloc_and_failure)
{
    void *a;

    fixture_heap_sized(HL_PRESET_DEFAULT, 4096, 4096, NULL);
    a = hl_alloc(heap, 100);
    nseen = 0;
    hl_heap_set_observer(heap, record, NULL);
    hl_realloc(heap, a, 50);
    ck_assert_str_eq(hl_event_name(seen[nseen - 1].kind), "realloc-in-place");
    nseen = 0;
    ck_assert_ptr_null(hl_alloc(heap, 100000));
    ck_assert_int_eq(nseen, 1);
    ck_assert_str_eq(hl_event_name(seen[0].kind), "fail");
    ck_assert_uint_eq(seen[0].requested, 100000);
}
END_TEST

static bool stop_after_two(const hl_block_info *b, void *arg)
{
    (void)b;
    return ++*(int *)arg < 2;
}

START_TEST(walks_visit_in_order_and_stop_early)
{
    int visited = 0;
    hl_block_info info;
    void *a, *b;

    fixture_heap(HL_PRESET_REFERENCE, NULL);
    a = hl_alloc(heap, 10);
    b = hl_alloc(heap, 20);
    hl_alloc(heap, 30);
    ck_assert_uint_eq(hl_heap_visit_blocks(heap, stop_after_two, &visited), 2);
    ck_assert(hl_heap_block_of(heap, b, &info));
    ck_assert_uint_eq(info.offset, 24);
    ck_assert_uint_eq(info.requested, 20);
    ck_assert_uint_eq(info.slack, 4);
    ck_assert(!info.free);
    ck_assert(!hl_heap_block_of(heap, (char *)a + 8, &info));
    hl_free(heap, a);
    ck_assert(!hl_heap_block_of(heap, a, &info)); /* no longer live */
}
END_TEST

START_TEST(stats_add_up)
{
    hl_stats s;
    void *a;

    fixture_heap(HL_PRESET_REFERENCE, NULL);
    a = hl_alloc(heap, 1000);
    hl_alloc(heap, 100);
    hl_free(heap, a);
    hl_heap_stats(heap, &s);
    ck_assert_uint_eq(s.heap_size, 4096);
    ck_assert_uint_eq(s.used_blocks, 1);
    ck_assert_uint_eq(s.used_bytes, 104);
    ck_assert_uint_eq(s.free_blocks, 2);
    ck_assert_uint_eq(s.free_bytes, 1000 + 2968); /* rest: 4096-1120-8 */
    ck_assert_uint_eq(s.largest_free, 2968);
    ck_assert_uint_eq(s.requested_bytes, 100);
    ck_assert_uint_eq(s.peak_requested, 1100);
    ck_assert_uint_eq(s.peak_heap_size, 4096);
    ck_assert_double_eq_tol(s.utilization, 100.0 / 4096, 1e-9);
    ck_assert_double_eq_tol(s.fragmentation, 1.0 - 2968.0 / 3968, 1e-9);
    ck_assert_uint_eq(s.allocs, 2);
    ck_assert_uint_eq(s.frees, 1);
}
END_TEST

/* The peak of the bytes asked for is the program's: taken after each
 * call, so a realloc that moves does not count its old and new copies
 * together, and one that grows in place counts. */
START_TEST(peak_requested_is_after_each_call)
{
    hl_stats s;
    void *a, *b;

    fixture_heap(HL_PRESET_DEFAULT, NULL);
    a = hl_alloc(heap, 100);
    b = hl_alloc(heap, 100);
    a = hl_realloc(heap, a, 200); /* b is in the way: a moves */
    ck_assert_ptr_nonnull(a);
    ck_assert((char *)a > (char *)b);
    hl_heap_stats(heap, &s);
    ck_assert_uint_eq(s.requested_bytes, 300);
    ck_assert_uint_eq(s.peak_requested, 300);
    hl_free(heap, b);
    ck_assert_ptr_eq(hl_realloc(heap, a, 1000), a); /* in place */
    hl_heap_stats(heap, &s);
    ck_assert_uint_eq(s.peak_requested, 1000);
}
END_TEST

/* The dump format, whole, as documented in heaplab(3). */
START_TEST(dump_is_stable_text)
{
    void *a;

    fixture_heap(HL_PRESET_DEFAULT, NULL);
    a = hl_alloc(heap, 20);
    hl_alloc(heap, 30);
    hl_free(heap, a);
    ck_assert_str_eq(fixture_dump(),
        "heap align=16 fit=first order=lifo merge=immediate\n"
        "size 4096 first 8 end 4088\n"
        "block 8 free 24\n"
        "block 40 used 40 requested 30\n"
        "block 88 free 3992\n"
        "freelist 8 88\n"
        "stats used=1/40 free=2/4016 largest=3992 requested=30\n"
        "counts allocs=2 frees=1 reallocs=0 failures=0 grows=1 trims=0 "
        "splits=2 merges=0\n");
}
END_TEST

/* The checker names what is wrong: a header overwritten. */
START_TEST(checker_catches_a_smashed_header)
{
    char why[256];
    char *a, *b;

    fixture_heap(HL_PRESET_DEFAULT, NULL);
    a = hl_alloc(heap, 24);
    b = hl_alloc(heap, 24);
    memset(fixture_expose(a, 40), 'x', 40); /* 16 bytes too many: over b's header */
    ck_assert(!hl_heap_check(heap, why, sizeof why));
    ck_assert_str_eq(why, "block at 40: header check byte is wrong");
    ck_assert_ptr_nonnull(strstr(fixture_dump(), "corrupt: block at 40"));
    (void)b;
}
END_TEST

/* ... a footer that disagrees with its header ... */
START_TEST(checker_catches_a_bad_footer)
{
    char why[256];
    char *a;

    fixture_heap(HL_PRESET_DEFAULT, NULL);
    a = hl_alloc(heap, 24);
    hl_alloc(heap, 24);
    hl_free(heap, a);
    memset(fixture_expose(a + 16, 8), 0, 8); /* the footer of a's 24 bytes */
    ck_assert(!hl_heap_check(heap, why, sizeof why));
    ck_assert_str_eq(why, "block at 8: footer disagrees with header");
}
END_TEST

/* ... a freelist link that loops back ... */
START_TEST(checker_catches_a_freelist_cycle)
{
    char why[256];
    void *a, *b;

    fixture_heap(HL_PRESET_REFERENCE, NULL);
    a = hl_alloc(heap, 16);
    hl_alloc(heap, 16);
    b = hl_alloc(heap, 16);
    hl_alloc(heap, 16);
    hl_free(heap, a);
    hl_free(heap, b); /* list: b a rest */
    ((void **)fixture_expose(a, 8))[0] = b; /* a->next = b: b a b a ... */
    ck_assert(!hl_heap_check(heap, why, sizeof why));
    ck_assert_ptr_nonnull(strstr(why, "prev link"));
}
END_TEST

/* ... and a used block on the freelist. */
START_TEST(checker_catches_a_used_block_on_the_list)
{
    char why[256];
    void *a, *b;

    fixture_heap(HL_PRESET_REFERENCE, NULL);
    a = hl_alloc(heap, 16);
    b = hl_alloc(heap, 16);
    hl_alloc(heap, 16);
    hl_free(heap, a);
    ((void **)fixture_expose(a, 8))[0] = b; /* a->next = b, which is in use */
    ck_assert(!hl_heap_check(heap, why, sizeof why));
    ck_assert_str_eq(why, "block at 24 is on the freelist but tagged used");
}
END_TEST

Suite *inspect_suite(void);
Suite *inspect_suite(void)
{
    Suite *s = suite_create("inspect");
    TCase *tc = tcase_create("inspect");

    tcase_add_test(tc, events_of_a_first_allocation);
    tcase_add_test(tc, walks_give_the_object_offset);
    tcase_add_test(tc, snapshot_and_restore);
    tcase_add_test(tc, events_of_a_padding_split);
    tcase_add_test(tc, events_of_realloc_and_failure);
    tcase_add_test(tc, walks_visit_in_order_and_stop_early);
    tcase_add_test(tc, stats_add_up);
    tcase_add_test(tc, peak_requested_is_after_each_call);
    tcase_add_test(tc, dump_is_stable_text);
    tcase_add_test(tc, checker_catches_a_smashed_header);
    tcase_add_test(tc, checker_catches_a_bad_footer);
    tcase_add_test(tc, checker_catches_a_freelist_cycle);
    tcase_add_test(tc, checker_catches_a_used_block_on_the_list);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return fixture_run(inspect_suite()); }

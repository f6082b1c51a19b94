/* check_random.c - the randomized differential test.
 *
 * Every combination of the knobs (2 alignments x 4 fits x 3 orders x 3
 * merges = 72 heaps, and 12 more for segregated fit, which does not take
 * lazy merging) runs the same random sequence of operations; in all, over
 * a million.  A simple model beside the heap knows every live object
 * and its size.  After every operation the checker runs, the heap's count
 * of requested bytes must equal the model's, and every live object is
 * filled with a pattern of its own that is verified before it is freed or
 * reallocated: two objects that overlap, or a split that cuts into an
 * object, show up as a broken pattern.
 *
 * HEAPLAB_RANDOM_OPS sets the operations per heap (default 14000).
 */
#include <stdint.h>

#include "fixture.h"

#define SLOTS 96

/* ck_assert records every assertion that passes, at the cost of a
 * write(2); in this hot loop only a failure should cost anything. */
#define require(cond, ...)                                                     \
    do {                                                                       \
        if (!(cond))                                                           \
            ck_abort_msg(__VA_ARGS__);                                         \
    } while (0)

typedef struct model {
    unsigned char *ptr[SLOTS];
    size_t size[SLOTS];
    unsigned char tag[SLOTS];
    size_t live_requested;
    uint64_t rng;
} model;

static uint64_t next_random(model *m)
{
    m->rng ^= m->rng << 13;
    m->rng ^= m->rng >> 7;
    m->rng ^= m->rng << 17;
    return m->rng;
}

/* Mostly small sizes, sometimes a few KiB, rarely zero. */
static size_t random_size(model *m)
{
    uint64_t r = next_random(m);
    switch (r % 16) {
    case 0: return 0;
    case 1: case 2: return (size_t)(r >> 8) % 4000;
    default: return (size_t)(r >> 8) % 256;
    }
}

static void stamp(model *m, int k)
{
    size_t i;
    for (i = 0; i < m->size[k]; i++)
        m->ptr[k][i] = (unsigned char)(m->tag[k] + i);
}

/* Checks slot k's pattern. */
static void verify(const model *m, int k)
{
    size_t i;
    for (i = 0; i < m->size[k]; i++)
        if (m->ptr[k][i] != (unsigned char)(m->tag[k] + i))
            break;
    require(i == m->size[k], "object in slot %d overwritten at byte %zu", k, i);
}

static void take(model *m, int k, void *p, size_t size)
{
    m->ptr[k] = p;
    m->size[k] = size;
    m->tag[k] = (unsigned char)next_random(m);
    m->live_requested += size;
    stamp(m, k);
}

/* One random operation on slot k. */
static void operate(model *m, int k)
{
    uint64_t r = next_random(m);
    size_t size = random_size(m);
    void *p;

    if (m->ptr[k] && r % 3 == 0) { /* realloc */
        verify(m, k);
        p = hl_realloc(heap, m->ptr[k], size);
        if (!p) {
            require(errno == ENOMEM, "NULL without ENOMEM");
            return;
        }
        m->live_requested -= m->size[k];
        if (size < m->size[k])
            m->size[k] = size;
        m->ptr[k] = p;
        verify(m, k); /* the kept bytes came along */
        m->size[k] = size;
        m->live_requested += size;
        stamp(m, k);
    } else if (m->ptr[k]) {
        verify(m, k);
        hl_free(heap, m->ptr[k]);
        m->live_requested -= m->size[k];
        m->ptr[k] = NULL;
    } else {
        size_t align = (size_t)1 << (r >> 8) % 9;
        switch (r % 5) {
        case 0: p = hl_aligned_alloc(heap, align, size); break;
        case 1: p = hl_calloc(heap, size / 8 + 1, 8); size = size / 8 * 8 + 8;
                require(!p || ((unsigned char *)p)[size - 1] == 0,
                        "calloc left a byte set");
                break;
        default: p = hl_alloc(heap, size); break;
        }
        if (!p) {
            require(errno == ENOMEM, "NULL without ENOMEM");
            return;
        }
        if (r % 5 == 0)
            require((uintptr_t)p % align == 0, "misaligned for %zu", align);
        require((uintptr_t)p % hl_heap_config(heap)->align == 0,
                "object not aligned as the heap promises");
        require(hl_usable_size(heap, p) >= size, "usable size too small");
        take(m, k, p, size);
    }
}

static void run_combination(const char *align, const char *fit,
                            const char *order, const char *merge,
                            const char *place, long ops)
{
    static model m;
    hl_stats s;
    long i;

    fixture_heap(HL_PRESET_DEFAULT, align, fit, order, merge, place, NULL);
    memset(&m, 0, sizeof m);
    m.rng = 0x9e3779b97f4a7c15ull ^ (uint64_t)(uintptr_t)fit ^ (uint64_t)ops;
    for (i = 0; i < ops; i++) {
        char why[256];
        operate(&m, (int)(next_random(&m) % SLOTS));
        require(hl_heap_check(heap, why, sizeof why), "after op %ld: %s", i,
                why);
        hl_heap_stats(heap, &s);
        require(s.requested_bytes == m.live_requested,
                "after op %ld: heap counts %zu requested bytes, model %zu", i,
                s.requested_bytes, m.live_requested);
    }
    for (i = 0; i < SLOTS; i++)
        if (m.ptr[i]) {
            verify(&m, (int)i);
            hl_free(heap, m.ptr[i]);
        }
    hl_heap_stats(heap, &s);
    ck_assert_uint_eq(s.used_blocks, 0);
    ck_assert_heap_ok();
}

static long ops_per_heap(void)
{
    const char *env = getenv("HEAPLAB_RANDOM_OPS");
    return env ? atol(env) : 14000;
}

static const char *aligns[] = {"align=8", "align=16"};
static const char *fits[] = {"fit=first", "fit=next", "fit=best", "fit=worst",
                             "fit=segregated"};
static const char *orders[] = {"order=lifo", "order=fifo", "order=address"};
static const char *merges[] = {"merge=lazy", "merge=immediate", "merge=none"};

/* Every combination of alignment, order and merging with fit `fit`
 * (segregated fit refuses lazy merging: 12 instead of 18), each on `ops`
 * random operations, with the placement `place`. */
static void run_fit(int fit, const char *place, size_t ops)
{
    int a, o, g;

    for (a = 0; a < 2; a++)
        for (o = 0; o < 3; o++)
            for (g = 0; g < 3; g++)
                if (fit != 4 || g != 0)
                    run_combination(aligns[a], fits[fit], orders[o], merges[g],
                                    place, ops);
}

/* One test per fit policy, each covering its 18 combinations (12 for
 * segregated fit). */
START_TEST(every_combination_survives_random_operations)
{
    run_fit(_i, "place=front", ops_per_heap());
}
END_TEST

/* place=apart (large objects at the back of free blocks, realloc moving
 * down into a free block before): the same combinations, on a third of
 * the operations. */
START_TEST(place_apart_survives_random_operations)
{
    run_fit(_i, "place=apart", ops_per_heap() / 3);
}
END_TEST

/* place=zoned (apart, and small or moving objects in the lowest hole that
 * fits): the same combinations, on a third of the operations. */
START_TEST(place_zoned_survives_random_operations)
{
    run_fit(_i, "place=zoned", ops_per_heap() / 3);
}
END_TEST

Suite *random_suite(void);
Suite *random_suite(void)
{
    Suite *s = suite_create("random");
    TCase *tc = tcase_create("differential");

    tcase_set_timeout(tc, 600);
    tcase_add_loop_test(tc, every_combination_survives_random_operations, 0,
                        5);
    tcase_add_loop_test(tc, place_apart_survives_random_operations, 0, 5);
    tcase_add_loop_test(tc, place_zoned_survives_random_operations, 0, 5);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return fixture_run(random_suite()); }

/* check_record_ids.c - the recorder's table of live objects and their IDs
 * (malloc/record_ids.c, compiled in): IDs are never shared by two live
 * objects, freed IDs come back, and the table survives growth and the
 * backward shifts of its deletions. */
#include "config.h"

#include <stdint.h>

#include "fixture.h"

#include "record_ids.c"

START_TEST(ids_are_small_and_reused)
{
    size_t id, footprint;

    ids_forget_all();
    ck_assert_uint_eq(ids_add((void *)0x1000, 32), 0);
    ck_assert_uint_eq(ids_add((void *)0x2000, 32), 1);
    ck_assert(ids_take((void *)0x1000, &id, &footprint));
    ck_assert_uint_eq(id, 0);
    ck_assert_uint_eq(footprint, 32);
    ids_retire(id);
    ck_assert_uint_eq(ids_add((void *)0x3000, 48), 0); /* reused */
    ck_assert(!ids_take((void *)0x1000, &id, &footprint)); /* gone */
    ck_assert_uint_eq(ids_peak_footprint(), 80);
}
END_TEST

START_TEST(a_taken_id_stays_taken_until_retired)
{
    size_t id, footprint;

    ids_forget_all();
    ids_add((void *)0x1000, 16);
    ck_assert(ids_take((void *)0x1000, &id, &footprint));
    ck_assert_uint_ne(ids_add((void *)0x5000, 16), id); /* realloc's case */
    ids_put((void *)0x9000, id, footprint);
    ck_assert(ids_take((void *)0x9000, &id, &footprint));
    ck_assert_uint_eq(id, 0);
}
END_TEST

/* Many objects, added and taken in a random order that makes long probe
 * runs (pointers 16 bytes apart hash close together), checked against a
 * plain array of what should be live. */
#define OBJECTS 50000
static size_t model_id[OBJECTS];
static unsigned char model_live[OBJECTS];

START_TEST(the_table_agrees_with_a_model)
{
    uint64_t state = 12345;
    size_t step, i, id, footprint, live = 0;
    static unsigned char id_used[OBJECTS];
    void *ptr;

    ids_forget_all();
    memset(model_live, 0, sizeof model_live);
    for (step = 0; step < 400000; step++) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        i = (size_t)(state >> 33) % OBJECTS;
        ptr = (void *)(uintptr_t)(0x10000 + i * 16);
        if (model_live[i]) {
            ck_assert(ids_take(ptr, &id, &footprint));
            ck_assert_uint_eq(id, model_id[i]);
            ids_retire(id);
            model_live[i] = 0;
            live--;
        } else {
            ck_assert(!ids_take(ptr, &id, &footprint));
            model_id[i] = ids_add(ptr, 16);
            model_live[i] = 1;
            live++;
        }
    }
    memset(id_used, 0, sizeof id_used);
    for (i = 0; i < OBJECTS; i++)
        if (model_live[i]) {
            ck_assert_uint_lt(model_id[i], OBJECTS); /* IDs stay small */
            ck_assert(!id_used[model_id[i]]);        /* and unshared */
            id_used[model_id[i]] = 1;
        }
    ck_assert_uint_gt(live, 0);
}
END_TEST

Suite *record_ids_suite(void);
Suite *record_ids_suite(void)
{
    Suite *s = suite_create("record-ids");
    TCase *tc = tcase_create("ids");

    tcase_add_test(tc, ids_are_small_and_reused);
    tcase_add_test(tc, a_taken_id_stays_taken_until_retired);
    tcase_add_test(tc, the_table_agrees_with_a_model);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return fixture_run(record_ids_suite()); }

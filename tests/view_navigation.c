/* view_navigation.c - the viewer's timeline: reaching step N through
 * checkpoints shows exactly what stepping there one by one shows.
 * Part of the check_view_model suite (navigation_tcase). */
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "view_model.h"
#include "view_timeline.h"

/* A script of `ops` allocations and frees, the same every run: a small
 * linear congruential generator picks sizes and which live ID to free. */
static char *generated_script(size_t ops)
{
    size_t cap = 64 + ops * 32, len = 0, next_id = 0, nlive = 0, i;
    size_t *live = malloc(ops * sizeof *live);
    char *text = malloc(cap);
    unsigned long x = 12345;

    ck_assert_ptr_nonnull(live);
    ck_assert_ptr_nonnull(text);
    len += (size_t)snprintf(text, cap, "heap preset=reference capacity=4M "
                                       "increment=4096\n");
    for (i = 0; i < ops; i++) {
        x = x * 1103515245 + 12345;
        if (nlive == 0 || (x >> 16) % 5 < 3) {
            live[nlive++] = next_id;
            len += (size_t)snprintf(text + len, cap - len, "a x%zu %lu\n",
                                    next_id++, (x >> 8) % 300);
        } else {
            size_t k = (x >> 20) % nlive;
            len += (size_t)snprintf(text + len, cap - len, "f x%zu\n",
                                    live[k]);
            live[k] = live[--nlive];
        }
    }
    free(live);
    return text;
}

/* Everything a model shows, as one string to compare. */
static char *model_text(timeline *tl)
{
    static const vm_geometry geo = {64, 64, 0, 24};
    size_t cap = 64 * 1024, len = 0, count, r, i;
    char *text = malloc(cap), row[128];
    const vm_label *labels = timeline_labels(tl, &count);
    const vm_panel *panels[4];
    view_model m;
    vm_step step;

    ck_assert_ptr_nonnull(text);
    timeline_step(tl, &step);
    view_model_init(&m);
    ck_assert_int_eq(view_model_build(&m, timeline_heap(tl), &step, &geo,
                                      labels, count), 0);
    for (r = 0; r < m.geo.rows; r++) {
        len += (size_t)snprintf(text + len, cap - len, "%s|",
                                vm_row_text(&m, r, row, sizeof row));
        for (i = 0; i < m.geo.cells_per_row; i++)
            text[len++] = (char)('a' + vm_cell_at(&m, r, i)->marks);
        text[len++] = '\n';
    }
    panels[0] = &m.step, panels[1] = &m.events, panels[2] = &m.freelist;
    panels[3] = &m.stats;
    for (i = 0; i < 4; i++)
        for (r = 0; r < panels[i]->count; r++)
            len += (size_t)snprintf(text + len, cap - len, "%s\n",
                                    panels[i]->line[r]);
    ck_assert_uint_lt(len, cap);
    text[len] = '\0';
    view_model_free(&m);
    return text;
}

START_TEST(jumping_shows_what_stepping_shows)
{
    enum { OPS = 3000, TARGETS = 40 };
    char err[256], *text = generated_script(OPS), *seen[TARGETS];
    size_t targets[TARGETS], i, p, count, interval, bytes;
    hl_script *script = script_parse_string("gen", text, err, sizeof err);
    timeline *jumps, *steps;
    unsigned long x = 99;

    ck_assert_msg(script != NULL, "%s", err);
    /* Checkpoints every 64 steps, with so little memory that they thin. */
    jumps = timeline_open(script, 64, 512 * 1024, err, sizeof err);
    ck_assert_msg(jumps != NULL, "%s", err);
    ck_assert_uint_eq(timeline_length(jumps), OPS);
    timeline_memory(jumps, &count, &interval, &bytes);
    ck_assert_uint_gt(interval, 64);
    ck_assert_uint_le(bytes, 512 * 1024);

    /* Jump about, forward and back, and note what each step shows. */
    for (i = 0; i < TARGETS; i++) {
        x = x * 1103515245 + 12345;
        targets[i] = i == 0 ? OPS : i == 1 ? 0 : (x >> 8) % (OPS + 1);
        ck_assert_int_eq(timeline_go(jumps, targets[i]), 0);
        ck_assert_uint_eq(timeline_position(jumps), targets[i]);
        seen[i] = model_text(jumps);
    }

    /* Step through one by one: each target looks the same. */
    steps = timeline_open(script, OPS * 2, (size_t)-1, err, sizeof err);
    ck_assert_msg(steps != NULL, "%s", err);
    for (p = 0; p <= OPS; p++) {
        ck_assert_int_eq(timeline_go(steps, p), 0);
        for (i = 0; i < TARGETS; i++)
            if (targets[i] == p) {
                char *here = model_text(steps);
                ck_assert_str_eq(here, seen[i]);
                free(here);
            }
    }
    for (i = 0; i < TARGETS; i++)
        free(seen[i]);
    timeline_close(jumps);
    timeline_close(steps);
    script_free(script);
    free(text);
}
END_TEST

/* The timeline of a script written here, a checkpoint every 2 steps;
 * the test fails if either does not open. */
static timeline *open_text(const char *name, const char *text,
                           hl_script **script)
{
    char err[256];
    timeline *tl;

    *script = script_parse_string(name, text, err, sizeof err);
    ck_assert_msg(*script != NULL, "%s", err);
    tl = timeline_open(*script, 2, (size_t)-1, err, sizeof err);
    ck_assert_msg(tl != NULL, "%s", err);
    return tl;
}

START_TEST(find_goes_to_the_steps_that_merge_grow_or_fail)
{
    hl_script *script;
    timeline *tl = open_text(
        "find",
        "heap preset=reference capacity=8K increment=4096\n"
        "a a 10\n"          /* 1: grows */
        "a b 10\n"          /* 2 */
        "f a\n"             /* 3 */
        "f b\n"             /* 4 */
        "a c 30\n"          /* 5: merges a and b */
        "a d 100000\n"      /* 6: NULL */
        "expect block c 8\n", /* 7: fails: b took in the rest */
        &script);

    ck_assert_uint_eq(timeline_find(tl, 0, TL_GROW, false), 1);
    ck_assert_uint_eq(timeline_find(tl, 1, TL_GROW, false), 0);
    ck_assert_uint_eq(timeline_find(tl, 0, TL_MERGE, false), 5);
    ck_assert_uint_eq(timeline_find(tl, 0, TL_NULL, false), 6);
    ck_assert_uint_eq(timeline_find(tl, 0, TL_CHECK_FAILED, false), 7);
    ck_assert_uint_eq(timeline_find(tl, 7, TL_MERGE, true), 5);
    ck_assert_int_eq(timeline_go(tl, 7), 0);
    {
        vm_step step;
        timeline_step(tl, &step);
        ck_assert_uint_eq(step.outcome, VM_STEP_CHECK_FAILED);
        ck_assert_uint_eq(step.line, 8);
        ck_assert_str_eq(step.message, "expect block c: expected 8, got 24");
    }
    timeline_close(tl);
    script_free(script);
}
END_TEST

/* A note introduces the operation after it (lesson 6's "Predict: where
 * will x go?"): it is shown on the step before that operation, where the
 * quiz asks about it, and no longer once the operation is done. */
START_TEST(a_note_is_shown_before_the_step_it_introduces)
{
    static const char *const expected[] = {
        "first", NULL, "where will x go?\nthink", NULL, NULL};
    hl_script *script;
    timeline *tl = open_text(
        "notes",
        "heap preset=reference\n"
        "note first\n"
        "a a 8\n"                  /* 1 */
        "m y 16 8\n"               /* 2 */
        "note where will x go?\n"
        "note think\n"
        "m x 64 16\n"              /* 3 */
        "check\n",                 /* 4 */
        &script);
    size_t p;

    ck_assert_uint_eq(timeline_length(tl), 4);
    for (p = 0; p <= 4; p++) {
        vm_step step;
        view_model m;
        vm_geometry geo = {8, 16, 0, 1};

        ck_assert_int_eq(timeline_go(tl, p), 0);
        timeline_step(tl, &step);
        view_model_init(&m);
        ck_assert_int_eq(view_model_build(&m, timeline_heap(tl), &step, &geo,
                                          NULL, 0), 0);
        if (expected[p]) {
            ck_assert_str_eq(step.note, expected[p]);
            ck_assert_str_eq(m.note, expected[p]);
        } else {
            ck_assert_ptr_null(step.note);
            ck_assert_str_eq(m.note, "");
        }
        view_model_free(&m);
    }
    timeline_close(tl);
    script_free(script);
}
END_TEST

/* In a script with threads the events panel starts with what the thread
 * called, by the command the parser read: `check` and `expect` call
 * nothing, though their first letters are those of c and e. */
START_TEST(each_thread_step_says_what_it_called)
{
    static const char *const expected[] = {
        "thread 1 allocates x on heap 1",
        "thread 1 callocs y on heap 1",
        "thread 2 frees x: remote, queued on heap 1",
        "thread 2 allocates (aligned) z on heap 2",
        "thread 2 reallocs z on heap 2",
        "thread 2 looks (no call)",
        "thread 2 looks (no call)"};
    hl_script *script;
    timeline *tl = open_text(
        "threads",
        "heap heaps=per-thread\n"
        "thread 1\n"
        "a x 40\n"
        "c y 2 8\n"
        "thread 2\n"
        "f x\n"
        "m z 16 24\n"
        "r z 64\n"
        "check\n"
        "expect remote 1 1\n",
        &script);
    size_t p;

    ck_assert_uint_eq(timeline_length(tl), 7);
    for (p = 1; p <= 7; p++) {
        vm_panel panel = {90, 0, {""}}; /* wide: each first line whole */
        vm_step step;
        size_t count;
        const vm_label *labels;

        ck_assert_int_eq(timeline_go(tl, p), 0);
        timeline_step(tl, &step);
        labels = timeline_labels(tl, &count);
        vm_text_thread_events(&panel, &step, labels, count);
        ck_assert_msg(panel.count > 0 &&
                          strncmp(panel.line[0], expected[p - 1],
                                  strlen(expected[p - 1])) == 0,
                      "step %zu: '%s', not '%s'", p,
                      panel.count ? panel.line[0] : "", expected[p - 1]);
    }
    timeline_close(tl);
    script_free(script);
}
END_TEST

TCase *navigation_tcase(void);
TCase *navigation_tcase(void)
{
    TCase *tc = tcase_create("navigation");

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, jumping_shows_what_stepping_shows);
    tcase_add_test(tc, find_goes_to_the_steps_that_merge_grow_or_fail);
    tcase_add_test(tc, a_note_is_shown_before_the_step_it_introduces);
    tcase_add_test(tc, each_thread_step_says_what_it_called);
    return tc;
}

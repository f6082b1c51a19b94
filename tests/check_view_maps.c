/* check_view_maps.c - several maps on one screen, without a terminal: a
 * heap per thread (lesson 14's remote free, step by step), --compare's
 * heaps in lockstep with the blocks one heap placed differently, the
 * layout that stacks the maps or shows one at a time, and the quiz's
 * questions about threads. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quiz.h"
#include "quiz_controller.h"
#include "script_fixture.h"
#include "view_model.h"
#include "view_timeline.h"

#define ck_assert_has(haystack, needle)                                        \
    ck_assert_msg(strstr((haystack), (needle)) != NULL,                        \
                  "'%s' is not in '%s'", (needle), (haystack))

/* Every line of a panel, one after another, each ending in '\n'. */
static const char *text_of(const vm_panel *p)
{
    static char all[VM_PANEL_LINES * VM_LINE_MAX];
    size_t i, len = 0;

    all[0] = '\0';
    for (i = 0; i < p->count; i++)
        len += (size_t)snprintf(all + len, sizeof all - len, "%s\n",
                                p->line[i]);
    return all;
}

static hl_script *script;
static timeline *tl;
static vm_maps maps;
static vm_map_source src[VM_MAX_MAPS];
static vm_label labels[VM_MAX_MAPS][64];
static vm_step step;

static void open_lesson(const char *name)
{
    char path[512], err[512];
    const char *top = getenv("top_srcdir");

    snprintf(path, sizeof path, "%s/lessons/%s", top ? top : "..", name);
    script = script_load(path, err, sizeof err);
    ck_assert_msg(script != NULL, "%s", err);
    tl = timeline_open(script, 0, TL_BUDGET, err, sizeof err);
    ck_assert_msg(tl != NULL, "%s", err);
    vm_maps_init(&maps);
}

static void close_all(void)
{
    timeline_close(tl);
    script_free(script);
    vm_maps_free(&maps);
}

/* The maps of every heap of `tl` at `position`, 8 B a cell, 32 cells a
 * row, in `rows` screen rows, as the viewer gathers them. */
static void build_threads(size_t position, size_t rows)
{
    vm_geometry geo = {8, 32, 0, 0};
    unsigned n = timeline_heap_count(tl), k;

    ck_assert_int_eq(timeline_go(tl, position), 0);
    timeline_step(tl, &step);
    for (k = 0; k < n; k++) {
        size_t count;
        const vm_label *l = timeline_labels_of(tl, k + 1, &count);
        memcpy(labels[k], l, count * sizeof *l);
        src[k] = (vm_map_source){timeline_heap_at(tl, k + 1),
                                 k == 0 ? "heap 1" : "heap 2",
                                 step.heap == k + 1, step, labels[k], count};
    }
    ck_assert_int_eq(vm_maps_build(&maps, src, n, &geo, rows, 41, false,
                                   true), 0);
}

/* The kinds of one map's first row, as glyphs. */
static const char *first_row(size_t map)
{
    static char buf[64];
    return vm_row_text(&maps.map[map].model, 0, buf, sizeof buf);
}

/* ---------------------------------------------------------------------------
 * A heap per thread
 * ------------------------------------------------------------------------- */

/* Lesson 14, script 1: a x, a keep (thread 1), a y, f x (thread 2). */
START_TEST(a_remote_free_waits_on_the_owners_map)
{
    const vm_cell *cell;
    size_t c;

    open_lesson("14-remote-and-cache/1-remote.hl");
    build_threads(4, 20);
    ck_assert_uint_eq(maps.count, 2);
    ck_assert(maps.stacked);
    /* x's block (header at 8) is still used, but waits: '%', named x. */
    ck_assert_str_eq(first_row(0), "/#x%%%%%%%%%%%%#keep=========#..");
    for (c = 2; c < 15; c++) {
        cell = vm_cell_at(&maps.map[0].model, 0, c);
        ck_assert_int_eq(cell->kind, VM_REMOTE);
        ck_assert_uint_eq(cell->block, 8);
    }
    ck_assert_uint_eq(maps.map[0].remote, 1);
    ck_assert_uint_eq(maps.map[1].remote, 0);
    ck_assert_has(text_of(&maps.remote), "heap 1 remote list: 1 block\n"
                                         "  block 8 [x], 104 B\n"
                                         "heap 2 remote list: empty\n");
    /* Thread 2 ran the step: heap 2 is marked, heap 1 is not. */
    ck_assert(!maps.map[0].current && maps.map[1].current);
    ck_assert_has(maps.map[1].header, "heap 2 <- this step");
    ck_assert_has(maps.map[0].header, "remote 1");
    ck_assert(strstr(maps.map[0].header, "this step") == NULL);
    close_all();
}
END_TEST

START_TEST(events_name_the_thread_and_the_heap)
{
    vm_panel p = {0};

    open_lesson("14-remote-and-cache/1-remote.hl");
    build_threads(4, 20);
    vm_text_thread_events(&p, &step, labels[0], src[0].label_count);
    ck_assert_str_eq(text_of(&p), "thread 2 frees x: remote, queued on\n"
                                  "  heap 1\n");
    /* Step 9, a z 40 on thread 1: the drain first, then z. */
    build_threads(9, 20);
    {
        vm_label all[128];
        size_t n = src[0].label_count;
        memcpy(all, labels[0], n * sizeof *all);
        memcpy(all + n, labels[1], src[1].label_count * sizeof *all);
        vm_text_thread_events(&p, &step, all, n + src[1].label_count);
    }
    ck_assert_has(text_of(&p), "thread 1 allocates z on heap 1\n"
                               "on heap 1:\n"
                               "thread 1's heap takes its remote list:\n"
                               "  x freed\n"
                               "free: block 8 [x], 104 B\n");
    ck_assert_has(text_of(&p), "alloc: block 8 [z], 40 B for 40\n");
    ck_assert_uint_eq(maps.map[0].remote, 0);
    ck_assert_str_eq(first_row(0), "/#z====#.......#keep=========#..");
    close_all();
}
END_TEST

START_TEST(maps_stack_when_each_has_room_else_one_at_a_time)
{
    size_t each;

    ck_assert(vm_maps_layout(2, 20, &each));
    ck_assert_uint_eq(each, 9);
    ck_assert(vm_maps_layout(4, 24, &each));
    ck_assert_uint_eq(each, 5);
    ck_assert(!vm_maps_layout(4, 20, &each));
    ck_assert_uint_eq(each, 18);

    open_lesson("14-remote-and-cache/1-remote.hl");
    build_threads(4, 11);   /* 2 maps need 2 * (1 + 5) rows */
    ck_assert(!maps.stacked);
    ck_assert_str_eq(maps.notice, "map 1 of 2: c next");
    ck_assert_uint_eq(maps.map[0].model.geo.rows, 9);
    maps.selected = 1;
    build_threads(4, 11);
    ck_assert_str_eq(maps.notice, "map 2 of 2: c next");
    ck_assert_has(text_of(&maps.which), "heap 2 (c: the next heap):");
    close_all();
}
END_TEST

/* ---------------------------------------------------------------------------
 * --compare
 * ------------------------------------------------------------------------- */

/* Holes of 40 B at 0 and of 104 B at 72, b's (the freelist's head, as
 * it was freed last): first fit puts c in the head, best fit in the
 * smallest that holds it. */
#define HOLES "heap preset=reference\na a 40\na s1 8\na b 104\na s2 8\n" \
              "f a\nf b\na c 24\na d 200\n"

static timeline *tls[2];
static hl_script *scripts[2];

/* a and b side by side: f b merges with a, unless merge=none. */
#define NEIGHBOURS "heap preset=reference\na a 40\na b 40\na s 8\nf a\n" \
                   "f b\n"

static void open_compare(const char *text, const char *first,
                         const char *second)
{
    const char *settings[2] = {first, second};
    char err[256];
    size_t k;

    for (k = 0; k < 2; k++) {
        scripts[k] = parse_ok(text);
        ck_assert_int_eq(script_apply_heap_options(scripts[k], settings[k],
                                                   err, sizeof err), 0);
        tls[k] = timeline_open(scripts[k], 0, TL_BUDGET, err, sizeof err);
        ck_assert_msg(tls[k] != NULL, "%s", err);
    }
    vm_maps_init(&maps);
}

static void build_compare(size_t position)
{
    vm_geometry geo = {8, 32, 0, 0};
    size_t k;

    for (k = 0; k < 2; k++) {
        ck_assert_int_eq(timeline_go(tls[k], position), 0);
        timeline_step(tls[k], &src[k].step);
        src[k].heap = timeline_heap(tls[k]);
        src[k].title = k == 0 ? "fit=first" : "fit=best";
        src[k].current = false;
        src[k].labels = timeline_labels(tls[k], &src[k].label_count);
    }
    ck_assert_int_eq(vm_maps_build(&maps, src, 2, &geo, 20, 60, true,
                                   false), 0);
}

static void close_compare(void)
{
    size_t k;

    for (k = 0; k < 2; k++) {
        timeline_close(tls[k]);
        script_free(scripts[k]);
    }
    vm_maps_free(&maps);
}

static bool block_differs(size_t map, size_t offset)
{
    const view_model *m = &maps.map[map].model;
    size_t i;

    for (i = 0; i < m->geo.rows * m->geo.cells_per_row; i++)
        if (m->cells[i].block == offset && !m->cells[i].differs)
            return false;
    return true;
}

START_TEST(a_block_placed_differently_is_marked_in_both)
{
    open_compare(HOLES, "fit=first", "fit=best");
    build_compare(6);       /* the holes, the same in both */
    ck_assert_uint_eq(maps.map[0].differs, 0);
    ck_assert_uint_eq(maps.map[1].differs, 0);
    build_compare(7);       /* a c 24: first fit at 72, best fit at 0 */
    ck_assert_uint_eq(maps.map[0].differs, 1);
    ck_assert_uint_eq(maps.map[1].differs, 1);
    ck_assert(block_differs(0, 72));
    ck_assert(block_differs(1, 0));
    ck_assert(!vm_cell_at(&maps.map[0].model, 0, 6)->differs); /* s1 */
    ck_assert(!vm_cell_at(&maps.map[1].model, 0, 6)->differs);
    ck_assert_has(maps.map[0].header, "fit=first  differs: c");
    ck_assert_has(text_of(&maps.events),
                  "fit=first: done\n");
    ck_assert_has(text_of(&maps.events), "fit=best: done\n");
    ck_assert_has(text_of(&maps.events), "alloc: block 0 [c]");
    ck_assert_has(text_of(&maps.events), "alloc: block 72 [c]");
    close_compare();
}
END_TEST

START_TEST(jumps_stop_where_any_heap_has_one)
{
    const timeline *both[2];

    open_compare(NEIGHBOURS, "merge=none", "merge=immediate");
    both[0] = tls[0];
    both[1] = tls[1];
    /* Only the second heap merges, at f b (step 5): the jump from the
     * start stops there all the same; there is none after it. */
    ck_assert_uint_eq(timeline_find(tls[0], 0, TL_MERGE, false), 0);
    ck_assert_uint_eq(timeline_find_any(both, 1, 0, TL_MERGE), 0);
    ck_assert_uint_eq(timeline_find_any(both, 2, 0, TL_MERGE), 5);
    ck_assert_uint_eq(timeline_find_any(both, 2, 5, TL_MERGE), 0);
    ck_assert_uint_eq(timeline_find_any(both, 2, 0, TL_GROW), 1);
    close_compare();
}
END_TEST

/* ---------------------------------------------------------------------------
 * The quiz in a script with threads
 * ------------------------------------------------------------------------- */

static quiz_controller ctl;

/* Steps the quiz to operation `target`'s questions. */
static void quiz_to(size_t target)
{
    memset(&ctl, 0, sizeof ctl);
    ctl.on = true;
    ck_assert_int_eq(timeline_go(tl, target - 1), 0);
    ctl.asked_up_to = target - 1;
    ck_assert_int_eq(quiz_next(&ctl, tl, script, false), QUIZ_ASKING);
}

START_TEST(which_heap_serves_it_is_graded)
{
    char verdict[1024];

    open_lesson("14-remote-and-cache/1-remote.hl");
    quiz_to(3);             /* thread 2: a y 100 */
    ck_assert_uint_eq(ctl.count, 3);
    ck_assert_int_eq(ctl.questions[0].kind, QUIZ_HEAP);
    ck_assert_has(ctl.questions[0].prompt, "Which heap will serve it?");
    ck_assert_int_eq(quiz_grade_answer(&ctl.questions[0], "2", verdict,
                                       sizeof verdict), QUIZ_RIGHT);
    ck_assert_has(verdict, "thread 2 allocates from its own heap, heap 2");
    ck_assert_int_eq(quiz_grade_answer(&ctl.questions[0], "1", verdict,
                                       sizeof verdict), QUIZ_WRONG);
    ck_assert_has(verdict, "you said 1, it is 2");
    /* Heap 2 is still empty: it grows, and y's block starts at 8. */
    ck_assert_int_eq(ctl.questions[1].kind, QUIZ_GROW);
    ck_assert_has(ctl.questions[1].prompt, "will heap 2 grow?");
    ck_assert_uint_eq(ctl.questions[1].answer, 1);
    ck_assert_uint_eq(ctl.questions[2].answer, 8);
    close_all();
}
END_TEST

START_TEST(will_this_free_be_remote_is_graded)
{
    char verdict[1024];

    open_lesson("14-remote-and-cache/1-remote.hl");
    quiz_to(4);             /* thread 2: f x, x is heap 1's */
    ck_assert_uint_eq(ctl.count, 1);   /* no merge: nothing is freed yet */
    ck_assert_int_eq(ctl.questions[0].kind, QUIZ_REMOTE);
    ck_assert_int_eq(quiz_grade_answer(&ctl.questions[0], "y", verdict,
                                       sizeof verdict), QUIZ_RIGHT);
    ck_assert_has(verdict, "x lives in heap 1, not in heap 2");
    ck_assert_int_eq(quiz_grade_answer(&ctl.questions[0], "n", verdict,
                                       sizeof verdict), QUIZ_WRONG);
    /* Answering shows the step: x waits on heap 1's list. */
    ck_assert_int_eq(quiz_type(&ctl, tl, 'y', false), QUIZ_MOVED);
    ck_assert_uint_eq(timeline_position(tl), 4);
    ck_assert_uint_eq(ctl.score.right, 1);
    close_all();
}
END_TEST

START_TEST(a_local_free_is_not_remote)
{
    hl_script *s = parse_ok("heap heaps=per-thread\nthread 1\na x 100\n"
                            "thread 2\na y 100\nf y\n");
    char err[256];

    script = s;
    tl = timeline_open(s, 0, TL_BUDGET, err, sizeof err);
    ck_assert_msg(tl != NULL, "%s", err);
    vm_maps_init(&maps);
    quiz_to(3);
    ck_assert_int_eq(ctl.questions[0].kind, QUIZ_REMOTE);
    ck_assert_uint_eq(ctl.questions[0].answer, 0);
    ck_assert_has(ctl.questions[0].reason, "thread 2's own");
    ck_assert_int_eq(ctl.questions[1].kind, QUIZ_MERGE);
    close_all();
}
END_TEST

START_TEST(a_script_without_threads_asks_no_thread_questions)
{
    char err[256];

    script = parse_ok("heap preset=reference\na x 100\nf x\n");
    tl = timeline_open(script, 0, TL_BUDGET, err, sizeof err);
    vm_maps_init(&maps);
    quiz_to(1);
    ck_assert_uint_eq(ctl.count, 2);
    ck_assert_int_eq(ctl.questions[0].kind, QUIZ_GROW);
    ck_assert_has(ctl.questions[0].prompt, "will the heap grow?");
    close_all();
}
END_TEST

/* ---------------------------------------------------------------------------
 * The zoom "fit" picks: every block shows
 * ------------------------------------------------------------------------- */

/* An 80x24 screen: 24 cells a row, 20 rows for the map (or the maps). */
#define SCREEN_CELLS 24
#define SCREEN_ROWS 20

/* The geometry the viewer's fit gives the heaps of `tl` at its step. */
static vm_geometry fit_80x24(hl_heap **heaps, unsigned *count)
{
    vm_geometry geo = {8, SCREEN_CELLS, 0, SCREEN_ROWS};
    unsigned k;

    *count = timeline_heap_count(tl);
    for (k = 0; k < *count; k++)
        heaps[k] = timeline_heap_at(tl, k + 1);
    if (*count > 1)
        vm_maps_layout(*count, SCREEN_ROWS, &geo.rows);
    vm_fit_blocks(&geo, heaps, *count);
    return geo;
}

typedef struct seen_blocks {
    size_t offsets[4096];
    bool used[4096];
    size_t count;
} seen_blocks;

static bool note_block(const hl_block_info *info, void *arg)
{
    seen_blocks *b = arg;

    ck_assert_uint_lt(b->count, 4096);
    b->offsets[b->count] = info->offset;
    b->used[b->count++] = !info->free && !info->cached;
    return true;
}

/* The whole map of `heap` at geo's zoom: every block has its header cell
 * and a cell of its contents (a used one: of its object, '=' or a label).
 * Returns the name of what is missing, or NULL. */
static const char *every_block_shows(hl_heap *h, vm_geometry geo,
                                     const char *name, size_t position)
{
    static char why[256];
    static seen_blocks blocks;
    static bool contents[4096];
    view_model m;
    hl_stats s;
    size_t cells, i;

    hl_heap_stats(h, &s);
    geo.first_row = 0;
    geo.rows = vm_rows_needed(s.heap_size, &geo);
    view_model_init(&m);
    ck_assert_int_eq(view_model_build(&m, h, NULL, &geo, NULL, 0), 0);
    blocks.count = 0;
    hl_heap_visit_blocks(h, note_block, &blocks);
    memset(contents, 0, sizeof contents);
    cells = geo.rows * geo.cells_per_row;
    why[0] = '\0';
    for (i = 0; i < blocks.count && !why[0]; i++) {
        size_t at = blocks.offsets[i] / geo.bytes_per_cell;
        if (m.cells[at].kind != VM_HEADER ||
            m.cells[at].block != blocks.offsets[i])
            snprintf(why, sizeof why, "%s step %zu at %zu B/cell: block %zu "
                     "has no header cell", name, position,
                     geo.bytes_per_cell, blocks.offsets[i]);
    }
    for (i = 0; i < cells; i++) {
        const vm_cell *cell = &m.cells[i];
        size_t low = 0, high = blocks.count;
        if (cell->block == VM_NO_BLOCK || cell->kind == VM_HEADER)
            continue;
        while (low + 1 < high) {
            size_t mid = (low + high) / 2;
            if (blocks.offsets[mid] <= cell->block)
                low = mid;
            else
                high = mid;
        }
        if (blocks.offsets[low] == cell->block &&
            (!blocks.used[low] || cell->kind == VM_OBJECT ||
             cell->kind == VM_REMOTE))
            contents[low] = true;
    }
    for (i = 0; i < blocks.count && !why[0]; i++)
        if (!contents[i])
            snprintf(why, sizeof why, "%s step %zu at %zu B/cell: block %zu "
                     "shows none of its %s", name, position,
                     geo.bytes_per_cell, blocks.offsets[i],
                     blocks.used[i] ? "object" : "contents");
    view_model_free(&m);
    return why[0] ? why : NULL;
}

/* Lesson 2 at 80x24 fitted its 4096 bytes at 16 B a cell: a, c and the
 * free blocks they left hid under their neighbours' headers (##b##d#), and
 * `f a` changed nothing on the map. */
START_TEST(fit_shows_the_blocks_of_lesson_2)
{
    hl_heap *heaps[VM_MAX_MAPS];
    unsigned n;
    vm_geometry geo;
    view_model m;
    char row[64];

    open_lesson("02-freelist/1-push-front.hl");
    ck_assert_int_eq(timeline_go(tl, 5), 0);
    geo = fit_80x24(heaps, &n);
    view_model_init(&m);
    ck_assert_int_eq(view_model_build(&m, heaps[0], NULL, &geo, NULL, 0), 0);
    ck_assert_uint_eq(geo.bytes_per_cell, 8);
    ck_assert_str_eq(vm_row_text(&m, 0, row, sizeof row),
                     "#==#==#==#==#...........");
    ck_assert_int_eq(timeline_go(tl, 6), 0);  /* f a */
    geo = fit_80x24(heaps, &n);
    ck_assert_int_eq(view_model_build(&m, heaps[0], NULL, &geo, NULL, 0), 0);
    ck_assert_str_eq(vm_row_text(&m, 0, row, sizeof row),
                     "#..#==#==#==#...........");
    view_model_free(&m);
    close_all();
}
END_TEST

/* Every step of every lesson script, on an 80x24 screen. */
START_TEST(fit_shows_every_block_of_every_lesson)
{
    char dir[512], path[1024];
    const char *top = getenv("top_srcdir");
    struct dirent **lessons;
    int count, i;
    size_t opened = 0;

    snprintf(dir, sizeof dir, "%s/lessons", top ? top : "..");
    count = scandir(dir, &lessons, NULL, alphasort);
    ck_assert_int_gt(count, 0);
    for (i = 0; i < count; i++) {
        struct dirent **files;
        int nfiles, j;
        snprintf(path, sizeof path, "%s/%s", dir, lessons[i]->d_name);
        nfiles = lessons[i]->d_name[0] == '.'
                     ? -1 : scandir(path, &files, NULL, alphasort);
        for (j = 0; j < nfiles; j++) {
            const char *name = files[j]->d_name;
            size_t len = strlen(name), p;
            if (len > 3 && !strcmp(name + len - 3, ".hl")) {
                char rel[600];
                snprintf(rel, sizeof rel, "%s/%s", lessons[i]->d_name, name);
                open_lesson(rel);
                for (p = 0; p <= timeline_length(tl); p++) {
                    hl_heap *heaps[VM_MAX_MAPS];
                    unsigned n, k;
                    vm_geometry geo;
                    ck_assert_int_eq(timeline_go(tl, p), 0);
                    geo = fit_80x24(heaps, &n);
                    for (k = 0; k < n; k++) {
                        const char *why =
                            every_block_shows(heaps[k], geo, rel, p);
                        ck_assert_msg(why == NULL, "%s", why);
                    }
                }
                close_all();
                opened++;
            }
            free(files[j]);
        }
        if (nfiles >= 0)
            free(files);
        free(lessons[i]);
    }
    free(lessons);
    ck_assert_uint_gt(opened, 40);
}
END_TEST

static Suite *maps_suite(void)
{
    Suite *s = suite_create("view maps");
    TCase *threads = tcase_create("threads");
    TCase *compare = tcase_create("compare");
    TCase *quiz = tcase_create("quiz");
    TCase *fit = tcase_create("fit");

    tcase_add_test(threads, a_remote_free_waits_on_the_owners_map);
    tcase_add_test(threads, events_name_the_thread_and_the_heap);
    tcase_add_test(threads, maps_stack_when_each_has_room_else_one_at_a_time);
    tcase_add_test(compare, a_block_placed_differently_is_marked_in_both);
    tcase_add_test(compare, jumps_stop_where_any_heap_has_one);
    tcase_add_test(quiz, which_heap_serves_it_is_graded);
    tcase_add_test(quiz, will_this_free_be_remote_is_graded);
    tcase_add_test(quiz, a_local_free_is_not_remote);
    tcase_add_test(quiz, a_script_without_threads_asks_no_thread_questions);
    suite_add_tcase(s, threads);
    suite_add_tcase(s, compare);
    suite_add_tcase(s, quiz);
    tcase_add_test(fit, fit_shows_the_blocks_of_lesson_2);
    tcase_add_test(fit, fit_shows_every_block_of_every_lesson);
    tcase_set_timeout(fit, 300);
    suite_add_tcase(s, fit);
    return s;
}

int main(void) { return fixture_run(maps_suite()); }

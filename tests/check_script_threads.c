/* check_script_threads.c - scripts that name threads: `thread N` lines,
 * the expects on heaps, remote lists and the cache, and their replay with
 * a heap per thread (heaps=per-thread) or one shared heap (heaps=one). */
#include <errno.h>
#include <stdint.h>

#include "script_fixture.h"

static char err[512];
static hl_step_result res;

static const hl_step_result *step_of(replay *r)
{
    ck_assert(replay_step(r, &res));
    return &res;
}

/* Runs every step; each must pass. */
static void run_all(replay *r)
{
    while (replay_step(r, &res))
        ck_assert_msg(res.passed, "%s", res.message);
}

/* How many events of `kind` the last step reported on heap `heap`. */
static size_t events_on(const hl_step_result *r, hl_event_kind kind,
                        unsigned number)
{
    size_t i, n = 0;

    for (i = 0; i < r->nevents; i++)
        n += r->events[i].kind == kind && r->event_heap[i] == number;
    return n;
}

/* ---------------------------------------------------------------------------
 * Parsing
 * ------------------------------------------------------------------------- */

START_TEST(thread_lines_set_the_thread_of_what_follows)
{
    hl_script *s = parse_ok("a x 1\nthread 3\na y 2\nnote n\nthread 2\n"
                            "f x\nthread 3\nf y\n");

    ck_assert_uint_eq(s->nops, 4);
    ck_assert_uint_eq(s->ops[0].thread, 1);
    ck_assert_uint_eq(s->ops[1].thread, 3);
    ck_assert_uint_eq(s->ops[2].thread, 2);
    ck_assert_str_eq(s->ops[2].note, "n"); /* a note crosses `thread` */
    ck_assert_uint_eq(s->ops[3].thread, 3);
    ck_assert_uint_eq(s->nthreads, 3);
    script_free(s);
    s = parse_ok("a x 1\n");
    ck_assert_uint_eq(s->nthreads, 1);
    ck_assert_uint_eq(s->ops[0].thread, 1);
    script_free(s);
}
END_TEST

START_TEST(bad_thread_lines_are_refused)
{
    ck_assert_parse_error("thread\n", "t.hl:1: expected a thread number "
                          "after 'thread', got end of line");
    ck_assert_parse_error("thread two\n", "t.hl:1: expected a thread "
                          "number after 'thread', got 'two'");
    ck_assert_parse_error("thread 0\n", "t.hl:1: expected a thread number "
                          "from 1 to 64 after 'thread', got 0");
    ck_assert_parse_error("a x 1\nthread 65\n", "t.hl:2: expected a thread "
                          "number from 1 to 64 after 'thread', got 65");
    ck_assert_parse_error("thread 2 3\n", "t.hl:1: unexpected '3' after "
                          "'thread N'");
}
END_TEST

START_TEST(the_thread_expects_parse)
{
    hl_script *s = parse_ok("a x 1\nexpect heap x 2\nexpect remote 3 4\n"
                            "expect cached 63 16\n");

    ck_assert_int_eq(s->ops[1].what, EXPECT_HEAP);
    ck_assert_uint_eq(s->ops[1].value, 2);
    ck_assert_int_eq(s->ops[2].what, EXPECT_REMOTE);
    ck_assert_uint_eq(s->ops[2].which, 3);
    ck_assert_uint_eq(s->ops[2].value, 4);
    ck_assert_int_eq(s->ops[3].what, EXPECT_CACHED);
    ck_assert_uint_eq(s->ops[3].which, 63);
    ck_assert_uint_eq(s->ops[3].value, 16);
    script_free(s);
    ck_assert_parse_error("expect heap y 1\n", "t.hl:1: unknown ID 'y': it "
                          "was never allocated");
    ck_assert_parse_error("expect remote 0 1\n", "t.hl:1: expected a heap "
                          "number from 1 to 64 after 'expect remote', got 0");
    ck_assert_parse_error("expect remote 1\n", "t.hl:1: expected a count "
                          "after 'expect remote N', got end of line");
    ck_assert_parse_error("expect cached 64 1\n", "t.hl:1: expected a size "
                          "class from 0 to 63 after 'expect cached', got 64");
    ck_assert_parse_error("expect cached 1 2 3\n", "t.hl:1: unexpected '3' "
                          "after 'expect cached N COUNT'");
}
END_TEST

/* ---------------------------------------------------------------------------
 * Replay
 * ------------------------------------------------------------------------- */

/* The issue's own example: thread 2 frees thread 1's object, which waits
 * on heap 1's remote list until thread 1's next call drains it. */
static const char remote_example[] =
    "heap heaps=per-thread\n"
    "thread 1\n"
    "a x 100\n"
    "thread 2\n"
    "a y 100\n"
    "f x\n"
    "thread 1\n"
    "a z 50\n";

START_TEST(a_remote_free_waits_for_the_owner)
{
    hl_script *s;
    replay *r = replay_start(remote_example, &s);
    const hl_step_result *st;

    ck_assert_uint_eq(replay_heap_count(r), 2);
    st = step_of(r);
    ck_assert_uint_eq(st->thread, 1);
    ck_assert_uint_eq(st->heap, 1);
    ck_assert_uint_eq(replay_object_heap(r, 0), 1);
    st = step_of(r);
    ck_assert_uint_eq(st->heap, 2);
    ck_assert_uint_eq(st->offset, 8); /* heap 2 starts empty too */
    ck_assert_uint_eq(replay_object_heap(r, 1), 2);
    st = step_of(r); /* f x, on thread 2 */
    ck_assert_uint_eq(st->thread, 2);
    ck_assert_uint_eq(st->remote_heap, 1);
    ck_assert_uint_eq(hl_heap_visit_remote(replay_heap_at(r, 1), NULL, NULL),
                      1);
    ck_assert_uint_eq(hl_heap_visit_remote(replay_heap_at(r, 2), NULL, NULL),
                      0);
    ck_assert_uint_eq(replay_object_heap(r, 0), 0);
    st = step_of(r); /* a z, on thread 1: drains first, then z takes x's */
    ck_assert_uint_eq(events_on(st, HL_EVENT_REMOTE_FREE, 1), 1);
    ck_assert_uint_eq(events_on(st, HL_EVENT_DRAIN, 1), 1);
    ck_assert_uint_eq(events_on(st, HL_EVENT_DRAIN, 2), 0);
    ck_assert_uint_eq(st->offset, 8);
    ck_assert_uint_eq(hl_heap_visit_remote(replay_heap_at(r, 1), NULL, NULL),
                      0);
    replay_finish(r, s);
}
END_TEST

/* The same operations on one shared heap: nothing is remote, y goes
 * after x, and z cannot take x's block before it is freed. */
START_TEST(with_one_heap_the_same_script_shares_it)
{
    hl_script *s;
    replay *r;
    char text[sizeof remote_example + 64];
    const hl_step_result *st;

    snprintf(text, sizeof text, "heap heaps=one\n%s",
             remote_example + strlen("heap heaps=per-thread\n"));
    r = replay_start(text, &s);
    ck_assert_uint_eq(replay_heap_count(r), 1);
    step_of(r);
    st = step_of(r);
    ck_assert_uint_eq(st->heap, 1);
    ck_assert_uint_eq(st->offset, 120);
    st = step_of(r);
    ck_assert_uint_eq(st->remote_heap, 0);
    ck_assert_uint_eq(events_on(st, HL_EVENT_FREE, 1), 1);
    st = step_of(r);
    ck_assert_uint_eq(events_on(st, HL_EVENT_DRAIN, 1), 0);
    ck_assert_uint_eq(st->offset, 8);
    replay_finish(r, s);
}
END_TEST

START_TEST(the_thread_expects_hold_and_fail_with_what_was_found)
{
    hl_script *s;
    replay *r = replay_start(
        "heap heaps=per-thread\n"
        "a x 100\nthread 2\na y 20\nf x\n"
        "expect heap y 2\nexpect remote 1 1\nexpect remote 2 0\n"
        "expect remote 1 0\nexpect heap y 1\nexpect remote 5 0\n"
        "check\n", &s);
    size_t i;

    for (i = 0; i < 6; i++)
        ck_assert_msg(step_of(r)->passed, "%s", res.message);
    ck_assert(!step_of(r)->passed);
    ck_assert_str_eq(res.message, "t.hl:9: expect remote 1: expected 0, "
                     "got 1");
    ck_assert(!step_of(r)->passed);
    ck_assert_str_eq(res.message, "t.hl:10: expect heap y: expected 1, "
                     "got 2");
    ck_assert(!step_of(r)->passed);
    ck_assert_str_eq(res.message, "t.hl:11: expect remote 5: expected 0, "
                     "got no heap 5 (the replay has 2)");
    ck_assert(step_of(r)->passed); /* check: every heap is sound */
    replay_finish(r, s);
}
END_TEST

/* preset=fast caches freed small blocks per class: a 20-byte object's
 * block holds 24 bytes, class 0; a 100-byte one's 104, class 5. */
START_TEST(expect_cached_counts_one_class)
{
    hl_script *s;
    replay *r = replay_start(
        "heap preset=fast\n"
        "a a 20\na b 20\na c 100\na d 1\nf a\nf b\nf c\n"
        "expect cached 0 2\nexpect cached 5 1\nexpect cached 1 0\n"
        "expect cached_blocks 3\n"
        "thread 2\nexpect cached 0 0\n", &s);

    run_all(r);
    replay_finish(r, s);
}
END_TEST

/* A realloc of another heap's object moves it into the caller's heap,
 * contents and all, and frees the old one remotely: only the owner may
 * resize in place. */
START_TEST(a_remote_realloc_moves_into_the_callers_heap)
{
    hl_script *s;
    replay *r = replay_start("heap heaps=per-thread\na x 40\n"
                             "thread 2\nr x 400\n", &s);
    unsigned char *x;
    const hl_step_result *st;
    size_t i;

    x = step_of(r)->object;
    for (i = 0; i < 40; i++)
        x[i] = (unsigned char)(i * 7);
    st = step_of(r);
    ck_assert_uint_eq(st->heap, 2);
    ck_assert_uint_eq(st->remote_heap, 1);
    ck_assert_uint_eq(replay_object_heap(r, 0), 2);
    x = replay_object(r, 0);
    for (i = 0; i < 40; i++)
        ck_assert_uint_eq(x[i], (unsigned char)(i * 7));
    ck_assert_uint_eq(hl_heap_visit_remote(replay_heap_at(r, 1), NULL, NULL),
                      1);
    replay_finish(r, s);
}
END_TEST

START_TEST(a_heap_per_thread_needs_more_than_the_break)
{
    hl_script *s = parse_ok("heap heaps=per-thread grower=brk\na x 1\n"
                            "thread 2\na y 1\n");
    replay *r;

    ck_assert_ptr_null(replay_new(s, err, sizeof err));
    ck_assert_str_eq(err, "t.hl: the program break holds one heap; a heap "
                     "per thread needs grower=static or grower=mmap");
    script_free(s);
    /* One thread on brk is one heap: fine. */
    s = parse_ok("heap heaps=per-thread grower=brk\na x 1\n");
    r = replay_new(s, err, sizeof err);
    ck_assert_ptr_nonnull(r);
    replay_free(r);
    script_free(s);
}
END_TEST

/* ---------------------------------------------------------------------------
 * Against a model
 * ------------------------------------------------------------------------- */

#define MODEL_THREADS 3
#define MODEL_OPS 4000

/* A random script on three threads and, step by step, what a model of the
 * drop-in's rules predicts: an object belongs to the heap of the thread
 * that allocated it; a free by another thread is remote and waits on the
 * owner's list, touching nothing else; the owner's next operation on its
 * own heap takes the whole list.  The
 * replay must agree at every step, and every heap must stay sound. */
START_TEST(a_threaded_replay_agrees_with_the_model)
{
    static char text[MODEL_OPS * 40];
    size_t live[256], nlive = 0, next = 0, n = 0, i;
    unsigned thread = 1, owner[MODEL_OPS], pending[MODEL_THREADS + 1] = {0};
    size_t drained[MODEL_THREADS + 1] = {0};
    uint64_t seed = 7;
    hl_script *s;
    replay *r;
    char why[200];

    n += (size_t)sprintf(text + n, "heap preset=fast\n");
    for (i = 0; i < MODEL_OPS; i++) {
        uint64_t roll;
        seed = seed * 6364136223846793005u + 1442695040888963407u;
        roll = seed >> 33;
        if (roll % 10 == 0) {
            thread = (unsigned)(roll >> 8) % MODEL_THREADS + 1;
            n += (size_t)sprintf(text + n, "thread %u\n", thread);
        }
        if (nlive == 256 || (nlive > 0 && roll % 100 < 45)) {
            size_t k = (roll >> 12) % nlive;
            n += (size_t)sprintf(text + n, "f o%zu\n", live[k]);
            live[k] = live[--nlive];
        } else {
            n += (size_t)sprintf(text + n, "a o%zu %u\n", next,
                                 (unsigned)(roll >> 20) % 300);
            live[nlive++] = next++;
        }
    }
    ck_assert_uint_lt(n, sizeof text);
    r = replay_start(text, &s);
    ck_assert_uint_eq(replay_heap_count(r), MODEL_THREADS);
    while (replay_step(r, &res)) {
        const script_op *op = res.op;
        unsigned t = op->thread, h;
        bool own = op->kind != SCRIPT_FREE || owner[op->id] == t;
        ck_assert_msg(res.passed, "%s", res.message);
        ck_assert_uint_eq(res.heap, t);
        /* A call on the thread's own heap takes its remote list first; a
         * remote free touches only the owner's list. */
        if (!own)
            ck_assert_uint_eq(res.nevents, 0);
        if (own) {
            hl_stats st;
            hl_heap_stats(replay_heap_at(r, t), &st);
            drained[t] += pending[t];
            ck_assert_uint_eq(st.remote_frees, drained[t]);
        }
        if (res.events_lost == 0) /* the events say the same */
            ck_assert_msg(events_on(&res, HL_EVENT_REMOTE_FREE, t) ==
                          (own ? pending[t] : 0),
                      "step %zu (%s, thread %u): %zu remote frees drained, "
                      "%u expected; %zu events", res.index, op->source, t,
                      events_on(&res, HL_EVENT_REMOTE_FREE, t), pending[t],
                      res.nevents);
        if (own)
            pending[t] = 0;
        if (op->kind == SCRIPT_ALLOC) {
            owner[op->id] = t;
            ck_assert_uint_eq(replay_object_heap(r, op->id), t);
            ck_assert_uint_eq(res.remote_heap, 0);
        } else if (op->kind == SCRIPT_FREE) {
            h = owner[op->id];
            ck_assert_uint_eq(res.remote_heap, h == t ? 0 : h);
            if (h != t)
                pending[h]++;
        }
        for (h = 1; h <= MODEL_THREADS; h++)
            ck_assert_uint_eq(
                hl_heap_visit_remote(replay_heap_at(r, h), NULL, NULL),
                pending[h]);
    }
    for (i = 1; i <= MODEL_THREADS; i++)
        ck_assert_msg(hl_heap_check(replay_heap_at(r, (unsigned)i), why,
                                    sizeof why), "heap %zu: %s", i, why);
    replay_finish(r, s);
}
END_TEST

/* Checkpoints save and restore every heap, remote lists included. */
START_TEST(checkpoints_bring_back_every_heap)
{
    hl_script *s;
    replay *r = replay_start(
        "heap preset=fast\na x 100\na w 30\nthread 2\na y 200\nf x\nf w\n"
        "thread 3\na z 10\nf y\nthread 1\na v 60\nthread 2\na u 5\n", &s);
    replay_checkpoint cp = REPLAY_CHECKPOINT_INIT;
    char *before[4], *after;
    unsigned h;

    step_of(r);
    step_of(r);
    step_of(r);
    step_of(r); /* f x: remote on heap 1 */
    ck_assert_int_eq(replay_save(r, &cp), 0);
    for (h = 1; h <= 3; h++) {
        size_t len;
        FILE *f = open_memstream(&before[h], &len);
        hl_heap_dump(replay_heap_at(r, h), f);
        fclose(f);
    }
    run_all(r);
    ck_assert_uint_eq(replay_thread(r), 2);
    ck_assert_int_eq(replay_restore(r, &cp), 0);
    ck_assert_uint_eq(replay_position(r), 4);
    ck_assert_uint_eq(replay_thread(r), 2);
    ck_assert_ptr_eq(replay_heap(r), replay_heap_at(r, 2));
    for (h = 1; h <= 3; h++) {
        size_t len;
        FILE *f = open_memstream(&after, &len);
        hl_heap_dump(replay_heap_at(r, h), f);
        fclose(f);
        ck_assert_str_eq(after, before[h]);
        free(after);
        free(before[h]);
    }
    ck_assert_uint_eq(hl_heap_visit_remote(replay_heap_at(r, 1), NULL, NULL),
                      1);
    run_all(r);
    replay_checkpoint_release(&cp);
    replay_finish(r, s);
}
END_TEST

static Suite *script_threads_suite(void)
{
    Suite *s = suite_create("script_threads");
    TCase *parse = tcase_create("parse");
    TCase *run = tcase_create("replay");

    tcase_add_test(parse, thread_lines_set_the_thread_of_what_follows);
    tcase_add_test(parse, bad_thread_lines_are_refused);
    tcase_add_test(parse, the_thread_expects_parse);
    tcase_add_test(run, a_remote_free_waits_for_the_owner);
    tcase_add_test(run, with_one_heap_the_same_script_shares_it);
    tcase_add_test(run, the_thread_expects_hold_and_fail_with_what_was_found);
    tcase_add_test(run, expect_cached_counts_one_class);
    tcase_add_test(run, a_remote_realloc_moves_into_the_callers_heap);
    tcase_add_test(run, a_heap_per_thread_needs_more_than_the_break);
    tcase_add_test(run, a_threaded_replay_agrees_with_the_model);
    tcase_add_test(run, checkpoints_bring_back_every_heap);
    tcase_set_timeout(run, 60);
    suite_add_tcase(s, parse);
    suite_add_tcase(s, run);
    return s;
}

int main(void) { return fixture_run(script_threads_suite()); }

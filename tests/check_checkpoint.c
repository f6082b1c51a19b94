/* check_checkpoint.c - checkpoints of a replay: restoring one and replaying
 * forward must give exactly the heap of a straight replay. */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "script_fixture.h"

static char err[512];
static hl_step_result res;

/* Runs the next step, which must exist. */
static const hl_step_result *step_of(replay *r)
{
    ck_assert(replay_step(r, &res));
    return &res;
}

/* A random script of `nops` operations on the heap `heap_line`, written
 * into text (the caller frees it). */
static char *random_script(const char *heap_line, size_t nops, uint64_t seed)
{
    size_t cap = 64 + nops * 32, n = 0, live[256], nlive = 0, next = 0, i;
    char *text = malloc(cap);

    ck_assert_ptr_nonnull(text);
    n += (size_t)sprintf(text + n, "heap %s\n", heap_line);
    for (i = 0; i < nops; i++) {
        uint64_t roll;
        seed = seed * 6364136223846793005u + 1442695040888963407u;
        roll = seed >> 33;
        if (nlive == 256 || (nlive > 0 && roll % 100 < 45)) {
            size_t k = (roll >> 8) % nlive;
            n += (size_t)sprintf(text + n, "f o%zu\n", live[k]);
            live[k] = live[--nlive];
        } else if (nlive > 0 && roll % 100 < 55) {
            n += (size_t)sprintf(text + n, "r o%zu %u\n",
                                 live[(roll >> 8) % nlive],
                                 (unsigned)(roll >> 20) % 700);
        } else if (roll % 100 < 60) {
            n += (size_t)sprintf(text + n, "m o%zu %u %u\n", next,
                                 16u << ((roll >> 8) % 4),
                                 (unsigned)(roll >> 20) % 300);
            live[nlive++] = next++;
        } else {
            n += (size_t)sprintf(text + n, "a o%zu %u\n", next,
                                 (unsigned)(roll >> 20) % 500);
            live[nlive++] = next++;
        }
    }
    ck_assert_uint_lt(n, cap);
    return text;
}

#define RANDOM_OPS 3000
#define CHECKPOINT_EVERY 250

/* Restoring a checkpoint and replaying forward gives, at every target
 * step, the same dump as a straight replay. */
static void checkpoints_match_straight_replay(const char *heap_line)
{
    static char *straight[RANDOM_OPS + 1];
    replay_checkpoint cps[RANDOM_OPS / CHECKPOINT_EVERY + 1];
    char *text = random_script(heap_line, RANDOM_OPS, 42);
    hl_script *s;
    replay *r = replay_start(text, &s), *line;
    size_t i, target, ncps = 0;
    char *now;

    /* A straight replay: the dump after every step. */
    line = replay_new(s, err, sizeof err);
    ck_assert_ptr_nonnull(line);
    straight[0] = replay_dump(line);
    for (i = 1; i <= RANDOM_OPS; i++) {
        ck_assert(replay_step(line, &res));
        straight[i] = replay_dump(line);
    }
    replay_free(line);

    /* The checkpointed replay runs to its end, saving as it goes. */
    memset(cps, 0, sizeof cps);
    for (i = 0; i <= RANDOM_OPS; i++) {
        if (i % CHECKPOINT_EVERY == 0)
            ck_assert_int_eq(replay_save(r, &cps[ncps++]), 0);
        if (i < RANDOM_OPS)
            ck_assert(replay_step(r, &res));
    }
    /* Then jumps backwards and forwards to every 7th step. */
    for (i = 0; i <= RANDOM_OPS; i += 7) {
        target = (i * 1237) % (RANDOM_OPS + 1);
        ck_assert_int_eq(replay_restore(r, &cps[target / CHECKPOINT_EVERY]),
                         0);
        while (replay_position(r) < target)
            ck_assert(replay_step(r, &res));
        now = replay_dump(r);
        ck_assert_msg(strcmp(now, straight[target]) == 0,
                      "%s: step %zu differs", heap_line, target);
        free(now);
    }
    for (i = 0; i < ncps; i++)
        replay_checkpoint_release(&cps[i]);
    for (i = 0; i <= RANDOM_OPS; i++)
        free(straight[i]);
    replay_finish(r, s);
    free(text);
}

START_TEST(checkpoints_give_the_dumps_of_a_straight_replay)
{
    checkpoints_match_straight_replay("preset=default");
    checkpoints_match_straight_replay("preset=reference");
    checkpoints_match_straight_replay("fit=best order=address merge=none");
    checkpoints_match_straight_replay("fit=next order=fifo capacity=64K");
    /* The mmap grower is put back as itself, pages and all. */
    checkpoints_match_straight_replay("grower=mmap capacity=4M");
    checkpoints_match_straight_replay("preset=fast grower=mmap capacity=4M");
}
END_TEST

START_TEST(a_checkpoint_brings_back_the_ids)
{
    hl_script *s;
    replay *r = replay_start("a x 10\nf x\na y 20\n", &s);
    replay_checkpoint cp = REPLAY_CHECKPOINT_INIT;
    void *x;

    x = step_of(r)->object;
    ck_assert_int_eq(replay_save(r, &cp), 0);
    step_of(r);
    step_of(r);
    ck_assert_ptr_null(replay_object(r, 0));
    ck_assert_int_eq(replay_restore(r, &cp), 0);
    ck_assert_uint_eq(replay_position(r), 1);
    ck_assert_ptr_eq(replay_object(r, 0), x);
    ck_assert_ptr_null(replay_object(r, 1));
    replay_checkpoint_release(&cp);
    replay_finish(r, s);
}
END_TEST

START_TEST(checkpoints_need_their_own_replay)
{
    hl_script *s, *t;
    replay *r = replay_start("a x 10\n", &s);
    replay *other = replay_start("a x 10\n", &t), *same;
    replay_checkpoint cp = REPLAY_CHECKPOINT_INIT;

    ck_assert_int_eq(replay_save(other, &cp), 0);
    same = replay_new(t, err, sizeof err);
    ck_assert_int_eq(replay_restore(same, &cp), EINVAL);
    ck_assert_int_eq(replay_restore(r, &cp), EINVAL);
    replay_checkpoint_release(&cp);
    replay_free(same);
    replay_finish(other, t);
    replay_finish(r, s);
}
END_TEST

/* The brk grower is put back as itself: the program break returns to the
 * saved end, and the heap grows again from there as before.  Nothing in
 * the test may move the break meanwhile, so glibc's malloc is told to keep
 * 64 MiB to spare first, as the viewer does. */
START_TEST(a_checkpoint_puts_the_program_break_back)
{
    hl_script *s;
    replay *r;
    replay_checkpoint cp = REPLAY_CHECKPOINT_INIT;
    char *saved_break, *grown_break;
    char *before, *after;

#ifdef __GLIBC__
    mallopt(M_MMAP_THRESHOLD, 64 * 1024);
    mallopt(M_TRIM_THRESHOLD, INT_MAX);
    mallopt(M_TOP_PAD, 64 << 20);
    {
        void *held[16];
        char *start = sbrk(0);
        size_t n = 0;
        while (n < 16 && (char *)sbrk(0) == start)
            ck_assert_ptr_nonnull(held[n++] = malloc(32 * 1024));
        while (n > 0)
            free(held[--n]);
    }
#endif
    r = replay_start("heap grower=brk increment=4K\n"
                     "a x 100\na y 9000\na z 30000\nf y\n", &s);
    step_of(r);
    ck_assert(replay_grower_intact(r));
    saved_break = sbrk(0);
    ck_assert_int_eq(replay_save(r, &cp), 0);
    before = replay_dump(r);
    step_of(r);
    step_of(r);
    grown_break = sbrk(0);
    ck_assert(grown_break > saved_break + 30000);
    ck_assert_int_eq(replay_restore(r, &cp), 0);
    ck_assert_ptr_eq(sbrk(0), saved_break);
    ck_assert(replay_grower_intact(r));
    after = replay_dump(r);
    ck_assert_str_eq(after, before);
    step_of(r);
    step_of(r);
    ck_assert_ptr_eq(sbrk(0), grown_break);
    /* Someone else moves the break: the replay says so, and a restore
     * (which would have to move it back under them) fails. */
    ck_assert_ptr_ne(sbrk(4096), (void *)-1);
    ck_assert(!replay_grower_intact(r));
    ck_assert_int_eq(replay_restore(r, &cp), ENOMEM);
    ck_assert_ptr_ne(sbrk(-4096), (void *)-1);
    ck_assert(replay_grower_intact(r));
    free(before);
    free(after);
    replay_checkpoint_release(&cp);
    replay_finish(r, s);
}
END_TEST

static Suite *checkpoint_suite(void)
{
    Suite *s = suite_create("checkpoint");
    TCase *tc = tcase_create("checkpoints");

    tcase_add_test(tc, checkpoints_give_the_dumps_of_a_straight_replay);
    tcase_add_test(tc, a_checkpoint_brings_back_the_ids);
    tcase_add_test(tc, checkpoints_need_their_own_replay);
    tcase_add_test(tc, a_checkpoint_puts_the_program_break_back);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return fixture_run(checkpoint_suite()); }

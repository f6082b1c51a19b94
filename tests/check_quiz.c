/* check_quiz.c - quiz mode without a terminal: the questions a step asks,
 * their right answers and reasons, the grading of typed answers, and the
 * controller that steps, asks, steps back and shows the verdict, driven
 * here as the viewer's keys drive it. */
#include "quiz.h"
#include "quiz_controller.h"
#include "script_fixture.h"

static quiz_question q[QUIZ_MAX_QUESTIONS];
static char verdict[1024];

/* Replays `text` up to its operation number `n` (from 1), and asks about
 * that one.  Returns how many questions it asks. */
static size_t ask(const char *text, size_t n)
{
    hl_script *s;
    replay *r = replay_start(text, &s);
    hl_step_result res;
    quiz_before before;
    size_t i, count;

    for (i = 1; i < n; i++)
        ck_assert(replay_step(r, &res));
    quiz_snapshot(&before, replay_heap(r));
    ck_assert(replay_step(r, &res));
    count = quiz_make(q, &before,
                      res.op->id == SCRIPT_NO_ID ? "-" : s->id_names[res.op->id],
                      &res);
    replay_finish(r, s);
    return count;
}

#define ck_assert_has(haystack, needle)                                        \
    ck_assert_msg(strstr((haystack), (needle)) != NULL,                        \
                  "'%s' is not in '%s'", (needle), (haystack))

/* ---------------------------------------------------------------------------
 * Allocations
 * ------------------------------------------------------------------------- */

#define FREED_40 "heap preset=reference\na a 40\na s 16\nf a\n"

START_TEST(the_freelist_head_is_big_enough)
{
    ck_assert_uint_eq(ask(FREED_40 "a x 16\n", 4), 2);
    ck_assert_int_eq(q[0].kind, QUIZ_GROW);
    ck_assert_uint_eq(q[0].answer, 0);
    ck_assert_str_eq(q[0].reason, "no: a free block was big enough");
    ck_assert_int_eq(q[1].kind, QUIZ_OFFSET);
    ck_assert_uint_eq(q[1].answer, 0);
    ck_assert_str_eq(q[1].prompt,
                     "a x 16: at which offset will x's block (its header) "
                     "start?");
    ck_assert_str_eq(q[1].reason,
                     "first fit: the freelist's head, block 0 (40 bytes), "
                     "was big enough; it split into the object's 16 bytes "
                     "+ a free rest of 16 bytes at 24");
}
END_TEST

START_TEST(a_rest_too_small_stays_in_the_object)
{
    ask(FREED_40 "a x 24   # comment\n", 4);
    ck_assert_has(q[1].prompt, "a x 24: at which");
    ck_assert_has(q[1].reason, "the rest, 16 bytes, was too small to be a "
                               "block, so the object's block keeps all 40 "
                               "bytes");
}
END_TEST

/* A block that holds just what the request needs leaves no rest at all:
 * not one "too small to be a block". */
START_TEST(an_exact_fit_has_no_rest)
{
    ask(FREED_40 "a x 40\n", 4);
    ck_assert_uint_eq(q[1].answer, 0);
    ck_assert_str_eq(q[1].reason,
                     "first fit: the freelist's head, block 0 (40 bytes), "
                     "was big enough; the block fits the object exactly (40 "
                     "bytes), so there is no rest");
    /* Rounded up to 16 bytes, the smallest contents a block has. */
    ask("heap preset=reference\na a 16\na b 16\nf a\na x 1\n", 4);
    ck_assert_uint_eq(q[1].answer, 0);
    ck_assert_has(q[1].reason, "fits the object exactly (16 bytes)");
    /* The grower asked for just the block (no minimum increment). */
    ask("heap preset=reference increment=0\na x 100\n", 1);
    ck_assert_has(q[1].reason, "the grower added the heap's first 112 "
                               "bytes");
    ck_assert_has(q[1].reason, "fits the object exactly (104 bytes), so "
                               "there is no rest");
    ck_assert(strstr(q[1].reason, "too small") == NULL);
}
END_TEST

START_TEST(first_fit_walks_past_small_blocks)
{
    ask(FREED_40 "a y 100\n", 4);
    ck_assert_uint_eq(q[1].answer, 72);
    ck_assert_str_eq(q[1].reason,
                     "first fit: the 1 block before it on the freelist was "
                     "too small; block 72 (4016 bytes), the second, was the "
                     "first big enough; it split into the object's 104 "
                     "bytes + a free rest of 3904 bytes at 184");
}
END_TEST

START_TEST(best_fit_names_the_smallest)
{
    ask("heap preset=reference fit=best\n"
        "a a 100\na s1 16\na b 40\na s2 16\nf a\nf b\na x 40\n", 7);
    ck_assert_uint_eq(q[1].answer, 136);
    ck_assert_has(q[1].reason, "best fit: of the blocks big enough, block "
                               "136 (40 bytes) was the smallest");
}
END_TEST

START_TEST(the_first_allocation_grows_the_heap)
{
    ask("heap preset=reference\na x 10\n", 1);
    ck_assert_uint_eq(q[0].answer, 1);
    ck_assert_str_eq(q[0].prompt,
                     "a x 10: will the heap grow? (its end is at 0 now)");
    ck_assert_str_eq(q[0].reason,
                     "yes: the freelist was empty, so the grower extended "
                     "the heap by 4096 bytes: its end moved from 0 to 4096");
    ck_assert_uint_eq(q[1].answer, 0);
    ck_assert_str_eq(q[1].reason,
                     "the freelist was empty, so the grower added the heap's "
                     "first 4096 bytes, for a free block at 0, and the "
                     "object's block went at its start, 0; it split into "
                     "the object's 16 bytes + a free rest of 4064 bytes at "
                     "24");
}
END_TEST

/* The numbers of a grown heap each say what they are: where the last
 * block ended, the free block that took the new bytes in, the object's
 * block (the answer).  With align=16 the first block starts 8 bytes in,
 * not at the heap end 0. */
START_TEST(a_grown_heap_names_each_place)
{
    ask("heap preset=default\na a 100\na b 5000\n", 1);
    ck_assert_uint_eq(q[1].answer, 8);
    ck_assert_has(q[1].reason, "the grower added the heap's first 4096 "
                               "bytes, for a free block at 8 (8 bytes in: "
                               "an object, one header past its block's "
                               "start, is then aligned to 16), and the "
                               "object's block went at its start, 8;");
    ask("heap preset=default\na a 100\na b 5000\n", 2);
    ck_assert_uint_eq(q[1].answer, 120);
    ck_assert_has(q[1].reason, "so the grower added 4096 bytes; the last "
                               "block, free block 120 (it ended at 4088), "
                               "took them in (immediate merging), and the "
                               "object's block went at its start, 120; it "
                               "split into the object's 5000 bytes");
    ck_assert(strstr(q[1].reason, "heap end") == NULL);
    /* Lazy merging leaves the last free block alone: the new one starts
     * where it ends. */
    ask("heap preset=reference\na a 100\na b 5000\n", 2);
    ck_assert_uint_eq(q[1].answer, 4096);
    ck_assert_has(q[1].reason, "so the grower added 5008 bytes, for a free "
                               "block where the last block ended, 4096, and "
                               "the object's block went at its start, "
                               "4096;");
    /* An aligned object in new space: the padding in front is named. */
    ask("heap preset=default\nm x 64 64\n", 1);
    ck_assert_uint_eq(q[1].answer, 56);
    ck_assert_has(q[1].reason, "for a free block at 8 (8 bytes in");
    ck_assert_has(q[1].reason, "the object's block went into it at 56; for "
                               "the alignment a free padding block of 40 "
                               "bytes stays in front, at 8");
}
END_TEST

START_TEST(the_search_merges_on_its_way)
{
    /* Lazy merging: the head, 24, absorbs 48 (freed before it) first. */
    ask("heap preset=reference\n"
        "a a 16\na b 16\na c 16\na d 16\nf b\nf a\na x 40\n", 7);
    ck_assert_uint_eq(q[1].answer, 0);
    ck_assert_has(q[1].reason, "block 0 (16 bytes), was big enough once it "
                               "had absorbed the 1 free block after it "
                               "(40 bytes then)");
}
END_TEST

/* A call that fails is asked where its object goes first (null): the
 * reason the heap does not grow says that the call failed, and asked
 * first it gave the second answer away. */
START_TEST(a_failed_allocation_answers_null)
{
    ask("heap preset=reference capacity=4K increment=0\na x 5000\n", 1);
    ck_assert_int_eq(q[0].kind, QUIZ_OFFSET);
    ck_assert_uint_eq(q[0].answer, QUIZ_NULL);
    ck_assert_has(q[0].reason, "NULL: the freelist was empty and the grower "
                               "could not extend the heap");
    ck_assert_int_eq(quiz_grade_answer(&q[0], "null", verdict,
                                       sizeof verdict), QUIZ_RIGHT);
    ck_assert_int_eq(q[1].kind, QUIZ_GROW);
    ck_assert_uint_eq(q[1].answer, 0);
    ck_assert_has(q[1].reason, "the call failed");
}
END_TEST

START_TEST(aligned_objects_leave_padding)
{
    ask("heap preset=reference\na a 8\nm x 64 16\n", 2);
    ck_assert_uint_eq(q[1].answer, 56);
    ck_assert_has(q[1].reason, "a free padding block of 24 bytes stays in "
                               "front, at 24");
}
END_TEST

/* With place=apart a large object in turn with small ones goes to the
 * back of its block: the free block left in front is the placement's,
 * not padding for an alignment. */
START_TEST(apart_says_why_the_object_is_at_the_back)
{
    ask("heap place=apart\na x 16\na y 300\n", 2);
    ck_assert_uint_eq(q[1].answer, 3768);
    ck_assert_has(q[1].reason, "place=apart put this large object at the "
                               "back of the block (the program asks for "
                               "small and large ones in turn), so a free "
                               "block of 3720 bytes stays in front, at 40");
    ck_assert(strstr(q[1].reason, "alignment") == NULL);
}
END_TEST

START_TEST(realloc_says_in_place_or_moved)
{
    ask("heap preset=reference\na x 100\na y 16\nr x 40\n", 3);
    ck_assert_uint_eq(q[1].answer, 0);
    ck_assert_has(q[1].reason, "in place: block 0 stays; a free rest of 56 "
                               "bytes was split off at 48");
    ask("heap preset=reference\na x 16\na y 16\nr x 400\n", 3);
    ck_assert_uint_eq(q[1].answer, 48);
    ck_assert_has(q[1].reason, "moved: block 0 could not become big enough");
}
END_TEST

/* The merges of a moving realloc are told apart: the old block taking in
 * the free block after it (trying to grow where it was), and the free of
 * the old block after the move, are not the search's (lesson 7). */
START_TEST(a_move_says_whose_merges_they_were)
{
    ask("heap preset=reference\na a 64\na b 16\na c 16\nr a 24\nf c\n"
        "r b 60\nr a 200\n", 7);
    ck_assert_uint_eq(q[1].answer, 144);
    ck_assert_str_eq(q[1].reason,
                     "moved: block 0 could not become big enough where it "
                     "was (it absorbed the 1 free block after it, and was "
                     "still too small), so a new block was found; first "
                     "fit: the freelist's head, block 144 (3944 bytes), was "
                     "big enough; it split into the object's 200 bytes + a "
                     "free rest of 3736 bytes at 352; the old block was "
                     "copied and freed");
    /* With immediate merging the old block, freed, joins block 0. */
    ask("heap preset=reference merge=immediate\na w 16\na x 16\na y 16\n"
        "f w\nr x 400\n", 5);
    ck_assert_uint_eq(q[1].answer, 96);
    ck_assert(strstr(q[1].reason, "merged") == NULL);
    ck_assert(strstr(q[1].reason, "absorbed") == NULL);
}
END_TEST

/* place=apart: a block that cannot grow forward moves down into the free
 * block before it (grown_backwards), with no new block found. */
START_TEST(a_move_back_into_the_block_before)
{
    ask("heap place=apart\na s1 16\na x 300\na s2 16\na y 300\n"
        "a s3 16\nr y 600\n", 6);
    ck_assert_uint_eq(q[1].answer, 104);
    ck_assert_str_eq(q[1].reason,
                     "moved: block 3448 could not become big enough where "
                     "it was, so with place=apart the free block before it, "
                     "104, took it in, and the object moved down to that "
                     "block's start; a free rest of 3048 bytes was split "
                     "off at 712");
}
END_TEST

/* ---------------------------------------------------------------------------
 * Frees
 * ------------------------------------------------------------------------- */

#define FOUR "a a 16\na b 16\na c 16\na d 16\n"

START_TEST(lazy_merging_never_merges_on_free)
{
    ck_assert_uint_eq(ask("heap preset=reference\n" FOUR "f a\nf b\n", 6),
                      1);
    ck_assert_int_eq(q[0].kind, QUIZ_MERGE);
    ck_assert_uint_eq(q[0].answer, QUIZ_MERGE_NONE);
    ck_assert_str_eq(q[0].prompt, "f b: block 24 (16 bytes) is freed. Which "
                                  "neighbours will it merge with?");
    ck_assert_has(q[0].reason, "none: with lazy merging (the reference, "
                               "rule 6) a free only sets the tag bit and "
                               "puts the block at the front of the "
                               "freelist (lifo)");
}
END_TEST

START_TEST(immediate_merging_names_both_neighbours)
{
    /* Immediate merging needs room for a footer: blocks of 24 bytes. */
    ask("heap preset=reference merge=immediate\n" FOUR "f a\nf c\nf b\n", 7);
    ck_assert_uint_eq(q[0].answer, QUIZ_MERGE_BOTH);
    ck_assert_str_eq(q[0].reason,
                     "immediate merging joins a freed block at once with "
                     "the free blocks beside it: the block after it, 64 (24 "
                     "bytes), was free; the block before it, 0 (24 bytes), "
                     "was free; the result is one free block at 0 of 88 "
                     "bytes, which goes at the front of the freelist "
                     "(lifo)");
    ask("heap preset=reference merge=immediate\n" FOUR "f a\nf b\n", 6);
    ck_assert_uint_eq(q[0].answer, QUIZ_MERGE_BEFORE);
    ask("heap preset=reference merge=immediate\n" FOUR "f b\nf a\n", 6);
    ck_assert_uint_eq(q[0].answer, QUIZ_MERGE_AFTER);
    ck_assert_has(q[0].reason, "no block comes before it");
    ask("heap preset=reference merge=immediate\n" FOUR "f b\n", 5);
    ck_assert_uint_eq(q[0].answer, QUIZ_MERGE_NONE);
    ck_assert_has(q[0].reason, "the block after it, 64, is in use; the "
                               "block before it is in use");
}
END_TEST

/* With no free neighbour it is the freed block itself that goes on the
 * list, and the reason must say so, not hang a "which" on the neighbour. */
START_TEST(a_lone_free_says_the_freed_block_goes_on_the_list)
{
    ask("heap preset=reference merge=immediate\n" FOUR "f b\n", 5);
    ck_assert_str_eq(q[0].reason,
                     "immediate merging joins a freed block at once with "
                     "the free blocks beside it: the block after it, 64, is "
                     "in use; the block before it is in use; so nothing "
                     "merges, and the freed block itself goes at the front "
                     "of the freelist (lifo)");
    ask("heap preset=reference merge=immediate order=fifo\n" FOUR "f a\n",
        5);
    ck_assert_uint_eq(q[0].answer, QUIZ_MERGE_NONE);
    ck_assert_has(q[0].reason, "no block comes before it; so nothing "
                               "merges, and the freed block itself goes at "
                               "the back of the freelist (fifo)");
    ck_assert(strstr(q[0].reason, "which") == NULL);
}
END_TEST

START_TEST(checks_and_null_frees_ask_nothing)
{
    ck_assert_uint_eq(ask("a x 1\ncheck\n", 2), 0);
    ck_assert_uint_eq(ask("a x 1\nexpect block x 8\n", 2), 0);
    ck_assert_uint_eq(ask("a x 1\nf -1\n", 2), 0);
}
END_TEST

/* ---------------------------------------------------------------------------
 * Grading
 * ------------------------------------------------------------------------- */

START_TEST(answers_are_graded_with_the_reason)
{
    ask(FREED_40 "a x 16\n", 4);
    ck_assert_int_eq(quiz_grade_answer(&q[1], " 0\n", verdict, sizeof verdict),
                     QUIZ_RIGHT);
    ck_assert_str_eq(verdict, "right: first fit: the freelist's head, block "
                              "0 (40 bytes), was big enough; it split into "
                              "the object's 16 bytes + a free rest of 16 "
                              "bytes at 24");
    ck_assert_int_eq(quiz_grade_answer(&q[1], "72", verdict, sizeof verdict),
                     QUIZ_WRONG);
    ck_assert_has(verdict, "wrong: you said 72, it is 0. first fit:");
    ck_assert_int_eq(quiz_grade_answer(&q[0], "Y", verdict, sizeof verdict),
                     QUIZ_WRONG);
    ck_assert_has(verdict, "wrong: you said y, it is n. no: a free block");
    ck_assert_int_eq(quiz_grade_answer(&q[0], "no", verdict, sizeof verdict),
                     QUIZ_RIGHT);
}
END_TEST

START_TEST(unreadable_answers_say_what_is_understood)
{
    ask(FREED_40 "a x 16\n", 4);
    ck_assert_int_eq(quiz_grade_answer(&q[1], "12x", verdict, sizeof verdict),
                     QUIZ_UNREADABLE);
    ck_assert_str_eq(verdict, "'12x' is not an answer here: type the offset "
                              "and Enter (null: the call fails)");
    ask("heap preset=reference\n" FOUR "f a\n", 5);
    ck_assert_int_eq(quiz_grade_answer(&q[0], "maybe", verdict,
                                       sizeof verdict), QUIZ_UNREADABLE);
    ck_assert_int_eq(quiz_grade_answer(&q[0], "n", verdict, sizeof verdict),
                     QUIZ_RIGHT);
    ck_assert_int_eq(quiz_grade_answer(&q[0], "both", verdict,
                                       sizeof verdict), QUIZ_WRONG);
    ck_assert_has(verdict, "you said both, it is none");
}
END_TEST

START_TEST(the_score_counts_graded_answers)
{
    quiz_score score = {0, 0};
    char buf[32];

    quiz_score_add(&score, QUIZ_RIGHT);
    quiz_score_add(&score, QUIZ_WRONG);
    quiz_score_add(&score, QUIZ_UNREADABLE);
    quiz_score_add(&score, QUIZ_RIGHT);
    ck_assert_str_eq(quiz_score_text(&score, buf, sizeof buf), "2/3 right");
}
END_TEST

/* ---------------------------------------------------------------------------
 * The controller
 * ------------------------------------------------------------------------- */

static hl_script *ctl_script;
static timeline *ctl_tl;
static quiz_controller ctl;

/* a (40 B), s, then free(a): questions at steps 1 and 2 (grow? where?),
 * none at the check of step 3, a merge question at step 4. */
static void ctl_start(void)
{
    char err[256];

    ctl_script = parse_ok("heap preset=reference\na a 40\na s 16\n"
                          "check\nf a\n");
    ctl_tl = timeline_open(ctl_script, 0, TL_BUDGET, err, sizeof err);
    ck_assert_msg(ctl_tl != NULL, "%s", err);
    memset(&ctl, 0, sizeof ctl);
    ctl.on = true;
}

static void ctl_end(void)
{
    timeline_close(ctl_tl);
    script_free(ctl_script);
}

START_TEST(right_asks_first_from_the_heap_before)
{
    ck_assert_int_eq(quiz_next(&ctl, ctl_tl, ctl_script, false),
                     QUIZ_ASKING);
    /* Stepped, asked, and stepped back: still at step 0. */
    ck_assert_uint_eq(timeline_position(ctl_tl), 0);
    ck_assert(ctl.asking);
    ck_assert_uint_eq(ctl.target, 1);
    ck_assert_uint_eq(ctl.count, 2);
    ck_assert_str_eq(ctl.panel.line[0], "QUIZ (1/2 for step 1):");
    /* y answers the grow question at once; the offset is typed. */
    ck_assert_int_eq(quiz_type(&ctl, ctl_tl, 'y', false), QUIZ_ASKING);
    ck_assert_has(ctl.panel.line[0], "right");
    ck_assert_uint_eq(ctl.current, 1);
    ck_assert_int_eq(quiz_type(&ctl, ctl_tl, '8', false), QUIZ_ASKING);
    quiz_erase(&ctl);
    ck_assert_int_eq(quiz_type(&ctl, ctl_tl, '0', false), QUIZ_ASKING);
    ck_assert_str_eq(ctl.typed, "0");
    ck_assert_uint_eq(timeline_position(ctl_tl), 0);
    /* Enter grades it, and only then is the step shown. */
    ck_assert_int_eq(quiz_enter(&ctl, ctl_tl, false), QUIZ_MOVED);
    ck_assert_uint_eq(timeline_position(ctl_tl), 1);
    ck_assert(!ctl.asking);
    ck_assert_uint_eq(ctl.score.asked, 2);
    ck_assert_uint_eq(ctl.score.right, 2);
    /* Left, then Right again: not asked twice. */
    ck_assert_int_eq(timeline_go(ctl_tl, 0), 0);
    quiz_moved(&ctl, ctl_tl);
    ck_assert_int_eq(quiz_next(&ctl, ctl_tl, ctl_script, false), QUIZ_MOVED);
    ck_assert_uint_eq(timeline_position(ctl_tl), 1);
    ck_assert_uint_eq(ctl.score.asked, 2);
}
END_TEST

START_TEST(wrong_and_unreadable_answers)
{
    char line[128];

    quiz_next(&ctl, ctl_tl, ctl_script, false);
    ck_assert_str_eq(quiz_answer_line(&ctl, line, sizeof line),
                     "your answer? y yes, n no");
    /* Not an answer: said why, nothing counted, the question stays up. */
    ck_assert_int_eq(quiz_type(&ctl, ctl_tl, 'x', false), QUIZ_ASKING);
    ck_assert(ctl.message[0] != '\0');
    ck_assert_uint_eq(ctl.score.asked, 0);
    ck_assert_uint_eq(ctl.current, 0);
    /* Enter does nothing to a one-key question but say so. */
    ck_assert_int_eq(quiz_enter(&ctl, ctl_tl, false), QUIZ_ASKING);
    ck_assert_has(ctl.message, "one key answers");
    ck_assert_int_eq(quiz_type(&ctl, ctl_tl, 'n', false), QUIZ_ASKING);
    ck_assert_has(ctl.panel.line[0], "wrong");
    ck_assert_uint_eq(ctl.score.asked, 1);
    ck_assert_uint_eq(ctl.score.right, 0);
    ck_assert_str_eq(quiz_answer_line(&ctl, line, sizeof line),
                     "your answer: _ (offset, then Enter)");
}
END_TEST

START_TEST(escape_skips_and_the_end_gives_the_score)
{
    quiz_next(&ctl, ctl_tl, ctl_script, true);
    quiz_skip(&ctl);
    ck_assert(!ctl.asking);
    ck_assert_str_eq(ctl.message, "skipped: Right shows step 1");
    ck_assert_uint_eq(timeline_position(ctl_tl), 0);
    /* Right shows the skipped step without asking again. */
    ck_assert_int_eq(quiz_next(&ctl, ctl_tl, ctl_script, true), QUIZ_MOVED);
    ck_assert_uint_eq(timeline_position(ctl_tl), 1);
    /* A jump past steps 2 and 3 (as g or play would): not asked. */
    ck_assert_int_eq(timeline_go(ctl_tl, 3), 0);
    quiz_moved(&ctl, ctl_tl);
    /* Step 4 frees a: a merge question; none merges (lazy). */
    ck_assert_int_eq(quiz_next(&ctl, ctl_tl, ctl_script, true), QUIZ_ASKING);
    ck_assert_uint_eq(ctl.questions[0].kind, QUIZ_MERGE);
    ck_assert_int_eq(quiz_type(&ctl, ctl_tl, 'n', true), QUIZ_MOVED);
    ck_assert_uint_eq(timeline_position(ctl_tl), 4);
    ck_assert_str_eq(ctl.message,
                     "quiz over: 1/1 right; n or Right: the next script");
    /* Under the last verdict, where the answer key is. */
    {
        char all[4 * VM_LINE_MAX] = "";
        size_t i;
        for (i = 0; i < ctl.panel.count; i++) {
            strncat(all, ctl.panel.line[i], sizeof all - strlen(all) - 2);
            strcat(all, " ");
        }
        ck_assert_msg(strstr(all, "right") != NULL, "%s", all);
        ck_assert_msg(strstr(all, "heaplab run --answers t.hl") != NULL,
                      "%s", all);
    }
    /* Right at the end: the score, then on to the next script. */
    ck_assert_int_eq(quiz_next(&ctl, ctl_tl, ctl_script, true), QUIZ_OVER);
    ck_assert_int_eq(quiz_next(&ctl, ctl_tl, ctl_script, true), QUIZ_LEAVE);
}
END_TEST

static Suite *quiz_suite(void)
{
    Suite *s = suite_create("quiz");
    TCase *allocs = tcase_create("allocations");
    TCase *frees = tcase_create("frees");
    TCase *grading = tcase_create("grading");
    TCase *controller = tcase_create("controller");

    tcase_add_test(allocs, the_freelist_head_is_big_enough);
    tcase_add_test(allocs, a_rest_too_small_stays_in_the_object);
    tcase_add_test(allocs, an_exact_fit_has_no_rest);
    tcase_add_test(allocs, first_fit_walks_past_small_blocks);
    tcase_add_test(allocs, best_fit_names_the_smallest);
    tcase_add_test(allocs, the_first_allocation_grows_the_heap);
    tcase_add_test(allocs, a_grown_heap_names_each_place);
    tcase_add_test(allocs, the_search_merges_on_its_way);
    tcase_add_test(allocs, a_failed_allocation_answers_null);
    tcase_add_test(allocs, aligned_objects_leave_padding);
    tcase_add_test(allocs, apart_says_why_the_object_is_at_the_back);
    tcase_add_test(allocs, realloc_says_in_place_or_moved);
    tcase_add_test(allocs, a_move_says_whose_merges_they_were);
    tcase_add_test(allocs, a_move_back_into_the_block_before);
    tcase_add_test(frees, lazy_merging_never_merges_on_free);
    tcase_add_test(frees, immediate_merging_names_both_neighbours);
    tcase_add_test(frees, a_lone_free_says_the_freed_block_goes_on_the_list);
    tcase_add_test(frees, checks_and_null_frees_ask_nothing);
    tcase_add_test(grading, answers_are_graded_with_the_reason);
    tcase_add_test(grading, unreadable_answers_say_what_is_understood);
    tcase_add_test(grading, the_score_counts_graded_answers);
    suite_add_tcase(s, allocs);
    suite_add_tcase(s, frees);
    tcase_add_checked_fixture(controller, ctl_start, ctl_end);
    tcase_add_test(controller, right_asks_first_from_the_heap_before);
    tcase_add_test(controller, wrong_and_unreadable_answers);
    tcase_add_test(controller, escape_skips_and_the_end_gives_the_score);
    suite_add_tcase(s, grading);
    suite_add_tcase(s, controller);
    return s;
}

int main(void) { return fixture_run(quiz_suite()); }

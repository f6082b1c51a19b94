/* run_report.c - what `heaplab run` prints about a script: the heap dumps
 * of --dump-each and --dump-at, the statistics of --stats, the summary of
 * a script that held, the report of an allocation that failed when nothing
 * said it would, and the answered questions of --answers.
 *
 * run.c decides what to print and when; these functions only print it.
 * Everything goes to stdout, except the report of a failure, which goes to
 * stderr as FILE:LINE and a message, like the failures of checks.
 */
#include <stdio.h>

#include "heaplab.h"
#include "quiz.h"
#include "replay.h"
#include "run_report.h"
#include "script.h"

/* One heap's dump; with a heap per thread, every heap's, each after a
 * line '### heap N' (heap N is thread N's). */
void dump_step(replay *r, size_t step, const char *source)
{
    unsigned i, n = replay_heap_count(r);

    printf("## step %zu: %s\n", step, source);
    if (n == 1) {
        hl_heap_dump(replay_heap(r), stdout);
        return;
    }
    for (i = 1; i <= n; i++) {
        printf("### heap %u\n", i);
        hl_heap_dump(replay_heap_at(r, i), stdout);
    }
}

static double percent(double fraction) { return 100.0 * fraction; }

void print_stats(const char *name, unsigned number, hl_heap *heap)
{
    hl_stats s;

    hl_heap_stats(heap, &s);
    if (number)
        printf("%s: stats of heap %u (thread %u's)\n", name, number, number);
    else
        printf("%s: stats\n", name);
    printf("  heap size      %zu bytes (peak %zu)\n", s.heap_size,
           s.peak_heap_size);
    printf("  used blocks    %zu, %zu bytes\n", s.used_blocks, s.used_bytes);
    printf("  free blocks    %zu, %zu bytes\n", s.free_blocks, s.free_bytes);
    printf("  largest free   %zu bytes\n", s.largest_free);
    if (s.large_from) {
        printf("  large from     %zu bytes (place=%s)\n", s.large_from,
               hl_place_name(hl_heap_config(heap)->place));
        printf("  in turn        %zu%% of requests: large ones at the %s\n",
               s.in_turn, s.large_at_back ? "back" : "front");
    }
    printf("  requested      %zu bytes (peak %zu)\n", s.requested_bytes,
           s.peak_requested);
    printf("  utilization    %.1f%%\n", percent(s.utilization));
    printf("  fragmentation  %.1f%%\n", percent(s.fragmentation));
    printf("  counts         allocs=%zu frees=%zu reallocs=%zu failures=%zu "
           "grows=%zu trims=%zu splits=%zu merges=%zu\n", s.allocs, s.frees,
           s.reallocs, s.failures, s.grows, s.trims, s.splits, s.merges);
    if (hl_heap_config(heap)->cache)
        printf("  cache          %zu blocks, %zu bytes; hits=%zu puts=%zu "
               "flushes=%zu\n", s.cached_blocks, s.cached_bytes,
               s.cache_hits, s.cache_puts, s.flushes);
    if (hl_heap_config(heap)->heaps == HL_HEAPS_PER_THREAD)
        printf("  remote frees   %zu waiting; %zu freed in %zu drains\n",
               s.remote_pending, s.remote_frees, s.drains);
}

/* "FILE: passed: 3 operations, 1 check or expect", and how many
 * allocations failed (as expected) when some did. */
void print_summary(const char *name, size_t operations,
                   size_t checks, size_t failures, size_t skipped)
{
    printf("%s: passed: %zu operation%s, %zu check%s or expect%s", name,
           operations, operations == 1 ? "" : "s", checks,
           checks == 1 ? "" : "s", checks == 1 ? "" : "s");
    if (failures > 0)
        printf(", %zu failed allocation%s (expected)", failures,
               failures == 1 ? "" : "s");
    if (skipped > 0)
        printf(", %zu expect%s not checked (--skip-expects)", skipped,
               skipped == 1 ? "" : "s");
    putchar('\n');
}

/* An allocation that returned NULL, unexpected: "FILE:LINE: allocation of
 * N bytes failed", and, on a static or mmap grower, that its capacity is
 * what ran out, unless the request was more than any heap takes. */
void report_failure(const hl_script *script, const hl_step_result *res,
                    replay *r)
{
    const script_op *op = res->op;
    hl_heap *heap = replay_heap_at(
        r, quiz_step_heap(script, res->index, replay_heap_count(r)));
    hl_stats s;

    if (op->kind == SCRIPT_CALLOC)
        fprintf(stderr, "%s:%u: allocation of %zu x %zu bytes failed",
                script->name, op->line, op->count, op->size);
    else
        fprintf(stderr, "%s:%u: allocation of %zu bytes failed",
                script->name, op->line, op->size);
    if (script->heap.grower == SCRIPT_GROWER_BRK ||
        script_op_bytes(op) > HL_MAX_REQUEST) { /* an overflow too */
        fputc('\n', stderr);
        return;
    }
    hl_heap_stats(heap, &s);
    fprintf(stderr, ": the heap holds %zu bytes and its grower's capacity is "
            "%zu; give it more with capacity=SIZE on the heap line or in "
            "--heap\n",
            s.heap_size, script_capacity(script));
}

/* --answers: the quiz's questions about the step just run, asked of the
 * heap as it was before it, each with its answer and the reason. */
void print_answers(const hl_script *script, const quiz_before *before,
                   const hl_step_result *res)
{
    quiz_question q[QUIZ_MAX_QUESTIONS];
    const char *id = res->op->id == SCRIPT_NO_ID
                         ? "-" : script->id_names[res->op->id];
    size_t i, n = quiz_make(q, before, id, res);
    char answer[64];

    if (n == 0)
        return;
    printf("## step %zu: %s\n", res->index + 1, res->op->source);
    for (i = 0; i < n; i++) {
        quiz_answer_text(&q[i], q[i].answer, answer, sizeof answer);
        printf("Q: %s\nA: %s. %s\n", q[i].prompt, answer, q[i].reason);
    }
}

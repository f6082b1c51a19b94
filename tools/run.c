/* run.c - `heaplab run`: replay allocation scripts without a screen.
 *
 *   heaplab run [--heap 'KEY=VALUE ...'] [--dump-each] [--dump-at N]...
 *               [--stats] [--quiet] [--skip-expects] [--answers] SCRIPT...
 *
 * Every script is parsed before any runs, so a mistake in one of them
 * stops everything before a heap is touched (exit 2).  Then each script is
 * replayed to its end, or to its first check or expect that does not hold,
 * or to an allocation that fails (returns NULL) without an `expect null ID`
 * saying it should (exit 1, with FILE:LINE and what was found on stderr).
 * Exit 0 means every check and expect of every script held.  What is
 * printed about a script (dumps, statistics, summaries, failures, answers)
 * is written in run_report.c.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "heaplab.h"
#include "quiz.h"
#include "replay.h"
#include "run_report.h"
#include "script.h"

enum { EXIT_HELD = 0, EXIT_FAILED = 1, EXIT_USAGE = 2 };

typedef struct run_options {
    const char **heap_options; /* each --heap, in order */
    size_t nheap_options;
    size_t *dump_at;           /* each --dump-at */
    size_t ndump_at;
    bool dump_each, stats, quiet;
    bool skip_expects;         /* expects are not checked (checks are) */
    bool answers;              /* print the quiz's questions, answered */
} run_options;

static const char usage_text[] =
    "usage: heaplab run [OPTIONS] SCRIPT...\n"
    "Replays allocation scripts on a heap, without a screen, and checks\n"
    "their `check` and `expect` lines.  Every script is parsed first.\n"
    "\n"
    "  --heap 'KEY=VALUE ...'  set heap keys over the script's own heap line:\n"
    "                          preset=reference|default|fast|compact\n"
    "                          align=8|16 place=front|apart|zoned\n"
    "                          fit=first|next|best|worst|segregated\n"
    "                          order=lifo|fifo|address\n"
    "                          merge=lazy|immediate|none cache=on|off\n"
    "                          heaps=one|per-thread\n"
    "                          grower=static|mmap|brk capacity=SIZE\n"
    "                          increment=SIZE\n"
    "  --dump-each             print the heap dump after every step, after a\n"
    "                          line '## step N: LINE'\n"
    "  --dump-at N             the same after step N only (0: before the\n"
    "                          first); may be given more than once\n"
    "  --stats                 print the heap's statistics at the end\n"
    "  --quiet                 print nothing unless something fails\n"
    "  --skip-expects          do not check `expect` lines (to run a script\n"
    "                          written for one heap on another: checks and\n"
    "                          failed allocations still count)\n"
    "  --answers               print the questions `heaplab view --quiz`\n"
    "                          asks before each step, with their answers\n"
    "                          and why: the answer key of an exercise\n"
    "  --help                  print this and exit\n"
    "  --version               print the version and exit\n"
    "\n"
    "Exit status: 0 when every check and expect held, 1 when one failed\n"
    "or an allocation failed without an `expect null ID` after it, 2 on a\n"
    "usage error or a mistake in a script (FILE:LINE: message).\n"
    "The script language is described in heaplab-run(1).\n";

/* Reads the options; returns -1 to go on, or the exit status. */
static int read_options(int argc, char **argv, run_options *o)
{
    static const struct option longs[] = {
        {"heap", required_argument, NULL, 'H'},
        {"dump-each", no_argument, NULL, 'e'},
        {"dump-at", required_argument, NULL, 'd'},
        {"stats", no_argument, NULL, 's'},
        {"quiet", no_argument, NULL, 'q'},
        {"skip-expects", no_argument, NULL, 'x'},
        {"answers", no_argument, NULL, 'a'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    char *end;
    int ch;

    opterr = 0;
    while ((ch = getopt_long(argc, argv, "q", longs, NULL)) != -1) {
        switch (ch) {
        case 'H': o->heap_options[o->nheap_options++] = optarg; break;
        case 'e': o->dump_each = true; break;
        case 's': o->stats = true; break;
        case 'q': o->quiet = true; break;
        case 'x': o->skip_expects = true; break;
        case 'a': o->answers = true; break;
        case 'h': fputs(usage_text, stdout); return EXIT_HELD;
        case 'V': printf("heaplab run %s\n", HL_VERSION); return EXIT_HELD;
        case 'd':
            o->dump_at[o->ndump_at++] = strtoul(optarg, &end, 10);
            if (*end || end == optarg || optarg[0] == '-') {
                fprintf(stderr, "heaplab run: --dump-at wants a step "
                        "number, got '%s'\n", optarg);
                return EXIT_USAGE;
            }
            break;
        default:
            fprintf(stderr, "heaplab run: unknown or incomplete option "
                    "'%s'\n", argv[optind - 1]);
            fputs(usage_text, stderr);
            return EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        fputs("heaplab run: no script given\n", stderr);
        fputs(usage_text, stderr);
        return EXIT_USAGE;
    }
    return -1;
}

static bool dump_at_lists(const run_options *o, size_t step)
{
    size_t i;

    for (i = 0; i < o->ndump_at; i++)
        if (o->dump_at[i] == step)
            return true;
    return false;
}

static bool wants_dump(const run_options *o, size_t step)
{
    return o->dump_each || dump_at_lists(o, step);
}

/* ---------------------------------------------------------------------------
 * Running
 * ------------------------------------------------------------------------- */

/* True when the script expects the allocation at ops[index] to fail: an
 * `expect null ID` follows it before anything else happens to ID. */
static bool failure_expected(const hl_script *script, size_t index)
{
    size_t id = script->ops[index].id, i;

    for (i = index + 1; i < script->nops; i++) {
        const script_op *op = &script->ops[i];
        if (op->id != id || op->kind == SCRIPT_CHECK)
            continue;
        if (op->kind != SCRIPT_EXPECT)
            return false;
        if (op->what == EXPECT_NULL)
            return true;
    }
    return false;
}

/* The heap the next operation will run on (its thread's, or the one), as
 * the quiz writes it down before the step (quiz_controller.c does the
 * same for the viewer). */
static void snapshot_next(quiz_before *before, replay *r)
{
    const hl_script *s = replay_script(r);
    unsigned heaps = replay_heap_count(r);
    unsigned number = quiz_step_heap(s, replay_position(r), heaps);

    quiz_snapshot_step(before, replay_heap_at(r, number), s, heaps, number);
}

/* Replays one parsed script; returns its exit status. */
static int run_script(const hl_script *script, const run_options *o)
{
    hl_step_result *res = malloc(sizeof *res);
    quiz_before *before = malloc(sizeof *before);
    char err[256];
    size_t checks = 0, operations = 0, failures = 0, skipped = 0;
    int status = EXIT_HELD;
    replay *r;

    if (!res || !before || !(r = replay_new(script, err, sizeof err))) {
        fprintf(stderr, "%s\n", res && before ? err
                                                : "heaplab run: out of memory");
        free(res);
        free(before);
        return EXIT_USAGE;
    }
    if (dump_at_lists(o, 0))
        dump_step(r, 0, "start");
    for (;;) {
        if (o->answers)
            snapshot_next(before, r);
        if (!replay_step(r, res))
            break;
        if (o->answers)
            print_answers(script, before, res);
        if (wants_dump(o, res->index + 1))
            dump_step(r, res->index + 1, res->op->source);
        if (o->skip_expects && res->op->kind == SCRIPT_EXPECT) {
            skipped++;
            continue;
        }
        if (res->op->kind == SCRIPT_CHECK || res->op->kind == SCRIPT_EXPECT)
            checks++;
        else
            operations++;
        if (!res->passed) {
            fprintf(stderr, "%s\n", res->message);
            status = EXIT_FAILED;
            break;
        }
        if (res->failed && !failure_expected(script, res->index)) {
            report_failure(script, res, r);
            status = EXIT_FAILED;
            break;
        }
        failures += res->failed;
    }
    if (o->stats && replay_heap_count(r) == 1)
        print_stats(script->name, 0, replay_heap(r));
    else if (o->stats) {
        unsigned i;
        for (i = 1; i <= replay_heap_count(r); i++)
            print_stats(script->name, i, replay_heap_at(r, i));
    }
    if (status == EXIT_HELD && !o->quiet)
        print_summary(script->name, operations, checks, failures, skipped);
    replay_free(r);
    free(res);
    free(before);
    return status;
}

/* Parses every script and applies --heap to each; returns how many
 * failed, having said why on stderr. */
static size_t load_scripts(char **paths, size_t n, hl_script **scripts,
                           const run_options *o)
{
    char err[512];
    size_t i, j, failed = 0;

    for (i = 0; i < n; i++) {
        scripts[i] = script_load(paths[i], err, sizeof err);
        if (!scripts[i]) {
            fprintf(stderr, "%s\n", err);
            failed++;
            continue;
        }
        for (j = 0; j < o->nheap_options; j++)
            if (script_apply_heap_options(scripts[i], o->heap_options[j], err,
                                          sizeof err) != 0) {
                fprintf(stderr, "heaplab run: --heap: %s\n", err);
                return failed + 1;
            }
    }
    return failed;
}

int cmd_run(int argc, char **argv)
{
    /* stdout gets a static buffer: printing then allocates nothing, which
     * keeps the C library's malloc from moving the break under a heap on
     * the brk grower. */
    static char stdout_buffer[BUFSIZ];
    run_options o = {0};
    hl_script **scripts = NULL;
    size_t n = 0, i;
    int status;

    setvbuf(stdout, stdout_buffer, isatty(STDOUT_FILENO) ? _IOLBF : _IOFBF,
            sizeof stdout_buffer);
    o.heap_options = calloc((size_t)argc, sizeof *o.heap_options);
    o.dump_at = calloc((size_t)argc, sizeof *o.dump_at);
    if (!o.heap_options || !o.dump_at) {
        status = EXIT_USAGE;
        goto out;
    }
    if ((status = read_options(argc, argv, &o)) >= 0)
        goto out;
    n = (size_t)(argc - optind);
    if (!(scripts = calloc(n, sizeof *scripts)) ||
        load_scripts(argv + optind, n, scripts, &o) > 0) {
        status = EXIT_USAGE;
        goto out;
    }
    status = EXIT_HELD;
    for (i = 0; i < n; i++) {
        int one = run_script(scripts[i], &o);
        if (one > status)
            status = one;
    }
out:
    for (i = 0; i < n && scripts; i++)
        script_free(scripts[i]);
    free(scripts);
    free(o.heap_options);
    free(o.dump_at);
    fflush(stdout);
    return status;
}

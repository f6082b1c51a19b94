/* score.c - `heaplab score`: heap configurations scored on scripts and
 * traces, as the CS:APP malloc lab's driver scores a student's allocator.
 *
 *   heaplab score [--heap 'KEY=VALUE ...']... [--csv] [--chart]
 *                 SCRIPT|TRACE...
 *
 * Each --heap is one configuration (not a layer over the last, as in
 * `heaplab run`); without any, the presets and the fits are compared.
 * Every script is parsed, and every configuration tried on it, before
 * anything runs, so a mistake stops everything (exit 2).  Then each
 * script is replayed twice per configuration: once through the replay
 * engine to measure (score_row), once more, as often as it takes to last
 * SCORE_MIN_SECONDS, with the heap's observer off, to time.  A script's
 * check and expect lines run, but do not count: they were written for one
 * configuration.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "heaplab.h"
#include "replay.h"
#include "score.h"
#include "script.h"

enum { EXIT_DONE = 0, EXIT_USAGE = 2 };

/* Timing runs repeat the whole script until this much time has passed. */
#define SCORE_MIN_SECONDS 0.02
#define SCORE_MAX_RUNS 1000

/* Compared when no --heap is given: the presets, then the fits other than
 * first (preset=default's own). */
static const char *const default_heaps[] = {
    "preset=reference",
    "preset=default",
    "preset=fast",
    "preset=compact",
    "preset=default fit=next",
    "preset=default fit=best",
    "preset=default fit=worst",
    "preset=default fit=segregated",
};

#define NDEFAULT_HEAPS (sizeof default_heaps / sizeof default_heaps[0])

typedef struct score_options {
    const char **heaps;
    size_t nheaps;
    bool csv, chart;
} score_options;

static const char usage_text[] =
    "usage: heaplab score [OPTIONS] SCRIPT|TRACE...\n"
    "Replays each script or .rep trace on each heap configuration and\n"
    "prints, as the malloc lab's driver does, peak utilization (the most\n"
    "bytes live at once over the heap's high-water size), throughput\n"
    "(operations a second), failed allocations, the final heap size,\n"
    "merges and splits, then the averages per configuration.  A '*'\n"
    "marks the best of each column for each trace.\n"
    "\n"
    "  --heap 'KEY=VALUE ...'  a configuration to score (the keys of a\n"
    "                          script's heap line); give it once per\n"
    "                          configuration.  Without it: the presets\n"
    "                          reference, default, fast and compact, and\n"
    "                          fit=next, best, worst and segregated\n"
    "  --csv                   print CSV instead of a table\n"
    "  --chart                 draw heap size and live bytes over each\n"
    "                          script, one line per configuration\n"
    "  --help                  print this and exit\n"
    "  --version               print the version and exit\n"
    "\n"
    "Exit status: 0 when every script ran, 2 on a usage error, a file\n"
    "that cannot be read, a mistake in a script or a bad --heap.\n"
    "See heaplab-score(1).\n";

/* Reads the options; returns -1 to go on, or the exit status. */
static int read_options(int argc, char **argv, score_options *o)
{
    static const struct option longs[] = {
        {"heap", required_argument, NULL, 'H'},
        {"csv", no_argument, NULL, 'c'},
        {"chart", no_argument, NULL, 'C'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    int ch;

    opterr = 0;
    while ((ch = getopt_long(argc, argv, "", longs, NULL)) != -1) {
        switch (ch) {
        case 'H': o->heaps[o->nheaps++] = optarg; break;
        case 'c': o->csv = true; break;
        case 'C': o->chart = true; break;
        case 'h': fputs(usage_text, stdout); return EXIT_DONE;
        case 'V': printf("heaplab score %s\n", HL_VERSION); return EXIT_DONE;
        default:
            fprintf(stderr, "heaplab score: unknown or incomplete option "
                    "'%s'\n", argv[optind - 1]);
            fputs(usage_text, stderr);
            return EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        fputs("heaplab score: no script given\n", stderr);
        fputs(usage_text, stderr);
        return EXIT_USAGE;
    }
    if (o->nheaps == 0) {
        memcpy(o->heaps, default_heaps, sizeof default_heaps);
        o->nheaps = NDEFAULT_HEAPS;
    }
    return -1;
}

/* ---------------------------------------------------------------------------
 * Measuring
 * ------------------------------------------------------------------------- */

/* What the live byte count becomes after the step in res; *live_of_id
 * holds what each ID holds. */
static void follow_live(const hl_step_result *res, size_t *live_of_id,
                        size_t *live)
{
    const script_op *op = res->op;

    if (op->kind == SCRIPT_CHECK || op->kind == SCRIPT_EXPECT ||
        op->id == SCRIPT_NO_ID)
        return;
    if (op->kind == SCRIPT_FREE) {
        *live -= live_of_id[op->id];
        live_of_id[op->id] = 0;
    } else if (!res->failed) {
        *live += script_op_bytes(op) - live_of_id[op->id];
        live_of_id[op->id] = script_op_bytes(op);
    }
}

/* The heap's size after the step: the grower's growths less its trims. */
static void follow_heap(const hl_step_result *res, size_t *heap_size)
{
    size_t i;

    for (i = 0; i < res->nevents; i++) {
        if (res->events[i].kind == HL_EVENT_GROW)
            *heap_size += res->events[i].size;
        else if (res->events[i].kind == HL_EVENT_TRIM)
            *heap_size -= res->events[i].size;
    }
}

/* Keeps the largest heap size and live count of each span of the chart.
 * A script of fewer steps than the chart has columns spreads each step
 * over the columns it spans, so the chart has no holes. */
static void sample(score_row *row, size_t step, size_t nsteps,
                   size_t heap_size, size_t live)
{
    size_t at = nsteps ? step * SCORE_CHART_WIDTH / nsteps : 0;
    size_t end = nsteps ? (step + 1) * SCORE_CHART_WIDTH / nsteps : 1;

    if (at >= SCORE_CHART_WIDTH)
        at = SCORE_CHART_WIDTH - 1;
    if (end > SCORE_CHART_WIDTH)
        end = SCORE_CHART_WIDTH;
    if (end <= at)
        end = at + 1;
    for (; at < end; at++) {
        if (heap_size > row->heap_chart[at])
            row->heap_chart[at] = heap_size;
        if (live > row->live_chart[at])
            row->live_chart[at] = live;
    }
}

/* The replay that measures: every figure of the row but throughput. */
static bool measure(const hl_script *script, score_row *row,
                    hl_step_result *res)
{
    size_t *live_of_id = calloc(script->nids ? script->nids : 1,
                                sizeof *live_of_id);
    size_t live = 0, heap_size = 0;
    char err[256];
    hl_stats stats;
    replay *r;

    if (!live_of_id || !(r = replay_new(script, err, sizeof err))) {
        fprintf(stderr, "%s\n", live_of_id ? err : "heaplab score: out of "
                "memory");
        free(live_of_id);
        return false;
    }
    while (replay_step(r, res)) {
        follow_live(res, live_of_id, &live);
        follow_heap(res, &heap_size);
        if (live > row->peak_live)
            row->peak_live = live;
        row->failed += res->failed;
        row->operations += res->op->kind != SCRIPT_CHECK &&
                           res->op->kind != SCRIPT_EXPECT;
        sample(row, res->index, script->nops, heap_size, live);
    }
    hl_heap_stats(replay_heap(r), &stats);
    row->peak_heap = stats.peak_heap_size;
    row->final_heap = stats.heap_size;
    row->merges = stats.merges;
    row->splits = stats.splits;
    row->utilization = row->peak_heap
                           ? (double)row->peak_live / (double)row->peak_heap
                           : 0.0;
    replay_free(r);
    free(live_of_id);
    return true;
}

static double seconds_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The replays that time: the whole script, again and again, with the
 * heap's observer off (the events cost more than the library). */
static bool time_replays(const hl_script *script, score_row *row,
                         hl_step_result *res)
{
    double spent = 0.0, start;
    size_t runs = 0;
    char err[256];
    replay *r;

    while (runs < SCORE_MAX_RUNS && (runs == 0 || spent < SCORE_MIN_SECONDS)) {
        if (!(r = replay_new(script, err, sizeof err))) {
            fprintf(stderr, "%s\n", err);
            return false;
        }
        hl_heap_set_observer(replay_heap(r), NULL, NULL);
        start = seconds_now();
        while (replay_step(r, res))
            ;
        spent += seconds_now() - start;
        replay_free(r);
        runs++;
    }
    row->ops_per_second = spent > 0.0 ? (double)(row->operations * runs) /
                                            spent
                                      : 0.0;
    return true;
}

/* Scores one script on one configuration, applied over the script's own
 * heap line (and taken off again after). */
static bool score_one(hl_script *script, const char *heap, score_row *row,
                      hl_step_result *res)
{
    script_heap own = script->heap;
    char err[256];
    bool ok;

    memset(row, 0, sizeof *row);
    row->trace = script->name;
    row->heap = heap;
    if (script_apply_heap_options(script, heap, err, sizeof err) != 0) {
        fprintf(stderr, "heaplab score: --heap '%s': %s\n", heap, err);
        return false;
    }
    ok = measure(script, row, res) && time_replays(script, row, res);
    script->heap = own;
    return ok;
}

/* ---------------------------------------------------------------------------
 * The command
 * ------------------------------------------------------------------------- */

/* Parses every script and tries every configuration on it; false, having
 * said why, when one fails. */
static bool load_scripts(char **paths, size_t n, hl_script **scripts,
                         const score_options *o)
{
    char err[512];
    size_t i, j;
    bool ok = true;

    for (i = 0; i < n; i++) {
        scripts[i] = script_load(paths[i], err, sizeof err);
        if (!scripts[i]) {
            fprintf(stderr, "%s\n", err);
            ok = false;
            continue;
        }
        for (j = 0; j < o->nheaps && ok; j++) {
            script_heap own = scripts[i]->heap;
            if (script_apply_heap_options(scripts[i], o->heaps[j], err,
                                          sizeof err) != 0) {
                fprintf(stderr, "heaplab score: --heap '%s': %s\n",
                        o->heaps[j], err);
                ok = false;
            }
            scripts[i]->heap = own;
        }
    }
    return ok;
}

static int score_all(hl_script **scripts, size_t n, const score_options *o)
{
    score_row *rows = calloc(n * o->nheaps, sizeof *rows);
    hl_step_result *res = malloc(sizeof *res);
    size_t i, j;
    int status = EXIT_DONE;

    if (!rows || !res) {
        fputs("heaplab score: out of memory\n", stderr);
        status = EXIT_USAGE;
    }
    for (i = 0; i < n && status == EXIT_DONE; i++)
        for (j = 0; j < o->nheaps && status == EXIT_DONE; j++)
            if (!score_one(scripts[i], o->heaps[j], &rows[i * o->nheaps + j],
                           res))
                status = EXIT_USAGE;
    if (status == EXIT_DONE && o->csv)
        score_print_csv(rows, n, o->nheaps);
    else if (status == EXIT_DONE)
        score_print_table(rows, n, o->nheaps, o->chart);
    free(rows);
    free(res);
    return status;
}

int cmd_score(int argc, char **argv)
{
    /* A static buffer for stdout, as `heaplab run` has: printing then
     * allocates nothing that could move the break under a brk heap. */
    static char stdout_buffer[BUFSIZ];
    score_options o = {0};
    hl_script **scripts = NULL;
    size_t n = 0, i;
    int status;

    setvbuf(stdout, stdout_buffer, isatty(STDOUT_FILENO) ? _IOLBF : _IOFBF,
            sizeof stdout_buffer);
    o.heaps = calloc((size_t)argc + NDEFAULT_HEAPS, sizeof *o.heaps);
    if (!o.heaps) {
        status = EXIT_USAGE;
        goto out;
    }
    if ((status = read_options(argc, argv, &o)) >= 0)
        goto out;
    n = (size_t)(argc - optind);
    if (!(scripts = calloc(n, sizeof *scripts)) ||
        !load_scripts(argv + optind, n, scripts, &o)) {
        status = EXIT_USAGE;
        goto out;
    }
    status = score_all(scripts, n, &o);
out:
    for (i = 0; i < n && scripts; i++)
        script_free(scripts[i]);
    free(scripts);
    free(o.heaps);
    fflush(stdout);
    return status;
}

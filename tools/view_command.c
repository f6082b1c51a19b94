/* view_command.c - `heaplab view`'s command line: the usage, the options
 * and the checks on them, before anything else is done.
 *
 * The options make a view_request: the script, --heap, --quiz, and
 * --compare's settings, which take the words up to the next option (the
 * last of them is the script).  A mistake exits 2 with a line on stderr
 * and the usage where it helps; --help and --version exit 0.  Everything
 * after that, the script included, is view_run()'s (view.c), which
 * `heaplab lesson` calls the same way.
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "view.h"

static void usage(FILE *out)
{
    fputs("usage: heaplab view [--heap 'KEY=VALUE ...'] [--quiz] SCRIPT\n"
          "       heaplab view [--heap OPTS] --compare CFG1 CFG2 [CFG3 CFG4] "
          "SCRIPT\n"
          "       heaplab view --help | --version\n"
          "Steps through an allocation script in the terminal: the heap as a\n"
          "map of blocks, the freelist, each step's events and the stats.\n"
          "  --heap OPTS  heap settings over the script's own `heap` line\n"
          "               (as for `heaplab run`), e.g. 'fit=best merge=lazy'\n"
          "  --quiz       before each step, predict it: the heap grows or not,\n"
          "               the offset of the new block, what a free merges\n"
          "  --compare    the script on 2 to 4 heaps in lockstep, one map each,\n"
          "               each CFG as --heap takes it, e.g. 'fit=first' "
          "'fit=best'\n"
          "Press ? in the viewer for the keys; see heaplab-view(1).\n",
          out);
}

typedef struct view_options {
    const char *heap;
    const char *script;
    bool quiz;
    bool compare;
    const char *settings[VIEW_MAX_COMPARE + 1];
    size_t setting_count;   /* --compare's, counted past the limit */
} view_options;

/* --compare CFG1 CFG2 [CFG3 CFG4] SCRIPT: the words up to the next option
 * or the end; the last of them is the script.  Returns the next index. */
static int take_compare(int argc, char **argv, int i, view_options *o)
{
    o->compare = true;
    while (i + 1 < argc && argv[i + 1][0] != '-') {
        i++;
        if (o->setting_count < VIEW_MAX_COMPARE + 1)
            o->settings[o->setting_count] = argv[i];
        o->setting_count++;
    }
    if (o->setting_count > 0 && !o->script) {
        o->setting_count--;
        o->script = o->setting_count < VIEW_MAX_COMPARE + 1
                        ? o->settings[o->setting_count] : argv[i];
    }
    return i;
}

static int check_compare(const view_options *o)
{
    if (!o->compare)
        return -1;
    if (o->setting_count < 2 || o->setting_count > VIEW_MAX_COMPARE) {
        fprintf(stderr, "heaplab view: --compare takes 2 to %d heap "
                "settings, then the script (got %zu setting%s)\n",
                VIEW_MAX_COMPARE, o->setting_count,
                o->setting_count == 1 ? "" : "s");
        return 2;
    }
    if (o->quiz) {
        fputs("heaplab view: --quiz asks about one heap: not with "
              "--compare\n", stderr);
        return 2;
    }
    return -1;
}

/* Returns -1 to go on, or the exit status (after --help, or a mistake). */
static int parse_options(int argc, char **argv, view_options *o)
{
    int i;

    for (i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(argv[i], "--version")) {
            printf("heaplab view %s\n", HL_VERSION);
            return 0;
        } else if (!strcmp(argv[i], "--heap") && i + 1 < argc) {
            o->heap = argv[++i];
        } else if (!strncmp(argv[i], "--heap=", 7)) {
            o->heap = argv[i] + 7;
        } else if (!strcmp(argv[i], "--quiz")) {
            o->quiz = true;
        } else if (!strcmp(argv[i], "--compare")) {
            i = take_compare(argc, argv, i, o);
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "heaplab view: unknown option '%s'\n", argv[i]);
            usage(stderr);
            return 2;
        } else if (o->script) {
            fputs("heaplab view: one script at a time\n", stderr);
            return 2;
        } else {
            o->script = argv[i];
        }
    }
    if (check_compare(o) >= 0)
        return 2;
    if (!o->script) {
        usage(stderr);
        return 2;
    }
    return -1;
}

int cmd_view(int argc, char **argv)
{
    view_options o;
    view_request req;
    int status;
    size_t k;

    memset(&o, 0, sizeof o);
    if ((status = parse_options(argc, argv, &o)) >= 0)
        return status;
    memset(&req, 0, sizeof req);
    req.script = o.script;
    req.heap = o.heap;
    req.quiz = o.quiz;
    req.compare_count = o.compare ? o.setting_count : 0;
    for (k = 0; k < req.compare_count; k++)
        req.compare[k] = o.settings[k];
    status = view_run(&req);
    view_screen_end();
    if (req.quiz) {
        char score[32];
        printf("%s: quiz: %s\n", req.script,
               quiz_score_text(&req.score, score, sizeof score));
    }
    return status;
}

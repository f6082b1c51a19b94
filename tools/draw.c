/* draw.c - `heaplab draw`: a script's heap as an SVG picture.
 *
 *   heaplab draw [--step N | --steps A-B | --timeline] [--heap CFG]...
 *                -o FILE.svg SCRIPT
 *
 * The script is replayed as `heaplab run` replays it, and steps are counted
 * as `heaplab run --dump-at` counts them: step N is the heap after the Nth
 * line that does something (check and expect lines count), step 0 the heap
 * before the first.  The picture is written to a temporary file beside
 * FILE and renamed over it only once complete, so a failure never leaves a
 * half-written picture.  The models and the SVG are in libdraw.a (draw.h).
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "draw.h"
#include "heaplab.h"
#include "replay.h"
#include "script.h"

enum { EXIT_DRAWN = 0, EXIT_USAGE = 2 };

/* More maps than this in one strip would make a picture nobody reads. */
#define MAX_MAPS 200

typedef struct draw_options {
    const char **heap_options; /* each --heap, in order */
    size_t nheap_options;
    bool step_given, range_given, timeline;
    size_t first, last;        /* the steps to draw */
    const char *output;
    const char *script;
} draw_options;

static const char usage_text[] =
    "usage: heaplab draw [OPTIONS] -o FILE.svg SCRIPT\n"
    "Replays an allocation script and draws its heap as an SVG picture:\n"
    "headers, objects, slack, free space and bytes in no block in their own\n"
    "colours, each block labelled with its offset and ID, and the freelist\n"
    "as arrows in list order.\n"
    "\n"
    "  --step N                the heap after step N (0: before the first;\n"
    "                          steps count as in `heaplab run --dump-at`);\n"
    "                          the default is the script's last step\n"
    "  --steps A-B             the heap after each step from A to B, one map\n"
    "                          under the other, each captioned with its line\n"
    "  --timeline              heap size and live requested bytes over the\n"
    "                          whole script, as a chart\n"
    "  --heap 'KEY=VALUE ...'  set heap keys over the script's own heap line\n"
    "                          (as in `heaplab run`); may be repeated\n"
    "  -o, --output FILE       the picture to write (required)\n"
    "  --help                  print this and exit\n"
    "  --version               print the version and exit\n"
    "\n"
    "Exit status: 0 when the picture was written, 2 on a usage error, a\n"
    "mistake in the script (FILE:LINE: message) or a file that cannot be\n"
    "written.  See heaplab-draw(1).\n";

/* "heaplab draw: MESSAGE" on stderr; returns the exit status. */
static int usage_error(const char *format, ...)
    __attribute__((format(printf, 1, 2)));

static int usage_error(const char *format, ...)
{
    va_list ap;

    fputs("heaplab draw: ", stderr);
    va_start(ap, format);
    vfprintf(stderr, format, ap);
    va_end(ap);
    fputs("\n(see 'heaplab draw --help')\n", stderr);
    return EXIT_USAGE;
}

/* A step number: digits only.  Returns false when `text` is not one. */
static bool read_step(const char *text, const char *end_at, size_t *out)
{
    const char *p;
    size_t value = 0;

    if (text == end_at)
        return false;
    for (p = text; p < end_at; p++) {
        if (*p < '0' || *p > '9' || value > (SIZE_MAX - 9) / 10)
            return false;
        value = value * 10 + (size_t)(*p - '0');
    }
    *out = value;
    return true;
}

/* "A-B", A <= B. */
static bool read_range(const char *text, draw_options *o)
{
    const char *dash = strchr(text, '-');

    return dash && read_step(text, dash, &o->first) &&
           read_step(dash + 1, dash + strlen(dash), &o->last) &&
           o->first <= o->last;
}

/* The options that cannot go together, and the one that must be there. */
static int check_options(const draw_options *o)
{
    if (o->step_given + o->range_given + o->timeline > 1)
        return usage_error("--step, --steps and --timeline exclude each "
                           "other");
    if (!o->output)
        return usage_error("no output file given (-o FILE.svg)");
    return -1;
}

/* Reads the options; returns -1 to go on, or the exit status. */
static int read_options(int argc, char **argv, draw_options *o)
{
    static const struct option longs[] = {
        {"step", required_argument, NULL, 's'},
        {"steps", required_argument, NULL, 'S'},
        {"timeline", no_argument, NULL, 't'},
        {"heap", required_argument, NULL, 'H'},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    int ch;

    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":o:", longs, NULL)) != -1) {
        switch (ch) {
        case 's':
            o->step_given = true;
            if (!read_step(optarg, optarg + strlen(optarg), &o->first))
                return usage_error("--step wants a step number, got '%s'",
                                   optarg);
            o->last = o->first;
            break;
        case 'S':
            o->range_given = true;
            if (!read_range(optarg, o))
                return usage_error("--steps wants A-B with A <= B, got '%s'",
                                   optarg);
            break;
        case 't': o->timeline = true; break;
        case 'H': o->heap_options[o->nheap_options++] = optarg; break;
        case 'o': o->output = optarg; break;
        case 'h': fputs(usage_text, stdout); return EXIT_DRAWN;
        case 'V': printf("heaplab draw %s\n", HL_VERSION); return EXIT_DRAWN;
        case ':':
            return usage_error("option '%s' wants a value", argv[optind - 1]);
        default:
            return usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return usage_error("no script given");
    if (optind < argc - 1)
        return usage_error("one script at a time, got '%s' too",
                           argv[optind + 1]);
    o->script = argv[optind];
    return check_options(o);
}

/* ---------------------------------------------------------------------------
 * Writing the file whole or not at all
 * ------------------------------------------------------------------------- */

/* Opens a temporary file beside `path` (its name in tmp), with the mode a
 * new file would get.  Returns NULL with errno set. */
static FILE *open_beside(const char *path, char *tmp, size_t len)
{
    mode_t mask = umask(0);
    FILE *out;
    int fd;

    umask(mask);
    if ((size_t)snprintf(tmp, len, "%s.XXXXXX", path) >= len) {
        errno = ENAMETOOLONG;
        return NULL;
    }
    if ((fd = mkstemp(tmp)) < 0)
        return NULL;
    if (fchmod(fd, 0666 & ~mask) != 0 || !(out = fdopen(fd, "w"))) {
        int saved = errno;
        close(fd);
        unlink(tmp);
        errno = saved;
        return NULL;
    }
    return out;
}

/* Closes `out` and renames it to path when everything was written;
 * otherwise removes it.  Returns 0, or an errno value. */
static int finish(FILE *out, const char *tmp, const char *path, int rc)
{
    if (fflush(out) != 0 || ferror(out))
        rc = rc ? rc : (errno ? errno : EIO);
    if (fclose(out) != 0)
        rc = rc ? rc : errno;
    if (rc == 0 && rename(tmp, path) != 0)
        rc = errno;
    if (rc != 0)
        unlink(tmp);
    return rc;
}

/* ---------------------------------------------------------------------------
 * Drawing
 * ------------------------------------------------------------------------- */

static const char *step_source(const hl_script *script, size_t step)
{
    return step == 0 ? "start" : script->ops[step - 1].source;
}

/* Replays to each step of the range and writes the strip of maps. */
static int write_maps(FILE *out, replay *r, const draw_options *o)
{
    const hl_script *script = replay_script(r);
    size_t n = o->last - o->first + 1, i;
    draw_map *maps = calloc(n, sizeof *maps);
    hl_step_result *res = malloc(sizeof *res);
    int rc = maps && res ? 0 : ENOMEM;

    while (rc == 0 && replay_position(r) < o->first)
        replay_step(r, res);
    for (i = 0; rc == 0 && i < n; i++) {
        if (i > 0)
            replay_step(r, res);
        rc = draw_map_build(r, replay_position(r),
                            step_source(script, replay_position(r)),
                            &maps[i]);
    }
    if (rc == 0)
        rc = draw_write_maps(out, script, maps, n);
    for (i = 0; maps && i < n; i++)
        draw_map_release(&maps[i]);
    free(maps);
    free(res);
    return rc;
}

static int write_timeline(FILE *out, replay *r)
{
    draw_series series;
    int rc = draw_series_collect(r, &series);

    if (rc == 0)
        rc = draw_write_timeline(out, replay_script(r), &series);
    draw_series_release(&series);
    return rc;
}

/* Checks the steps against the script; returns -1 to go on. */
static int check_steps(const hl_script *script, draw_options *o)
{
    if (!o->step_given && !o->range_given)
        o->first = o->last = script->nops;
    if (o->last > script->nops) {
        fprintf(stderr, "heaplab draw: step %zu is past the end of %s, "
                "which has %zu step%s\n", o->last, script->name,
                script->nops, script->nops == 1 ? "" : "s");
        return EXIT_USAGE;
    }
    if (o->last - o->first + 1 > MAX_MAPS) {
        fprintf(stderr, "heaplab draw: --steps %zu-%zu would draw %zu maps; "
                "at most %d fit in one picture\n", o->first, o->last,
                o->last - o->first + 1, MAX_MAPS);
        return EXIT_USAGE;
    }
    return -1;
}

static int draw_script(hl_script *script, draw_options *o)
{
    char err[512], tmp[4096];
    replay *r;
    FILE *out;
    int rc;

    if (!o->timeline && (rc = check_steps(script, o)) >= 0)
        return rc;
    if (!(r = replay_new(script, err, sizeof err))) {
        fprintf(stderr, "%s\n", err);
        return EXIT_USAGE;
    }
    if (!(out = open_beside(o->output, tmp, sizeof tmp))) {
        fprintf(stderr, "heaplab draw: cannot write %s: %s\n", o->output,
                strerror(errno));
        replay_free(r);
        return EXIT_USAGE;
    }
    rc = o->timeline ? write_timeline(out, r) : write_maps(out, r, o);
    replay_free(r);
    if ((rc = finish(out, tmp, o->output, rc)) != 0) {
        fprintf(stderr, "heaplab draw: cannot write %s: %s\n", o->output,
                strerror(rc));
        return EXIT_USAGE;
    }
    return EXIT_DRAWN;
}

int cmd_draw(int argc, char **argv)
{
    draw_options o;
    hl_script *script;
    char err[512];
    size_t i;
    int status;

    memset(&o, 0, sizeof o);
    o.heap_options = calloc((size_t)argc, sizeof *o.heap_options);
    if (!o.heap_options) {
        fputs("heaplab draw: out of memory\n", stderr);
        return EXIT_USAGE;
    }
    if ((status = read_options(argc, argv, &o)) >= 0) {
        free(o.heap_options);
        return status;
    }
    if (!(script = script_load(o.script, err, sizeof err))) {
        fprintf(stderr, "%s\n", err);
        free(o.heap_options);
        return EXIT_USAGE;
    }
    for (i = 0; i < o.nheap_options; i++)
        if (script_apply_heap_options(script, o.heap_options[i], err,
                                      sizeof err) != 0) {
            fprintf(stderr, "heaplab draw: --heap: %s\n", err);
            script_free(script);
            free(o.heap_options);
            return EXIT_USAGE;
        }
    status = draw_script(script, &o);
    script_free(script);
    free(o.heap_options);
    return status;
}

/* view.c - `heaplab view SCRIPT`: step through a script in the terminal.
 *
 * Everything that can fail is done before the screen starts: the options
 * (view_command.c), the script (a parse error exits 2 with "FILE:LINE:
 * message"), and the first pass of the replay, which takes the
 * checkpoints.  Then the main loop: recompute the model, draw it, wait
 * for a key (or for the play timer), do what the key table says.
 *
 * The terminal is put back however the program ends: at the end of the
 * loop, from atexit() when something calls exit(), and from the handler of
 * SIGINT, SIGTERM and SIGHUP, which ends curses before dying of the signal.
 */
#include <curses.h>
#include <errno.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <signal.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "script.h"
#include "view.h"

/* ---------------------------------------------------------------------------
 * The terminal
 * ------------------------------------------------------------------------- */

static SCREEN *screen;

static void screen_end(void)
{
    if (screen && !isendwin())
        endwin();
}

static void on_signal(int sig)
{
    screen_end();
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Home and End as terminals other than the one TERM names send them
 * (tmux, screen, rxvt, the Linux console), so that they work anyway. */
static void define_other_keys(void)
{
    static const struct {
        const char *sequence;
        int key;
    } keys[] = {
        {"\033[1~", KEY_HOME}, {"\033[7~", KEY_HOME}, {"\033[H", KEY_HOME},
        {"\033OH", KEY_HOME},  {"\033[4~", KEY_END},  {"\033[8~", KEY_END},
        {"\033[F", KEY_END},   {"\033OF", KEY_END},
    };
    size_t i;

    for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
        define_key(keys[i].sequence, keys[i].key);
}

void view_screen_end(void)
{
    screen_end();
}

/* Starts curses, or (for a lesson's next script) takes it up again. */
static int screen_start(view *v)
{
    static const int signals[] = {SIGINT, SIGTERM, SIGHUP};
    struct sigaction sa;
    size_t i;

    if (screen) {
        view_draw_start(v);
        return 0;
    }
    screen = newterm(NULL, stdout, stdin);
    if (!screen)
        return -1;
    atexit(screen_end);
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (i = 0; i < sizeof signals / sizeof signals[0]; i++)
        sigaction(signals[i], &sa, NULL);
    define_other_keys();
    cbreak();
    noecho();
    keypad(stdscr, TRUE);
    curs_set(0);
    set_escdelay(25);
    view_draw_start(v);
    return 0;
}

/* ---------------------------------------------------------------------------
 * The model and the steps
 * ------------------------------------------------------------------------- */

/* The sparklines of the heap's size and live bytes up to this step, as
 * wide as the map lets them be (view_draw.c: "size ... live ..."). */
static void refresh_usage(view *v)
{
    size_t count, stride;
    const timeline *tl = v->compare ? v->tls[v->maps.selected] : v->tl;
    const vm_usage *usage = timeline_usage(tl, &count, &stride);
    size_t room = VIEW_GUTTER_COLS + v->geo.cells_per_row;
    size_t width = room > VIEW_SPARK_LABELS ? (room - VIEW_SPARK_LABELS) / 2
                                            : 1;

    (void)stride;
    vm_sparklines(v->model.spark_heap, v->model.spark_live, width, usage,
                  count);
}

void view_refresh_model(view *v)
{
    hl_heap *heap = timeline_heap(v->tl);
    const vm_label *labels;
    size_t label_count;
    vm_step step;

    view_layout(v);
    if (view_many_maps(v)) {
        view_refresh_maps(v);
        refresh_usage(v);
        return;
    }
    timeline_step(v->tl, &step);
    if (v->fit) {
        size_t size = vm_fit_blocks(&v->geo, &heap, 1);
        if (v->followed != step.position)
            vm_follow(&v->geo, &step, size);
        v->followed = step.position;
    }
    labels = timeline_labels(v->tl, &label_count);
    if (view_model_build(&v->model, heap, &step, &v->geo, labels,
                         label_count) != 0) {
        snprintf(v->message, sizeof v->message, "out of memory for the map");
        return;
    }
    v->geo = v->model.geo;
    if (step.thread)    /* one heap shared by threads: say who did it */
        vm_text_thread_events(&v->model.events, &step, labels, label_count);
    vm_select(&v->model, heap, v->block_mode ? v->cursor : VM_NO_BLOCK,
              labels, label_count);
    if (v->block_mode && (v->cursor = v->model.cursor) == VM_NO_BLOCK)
        v->block_mode = false;
    refresh_usage(v);
}

void view_go(view *v, size_t position)
{
    if (view_go_all(v, position) != 0) {
        v->playing = false;
        snprintf(v->message, sizeof v->message,
                 "the replay failed on the way to step %zu", position);
    }
}

/* Opens on the first check that failed, else on the first step; before
 * it, on step 0, in quiz mode (so that it is asked about) and when a note
 * introduces it (the note is shown on the step before the operation it
 * introduces: "Predict: where will x's block start?" must come before x's
 * block does). */
static size_t first_position(view *v)
{
    size_t failed = view_find(v, TL_CHECK_FAILED | TL_ERROR);

    if (failed) {
        snprintf(v->message, sizeof v->message,
                 "step %zu failed: see the panel on the right", failed);
        return failed;
    }
    if (v->quiz.on || (v->script->nops > 0 && v->script->ops[0].note))
        return 0;
    return timeline_length(v->tl) > 0 ? 1 : 0;
}

/* Reads keys until q.  Returns 0, 1 when the input has ended (end of
 * file, a closed terminal): a read that waits for a key and comes back
 * without one, not because a signal interrupted it, or 3 when the program
 * break moved under a brk heap. */
static int main_loop(view *v)
{
    view_go(v, first_position(v));
    while (!v->quit) {
        int key;
        view_refresh_model(v);
        view_draw(v);
        timeout(v->playing ? view_speeds[v->speed].delay_ms : -1);
        errno = 0;
        key = getch();
        if (key == ERR && !v->playing) {
            if (errno == EINTR)
                continue;
            return 1;
        }
        view_key(v, key);
        if (!timeline_intact(v->tl))
            return 3;
    }
    return 0;
}

/* ---------------------------------------------------------------------------
 * The script and the run
 * ------------------------------------------------------------------------- */

/* A script on the brk grower is shown on the real program break, which
 * the viewer shares with its own malloc (curses, the checkpoints).  The C
 * library's malloc moves the break when its heap runs out, and the brk
 * heap above it could then neither grow nor step back.  So before the
 * script's heap starts, glibc's heap is grown once with 64 MiB to spare,
 * never trimmed, and its large blocks are mapped: the viewer's own
 * allocations then stay below the script's break.  If the break moves
 * all the same, the viewer stops with an error (timeline_intact) rather
 * than show a heap that cannot grow. */
static void keep_malloc_off_the_break(void)
{
#ifdef __GLIBC__
    void *held[16];
    char *before = sbrk(0);
    size_t n = 0;

    mallopt(M_MMAP_THRESHOLD, 64 * 1024);
    mallopt(M_TRIM_THRESHOLD, INT_MAX);
    mallopt(M_TOP_PAD, 64 << 20);
    while (n < 16 && (char *)sbrk(0) == before &&
           (held[n] = malloc(32 * 1024)) != NULL)
        n++;
    while (n > 0)
        free(held[--n]);
#endif
}

/* The script, with --heap applied. */
static hl_script *load(const char *path, const char *heap)
{
    char err[512];
    hl_script *script = script_load(path, err, sizeof err);

    if (!script) {
        fprintf(stderr, "%s\n", err);
        return NULL;
    }
    if (heap && script_apply_heap_options(script, heap, err,
                                          sizeof err) != 0) {
        fprintf(stderr, "heaplab view: %s\n", err);
        script_free(script);
        return NULL;
    }
    if (script->heap.grower == SCRIPT_GROWER_BRK)
        keep_malloc_off_the_break();
    return script;
}

static const char moved_break[] =
    "heaplab view: something else in the viewer moved the program break, "
    "so the brk heap can no longer be shown as it is\n";

/* --compare: the script once per setting, each with --heap and then its
 * setting applied.  Returns how many were loaded (all, or 0 after saying
 * why on stderr). */
static size_t load_compare(const view_request *req, hl_script **scripts)
{
    char err[512];
    size_t k, n = req->compare_count;

    for (k = 0; k < n; k++) {
        if (!(scripts[k] = load(req->script, req->heap)))
            break;
        if (script_apply_heap_options(scripts[k], req->compare[k], err,
                                      sizeof err) != 0) {
            fprintf(stderr, "heaplab view: bad --compare value '%s': %s\n",
                    req->compare[k], err);
        } else if (scripts[k]->heap.grower == SCRIPT_GROWER_BRK) {
            fprintf(stderr, "heaplab view: bad --compare value '%s': the "
                    "program break holds one heap; compare heaps on "
                    "grower=static or grower=mmap\n", req->compare[k]);
        } else {
            continue;
        }
        script_free(scripts[k]);
        break;
    }
    if (k == n)
        return n;
    while (k-- > 0)
        script_free(scripts[k]);
    return 0;
}

/* The replays: one, or one per --compare setting.  False after saying
 * why on stderr. */
static bool open_timelines(view *v, hl_script **scripts, size_t n)
{
    char err[512];
    size_t k;

    for (k = 0; k < n; k++) {
        v->tls[k] = timeline_open(scripts[k], TL_INTERVAL, TL_BUDGET, err,
                                  sizeof err);
        if (!v->tls[k]) {
            view_screen_end();
            fprintf(stderr, "heaplab view: %s\n", err);
            while (k-- > 0)
                timeline_close(v->tls[k]);
            return false;
        }
    }
    v->tl = v->tls[0];
    return true;
}

int view_run(view_request *req)
{
    view v;
    hl_script *scripts[VIEW_MAX_COMPARE] = {NULL};
    size_t n = req->compare_count ? req->compare_count : 1, k;
    int status;

    if (req->compare_count ? load_compare(req, scripts) == 0
                           : !(scripts[0] = load(req->script, req->heap)))
        return 2;
    memset(&v, 0, sizeof v);
    v.title = req->title ? req->title : req->script;
    v.script = scripts[0];
    v.compare = req->compare_count;
    for (k = 0; k < req->compare_count; k++)
        v.settings[k] = req->compare[k];
    v.fit = true;
    v.followed = (size_t)-1;
    v.speed = 3;
    v.quiz.on = req->quiz;
    v.quiz.score = req->score;
    v.text = req->text;
    v.has_next = req->has_next;
    v.has_previous = req->has_previous;
    view_model_init(&v.model);
    vm_maps_init(&v.maps);
    v.geo = v.model.geo;
    if (!open_timelines(&v, scripts, n)) {
        for (k = 0; k < n; k++)
            script_free(scripts[k]);
        return 1;
    }
    if (!timeline_intact(v.tl)) {
        fputs(moved_break, stderr);
        status = 1;
    } else if (screen_start(&v) != 0) {
        fprintf(stderr, "heaplab view: cannot use the terminal (TERM=%s)\n",
                getenv("TERM") ? getenv("TERM") : "");
        status = 1;
    } else if ((status = main_loop(&v)) == 3) {
        view_screen_end();
        fputs(moved_break, stderr);
        status = 1;
    } else if (status != 0) {
        view_screen_end();
        fputs("heaplab view: the input ended: no key to read\n", stderr);
    }
    req->went_next = v.go_next;
    req->score = v.quiz.score;
    req->went_previous = v.go_previous;
    for (k = 0; k < n; k++) {
        timeline_close(v.tls[k]);
        script_free(scripts[k]);
    }
    view_model_free(&v.model);
    vm_maps_free(&v.maps);
    free(v.map_labels);
    return status;
}

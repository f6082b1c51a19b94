/* draw_timeline.c - a script's heap size and live requested bytes over all
 * its steps, collected from a replay and plotted as SVG.
 *
 * The plot is PLOT_WIDTH pixels wide whatever the script's length: when a
 * script has more steps than that, each pixel column shows the largest
 * value among its steps, so a peak is never lost between two columns.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "svg.h"

enum {
    MARGIN = 16,
    PLOT_LEFT = 96,       /* room for the byte counts */
    PLOT_TOP = 96,
    PLOT_WIDTH = 800,
    PLOT_HEIGHT = 300,
    PAGE_WIDTH = PLOT_LEFT + PLOT_WIDTH + 2 * MARGIN,
    PAGE_HEIGHT = PLOT_TOP + PLOT_HEIGHT + 52,
    MAX_TICKS = 5
};

static const char style[] =
    ".page{fill:#ffffff}\n"
    "text{font-family:monospace;font-size:11px;fill:#222222}\n"
    ".title{font-size:14px;font-weight:bold}\n"
    ".axis{stroke:#222222;stroke-width:1}\n"
    ".tick{stroke:#cccccc;stroke-width:1}\n"
    ".heap-size{fill:none;stroke:#5b6770;stroke-width:2}\n"
    ".requested{fill:none;stroke:#2a7fd4;stroke-width:2}\n";

/* ---------------------------------------------------------------------------
 * Collecting
 * ------------------------------------------------------------------------- */

static void note_point(replay *r, draw_series *series, size_t i)
{
    hl_stats s;

    hl_heap_stats(replay_heap(r), &s);
    series->heap_size[i] = s.heap_size;
    series->requested[i] = s.requested_bytes;
}

int draw_series_collect(replay *r, draw_series *series)
{
    size_t n = replay_script(r)->nops + 1;
    hl_step_result *res = malloc(sizeof *res);

    memset(series, 0, sizeof *series);
    series->heap_size = malloc(n * sizeof *series->heap_size);
    series->requested = malloc(n * sizeof *series->requested);
    if (!res || !series->heap_size || !series->requested) {
        free(res);
        draw_series_release(series);
        return ENOMEM;
    }
    note_point(r, series, 0);
    series->npoints = 1;
    while (series->npoints < n && replay_step(r, res))
        note_point(r, series, series->npoints++);
    free(res);
    return 0;
}

void draw_series_release(draw_series *series)
{
    free(series->heap_size);
    free(series->requested);
    memset(series, 0, sizeof *series);
}

/* ---------------------------------------------------------------------------
 * Plotting
 * ------------------------------------------------------------------------- */

/* The distance between ticks for an axis up to `max`: 1, 2 or 5 times a
 * power of ten, as small as leaves at most MAX_TICKS intervals. */
static size_t tick_step(size_t max)
{
    size_t power = 1;

    for (;;) {
        if (max <= power * MAX_TICKS)
            return power;
        if (max <= 2 * power * MAX_TICKS)
            return 2 * power;
        if (max <= 5 * power * MAX_TICKS)
            return 5 * power;
        power *= 10;
    }
}

/* The axis's end: max rounded up to a whole tick (1 when max is 0). */
static size_t axis_end(size_t max)
{
    size_t step = tick_step(max);
    size_t end = (max + step - 1) / step * step;

    return end ? end : 1;
}

static int x_of(size_t step, size_t last_step)
{
    return PLOT_LEFT + (last_step ? (int)(step * PLOT_WIDTH / last_step) : 0);
}

static int y_of(size_t bytes, size_t top)
{
    return PLOT_TOP + PLOT_HEIGHT - (int)(bytes * PLOT_HEIGHT / top);
}

static void write_axes(FILE *out, size_t last_step, size_t top)
{
    size_t step, v, every;
    char label[32];

    svg_line(out, "axis", PLOT_LEFT, PLOT_TOP, PLOT_LEFT,
             PLOT_TOP + PLOT_HEIGHT);
    svg_line(out, "axis", PLOT_LEFT, PLOT_TOP + PLOT_HEIGHT,
             PLOT_LEFT + PLOT_WIDTH, PLOT_TOP + PLOT_HEIGHT);
    every = tick_step(top);
    for (v = 0; v <= top; v += every) {
        snprintf(label, sizeof label, "%zu", v);
        svg_line(out, "tick", PLOT_LEFT, y_of(v, top),
                 PLOT_LEFT + PLOT_WIDTH, y_of(v, top));
        svg_text(out, "y-label", PLOT_LEFT - 6, y_of(v, top) + 4, "end",
                 label);
    }
    every = tick_step(last_step ? last_step : 1);
    for (step = 0; step <= last_step; step += every) {
        snprintf(label, sizeof label, "%zu", step);
        svg_text(out, "x-label", x_of(step, last_step),
                 PLOT_TOP + PLOT_HEIGHT + 16, "middle", label);
    }
    svg_text(out, "axis-title", PLOT_LEFT, PLOT_TOP - 14, "middle",
             "bytes");
    svg_text(out, "axis-title", PLOT_LEFT + PLOT_WIDTH / 2,
             PLOT_TOP + PLOT_HEIGHT + 36, "middle", "step");
}

/* One series as a polyline: at most PLOT_WIDTH + 1 points, each the
 * largest value of the steps its column covers. */
static int write_series(FILE *out, const char *cls, const size_t *values,
                        size_t npoints, size_t top)
{
    size_t columns = npoints < PLOT_WIDTH + 1 ? npoints : PLOT_WIDTH + 1;
    int *xs = malloc(columns * sizeof *xs), *ys = malloc(columns * sizeof *ys);
    size_t c;

    if (!xs || !ys) {
        free(xs);
        free(ys);
        return ENOMEM;
    }
    for (c = 0; c < columns; c++) {
        size_t from = c * npoints / columns, to = (c + 1) * npoints / columns;
        size_t i, most = 0;
        for (i = from; i < to; i++)
            if (values[i] > most)
                most = values[i];
        xs[c] = x_of(from, npoints - 1);
        ys[c] = y_of(most, top);
    }
    svg_polyline(out, cls, xs, ys, columns);
    free(xs);
    free(ys);
    return 0;
}

static void write_legend(FILE *out)
{
    svg_line(out, "heap-size", MARGIN, 63, MARGIN + 24, 63);
    svg_text(out, "legend", MARGIN + 30, 67, "start",
             "heap size (bytes the grower handed out)");
    svg_line(out, "requested", MARGIN + 340, 63, MARGIN + 364, 63);
    svg_text(out, "legend", MARGIN + 370, 67, "start",
             "requested bytes of the live objects");
}

int draw_write_timeline(FILE *out, const hl_script *script,
                        const draw_series *series)
{
    size_t i, most = 0, last = series->npoints ? series->npoints - 1 : 0;
    size_t top;
    char heap_line[160];
    int rc;

    for (i = 0; i < series->npoints; i++)
        if (series->heap_size[i] > most)
            most = series->heap_size[i];
    top = axis_end(most);
    svg_begin(out, PAGE_WIDTH, PAGE_HEIGHT, script->name, style);
    svg_text(out, "title", MARGIN, 24, "start", script->name);
    draw_heap_line(script, heap_line, sizeof heap_line);
    svg_text(out, "subtitle", MARGIN, 42, "start", heap_line);
    write_legend(out);
    write_axes(out, last, top);
    rc = write_series(out, "heap-size", series->heap_size, series->npoints,
                      top);
    if (rc == 0)
        rc = write_series(out, "requested", series->requested,
                          series->npoints, top);
    svg_end(out);
    return rc;
}

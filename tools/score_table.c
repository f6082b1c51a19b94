/* score_table.c - printing what `heaplab score` measured: an aligned table
 * with the winner of each column marked, or CSV; the averages per
 * configuration; and the --chart sparklines.
 *
 * A table cell is its value right-aligned, then one character: '*' when
 * the row wins the column among the configurations on the same trace (or,
 * for the averages, among the averages), a space otherwise.
 */
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "score.h"

static const struct column {
    const char *title, *csv_title;
    bool higher_wins;
} columns[SCORE_COLUMNS] = {
    [SCORE_UTILIZATION] = {"util", "utilization_percent", true},
    [SCORE_THROUGHPUT] = {"ops/s", "ops_per_second", true},
    [SCORE_FAILED] = {"failed", "failed", false},
    [SCORE_FINAL_HEAP] = {"final heap", "final_heap", false},
    [SCORE_MERGES] = {"merges", "merges", false},
    [SCORE_SPLITS] = {"splits", "splits", false},
};

double score_value(const score_row *row, score_column column)
{
    switch (column) {
    case SCORE_UTILIZATION: return row->utilization;
    case SCORE_THROUGHPUT: return row->ops_per_second;
    case SCORE_FAILED: return (double)row->failed;
    case SCORE_FINAL_HEAP: return (double)row->final_heap;
    case SCORE_MERGES: return (double)row->merges;
    case SCORE_SPLITS: return (double)row->splits;
    default: return 0.0;
    }
}

bool score_wins(const score_row *rows, size_t n, const score_row *row,
                score_column column)
{
    double mine = score_value(row, column), v;
    bool someone_differs = false;
    size_t i;

    for (i = 0; i < n; i++) {
        v = score_value(&rows[i], column);
        if (v != mine)
            someone_differs = true;
        if (columns[column].higher_wins ? v > mine : v < mine)
            return false;
    }
    return someone_differs;
}

/* The mean of each configuration over the traces, into means[0..nheaps). */
static void average(const score_row *rows, size_t ntraces, size_t nheaps,
                    score_row *means)
{
    size_t t, h;

    for (h = 0; h < nheaps; h++) {
        score_row *m = &means[h];
        double util = 0, ops = 0, failed = 0, heap = 0, merges = 0,
               splits = 0;
        for (t = 0; t < ntraces; t++) {
            const score_row *r = &rows[t * nheaps + h];
            util += r->utilization;
            ops += r->ops_per_second;
            failed += (double)r->failed;
            heap += (double)r->final_heap;
            merges += (double)r->merges;
            splits += (double)r->splits;
        }
        memset(m, 0, sizeof *m);
        m->trace = "mean";
        m->heap = rows[h].heap;
        m->utilization = util / (double)ntraces;
        m->ops_per_second = ops / (double)ntraces;
        m->failed = (size_t)(failed / (double)ntraces + 0.5);
        m->final_heap = (size_t)(heap / (double)ntraces + 0.5);
        m->merges = (size_t)(merges / (double)ntraces + 0.5);
        m->splits = (size_t)(splits / (double)ntraces + 0.5);
    }
}

/* ---------------------------------------------------------------------------
 * The table
 * ------------------------------------------------------------------------- */

/* A throughput in three figures: 950, 12.3k, 4.56M. */
static void format_rate(double v, char *buf, size_t size)
{
    static const char units[] = " kMG";
    unsigned u = 0;

    while (v >= 999.5 && u < 3) {
        v /= 1000.0;
        u++;
    }
    if (u == 0)
        snprintf(buf, size, "%.0f", v);
    else
        snprintf(buf, size, v < 9.995 ? "%.2f%c" : v < 99.95 ? "%.1f%c"
                                                           : "%.0f%c",
                 v, units[u]);
}

static void format_cell(const score_row *row, score_column column, char *buf,
                        size_t size)
{
    if (column == SCORE_UTILIZATION)
        snprintf(buf, size, "%.1f%%", 100.0 * row->utilization);
    else if (column == SCORE_THROUGHPUT)
        format_rate(row->ops_per_second, buf, size);
    else
        snprintf(buf, size, "%.0f", score_value(row, column));
}

#define CELL_WIDTH 10

static void print_header(int trace_width, int heap_width)
{
    int c;

    printf("%-*s  %-*s", trace_width, "trace", heap_width, "heap");
    for (c = 0; c < SCORE_COLUMNS; c++)
        printf(" %*s%s", CELL_WIDTH, columns[c].title,
               c + 1 < SCORE_COLUMNS ? " " : "");
    putchar('\n');
}

/* One row, its cells marked among the n rows of its group. */
static void print_row(const score_row *group, size_t n, const score_row *row,
                      const char *trace, int trace_width, int heap_width)
{
    char cell[32];
    int c;

    printf("%-*s  %-*s", trace_width, trace, heap_width, row->heap);
    for (c = 0; c < SCORE_COLUMNS; c++) {
        bool wins = score_wins(group, n, row, (score_column)c);
        format_cell(row, (score_column)c, cell, sizeof cell);
        /* The mark, or a space to keep the columns (none at the end). */
        printf(" %*s%s", CELL_WIDTH, cell,
               wins ? "*" : c + 1 < SCORE_COLUMNS ? " " : "");
    }
    putchar('\n');
}

/* ---------------------------------------------------------------------------
 * The sparklines
 * ------------------------------------------------------------------------- */

/* Eight levels above an empty one: block glyphs in a UTF-8 locale, ASCII
 * otherwise. */
static const char *const block_levels[] = {" ", "\u2581", "\u2582", "\u2583",
                                           "\u2584", "\u2585", "\u2586",
                                           "\u2587", "\u2588"};
static const char *const ascii_levels[] = {" ", ".", ":", "-", "=", "+",
                                           "*", "#", "@"};

static bool locale_is_utf8(void)
{
    const char *codeset;

    setlocale(LC_CTYPE, "");
    codeset = nl_langinfo(CODESET);
    return codeset && (strcmp(codeset, "UTF-8") == 0 ||
                       strcmp(codeset, "utf8") == 0);
}

/* One sparkline of values[] against top: 0 is blank, anything above it
 * at least the lowest glyph, top the highest. */
static void print_spark(const size_t *values, size_t top,
                        const char *const *levels)
{
    size_t i, level;

    for (i = 0; i < SCORE_CHART_WIDTH; i++) {
        level = top ? (values[i] * 8 + top - 1) / top : 0;
        fputs(levels[level > 8 ? 8 : level], stdout);
    }
}

static void print_chart(const score_row *row, int trace_width,
                        int heap_width, const char *const *levels)
{
    printf("%-*s  %-*s  heap |", trace_width, "", heap_width, row->heap);
    print_spark(row->heap_chart, row->peak_heap, levels);
    fputs("|  live |", stdout);
    print_spark(row->live_chart, row->peak_heap, levels);
    puts("|");
}

/* ---------------------------------------------------------------------------
 * Printing it all
 * ------------------------------------------------------------------------- */

static int widest(const score_row *rows, size_t n, bool heap, int floor)
{
    size_t i, len;
    int width = floor;

    for (i = 0; i < n; i++) {
        len = strlen(heap ? rows[i].heap : rows[i].trace);
        if ((int)len > width)
            width = (int)len;
    }
    return width;
}

void score_print_table(const score_row *rows, size_t ntraces, size_t nheaps,
                       bool chart)
{
    score_row means[nheaps ? nheaps : 1];
    const char *const *levels =
        chart && locale_is_utf8() ? block_levels : ascii_levels;
    int trace_width = widest(rows, ntraces * nheaps, false, 5);
    int heap_width = widest(rows, ntraces * nheaps, true, 4);
    size_t t, h;

    print_header(trace_width, heap_width);
    for (t = 0; t < ntraces; t++) {
        const score_row *group = &rows[t * nheaps];
        for (h = 0; h < nheaps; h++)
            print_row(group, nheaps, &group[h], h == 0 ? group[h].trace : "",
                      trace_width, heap_width);
        for (h = 0; chart && h < nheaps; h++)
            print_chart(&group[h], trace_width, heap_width, levels);
    }
    average(rows, ntraces, nheaps, means);
    printf("\nmean over %zu trace%s:\n", ntraces, ntraces == 1 ? "" : "s");
    for (h = 0; h < nheaps; h++)
        print_row(means, nheaps, &means[h], h == 0 ? "mean" : "",
                  trace_width, heap_width);
}

/* A field of CSV: quoted when it holds a comma, a quote or a line end. */
static void print_csv_field(const char *s)
{
    if (!strpbrk(s, ",\"\n\r")) {
        fputs(s, stdout);
        return;
    }
    putchar('"');
    for (; *s; s++) {
        if (*s == '"')
            putchar('"');
        putchar(*s);
    }
    putchar('"');
}

static void print_csv_row(const score_row *row)
{
    print_csv_field(row->trace);
    putchar(',');
    print_csv_field(row->heap);
    printf(",%.2f,%.0f,%zu,%zu,%zu,%zu\n", 100.0 * row->utilization,
           row->ops_per_second, row->failed, row->final_heap, row->merges,
           row->splits);
}

void score_print_csv(const score_row *rows, size_t ntraces, size_t nheaps)
{
    score_row means[nheaps ? nheaps : 1];
    size_t i;
    int c;

    fputs("trace,heap", stdout);
    for (c = 0; c < SCORE_COLUMNS; c++)
        printf(",%s", columns[c].csv_title);
    putchar('\n');
    for (i = 0; i < ntraces * nheaps; i++)
        print_csv_row(&rows[i]);
    average(rows, ntraces, nheaps, means);
    for (i = 0; i < nheaps; i++)
        print_csv_row(&means[i]);
}

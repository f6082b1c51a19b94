/* score.h - `heaplab score`: what one replay of a script on one heap
 * configuration measured, shared by score.c (measuring) and score_table.c
 * (printing).
 *
 * The figures are those of the CS:APP malloc lab's driver:
 *   peak utilization   the most bytes the script held live at once (what
 *                      it asked for, counted after each operation) over the
 *                      heap's high-water size (what the grower handed out);
 *   throughput         operations a second, replaying with nothing
 *                      listening to the heap's events.
 * and the library's own counts: failed allocations, the heap's size at the
 * end, merges and splits.
 */
#ifndef HL_SCORE_H
#define HL_SCORE_H

#include <stdbool.h>
#include <stddef.h>

/* Points of the --chart sparkline: the script cut into this many spans. */
#define SCORE_CHART_WIDTH 48

typedef struct score_row {
    const char *trace;      /* the script's name, as given */
    const char *heap;       /* the configuration, as --heap spells it */
    double utilization;     /* peak_live / peak_heap; 0 when nothing grew */
    double ops_per_second;
    size_t operations;      /* a, f, r, c and m lines */
    size_t failed;          /* allocations that returned NULL */
    size_t peak_live, peak_heap, final_heap;
    size_t merges, splits;
    /* --chart: the largest heap size and live byte count in each span */
    size_t heap_chart[SCORE_CHART_WIDTH], live_chart[SCORE_CHART_WIDTH];
} score_row;

/* The columns, in the order the table and the CSV print them. */
typedef enum score_column {
    SCORE_UTILIZATION,
    SCORE_THROUGHPUT,
    SCORE_FAILED,
    SCORE_FINAL_HEAP,
    SCORE_MERGES,
    SCORE_SPLITS,
    SCORE_COLUMNS
} score_column;

/* score_table.c */
/* A column's value in a row, as a number to compare. */
double score_value(const score_row *row, score_column column);
/* Whether row holds the best value of column among rows[0..n): the
 * highest utilization and throughput, the fewest of the rest.  When every
 * row holds the same value, none wins. */
bool score_wins(const score_row *rows, size_t n, const score_row *row,
                score_column column);
/* rows: ntraces x nheaps, trace after trace.  The averages per
 * configuration follow the rows. */
void score_print_table(const score_row *rows, size_t ntraces, size_t nheaps,
                       bool chart);
void score_print_csv(const score_row *rows, size_t ntraces, size_t nheaps);

#endif /* HL_SCORE_H */

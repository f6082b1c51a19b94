/* view_model.c - the model as a whole: its life (init, build, free), its
 * cells read back, and the labels that name its blocks (see view_model.h
 * for the picture).
 *
 * Building the model is building its map (view_model_cells.c, one walk of
 * the blocks over the window's cells) and then its side panels
 * (view_model_text.c) and the step's note.  The window's cells, with the
 * weight the walk keeps for each, live in one allocation that only grows.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "view_model.h"

/* ---------------------------------------------------------------------------
 * Labels
 * ------------------------------------------------------------------------- */

static int by_offset(const void *a, const void *b)
{
    const vm_label *x = a, *y = b;
    return (x->offset > y->offset) - (x->offset < y->offset);
}

void vm_labels_sort(vm_label *labels, size_t count)
{
    if (count > 1)
        qsort(labels, count, sizeof *labels, by_offset);
}

const vm_label *vm_label_of(const vm_label *labels, size_t count,
                            size_t offset)
{
    size_t low = 0, high = count;

    while (low < high) {
        size_t mid = low + (high - low) / 2;
        if (labels[mid].offset == offset)
            return &labels[mid];
        if (labels[mid].offset < offset)
            low = mid + 1;
        else
            high = mid;
    }
    return NULL;
}

/* ---------------------------------------------------------------------------
 * The model
 * ------------------------------------------------------------------------- */

void view_model_init(view_model *m)
{
    memset(m, 0, sizeof *m);
    m->geo.bytes_per_cell = VM_MIN_BYTES_PER_CELL;
    m->geo.cells_per_row = 64;
    m->panel_width = VM_PANEL_WIDTH;
}

void view_model_free(view_model *m)
{
    free(m->cells);
    m->cells = NULL;
    m->cells_capacity = 0;
}

/* Room for the window's cells, plus a weight for each just behind them. */
static int reserve_cells(view_model *m, size_t count)
{
    size_t each = sizeof(vm_cell) + sizeof(size_t);
    vm_cell *cells;

    if (count <= m->cells_capacity)
        return 0;
    if (count > SIZE_MAX / each) {
        errno = ENOMEM;
        return -1;
    }
    cells = realloc(m->cells, count * each);
    if (!cells)
        return -1;
    m->cells = cells;
    m->cells_capacity = count;
    return 0;
}

int view_model_build(view_model *m, hl_heap *heap, const vm_step *step,
                     const vm_geometry *geo, const vm_label *labels,
                     size_t label_count)
{
    hl_stats stats;

    hl_heap_stats(heap, &stats);
    m->heap_size = stats.heap_size;
    m->geo = *geo;
    vm_clamp_scroll(&m->geo, m->heap_size);
    m->total_rows = vm_rows_needed(m->heap_size, &m->geo);
    if (reserve_cells(m, m->geo.rows * m->geo.cells_per_row) != 0)
        return -1;
    vm_build_map(m, heap, step, labels, label_count);

    m->step.width = m->events.width = m->freelist.width = m->stats.width =
        m->note_lines.width = m->panel_width;
    vm_text_step(&m->step, step);
    vm_text_events(&m->events, step, labels, label_count);
    vm_text_freelist(&m->freelist, heap);
    vm_text_stats(&m->stats, heap);
    m->note[0] = '\0';
    if (step && step->note)
        snprintf(m->note, sizeof m->note, "%s", step->note);
    m->note_lines.count = 0;
    /* The whole note, from the script (m->note may be cut short), each
     * of its lines starting a line of the panel. */
    if (step && step->note && step->note[0] &&
        !vm_panel_add_text(&m->note_lines, step->note, 0))
        snprintf(m->note_lines.line[m->note_lines.count++], VM_LINE_MAX,
                 "  ...");
    return 0;
}

const vm_cell *vm_cell_at(const view_model *m, size_t row, size_t column)
{
    if (row >= m->geo.rows || column >= m->geo.cells_per_row)
        return NULL;
    return &m->cells[row * m->geo.cells_per_row + column];
}

char *vm_row_text(const view_model *m, size_t row, char *buf, size_t size)
{
    size_t c, n = 0;

    for (c = 0; c < m->geo.cells_per_row && n + 1 < size; c++) {
        const vm_cell *cell = vm_cell_at(m, row, c);
        buf[n++] = cell ? cell->glyph : ' ';
    }
    if (size > 0)
        buf[n] = '\0';
    return buf;
}

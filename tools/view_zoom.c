/* view_zoom.c - the zoom and the scroll of the map, and the panel's share
 * of the screen, as arithmetic.
 *
 * A cell stands for bytes_per_cell bytes, a power of two from 8 (one
 * header word: every block is at least three cells) up.  Row r of the map
 * starts at byte r * bytes_per_cell * cells_per_row.  Zooming keeps the
 * byte at the top left of the window in the top row, so the reader does
 * not lose the place; scrolling never goes past the last row.
 *
 * The side panel takes a third of the screen's width, within bounds: wide
 * enough for its lines on an 80-column screen, and no wider than a line
 * reads well on a wide one; the map gets the rest.
 */
#include "view_model.h"

static size_t row_bytes(const vm_geometry *geo)
{
    return geo->bytes_per_cell * geo->cells_per_row;
}

/* Rows needed to show heap_size bytes: at least one, even for no heap. */
size_t vm_rows_needed(size_t heap_size, const vm_geometry *geo)
{
    size_t bytes = row_bytes(geo);

    if (bytes == 0 || heap_size == 0)
        return 1;
    return (heap_size + bytes - 1) / bytes;
}

size_t vm_row_offset(const vm_geometry *geo, size_t row)
{
    return row * row_bytes(geo);
}

/* Keeps the window on the map: the last row shown is at most the last row
 * of the heap, unless the whole heap fits. */
void vm_clamp_scroll(vm_geometry *geo, size_t heap_size)
{
    size_t needed = vm_rows_needed(heap_size, geo);

    if (geo->first_row + geo->rows > needed)
        geo->first_row = needed > geo->rows ? needed - geo->rows : 0;
}

/* Halves (in) or doubles the bytes per cell, within bounds; zooming out
 * stops once the whole heap fits in one row.  Returns false, changing
 * nothing, at a bound. */
bool vm_zoom(vm_geometry *geo, bool in, size_t heap_size)
{
    size_t top = vm_row_offset(geo, geo->first_row);

    if (in && geo->bytes_per_cell > VM_MIN_BYTES_PER_CELL)
        geo->bytes_per_cell /= 2;
    else if (!in && geo->bytes_per_cell < VM_MAX_BYTES_PER_CELL &&
             row_bytes(geo) < heap_size)
        geo->bytes_per_cell *= 2;
    else
        return false;
    geo->first_row = row_bytes(geo) ? top / row_bytes(geo) : 0;
    vm_clamp_scroll(geo, heap_size);
    return true;
}

/* The closest zoom at which the whole heap fits in the window's rows. */
void vm_fit(vm_geometry *geo, size_t heap_size)
{
    geo->bytes_per_cell = VM_MIN_BYTES_PER_CELL;
    while (geo->bytes_per_cell < VM_MAX_BYTES_PER_CELL &&
           vm_rows_needed(heap_size, geo) > geo->rows)
        geo->bytes_per_cell *= 2;
    geo->first_row = 0;
}

size_t vm_panel_width(size_t cols)
{
    size_t width = cols / 3;

    if (width < VM_PANEL_WIDTH)
        return VM_PANEL_WIDTH;
    return width > VM_PANEL_MAX_WIDTH ? VM_PANEL_MAX_WIDTH : width;
}

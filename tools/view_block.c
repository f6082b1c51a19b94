/* view_block.c - the block cursor's actions: Tab enters block mode on the
 * first block in sight, the arrows move from block to block, Enter follows
 * a free block's freelist link, Tab or Escape leave.
 *
 * Where the cursor may go is the model's business (view_model_block.c,
 * over the library's walks); here the cursor is moved, the map scrolled
 * so that it stays in sight, and what cannot be done is said on the
 * status line.  The pane that decodes the block is built with the model
 * (vm_select) and drawn by view_draw.c.
 */
#include <stdio.h>

#include "view.h"

/* The map's bytes a row, at the current zoom. */
static size_t row_bytes(const view *v)
{
    return v->geo.bytes_per_cell * v->geo.cells_per_row;
}

/* Scrolls the map so that the cursor's header is in sight, and leaves the
 * zoom where it is from now on. */
static void keep_in_sight(view *v)
{
    size_t row = v->cursor / row_bytes(v);

    if (row < v->geo.first_row)
        v->geo.first_row = row;
    else if (row >= v->geo.first_row + v->geo.rows)
        v->geo.first_row = row - v->geo.rows + 1;
}

static void move_to(view *v, size_t offset, const char *why_not)
{
    if (offset == v->cursor || offset == VM_NO_BLOCK) {
        snprintf(v->message, sizeof v->message, "%s", why_not);
        return;
    }
    v->cursor = offset;
    keep_in_sight(v);
}

void view_block_enter(view *v)
{
    hl_heap *heap = view_selected_heap(v);
    size_t first = vm_row_offset(&v->geo, v->geo.first_row);

    v->cursor = vm_block_from(heap, first);
    if (v->cursor == VM_NO_BLOCK)
        v->cursor = vm_block_from(heap, 0);
    if (v->cursor == VM_NO_BLOCK) {
        snprintf(v->message, sizeof v->message,
                 "no blocks yet at step %zu: Tab works once there are",
                 timeline_position(v->tl));
        return;
    }
    v->playing = false;
    v->block_mode = true;
    keep_in_sight(v);
}

void view_block_leave(view *v)
{
    v->block_mode = false;
}

void view_block_move(view *v, int by)
{
    move_to(v, vm_block_step(view_selected_heap(v), v->cursor, by),
            by > 0 ? "the last block: nothing after it"
                   : "the first block: nothing before it");
}

void view_block_row(view *v, int by)
{
    move_to(v, vm_block_row(view_selected_heap(v), v->cursor, row_bytes(v),
                            by),
            by > 0 ? "no block a row below" : "no block a row above");
}

static bool note_last(const hl_block_info *block, void *arg)
{
    *(size_t *)arg = block->offset;
    return true;
}

void view_block_end(view *v, bool last)
{
    hl_heap *heap = view_selected_heap(v);
    size_t at = vm_block_from(heap, 0);

    if (last)
        hl_heap_visit_blocks(heap, note_last, &at);
    move_to(v, at, last ? "already the last block" : "already the first block");
}

void view_block_follow(view *v)
{
    hl_heap *heap = view_selected_heap(v);
    hl_block_bits bits;
    size_t from = v->cursor, next;

    if (!hl_heap_block_bits(heap, from, &bits) || !bits.free) {
        snprintf(v->message, sizeof v->message, "block %zu is not free: "
                 "Enter follows the freelist from a free block", from);
        return;
    }
    next = vm_freelist_after(heap, from);
    if (next == VM_NO_BLOCK) {
        snprintf(v->message, sizeof v->message,
                 "block %zu is the last on the freelist", from);
        return;
    }
    v->cursor = next;
    keep_in_sight(v);
    snprintf(v->message, sizeof v->message,
             "freelist: block %zu, then block %zu", from, next);
}

/* view_model_block.c - the block cursor: which block is selected, how the
 * arrows and Enter move it, and the selected block decoded byte by byte.
 *
 * Moving walks the library's own block and freelist visitors, so the
 * cursor goes where the heap says blocks are.  Decoding reads the block's
 * words through hl_heap_block_bits, which knows the header's layout (the
 * diagram in lib/block.h and heaplab(3)); this file restates no bit of it.
 * The raw bytes shown beside the fields are copied from the heap as they
 * lie in memory (least significant byte first on x86-64 and arm64).
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "view_model.h"

/* ---------------------------------------------------------------------------
 * Moving the cursor
 * ------------------------------------------------------------------------- */

/* What a walk over the blocks looks for, and what it found. */
typedef struct block_search {
    size_t offset;          /* the byte, or the block, asked about */
    size_t found;           /* the answer, or VM_NO_BLOCK */
    size_t before;          /* the last block before `offset` */
    bool take_next;         /* the block at `offset` was seen: take the next */
} block_search;

static size_t block_end(const hl_block_info *block)
{
    return block->offset + HL_HEADER_SIZE + block->size;
}

static bool holding(const hl_block_info *block, void *arg)
{
    block_search *s = arg;

    if (s->offset >= block->offset && s->offset < block_end(block)) {
        s->found = block->offset;
        return false;
    }
    return block->offset < s->offset;
}

size_t vm_block_at(hl_heap *heap, size_t offset)
{
    block_search s = {offset, VM_NO_BLOCK, VM_NO_BLOCK, false};

    hl_heap_visit_blocks(heap, holding, &s);
    return s.found;
}

static bool reaching(const hl_block_info *block, void *arg)
{
    block_search *s = arg;

    if (block_end(block) > s->offset) {
        s->found = block->offset;
        return false;
    }
    return true;
}

size_t vm_block_from(hl_heap *heap, size_t offset)
{
    block_search s = {offset, VM_NO_BLOCK, VM_NO_BLOCK, false};

    hl_heap_visit_blocks(heap, reaching, &s);
    return s.found;
}

static bool neighbours(const hl_block_info *block, void *arg)
{
    block_search *s = arg;

    if (s->take_next) {
        s->found = block->offset;
        return false;
    }
    if (block->offset == s->offset)
        s->take_next = true;
    else
        s->before = block->offset;
    return block->offset <= s->offset;
}

size_t vm_block_step(hl_heap *heap, size_t offset, int by)
{
    block_search s = {offset, VM_NO_BLOCK, VM_NO_BLOCK, false};

    hl_heap_visit_blocks(heap, neighbours, &s);
    if (by > 0)
        return s.found != VM_NO_BLOCK ? s.found : offset;
    return s.take_next && s.before != VM_NO_BLOCK ? s.before : offset;
}

size_t vm_block_row(hl_heap *heap, size_t offset, size_t row_bytes, int by)
{
    size_t target, there;

    if (by < 0 && offset < row_bytes)
        return offset;
    target = by < 0 ? offset - row_bytes : offset + row_bytes;
    there = vm_block_at(heap, target);
    if (there == VM_NO_BLOCK)
        return offset;
    if (there == offset)    /* the block spans the row: leave it */
        return vm_block_step(heap, offset, by);
    return there;
}

/* The list is in no address order: every node is looked at until the
 * one after `offset`. */
static bool after_in_list(const hl_block_info *block, void *arg)
{
    block_search *s = arg;

    if (s->take_next) {
        s->found = block->offset;
        return false;
    }
    s->take_next = block->offset == s->offset;
    return true;
}

size_t vm_freelist_after(hl_heap *heap, size_t offset)
{
    block_search s = {offset, VM_NO_BLOCK, VM_NO_BLOCK, false};

    hl_heap_visit_freelist(heap, after_in_list, &s);
    return s.found;
}

/* ---------------------------------------------------------------------------
 * Decoding
 * ------------------------------------------------------------------------- */

static void add(vm_panel *p, const char *fmt, ...)
{
    char text[4 * VM_LINE_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    vm_panel_add_text(p, text, 0);
}

/* "  61 62 63 00 ...  abc." for up to 8 bytes. */
static void add_bytes(vm_panel *p, const unsigned char *bytes, size_t n)
{
    char hex[8 * 3 + 1] = "", text[9] = "";
    size_t i;

    for (i = 0; i < n && i < 8; i++) {
        snprintf(hex + 3 * i, sizeof hex - 3 * i, "%02x ", bytes[i]);
        text[i] = isprint(bytes[i]) ? (char)bytes[i] : '.';
        text[i + 1] = '\0';
    }
    add(p, "  %-24s%s", hex, text);
}

static const char *link_text(char *buf, size_t size, size_t offset,
                             bool in_heap)
{
    if (offset != HL_NO_OFFSET)
        snprintf(buf, size, "%zu", offset);
    else
        snprintf(buf, size, "%s", in_heap ? "none" : "OUT OF HEAP");
    return buf;
}

static void add_header(vm_panel *p, hl_heap *heap, size_t offset,
                       const hl_block_bits *bits)
{
    unsigned char bytes[HL_HEADER_SIZE];

    add(p, "header at %zu: 0x%016llx", offset,
        (unsigned long long)bits->header);
    add_bytes(p, bytes, hl_heap_peek(heap, offset, bytes, sizeof bytes));
    add(p, "  size %zu  F %d  P %d  C %d  slack %zu", bits->size,
        bits->free, bits->prev_free, bits->cached, bits->slack);
    if (bits->check_holds)
        add(p, "  check 0x%02x: holds", bits->check);
    else
        add(p, "  check 0x%02x: FAILS (0x%02x expected)",
            bits->check, bits->check_expected);
}

static void add_free_words(vm_panel *p, size_t offset,
                           const hl_block_bits *bits)
{
    char next[24], prev[24];

    if (bits->has_node)
        add(p, "node at %zu: next %s, prev %s", offset + HL_HEADER_SIZE,
            link_text(next, sizeof next, bits->next_offset,
                      bits->links_in_heap),
            link_text(prev, sizeof prev, bits->prev_offset,
                      bits->links_in_heap));
    if (bits->has_footer) {
        add(p, "footer at %zu: 0x%016llx", offset + bits->size,
            (unsigned long long)bits->footer);
        add(p, "  %s", bits->footer == bits->header ? "the same as the header"
                                                    : "DIFFERS from the header");
    }
}

static void add_object(vm_panel *p, hl_heap *heap, size_t offset,
                       const hl_block_bits *bits)
{
    size_t first = offset + HL_HEADER_SIZE;
    size_t n = bits->size < 16 ? bits->size : 16;
    unsigned char bytes[16];

    add(p, "object at %zu: %zu B asked, first %zu:", first,
        bits->size >= bits->slack ? bits->size - bits->slack : 0, n);
    n = hl_heap_peek(heap, first, bytes, n);
    add_bytes(p, bytes, n);
    if (n > 8)
        add_bytes(p, bytes + 8, n - 8);
}

void vm_text_block(vm_panel *p, hl_heap *heap, size_t offset,
                   const vm_label *labels, size_t label_count)
{
    const vm_label *label = vm_label_of(labels, label_count, offset);
    hl_block_bits bits;

    p->count = 0;
    if (!hl_heap_block_bits(heap, offset, &bits)) {
        add(p, "no block at %zu", offset);
        return;
    }
    add(p, "BLOCK %zu%s%s%s: %s, %zu B", offset, label ? " [" : "",
        label ? label->name : "", label ? "]" : "",
        bits.free ? "free" : bits.cached ? "cached" : "used", bits.size);
    add_header(p, heap, offset, &bits);
    if (bits.free)
        add_free_words(p, offset, &bits);
    else if (!bits.cached)
        add_object(p, heap, offset, &bits);
}

void vm_select(view_model *m, hl_heap *heap, size_t offset,
               const vm_label *labels, size_t label_count)
{
    size_t i, count = m->geo.rows * m->geo.cells_per_row;

    m->cursor = VM_NO_BLOCK;
    m->block.count = 0;
    m->block.width = m->panel_width;
    if (offset != VM_NO_BLOCK) {
        m->cursor = vm_block_at(heap, offset);
        if (m->cursor == VM_NO_BLOCK)
            m->cursor = vm_block_from(heap, offset);
    }
    for (i = 0; i < count; i++)
        m->cells[i].selected =
            m->cursor != VM_NO_BLOCK && m->cells[i].block == m->cursor;
    if (m->cursor != VM_NO_BLOCK)
        vm_text_block(&m->block, heap, m->cursor, labels, label_count);
}

/* inspect.c - looking at a heap without changing it: block and freelist
 * walks, the block of an object, and the stats snapshot.  None of it
 * allocates; the visitor gets a hl_block_info on the stack.
 *
 * A walk reports nothing (looking is not an operation), but it follows no
 * word the heap did not write: the block walk stops at a header that is
 * not sound or that runs past the end, the freelist walk at a link to
 * anything but a free block of this heap, and it never takes more steps
 * than the heap has room for blocks (a loop).  So a viewer of a corrupted
 * heap shows what is sound up to the damage, and does not crash. */
#include <stdint.h>
#include <string.h>

#include "internal.h"

/* Whether the block walk may describe b and step past it. */
static bool block_is_walkable(const hl_heap *heap, char *b)
{
    return block_header_is_sound(b) && block_size(b) >= heap->min_contents &&
           block_next(b) <= heap->end;
}

/* Whether the freelist walk may describe the block of node n. */
static bool node_is_walkable(const hl_heap *heap, const hl_node *n)
{
    char *b = NODE_BLOCK(n);

    return (uintptr_t)n % heap->cfg.align == 0 && b >= heap->first &&
           b < heap->end && (size_t)(heap->end - b) >= heap->min_block &&
           block_is_walkable(heap, b) && block_is_free(b);
}

static void describe(const hl_heap *heap, char *b, hl_block_info *info)
{
    info->offset = heap_offset(heap, b);
    info->object_offset = info->offset + HL_HEADER_SIZE;
    info->size = block_size(b);
    info->free = block_is_free(b);
    info->cached = !info->free && block_is_cached(b);
    info->slack = info->free || info->cached ? 0 : block_slack(b);
    info->requested = info->free || info->cached ? 0
                                                 : info->size - info->slack;
}

size_t hl_heap_visit_blocks(hl_heap *heap, hl_block_visitor visit, void *arg)
{
    hl_block_info info;
    size_t count = 0;
    char *b;

    if (!heap->started)
        return 0;
    for (b = heap->first; b < heap->end && block_is_walkable(heap, b);
         b = block_next(b)) {
        describe(heap, b, &info);
        count++;
        if (!visit(&info, arg))
            break;
    }
    return count;
}

size_t hl_heap_visit_freelist(hl_heap *heap, hl_block_visitor visit,
                              void *arg)
{
    hl_block_info info;
    size_t count = 0, most;
    hl_node *n;

    if (!heap->started)
        return 0;
    most = (size_t)(heap->end - heap->first) / heap->min_block;
    for (n = freelist_first(heap);
         n && count < most && node_is_walkable(heap, n);
         n = freelist_next(heap, n)) {
        describe(heap, NODE_BLOCK(n), &info);
        count++;
        if (!visit(&info, arg))
            break;
    }
    return count;
}

bool hl_heap_block_of(hl_heap *heap, const void *ptr, hl_block_info *out)
{
    char *b;

    if (!heap->started || (const char *)ptr < heap->first + HL_HEADER_SIZE)
        return false;
    for (b = heap->first; b < heap->end && block_is_walkable(heap, b);
         b = block_next(b))
        if (BLOCK_OBJECT(b) == (const char *)ptr && !block_is_free(b) &&
            !block_is_cached(b)) {
            describe(heap, b, out);
            return true;
        }
    return false;
}

static bool add_block(const hl_block_info *block, void *arg)
{
    hl_stats *s = arg;

    if (block->free) {
        s->free_blocks++;
        s->free_bytes += block->size;
        if (block->size > s->largest_free)
            s->largest_free = block->size;
    } else if (block->cached) {
        s->cached_blocks++;
        s->cached_bytes += block->size;
    } else {
        s->used_blocks++;
        s->used_bytes += block->size;
    }
    return true;
}

void hl_heap_stats(hl_heap *heap, hl_stats *out)
{
    *out = heap->counters;
    out->used_blocks = out->used_bytes = 0;
    out->free_blocks = out->free_bytes = out->largest_free = 0;
    out->cached_blocks = out->cached_bytes = 0;
    hl_heap_visit_blocks(heap, add_block, out);
    out->remote_pending = hl_heap_visit_remote(heap, NULL, NULL);
    out->heap_size = heap->started ? (size_t)(heap->grower_end - heap->start)
                                   : 0;
    out->requested_bytes = heap->live_requested;
    out->large_at_back = place_large_at_back(heap);
    out->large_from = out->in_turn = 0;
    if (heap->cfg.place != HL_PLACE_FRONT) {
        out->large_from = place_large(heap);
        out->in_turn = place_in_turn_percent(heap);
    }
    out->utilization = out->heap_size
                           ? (double)out->requested_bytes / out->heap_size
                           : 0.0;
    out->fragmentation = out->free_bytes
                             ? 1.0 - (double)out->largest_free / out->free_bytes
                             : 0.0;
}

/* ---------------------------------------------------------------------------
 * One block's words, decoded (hl_heap_block_bits)
 * ------------------------------------------------------------------------- */

/* A node link as the offset of the block it leads to; false when it
 * leads out of the heap (NULL is HL_NO_OFFSET, and in the heap). */
static bool link_offset(const hl_heap *heap, const hl_node *link,
                        size_t *offset)
{
    const char *b = link ? NODE_BLOCK(link) : NULL;

    *offset = HL_NO_OFFSET;
    if (!link)
        return true;
    if (b < heap->first || b >= heap->end)
        return false;
    *offset = heap_offset(heap, b);
    return true;
}

bool hl_heap_block_bits(hl_heap *heap, size_t offset, hl_block_bits *out)
{
    char *b;
    size_t room;
    bool next_ok, prev_ok;

    /* The offset is checked before it becomes a pointer: any size_t may
     * come in, and a pointer past the heap may not even be formed. */
    if (!heap->started || offset < heap_offset(heap, heap->first) ||
        offset > heap_offset(heap, heap->end) ||
        heap_offset(heap, heap->end) - offset < HL_HEADER_SIZE)
        return false;
    b = heap->start + offset;
    memset(out, 0, sizeof *out);
    out->header = HEADER(b);
    out->size = block_size(b);
    out->free = block_is_free(b);
    out->prev_free = block_prev_is_free(b);
    out->cached = block_is_cached(b);
    out->slack = block_slack(b);
    out->check = (unsigned)(out->header >> HL_CHECK_SHIFT);
    out->check_expected = (unsigned)block_check_byte(b, out->size);
    out->check_holds = out->check == out->check_expected;
    out->next_offset = out->prev_offset = HL_NO_OFFSET;
    room = (size_t)(heap->end - b) - HL_HEADER_SIZE;
    /* Step 1: the node, when the contents can hold one. */
    if (out->free && room >= sizeof(hl_node)) {
        out->has_node = true;
        next_ok = link_offset(heap, node_next(BLOCK_NODE(b)), &out->next_offset);
        prev_ok = link_offset(heap, node_prev(BLOCK_NODE(b)), &out->prev_offset);
        out->links_in_heap = next_ok && prev_ok;
    }
    /* Step 2: the footer, in the contents' last word, when it is inside. */
    if (out->free && heap->cfg.merge == HL_MERGE_IMMEDIATE &&
        out->size >= HL_HEADER_SIZE && out->size <= room) {
        out->has_footer = true;
        out->footer = meta_load(block_footer(b));
    }
    return true;
}

/* One byte at a time, unchecked: the heap's closed bytes are the
 * library's to read (shadow.h), and a copy that a tool reported would
 * make every viewer of a heap under valgrind or ASan a false alarm. */
static inline SHADOW_UNCHECKED void peek_bytes(unsigned char *to,
                                        const volatile unsigned char *from,
                                        size_t n)
{
    size_t i;

    SHADOW_QUIET_BEGIN();
    for (i = 0; i < n; i++)
        to[i] = from[i];
    SHADOW_QUIET_END();
#ifdef HL_VALGRIND
    if (SHADOW_VALGRIND) /* a copy to show: its bytes are what they are */
        VALGRIND_MAKE_MEM_DEFINED(to, n);
#endif
}

size_t hl_heap_peek(const hl_heap *heap, size_t offset, void *buf, size_t n)
{
    size_t handed_out;

    if (!heap || !heap->started || !buf)
        return 0;
    handed_out = (size_t)(heap->grower_end - heap->start);
    if (offset >= handed_out)
        return 0;
    if (n > handed_out - offset)
        n = handed_out - offset;
    peek_bytes(buf, (const unsigned char *)heap->start + offset, n);
    return n;
}

/* freelist.c - the doubly linked list threaded through free blocks.
 *
 * A free block's contents begin with a node {next, prev}.  The list is not
 * sorted unless order=address; where a block enters it is the heap's
 * `order` knob: at the front (lifo, the reference), at the back (fifo), or
 * in address order.  Removing a block is O(1) because the list is doubly
 * linked; inserting in address order walks the list (and, for a block
 * being freed, the heap after it: first_node_after).
 *
 * With fit=segregated there is one such list per size class (a "bin"), so
 * a search looks only at blocks of about the right size; every other fit
 * keeps all free blocks in bin 0.  A block's bin follows from its size,
 * which therefore never changes while the block is on a list.
 *
 * Next fit keeps a `rover`, the node where the next search starts; removing
 * that node moves the rover on to its successor.
 *
 * The nodes live in memory the program once owned, so a write after free
 * can put anything in them.  Unlinking a node writes through both its
 * links (next->prev = prev, prev->next = next): followed blindly, two
 * forged links are a write of the attacker's choice anywhere (the classic
 * unlink attack on dlmalloc).  So before a node is unlinked its links are
 * checked, as glibc has done since 2.3.4: each neighbour is a node inside
 * the heap, and points back at it (or the node is its bin's head or tail).
 * A node that fails is reported and left alone.
 */
#include <stdint.h>

#include "internal.h"

static hl_bin *bin_of(hl_heap *heap, char *b)
{
    return &heap->bins[freelist_bin(heap, block_size(b))];
}

size_t freelist_next_bin(const hl_heap *heap, size_t from)
{
    size_t word = from / 64;
    uint64_t bits;

    if (from >= HL_BINS)
        return HL_BINS;
    bits = heap->bin_map[word] & (~(uint64_t)0 << (from % 64));
    while (!bits) {
        if (++word == sizeof heap->bin_map / sizeof heap->bin_map[0])
            return HL_BINS;
        bits = heap->bin_map[word];
    }
    return word * 64 + (size_t)__builtin_ctzll(bits);
}

static void link_between(hl_bin *bin, hl_node *n, hl_node *prev,
                         hl_node *next)
{
    node_set_prev(n, prev);
    node_set_next(n, next);
    if (prev)
        node_set_next(prev, n);
    else
        bin->head = n;
    if (next)
        node_set_prev(next, n);
    else
        bin->tail = n;
}

/* Whether n could be the node of a block of this heap: aligned as objects
 * are, and its block's first bytes inside [first, end).  Reading its
 * links is then safe, whatever they hold. */
static bool node_in_heap(const hl_heap *heap, const hl_node *n)
{
    const char *b = NODE_BLOCK(n);

    return (uintptr_t)n % heap->cfg.align == 0 && b >= heap->first &&
           b < heap->end && (size_t)(heap->end - b) >= heap->min_block;
}

/* Whether free block b's links may be followed: each neighbour is a node
 * of this heap that points back at b's node, and where there is none, b
 * heads (or ends) its bin.  If not, the heap is reported corrupt. */
bool freelist_links_are_sound(hl_heap *heap, char *b)
{
    hl_node *n = BLOCK_NODE(b), *next = node_next(n), *prev = node_prev(n);
    hl_bin *bin = bin_of(heap, b);

    if ((next ? node_in_heap(heap, next) && node_prev(next) == n
              : bin->tail == n) &&
        (prev ? node_in_heap(heap, prev) && node_next(prev) == n
              : bin->head == n))
        return true;
    heap_report_corrupt(heap, BLOCK_OBJECT(b),
                        "free block with broken freelist links (written "
                        "after free?):");
    return false;
}

/* One step of the walk through the heap from block c, after a block being
 * freed: the node of c when c is a free block of the bin (the one wanted),
 * or NULL with *c moved on to the next block; *c becomes NULL when the walk
 * must stop (a header the heap did not write: the list's walk goes on
 * alone) and the heap's end when it is reached. */
static hl_node *heap_walk_step(hl_heap *heap, hl_bin *bin, char **c)
{
    char *b = *c;

    if (!block_header_is_sound(b) || block_next(b) > heap->end) {
        *c = NULL;
        return NULL;
    }
    if (block_is_free(b) && bin_of(heap, b) == bin)
        return BLOCK_NODE(b);
    *c = block_next(b);
    return NULL;
}

/* The first node of the bin at a higher address than n, or NULL; n itself
 * when a node on the way is not sound (reported).  The list is walked from
 * its head.  When the heap is whole after n's block (near_free: a block
 * being freed, every other free block on its list), the blocks that follow
 * it in the heap are walked too, a step of each in turn: the first free one
 * of the bin is the node wanted, and the heap's end means none.  Whichever
 * walk ends first answers, so a free costs the shorter of the two: the
 * list's when few free blocks lie below it, the heap's when free blocks
 * are close together. */
static hl_node *first_node_after(hl_heap *heap, hl_bin *bin, hl_node *n,
                                 bool near_free)
{
    hl_node *it = bin->head, *found;
    char *c = near_free ? block_next(NODE_BLOCK(n)) : NULL;

    while (it && it < n) {
        if (c == heap->end)
            return NULL;
        if (c && (found = heap_walk_step(heap, bin, &c)))
            return found;
        if (!freelist_links_are_sound(heap, NODE_BLOCK(it)))
            return n;
        it = node_next(it);
    }
    return it;
}

/* Adds free block b to its bin where the heap's order puts it. */
void freelist_push(hl_heap *heap, char *b)
{
    freelist_push_freed(heap, b, false);
}

/* The same, for a block a free has just made (release_range): with
 * heap_whole, every other free block is on its list and every header after
 * b is written, so address order may look for b's place in the heap too. */
void freelist_push_freed(hl_heap *heap, char *b, bool heap_whole)
{
    hl_node *n = BLOCK_NODE(b), *after;
    hl_bin *bin = bin_of(heap, b);

    switch (heap->cfg.order) {
    case HL_ORDER_LIFO:
        link_between(bin, n, NULL, bin->head);
        break;
    case HL_ORDER_FIFO:
        link_between(bin, n, bin->tail, NULL);
        break;
    case HL_ORDER_ADDRESS:
        after = first_node_after(heap, bin, n, heap_whole);
        if (after == n ||
            (after && !freelist_links_are_sound(heap, NODE_BLOCK(after))))
            return; /* the heap is corrupt: b stays off the list */
        link_between(bin, n, after ? node_prev(after) : bin->tail, after);
        break;
    }
    freelist_note_bin(heap, bin);
}

/* Takes free block b out of its bin.  Returns false, having changed
 * nothing, when b's links are not sound (reported). */
bool freelist_remove(hl_heap *heap, char *b)
{
    hl_node *n = BLOCK_NODE(b), *next, *prev;
    hl_bin *bin = bin_of(heap, b);

    if (!freelist_links_are_sound(heap, b))
        return false;
    next = node_next(n);
    prev = node_prev(n);
    if (heap->rover == n)
        heap->rover = next;
    if (prev)
        node_set_next(prev, next);
    else
        bin->head = next;
    if (next)
        node_set_prev(next, prev);
    else
        bin->tail = prev;
    node_set_next(n, NULL);
    node_set_prev(n, NULL);
    freelist_note_bin(heap, bin);
    return true;
}

/* The head of the first non-empty bin from `from` on, or NULL. */
static hl_node *first_from(const hl_heap *heap, size_t from)
{
    size_t i = freelist_next_bin(heap, from);

    return i < HL_BINS ? heap->bins[i].head : NULL;
}

hl_node *freelist_first(const hl_heap *heap)
{
    return first_from(heap, 0);
}

hl_node *freelist_next(const hl_heap *heap, const hl_node *n)
{
    if (node_next(n))
        return node_next(n);
    return first_from(heap,
                      freelist_bin(heap, block_size(NODE_BLOCK(n))) + 1);
}

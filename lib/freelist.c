/* freelist.c - the doubly linked list threaded through free blocks.
 *
 * A free block's contents begin with a node {next, prev}.  The list is not
 * sorted unless order=address; where a block enters it is the heap's
 * `order` knob: at the front (lifo, the reference), at the back (fifo), or
 * in address order.  Removing a block is O(1) because the list is doubly
 * linked; inserting in address order walks the list.
 *
 * Next fit keeps a `rover`, the node where the next search starts; removing
 * that node moves the rover on to its successor.
 */
#include "internal.h"

static void link_between(hl_heap *heap, hl_node *n, hl_node *prev,
                         hl_node *next)
{
    n->prev = prev;
    n->next = next;
    if (prev)
        prev->next = n;
    else
        heap->head = n;
    if (next)
        next->prev = n;
    else
        heap->tail = n;
}

/* The first node at a higher address than n, or NULL. */
static hl_node *first_node_after(const hl_heap *heap, const hl_node *n)
{
    hl_node *it = heap->head;
    while (it && it < n)
        it = it->next;
    return it;
}

/* Adds free block b to the freelist where the heap's order puts it. */
void freelist_push(hl_heap *heap, char *b)
{
    hl_node *n = BLOCK_NODE(b);
    hl_node *after;

    switch (heap->cfg.order) {
    case HL_ORDER_LIFO:
        link_between(heap, n, NULL, heap->head);
        break;
    case HL_ORDER_FIFO:
        link_between(heap, n, heap->tail, NULL);
        break;
    case HL_ORDER_ADDRESS:
        after = first_node_after(heap, n);
        link_between(heap, n, after ? after->prev : heap->tail, after);
        break;
    }
}

/* Takes free block b out of the freelist. */
void freelist_remove(hl_heap *heap, char *b)
{
    hl_node *n = BLOCK_NODE(b);

    if (heap->rover == n)
        heap->rover = n->next;
    if (n->prev)
        n->prev->next = n->next;
    else
        heap->head = n->next;
    if (n->next)
        n->next->prev = n->prev;
    else
        heap->tail = n->prev;
    n->next = n->prev = NULL;
}

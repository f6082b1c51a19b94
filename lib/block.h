/* block.h - the layout of a block, and the small accessors every file uses.
 *
 * A heap is a run of blocks that tile [first, end) exactly.  A block is one
 * header word followed by its contents:
 *
 *   used block                       free block
 *   +--------------------------+     +--------------------------+
 *   | header                   |     | header (F bit set)       |
 *   +--------------------------+ <-- +--------------------------+
 *   | object: the caller's     |  p  | node.next                |
 *   | bytes, `size` of them    |     | node.prev                |
 *   | (requested + slack)      |     | ...                      |
 *   |                          |     | footer = header          | only when
 *   +--------------------------+     +--------------------------+ merging is
 *                                                                 immediate
 * The header word:
 *
 *   63      56 55     48 47                               3   2   1   0
 *   +---------+---------+----------------------------------+---+---+---+
 *   |  check  |  slack  |  contents size (a multiple of 8) | C | P | F |
 *   +---------+---------+----------------------------------+---+---+---+
 *
 *   F      the tag: 1 = free, 0 = used (the reference's lowest bit).
 *   C      the block is in the heap's cache (cache.c): tagged used, so no
 *          neighbour merges with it, but no longer the caller's.  Its
 *          object's first word links it to the next cached block.
 *   P      the block just before this one is free.  Kept only when merging
 *          is immediate, so that free() can find that neighbour through
 *          its footer; used blocks therefore pay nothing for boundary tags.
 *   slack  size - requested for a used block: what rounding and an unsplit
 *          remainder added.  Lets the heap report what the caller asked for.
 *   check  a byte computed from the block's address and size.  A pointer
 *          that does not follow a header we wrote (the middle of an object,
 *          another heap's object) is caught by free() with odds of 255/256
 *          even when the word before it looks like a size.
 *
 * Sizes: a block's contents size is at least min_contents (16 for the
 * reference, 24 when a footer must fit) and is such that 8 + size is a
 * multiple of the heap's alignment, so every object is aligned when the
 * first one is.  A free block's contents begin with its freelist node.
 */
#ifndef HL_BLOCK_H
#define HL_BLOCK_H

#include <stddef.h>
#include <stdint.h>

#include "heaplab.h" /* HL_HEADER_SIZE, the one public part of this */
#include "shadow.h"  /* meta_load, meta_store: the library's own words */
#define HL_TAG_FREE ((uint64_t)1)
#define HL_PREV_FREE ((uint64_t)2)
#define HL_TAG_CACHED ((uint64_t)4)
#define HL_SIZE_MASK ((((uint64_t)1 << 48) - 1) & ~(uint64_t)7)
#define HL_SLACK_SHIFT 48
#define HL_CHECK_SHIFT 56
#define HL_MAX_SLACK ((size_t)255)

_Static_assert(sizeof(uint64_t) == HL_HEADER_SIZE, "a header is one word");
_Static_assert(sizeof(void *) == 8, "heaplab's layout assumes 64-bit pointers");

/* A freelist node, threaded through the contents of a free block. */
typedef struct hl_node {
    struct hl_node *next, *prev;
} hl_node;
_Static_assert(sizeof(hl_node) == 16, "a node is two pointers");

/* Blocks are handled as char * to their header.  The header, like every
 * word of the library's own inside the heap, is read and written through
 * shadow.h's accessors: to valgrind and ASan it is no-access memory. */
#define HEADER(b) meta_load(b)
#define HEADER_STORE(b, v) meta_store((b), (v))
#define BLOCK_OBJECT(b) ((b) + HL_HEADER_SIZE)
#define OBJECT_BLOCK(p) ((char *)(p) - HL_HEADER_SIZE)
#define BLOCK_NODE(b) ((hl_node *)(void *)((b) + HL_HEADER_SIZE))
#define NODE_BLOCK(n) ((char *)(n) - HL_HEADER_SIZE)

static inline size_t block_size(const char *b)
{
    return (size_t)(HEADER(b) & HL_SIZE_MASK);
}

static inline int block_is_free(const char *b)
{
    return (HEADER(b) & HL_TAG_FREE) != 0;
}

static inline int block_is_cached(const char *b)
{
    return (HEADER(b) & HL_TAG_CACHED) != 0;
}

static inline int block_prev_is_free(const char *b)
{
    return (HEADER(b) & HL_PREV_FREE) != 0;
}

static inline size_t block_slack(const char *b)
{
    return (size_t)((HEADER(b) >> HL_SLACK_SHIFT) & 0xff);
}

/* The block physically after b (which may be the heap end). */
static inline char *block_next(char *b)
{
    return b + HL_HEADER_SIZE + block_size(b);
}

/* The check byte of a header: a mix of the block's address and size. */
static inline uint64_t block_check_byte(const char *b, size_t size)
{
    uint64_t x = ((uint64_t)(uintptr_t)b >> 3) ^ ((uint64_t)size << 17);
    x *= UINT64_C(0x9e3779b97f4a7c15);
    return (x >> 56) | 1; /* never 0, so a zeroed word never passes */
}

/* Writes b's header.  The P bit is kept as it was; the C bit is cleared. */
static inline void block_set(char *b, size_t size, int free, size_t slack)
{
    uint64_t prev = HEADER(b) & HL_PREV_FREE;
    HEADER_STORE(b, (uint64_t)size | prev | (free ? HL_TAG_FREE : 0) |
                ((uint64_t)slack << HL_SLACK_SHIFT) |
                (block_check_byte(b, size) << HL_CHECK_SHIFT));
}

/* Writes the header of a block that did not exist before (its P bit too). */
static inline void block_init(char *b, size_t size, int free, size_t slack,
                              int prev_free)
{
    HEADER_STORE(b, prev_free ? HL_PREV_FREE : 0);
    block_set(b, size, free, slack);
}

/* b may be a live object's block that a thread other than the heap's
 * owner is reading the header of at this moment (hl_usable_size_remote):
 * one relaxed atomic store, which is a plain store on x86-64 and arm64. */
static inline void block_set_prev_free(char *b, int prev_free)
{
    uint64_t header = HEADER(b);

    header = prev_free ? header | HL_PREV_FREE : header & ~HL_PREV_FREE;
    meta_store_relaxed(b, header);
}

static inline int block_header_is_sound(const char *b)
{
    return (HEADER(b) >> HL_CHECK_SHIFT) == block_check_byte(b, block_size(b));
}

/* The footer of a free block is a copy of its header, in its last word. */
static inline char *block_footer(char *b)
{
    return block_next(b) - HL_HEADER_SIZE;
}

/* A free block's freelist links (its node), read and written as the
 * library's own words. */
static inline hl_node *node_next(const hl_node *n)
{
    return meta_load_ptr(&n->next);
}

static inline hl_node *node_prev(const hl_node *n)
{
    return meta_load_ptr(&n->prev);
}

static inline void node_set_next(hl_node *n, const hl_node *next)
{
    meta_store_ptr(&n->next, next);
}

static inline void node_set_prev(hl_node *n, const hl_node *prev)
{
    meta_store_ptr(&n->prev, prev);
}

static inline size_t align_up(size_t n, size_t a)
{
    return (n + a - 1) & ~(a - 1);
}

#endif /* HL_BLOCK_H */

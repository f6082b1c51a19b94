/* heaplab.h - the whole public API of libheaplab, a freelist allocator to learn from.
 *
 * A heap manages one contiguous buffer that a grower extends at its end.  The
 * buffer is cut into blocks; each block is a one-word header followed by its
 * contents.  A used block's contents are the object handed to the caller; a
 * free block's contents hold a freelist node.  Everything here uses those
 * words: heap, block, header, object, freelist, grower.
 *
 * The heap's own state lives in storage the caller provides (hl_heap_space),
 * so a heap can be a static variable set up without calling malloc.  One
 * process can hold many heaps, each on its own grower.
 *
 * Nothing in this library prints unless asked (hl_heap_dump, or the default
 * error hook just before it aborts), and nothing allocates for its own
 * bookkeeping: walkers call back, dumps write to the FILE * they are given.
 */
#ifndef HEAPLAB_H
#define HEAPLAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define HL_VERSION "0.1.0"

/* ---------------------------------------------------------------------------
 * Knobs
 * ------------------------------------------------------------------------- */

/* Where a new object goes, among the free blocks that fit. */
typedef enum hl_fit {
    HL_FIT_FIRST, /* the first block in freelist order (the reference) */
    HL_FIT_NEXT,  /* like first, but start where the last search stopped */
    HL_FIT_BEST,  /* the smallest block that fits; ties go to list order */
    HL_FIT_WORST, /* the largest block */
    HL_FIT_SEGREGATED /* one list per size class; first fit from the
                         request's class up (needs merge=immediate|none) */
} hl_fit;

/* Where a block that becomes free enters the freelist. */
typedef enum hl_order {
    HL_ORDER_LIFO,   /* at the front (the reference) */
    HL_ORDER_FIFO,   /* at the back */
    HL_ORDER_ADDRESS /* so that the list stays sorted by address */
} hl_order;

/* When neighbouring free blocks are joined. */
typedef enum hl_merge {
    HL_MERGE_LAZY,      /* forward only, during the search (the reference) */
    HL_MERGE_IMMEDIATE, /* on free, both ways, with boundary tags */
    HL_MERGE_NONE       /* never: fragmentation left in plain sight */
} hl_merge;

/* Where an object goes inside the free block chosen for it. */
typedef enum hl_place {
    HL_PLACE_FRONT, /* at the block's start; the rest after it (the
                       reference) */
    HL_PLACE_APART, /* small objects at the front, large ones at the
                       back, so that the two kinds gather at opposite
                       ends of free space.  Large: HL_PLACE_LARGE bytes
                       and up, or half again the running mean of the
                       block sizes asked for, when that is less (a
                       program of 16- and 96-byte objects so keeps
                       them apart too); hl_stats.large_from says which.
                       Only while the program asks for the two kinds in
                       turn (hl_stats.in_turn); otherwise all go to the
                       front */
    HL_PLACE_ZONED  /* as apart, and with a fit other than segregated,
                       objects under HL_PLACE_LARGE bytes and the
                       objects realloc moves take the lowest-addressed
                       free block that fits (the one at the heap's end
                       last): small objects gather in a low zone and
                       leave the holes above them whole */
} hl_place;

/* The smallest block size place=apart and zoned always count as large;
 * smaller ones count too while the program's requests are small (above). */
#define HL_PLACE_LARGE ((size_t)256)

/* How many heaps a process-wide allocator (libheaplab-malloc) keeps.  A
 * single heap does not use this knob itself; it says which design the heap
 * is part of, and scripts and the drop-in read it. */
typedef enum hl_heaps {
    HL_HEAPS_ONE,       /* one heap for every thread (the reference) */
    HL_HEAPS_PER_THREAD /* each thread allocates from a heap of its own;
                           a free from another thread is a remote free */
} hl_heaps;

typedef enum hl_preset {
    HL_PRESET_REFERENCE, /* align 8, first fit, lifo, lazy: the Rust crate */
    HL_PRESET_DEFAULT,   /* align 16, first fit, lifo, immediate */
    HL_PRESET_FAST,      /* align 16, segregated, lifo, immediate, the
                            cache on, a heap per thread: the drop-in's */
    HL_PRESET_COMPACT    /* align 16, best fit, address order, immediate,
                            place=zoned: the least memory for the bytes
                            held, on malloc-lab style traces */
} hl_preset;

/* A heap's configuration.  Fill it with hl_config_preset(), then change
 * single fields, or set them by name with hl_config_set(). */
typedef struct hl_config {
    size_t align;   /* 8 or 16: the alignment of every object and block size */
    hl_fit fit;
    hl_order order;
    hl_merge merge;
    hl_place place;
    bool locked;    /* every operation takes the heap's mutex */
    bool cache;     /* keep freed small blocks per size class (cache.c) */
    hl_heaps heaps; /* one heap, or one per thread (libheaplab-malloc) */
} hl_config;

void hl_config_preset(hl_config *cfg, hl_preset preset);

/* Sets one knob by its script name:
 * preset=reference|default|fast|compact, place=front|apart|zoned,
 * align=8|16, fit=first|next|best|worst|segregated,
 * order=lifo|fifo|address, merge=lazy|immediate|none, cache=on|off,
 * heaps=one|per-thread.  Returns 0, or -1 with errno = EINVAL when the key
 * is unknown (cfg untouched) or the value is not one of the key's. */
int hl_config_set(hl_config *cfg, const char *key, const char *value);

/* Names of the knobs' values, as hl_config_set() spells them. */
const char *hl_fit_name(hl_fit fit);
const char *hl_order_name(hl_order order);
const char *hl_merge_name(hl_merge merge);
const char *hl_place_name(hl_place place);
const char *hl_heaps_name(hl_heaps heaps);

/* ---------------------------------------------------------------------------
 * Growers
 *
 * A grower is the buffer under a heap: contiguous, growing only at its end.
 * It is a table of function pointers that a grower's own struct embeds as
 * its first member, so a user-written grower is a struct and two functions.
 *
 * The contract of grow(self, n, &old_end, &grown):
 *   - n == 0: report the current end in *old_end, set *grown = 0, return 0.
 *   - n > 0: extend the buffer by at least max(n, min_increment) bytes,
 *     report where the end was before in *old_end and how far it moved in
 *     *grown, and return 0.  The new bytes directly follow the old end.
 *   - When it cannot, it changes nothing and returns an errno value
 *     (ENOMEM when there is no memory).  It never moves existing bytes.
 * The optional trim(self, n) gives back up to n bytes at the end, at most
 * what the grower itself handed out, and returns how many it gave back.
 * ------------------------------------------------------------------------- */

typedef struct hl_grower hl_grower;
struct hl_grower {
    const char *name;
    int (*grow)(hl_grower *self, size_t n, char **old_end, size_t *grown);
    size_t (*trim)(hl_grower *self, size_t n); /* may be NULL */
    size_t min_increment;
};

/* A caller's array with a fixed capacity (the seed's "stack allocator").
 * The usable part starts at the first 16-byte aligned byte of buf. */
typedef struct hl_static_grower {
    hl_grower base;
    char *start;
    size_t capacity, used;
} hl_static_grower;

/* brk/sbrk.  It remembers where its last growth ended; when something else
 * in the process has moved the break since, it fails with ENOMEM instead of
 * writing over the other party's memory. */
typedef struct hl_brk_grower {
    hl_grower base;
    char *start, *end;
} hl_brk_grower;

/* mmap: reserves `reserve` bytes of address space once, commits pages as
 * the heap grows, gives whole pages back on trim. */
typedef struct hl_mmap_grower {
    hl_grower base;
    char *start;
    size_t reserved, used, committed;
} hl_mmap_grower;

/* The constructors check min_increment: it must be a multiple of 16 and at
 * most HL_MAX_INCREMENT (0 means "no minimum").  They return 0, or EINVAL
 * for a bad argument, or ENOMEM when mmap cannot reserve the range. */
#define HL_MAX_INCREMENT ((size_t)1 << 30)
int hl_static_grower_init(hl_static_grower *g, void *buf, size_t size,
                          size_t min_increment);
int hl_brk_grower_init(hl_brk_grower *g, size_t min_increment);
int hl_mmap_grower_init(hl_mmap_grower *g, size_t reserve,
                        size_t min_increment);
/* The same, with the reservation's start aligned to `align` (a power of
 * two, at least the page size): a process that gives every heap such a
 * region finds the heap of a pointer by its address alone. */
int hl_mmap_grower_init_aligned(hl_mmap_grower *g, size_t reserve,
                                size_t align, size_t min_increment);
void hl_mmap_grower_release(hl_mmap_grower *g); /* unmaps everything */
int hl_grower_check_increment(size_t min_increment);

/* ---------------------------------------------------------------------------
 * Heaps
 * ------------------------------------------------------------------------- */

typedef struct hl_heap hl_heap;

/* Storage for one heap's state; big enough for any configuration. */
#define HL_HEAP_SPACE_SIZE 8192
typedef union hl_heap_space {
    long double align_ld;
    void *align_p;
    long long align_ll;
    unsigned char bytes[HL_HEAP_SPACE_SIZE];
} hl_heap_space;

/* The largest request a heap accepts; more fails with ENOMEM. */
#define HL_MAX_REQUEST ((size_t)1 << 46)
/* The largest alignment hl_aligned_alloc accepts; more fails with EINVAL. */
#define HL_MAX_ALIGN ((size_t)1 << 26)

/* Sets up a heap in `space` over `grower`.  The grower must not be used by
 * anything else while the heap lives.  Returns the heap, or NULL with errno =
 * EINVAL for a bad configuration.  Nothing is grown until the first
 * allocation. */
hl_heap *hl_heap_init(hl_heap_space *space, const hl_config *cfg,
                      hl_grower *grower);
/* Ends a heap (its mutex, if locked).  The grower keeps the memory. */
void hl_heap_destroy(hl_heap *heap);
const hl_config *hl_heap_config(const hl_heap *heap);
hl_grower *hl_heap_grower(const hl_heap *heap);

/* The operations.  Each returns NULL with errno = ENOMEM when the grower
 * cannot supply the memory, and leaves the heap as it was.
 *   hl_alloc(h, 0) returns a unique object of usable size >= 0 (a real,
 *     minimum-size block), never NULL unless memory is out.
 *   hl_free(h, NULL) does nothing.
 *   hl_realloc(h, NULL, n) is hl_alloc(h, n); hl_realloc(h, p, 0) shrinks p
 *     to a minimum-size block and returns it (it does not free).
 *   hl_calloc fails with ENOMEM when count * size overflows.
 *   hl_aligned_alloc fails with EINVAL unless align is a power of two no
 *     greater than HL_MAX_ALIGN.
 * Misuse (a double free, or a pointer that is not a live object of this
 * heap) goes to the error hook; if the hook returns, the call does nothing
 * (hl_realloc returns NULL with errno = EINVAL). */
void *hl_alloc(hl_heap *heap, size_t size);
void hl_free(hl_heap *heap, void *ptr);
void *hl_realloc(hl_heap *heap, void *ptr, size_t size);
void *hl_calloc(hl_heap *heap, size_t count, size_t size);
void *hl_aligned_alloc(hl_heap *heap, size_t align, size_t size);
size_t hl_usable_size(hl_heap *heap, const void *ptr);
/* True when ptr lies inside the heap's buffer (not whether it is live). */
bool hl_heap_contains(const hl_heap *heap, const void *ptr);

/* Gives free memory at the top of the heap back to the grower, keeping
 * `keep` bytes of it.  A cached block counts as used: call
 * hl_heap_flush_cache first to give back what the cache holds too.
 * Returns the bytes given back (0 when the grower has no trim, or when the
 * last block is in use). */
size_t hl_heap_trim(hl_heap *heap, size_t keep);
/* Auto trimming: when a free (or a cache flush) leaves a free block of more
 * than 2 * threshold bytes at the top of the heap, the heap gives all but
 * threshold bytes of it back at once, as hl_heap_trim(heap, threshold)
 * would.  0, the default, never trims by itself. */
void hl_heap_set_auto_trim(hl_heap *heap, size_t threshold);
/* The contents size of the free block at the top of the heap, which a trim
 * would give back; 0 when the last block is in use.  O(1) with immediate
 * merging (boundary tags), a walk of the heap otherwise. */
size_t hl_heap_free_top(hl_heap *heap);

/* ---------------------------------------------------------------------------
 * The cache and remote frees: the parts of a heap per thread.
 *
 * With cfg.cache, a freed object of up to HL_CACHE_MAX_SIZE bytes of
 * contents is not merged back into the heap: its block stays tagged used,
 * with the C bit of its header set, on a singly linked list of its size
 * class, at most HL_CACHE_DEPTH blocks a class.  An allocation of that
 * class takes the last one back in O(1) (a "cache hit").  A free that finds
 * its class full goes to the heap as usual.  hl_heap_flush_cache gives
 * every cached block to the heap (merging as the heap's knobs say).
 *
 * A heap belongs to one thread at a time (its owner).  Any other thread
 * that frees one of its objects calls hl_free_remote, which pushes the
 * object on the heap's remote list with one atomic compare-and-swap and
 * takes no lock.  The owner takes the whole list at its next operation on
 * the heap (or in hl_heap_drain) and frees each object as its own.  Misuse
 * in a remote free (a double free, a pointer that is no object) is found
 * then, and reported by the owner.
 * ------------------------------------------------------------------------- */

#define HL_CACHE_CLASSES 64  /* size classes, one align step apart */
#define HL_CACHE_DEPTH 16    /* cached blocks a class holds at most */
#define HL_CACHE_MAX_SIZE(align, min_contents) \
    ((min_contents) + (HL_CACHE_CLASSES - 1) * (align))

/* Frees ptr into heap from a thread that does not own the heap.  Lock-free;
 * safe to call while the owner is inside any operation. */
void hl_free_remote(hl_heap *heap, void *ptr);

/* Remote frees gathered by one thread and pushed together, one
 * compare-and-swap per batch instead of one per object (snmalloc sends
 * its remote frees as batched messages for the same reason).  Add objects
 * with hl_remote_batch_add: while they go to one heap they are linked
 * together; a full batch, or an object of another heap, pushes what was
 * gathered.  Until then the owner does not see them: flush the batch
 * before the thread goes quiet or ends.  Start from {0}. */
#define HL_REMOTE_BATCH 32
typedef struct hl_remote_batch {
    hl_heap *heap;
    void *first, *last;
    size_t count;
} hl_remote_batch;
void hl_remote_batch_add(hl_remote_batch *batch, hl_heap *heap, void *ptr);
void hl_remote_batch_flush(hl_remote_batch *batch);
/* hl_usable_size for a thread that does not own the heap: reads ptr's
 * header alone, never the heap's changing state, so it is safe while the
 * owner is inside any operation.  0 when ptr does not look like a live
 * object (nothing is reported: hl_usable_size, on the owner's side, names
 * the misuse). */
size_t hl_usable_size_remote(const hl_heap *heap, const void *ptr);
/* What a malloc built on heaplab may promise its caller of an object:
 * hl_usable_size (hl_usable_size_remote when `remote`), or, while
 * valgrind or AddressSanitizer watch the heap (they are told that slack
 * is closed), only the bytes asked for, as their own mallocs do.  0 for a
 * pointer that is no live object. */
size_t hl_caller_usable_size(hl_heap *heap, const void *ptr, bool remote);
/* Whether anything waits on the remote list (one atomic load). */
bool hl_heap_has_remote(const hl_heap *heap);
/* The owner frees everything on the remote list; returns how many. */
size_t hl_heap_drain(hl_heap *heap);
/* Gives every cached block back to the heap; returns how many. */
size_t hl_heap_flush_cache(hl_heap *heap);
/* The cache's size class (0 .. HL_CACHE_CLASSES - 1) of a block of `size`
 * bytes of contents in this heap, or HL_CACHE_CLASSES when blocks of that
 * size are never cached. */
size_t hl_cache_class(const hl_heap *heap, size_t size);

/* Snapshots (snapshot.c): the heap's whole state - its own struct and the
 * bytes of its buffer, blocks and objects - copied out, to be put back
 * later, as a viewer stepping backwards does.
 *   hl_heap_snapshot_size: the bytes a snapshot of the heap takes now.
 *   hl_heap_snapshot: writes it into buf (size bytes at least); returns the
 *     bytes written, or 0 with errno = ENOSPC when buf is too small.
 *   hl_heap_restore: puts the heap back as the snapshot saw it.  Returns 0,
 *     or -1 with errno = EINVAL when the snapshot is not this heap's (its
 *     buffer started elsewhere) or was cut short.
 * The heap's buffer must still cover what the snapshot covered (a grower
 * never moves; the caller puts its grower back too: for the growers in
 * this header, by copying their struct along with the snapshot).  The
 * observer and the error hook in force are kept, not restored; objects
 * handed out after the snapshot no longer exist after the restore.  The
 * heap must be quiet (no remote free in flight). */
size_t hl_heap_snapshot_size(const hl_heap *heap);
size_t hl_heap_snapshot(const hl_heap *heap, void *buf, size_t size);
int hl_heap_restore(hl_heap *heap, const void *buf, size_t size);

/* Holds a locked heap's mutex across several calls (heap_lock.c): around
 * fork(), or to read stats or walk blocks while other threads allocate.
 * Between the two, call no operation that takes the lock itself (alloc,
 * free, realloc, trim...).  Both do nothing for an unlocked heap. */
void hl_heap_lock(hl_heap *heap);
void hl_heap_unlock(hl_heap *heap);

/* ---------------------------------------------------------------------------
 * Misuse
 * ------------------------------------------------------------------------- */

typedef enum hl_error_kind {
    HL_ERROR_DOUBLE_FREE,   /* the block is already free */
    HL_ERROR_FOREIGN,       /* not an object of this heap */
    HL_ERROR_CORRUPT,       /* the heap's own words were overwritten: a
                               freelist link, a footer or a header that
                               the heap did not write (a write after free,
                               or past an object), found before it was
                               followed.  The heap is corrupt from then on:
                               see below */
    HL_ERROR_GROWER         /* the grower broke its contract */
} hl_error_kind;

const char *hl_error_name(hl_error_kind kind);

/* Called with the operation's name ("malloc", "calloc", "aligned_alloc",
 * "free", "realloc", "usable_size"; "heap" for hl_heap_trim,
 * hl_heap_flush_cache and hl_heap_drain), the pointer and a sentence
 * saying what is wrong.  The default hook prints "heaplab: OP(): MESSAGE
 * PTR" to stderr and aborts.  Misuse in a remote free is found by the owner
 * when it drains, and reported as "free".
 *
 * Corruption (HL_ERROR_CORRUPT) is reported once, and latched: a link
 * that failed its check is never followed, and if the hook returns, the
 * heap stays corrupt for good.  Every allocation (hl_alloc, hl_calloc,
 * hl_aligned_alloc, hl_realloc) then returns NULL with errno = ENOMEM,
 * hl_free and remote frees do nothing, hl_heap_trim and
 * hl_heap_flush_cache give nothing back, and the cache is emptied (its
 * blocks stay used).  The memory the heap holds is lost to the program,
 * never handed out twice. */
typedef void (*hl_error_hook)(hl_heap *heap, hl_error_kind kind,
                              const char *op, const void *ptr,
                              const char *message, void *arg);
void hl_heap_set_error_hook(hl_heap *heap, hl_error_hook hook, void *arg);
void hl_default_error_hook(hl_heap *heap, hl_error_kind kind, const char *op,
                           const void *ptr, const char *message, void *arg);

/* ---------------------------------------------------------------------------
 * Introspection.  None of it allocates; offsets are from the heap base (the
 * first byte the grower handed out).
 * ------------------------------------------------------------------------- */

/* Block geometry: every block is a header of HL_HEADER_SIZE bytes, then
 * its contents; a used block's object starts right after the header
 * (object_offset = offset + HL_HEADER_SIZE in the structs below). */
#define HL_HEADER_SIZE ((size_t)8)

typedef struct hl_block_info {
    size_t offset;      /* of the header */
    size_t object_offset; /* of the contents: the object, when used */
    size_t size;        /* of the contents (the header not counted) */
    size_t requested;   /* what the caller asked for (0 for free blocks) */
    size_t slack;       /* size - requested: rounding and unsplit rest */
    bool free;
    bool cached;        /* used, but sitting in the heap's cache */
} hl_block_info;

/* Return false to stop the walk early. */
typedef bool (*hl_block_visitor)(const hl_block_info *block, void *arg);

/* Blocks in address order, then the freelist in list order, the cache
 * (class by class, each from the block the next hit takes) and the remote
 * list (newest first; the owner's view: call it on the owner's thread or
 * while the heap is quiet).  They return the number of blocks visited.
 * On a corrupted heap each walk stops, silently, at the first header or
 * link the heap did not write: it never follows one. */
size_t hl_heap_visit_blocks(hl_heap *heap, hl_block_visitor visit, void *arg);
size_t hl_heap_visit_freelist(hl_heap *heap, hl_block_visitor visit,
                              void *arg);
size_t hl_heap_visit_cache(hl_heap *heap, hl_block_visitor visit, void *arg);
size_t hl_heap_visit_remote(hl_heap *heap, hl_block_visitor visit, void *arg);
/* The block holding object ptr, or false when ptr is not a live object. */
bool hl_heap_block_of(hl_heap *heap, const void *ptr, hl_block_info *out);
/* The address of the byte at offset (for tools mapping back). */
void *hl_heap_base(const hl_heap *heap);

/* One block's own words, decoded, for tools that teach the layout (the
 * viewer's block cursor): the header word with its fields (the diagram in
 * heaplab(3)), whether its check byte holds, a free block's freelist node
 * as block offsets, and its footer when merging is immediate.  Read from
 * the heap's bytes as they are, sound or not; nothing is changed.  False
 * when no whole header word lies at `offset` between the first block and
 * the heap's end. */
#define HL_NO_OFFSET ((size_t)-1)

typedef struct hl_block_bits {
    uint64_t header;        /* the word as stored */
    size_t size;            /* its contents-size field */
    bool free, prev_free, cached;   /* the F, P and C bits */
    size_t slack;           /* its slack field */
    unsigned check;         /* its check byte */
    unsigned check_expected; /* the check byte this address and size need */
    bool check_holds;       /* check == check_expected */
    bool has_node;          /* F set and the contents hold a node */
    size_t next_offset, prev_offset; /* the node's links, as the offsets of
                               the blocks they lead to; HL_NO_OFFSET for a
                               NULL link or one that leads out of the heap */
    bool links_in_heap;     /* both links NULL or inside the heap */
    bool has_footer;        /* F set, merging immediate, the size sane */
    uint64_t footer;        /* the footer word as stored */
} hl_block_bits;

bool hl_heap_block_bits(hl_heap *heap, size_t offset, hl_block_bits *out);
/* Copies up to n bytes of the heap, from `offset` (from the base) on, into
 * buf: what a viewer shows as a block's raw bytes.  The bytes are read as
 * the library reads its own words, so valgrind and AddressSanitizer, which
 * are told that headers, slack and free blocks are off limits to the
 * program, do not report the copy.  Returns how many bytes were copied:
 * n, or fewer (0 past it) at the end of what the grower handed out. */
size_t hl_heap_peek(const hl_heap *heap, size_t offset, void *buf, size_t n);

typedef enum hl_event_kind {
    HL_EVENT_ALLOC,   /* offset/size: the new object's block */
    HL_EVENT_FREE,    /* offset/size: the freed block */
    HL_EVENT_SPLIT,   /* offset/size: what remains; other: the new free
                         block, after it; or in front of it (other_offset <
                         offset) when it is the padding block an aligned
                         object leaves in front of its block */
    HL_EVENT_MERGE,   /* offset: survivor; other: the absorbed block;
                         size: the survivor's new size */
    HL_EVENT_GROW,    /* offset: the old end; size: the bytes added */
    HL_EVENT_TRIM,    /* offset: the new end; size: the bytes given back */
    HL_EVENT_REALLOC_IN_PLACE, /* offset/size: the block after */
    HL_EVENT_REALLOC_MOVE,     /* other: from; offset/size: to */
    HL_EVENT_FAIL,    /* an allocation that returned NULL; requested */
    HL_EVENT_CACHE_PUT,   /* offset/size: a freed block kept in the cache */
    HL_EVENT_CACHE_HIT,   /* offset/size: a cached block handed out */
    HL_EVENT_FLUSH,       /* offset/size: a cached block given to the heap
                             (merges and the freelist follow) */
    HL_EVENT_REMOTE_FREE, /* offset/size: a block another thread freed,
                             taken off the remote list by the owner */
    HL_EVENT_DRAIN        /* size: how many blocks the owner took off its
                             remote list at once */
} hl_event_kind;

typedef struct hl_event {
    hl_event_kind kind;
    size_t offset, size;
    size_t object_offset;   /* offset's contents (offset + HL_HEADER_SIZE),
                               or 0 for an event about no block */
    size_t other_offset, other_size;
    size_t requested;
} hl_event;

const char *hl_event_name(hl_event_kind kind);

/* The observer is called as each event happens, inside the operation (and
 * inside the lock of a locked heap): it must not call back into the heap. */
typedef void (*hl_observer)(const hl_event *event, void *arg);
void hl_heap_set_observer(hl_heap *heap, hl_observer observer, void *arg);

/* stats.released_bytes in O(1), without the walk hl_heap_stats makes:
 * what a trim policy watches (libheaplab-malloc trims a heap once a
 * threshold's worth has been released since the last trim). */
size_t hl_heap_released_bytes(const hl_heap *heap);

typedef struct hl_stats {
    size_t heap_size;        /* bytes the grower handed out */
    size_t used_blocks, used_bytes;   /* contents of used blocks */
    size_t free_blocks, free_bytes;   /* contents of free blocks */
    size_t largest_free;     /* contents of the largest free block */
    size_t requested_bytes;  /* live bytes asked for */
    size_t peak_heap_size;
    size_t peak_requested;   /* the most live bytes asked for after any call
                              * (a realloc that moves counts once) */
    size_t allocs, frees, reallocs, failures;
    size_t grows, trims, splits, merges;
    size_t cached_blocks, cached_bytes;  /* in the cache now */
    size_t cache_hits, cache_puts, flushes;
    size_t remote_frees, drains;         /* taken off the remote list */
    size_t remote_pending;   /* on the remote list, not yet taken */
    size_t released_bytes;   /* contents that frees and flushes gave back
                                to the heap's free blocks, ever */
    size_t trimmed_bytes;    /* bytes trims gave back to the grower, ever */
    size_t large_from;       /* place=apart and zoned: the smallest block
                                size they count as large now (at most
                                HL_PLACE_LARGE; less while the program's
                                requests are small); 0 with place=front */
    size_t in_turn;          /* place=apart and zoned: the percentage of
                                the last thousand or so requests whose
                                kind (small, large) was not the one before;
                                large objects go to the back only while at
                                least two in three were; 0 with
                                place=front */
    bool large_at_back;      /* so they do now */
    double utilization;      /* requested_bytes / heap_size */
    double fragmentation;    /* 1 - largest_free / free_bytes */
} hl_stats;

void hl_heap_stats(hl_heap *heap, hl_stats *out);

/* Verifies every invariant of the heap.  Returns true when they hold;
 * otherwise false, with the first violation in words in msg. */
bool hl_heap_check(hl_heap *heap, char *msg, size_t msg_size);

/* Writes the heap's state as text (format in heaplab(3)): the same
 * operations give the same dump on every run. */
void hl_heap_dump(hl_heap *heap, FILE *out);

#ifdef __cplusplus
}
#endif
#endif /* HEAPLAB_H */

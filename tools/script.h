/* script.h - allocation scripts: the text a lesson or a trace is written in,
 * and what it becomes once parsed.
 *
 * A script is one command per line ('#' starts a comment, blank lines are
 * skipped):
 *
 *   heap KEY=VALUE ...       the heap to run on (at most once, first)
 *   thread N                 the operations that follow run on thread N
 *                            (1 to SCRIPT_MAX_THREADS; thread 1 until the
 *                            first such line)
 *   a ID SIZE                allocate            hl_alloc
 *   f ID                     free                hl_free   (f -1: free(NULL))
 *   r ID SIZE                reallocate          hl_realloc
 *   c ID COUNT SIZE          zeroed allocation   hl_calloc
 *   m ID ALIGN SIZE          aligned allocation  hl_aligned_alloc
 *   note TEXT                introduces the next operation (shown on the
 *                            step before it)
 *   check                    run the heap checker
 *   expect WHAT [ID] [VALUE] compare the heap with a number
 *
 * A CS:APP malloc-lab trace (.rep) is a script too: the one to four lines of
 * single numbers at its top (its header) are skipped, but for the first,
 * its suggested heap size; without capacity=SIZE a trace gets a heap that
 * holds it (script_capacity).
 *
 * Parsing reads the whole text before anything runs, and stops at the first
 * mistake with "FILE:LINE: what was expected".  It follows which IDs are
 * live, assuming that every allocation succeeds: freeing an ID that is not
 * live, or allocating one that is, is a mistake in the script.  When an
 * allocation does fail at run time (NULL), its ID holds NULL, and a later
 * `f` of it frees NULL, which does nothing.
 *
 * The parsed script owns all of its memory: one array of operations, one
 * pool for the text of notes and ID names, and the source text.  Operations
 * refer to IDs by dense indexes 0 .. nids-1, so a replay keeps its objects
 * in a plain array.
 */
#ifndef HL_SCRIPT_H
#define HL_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>

#include "heaplab.h"

/* ---------------------------------------------------------------------------
 * The heap a script runs on
 * ------------------------------------------------------------------------- */

typedef enum script_grower_kind {
    SCRIPT_GROWER_STATIC, /* a fixed buffer of `capacity` bytes */
    SCRIPT_GROWER_MMAP,   /* an mmap reservation of `capacity` bytes */
    SCRIPT_GROWER_BRK     /* the program break (capacity is not used) */
} script_grower_kind;

/* What `heap KEY=VALUE ...` and `heaplab run --heap` set.  The library's
 * knobs live in `config`; the grower and its sizes are the runner's. */
typedef struct script_heap {
    hl_config config;          /* preset, align, fit, order, merge */
    script_grower_kind grower; /* grower=static|mmap|brk */
    size_t capacity;           /* capacity=SIZE */
    bool capacity_given;       /* capacity= was written (not a default) */
    size_t increment;          /* increment=SIZE: the grower's minimum */
} script_heap;

/* The heap of a script without a `heap` line:
 * preset=default grower=static capacity=1M increment=4K. */
void script_heap_default(script_heap *heap);

/* ---------------------------------------------------------------------------
 * Operations
 * ------------------------------------------------------------------------- */

typedef enum script_op_kind {
    SCRIPT_ALLOC,    /* a ID SIZE */
    SCRIPT_FREE,     /* f ID */
    SCRIPT_REALLOC,  /* r ID SIZE */
    SCRIPT_CALLOC,   /* c ID COUNT SIZE */
    SCRIPT_MEMALIGN, /* m ID ALIGN SIZE */
    SCRIPT_CHECK,    /* check */
    SCRIPT_EXPECT    /* expect WHAT ... */
} script_op_kind;

/* What an `expect` line compares. */
typedef enum script_expect_what {
    EXPECT_BLOCK,        /* block ID N: offset of ID's block header */
    EXPECT_SIZE,         /* size ID N: hl_usable_size */
    EXPECT_NULL,         /* null ID: the last operation on ID gave NULL */
    EXPECT_HEAP_SIZE,    /* the rest compare one field of hl_heap_stats */
    EXPECT_USED_BLOCKS,
    EXPECT_FREE_BLOCKS,
    EXPECT_FREE_BYTES,
    EXPECT_LARGEST_FREE,
    EXPECT_LARGE_FROM,
    EXPECT_IN_TURN,
    EXPECT_GROWS,
    EXPECT_SPLITS,
    EXPECT_MERGES,
    EXPECT_CACHED_BLOCKS, /* blocks in the cache now (cache=on) */
    EXPECT_CACHE_HITS,    /* allocations the cache served */
    EXPECT_HEAP,          /* heap ID N: the heap that holds ID's object */
    EXPECT_REMOTE,        /* remote N COUNT: frees on heap N's remote list */
    EXPECT_CACHED,        /* cached CLASS COUNT: blocks in one cache class
                             of the current thread's heap */
    EXPECT_FREELIST      /* freelist N,N,...|empty: offsets in list order */
} script_expect_what;

/* Threads a script may name: `thread 1` to `thread 64`. */
#define SCRIPT_MAX_THREADS 64

/* The ID of `f -1`, which frees NULL. */
#define SCRIPT_NO_ID ((size_t)-1)

typedef struct script_op {
    script_op_kind kind;
    unsigned line;        /* 1-based line number in the source */
    unsigned thread;      /* the thread it runs on, 1 .. nthreads */
    size_t id;            /* dense ID index; SCRIPT_NO_ID when none */
    const char *source;   /* the whole source line, without its newline */
    const char *note;     /* the text of the `note` lines before it, or NULL */
    union {
        struct {          /* a, r, c, m */
            size_t size;  /* bytes (c: bytes of one element) */
            size_t count; /* c: elements */
            size_t align; /* m: alignment, a power of two */
        };
        struct {          /* expect */
            script_expect_what what;
            size_t value;          /* the number expected */
            size_t which;          /* remote: the heap; cached: the class */
            size_t freelist_at;    /* freelist: first offset in `numbers` */
            size_t freelist_len;   /* freelist: how many (0 = empty) */
        };
    };
} script_op;

typedef struct hl_script {
    char *name;           /* the file name, as used in messages */
    char *text;           /* the source, each line ended by a NUL */
    script_heap heap;     /* after the `heap` line and any --heap */
    unsigned heap_line;   /* the line of the `heap` line, 0 when none */
    script_op *ops;
    size_t nops;
    size_t nids;          /* IDs are 0 .. nids-1 */
    unsigned nthreads;    /* the highest `thread N`; 1 when none */
    const char **id_names;/* the name of each ID, as written */
    size_t *numbers;      /* the offsets of every `expect freelist` */
    char *strings;        /* the pool holding notes and ID names */
    bool is_trace;        /* it opened with a .rep header */
    size_t trace_heap_size; /* the header's first number: its suggested
                               heap size */
    size_t alloc_bytes;   /* what every a, r, c, m asks, rounded up to
                             blocks, headers and alignment included */
    size_t nallocs;       /* how many a, r, c, m */
} hl_script;

/* Reads and parses the file at `path`.  Returns the script, or NULL with
 * "FILE:LINE: message" (or "FILE: message" when the file cannot be read) in
 * err.  Free it with script_free(). */
hl_script *script_load(const char *path, char *err, size_t errlen);

/* Parses `text`, naming it `name` in messages.  As script_load(). */
hl_script *script_parse_string(const char *name, const char *text,
                               char *err, size_t errlen);

void script_free(hl_script *script);

/* Applies "KEY=VALUE ..." (the syntax of a `heap` line) over the script's
 * heap settings, after its own `heap` line: what `heaplab run --heap` does.
 * Returns 0, or -1 with the reason in err (the settings then unchanged). */
int script_apply_heap_options(hl_script *script, const char *options,
                              char *err, size_t errlen);

/* The capacity its grower gets: capacity=SIZE when the script or --heap
 * gave one.  Otherwise the default (1M), except for a .rep trace, which
 * gets a heap that holds it whatever it does: at least the size its header
 * suggests, and at least what its allocations could make any heap grow to
 * (each grows it by no more than its block and one increment). */
size_t script_capacity(const hl_script *script);

/* The bytes an allocation line (a, r, c, m) asks for: SIZE, or COUNT *
 * SIZE for c, SIZE_MAX when that product overflows. */
size_t script_op_bytes(const script_op *op);

/* The offsets an `expect freelist` lists (freelist_len of them). */
const size_t *script_expect_freelist(const hl_script *script,
                                     const script_op *op);

/* Names, as a script spells them. */
const char *script_op_name(script_op_kind kind);
const char *script_expect_name(script_expect_what what);
const char *script_grower_name(script_grower_kind kind);

#endif /* HL_SCRIPT_H */

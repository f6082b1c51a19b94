/* script_ops.h - a heaplab script read into memory, for the benchmarks.
 *
 * Only what a replay through malloc needs: the operations a, c, m, r and f
 * with numeric IDs (recordings and the generators write nothing else);
 * `heap`, `note`, `check`, `expect` lines and comments are skipped.  A
 * CS:APP malloc-lab trace (.rep) reads the same way: its `a ID SIZE`,
 * `r ID SIZE` and `f ID` are operations, and its header, up to 4 lines of
 * one number each at the top, is skipped, as `heaplab run` skips it; a
 * line of one number anywhere else is a mistake.
 *
 * The file is read through a small buffer, not mapped whole, and the
 * operations take 16 bytes each in an array from mmap(2), not malloc: so
 * reading a script leaves the allocator under test untouched, and adds
 * little to the peak resident set that the benchmark reports.
 */
#ifndef HL_BENCH_SCRIPT_OPS_H
#define HL_BENCH_SCRIPT_OPS_H

#include <stddef.h>
#include <stdint.h>

typedef struct script_op {
    uint64_t size;        /* a, r, m: bytes; c: element count * size */
    uint32_t id;
    unsigned char kind;   /* 'a', 'c', 'm', 'r' or 'f' */
    unsigned char align_shift; /* m: the alignment is 1 << align_shift */
} script_op;

typedef struct script_ops {
    script_op *ops;
    size_t count, room;
    size_t max_id;  /* IDs are 0 .. max_id */
} script_ops;

/* Reads `path`.  Returns 0, or -1 after printing "PATH:LINE: why". */
int script_ops_read(const char *path, script_ops *out);

#endif

/* script_ops.h - a heaplab script read into memory, for the benchmarks.
 *
 * Only what a replay through malloc needs: the operations a, c, m, r and f
 * with numeric IDs (recordings and the generator write nothing else);
 * `heap`, `note`, `check`, `expect` lines and comments are skipped.  The
 * arrays come from mmap(2), not malloc, so reading a script leaves the
 * allocator under test untouched.
 */
#ifndef HL_BENCH_SCRIPT_OPS_H
#define HL_BENCH_SCRIPT_OPS_H

#include <stddef.h>

typedef struct script_op {
    char kind;     /* 'a', 'c', 'm', 'r' or 'f' */
    size_t id;
    size_t size;   /* a, r: bytes; c: element size; m: bytes */
    size_t extra;  /* c: element count; m: alignment */
} script_op;

typedef struct script_ops {
    script_op *ops;
    size_t count, room;
    size_t max_id;  /* IDs are 0 .. max_id */
} script_ops;

/* Reads `path`.  Returns 0, or -1 after printing "PATH:LINE: why". */
int script_ops_read(const char *path, script_ops *out);

#endif

/* script_ops.c - reading a script for the benchmarks (see script_ops.h). */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "script_ops.h"

#define CHUNK (1 << 20) /* the read buffer; no line may be longer */
#define HEADER_LINES_MAX 4

typedef struct reader {
    const char *path;
    unsigned line;
    unsigned header_lines;
    int seen_operation;
    script_ops *out;
} reader;

static int complain(const reader *r, const char *why)
{
    fprintf(stderr, "%s:%u: %s\n", r->path, r->line, why);
    return -1;
}

static int append(script_ops *s, const script_op *op)
{
    if (s->count == s->room) {
        size_t room = s->room ? s->room * 2 : 65536;
        void *bigger = s->ops
            ? mremap(s->ops, s->room * sizeof *s->ops, room * sizeof *s->ops,
                     MREMAP_MAYMOVE)
            : mmap(NULL, room * sizeof *s->ops, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (bigger == MAP_FAILED)
            return -1;
        s->ops = bigger;
        s->room = room;
    }
    s->ops[s->count++] = *op;
    if (op->id > s->max_id)
        s->max_id = op->id;
    return 0;
}

static const char *skip_blanks(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
        p++;
    return p;
}

/* Reads up to `want` unsigned numbers; returns how many it read, or -1
 * when one does not fit in 64 bits. */
static int read_numbers(const char *p, const char *end, uint64_t *n, int want)
{
    int got = 0;

    while (got < want) {
        uint64_t value = 0;
        p = skip_blanks(p, end);
        if (p >= end || *p < '0' || *p > '9')
            return got;
        for (; p < end && *p >= '0' && *p <= '9'; p++) {
            if (value > (UINT64_MAX - 9) / 10)
                return -1;
            value = value * 10 + (uint64_t)(*p - '0');
        }
        n[got++] = value;
    }
    return got;
}

/* A line of one number and nothing else. */
static int is_one_number(const char *p, const char *end)
{
    if (p >= end || *p < '0' || *p > '9')
        return 0;
    while (p < end && *p >= '0' && *p <= '9')
        p++;
    return skip_blanks(p, end) == end;
}

static int parse_operation(reader *r, const char *p, const char *end)
{
    uint64_t n[3] = {0, 0, 0};
    int want = (*p == 'c' || *p == 'm') ? 3 : (*p == 'f') ? 1 : 2;
    script_op op;

    memset(&op, 0, sizeof op);
    op.kind = (unsigned char)*p;
    if (read_numbers(p + 1, end, n, want) != want)
        return complain(r, "not an operation with numeric IDs");
    if (n[0] > UINT32_MAX)
        return complain(r, "an ID over 2^32");
    op.id = (uint32_t)n[0];
    if (op.kind == 'c') {        /* c ID COUNT SIZE */
        if (n[1] && n[2] > UINT64_MAX / n[1])
            return complain(r, "a calloc whose size overflows");
        op.size = n[1] * n[2];
    } else if (op.kind == 'm') { /* m ID ALIGNMENT SIZE */
        if (n[1] == 0 || (n[1] & (n[1] - 1)) != 0)
            return complain(r, "an alignment that is not a power of two");
        while (((uint64_t)1 << op.align_shift) < n[1])
            op.align_shift++;
        op.size = n[2];
    } else {
        op.size = n[1];
    }
    r->seen_operation = 1;
    if (append(r->out, &op) != 0)
        return complain(r, "out of memory");
    return 0;
}

static int parse_line(reader *r, const char *line, const char *end)
{
    const char *p = skip_blanks(line, end);

    r->line++;
    if (p == end)
        return 0;
    if (*p >= '0' && *p <= '9') {
        if (!r->seen_operation && r->header_lines < HEADER_LINES_MAX &&
            is_one_number(p, end)) {
            r->header_lines++; /* a .rep header line */
            return 0;
        }
        return complain(r, "a number where an operation was expected (a "
                        ".rep header is at most 4 lines, at the top)");
    }
    if (!strchr("acmrf", *p) || end - p < 2 || (p[1] != ' ' && p[1] != '\t'))
        return 0; /* comments, heap/note/check/expect lines */
    if (*p == 'f' && skip_blanks(p + 1, end) < end &&
        *skip_blanks(p + 1, end) == '-')
        return 0; /* f -1: free(NULL) */
    return parse_operation(r, p, end);
}

int script_ops_read(const char *path, script_ops *out)
{
    static char chunk[CHUNK];
    reader r;
    size_t have = 0;
    int fd = open(path, O_RDONLY);

    memset(out, 0, sizeof *out);
    memset(&r, 0, sizeof r);
    r.path = path;
    r.out = out;
    if (fd < 0) {
        fprintf(stderr, "%s: cannot read it\n", path);
        return -1;
    }
    for (;;) {
        ssize_t got = read(fd, chunk + have, sizeof chunk - have);
        const char *line = chunk, *end = chunk + have + (got > 0 ? got : 0);
        const char *newline;

        if (got < 0) {
            fprintf(stderr, "%s: cannot read it\n", path);
            close(fd);
            return -1;
        }
        while ((newline = memchr(line, '\n', (size_t)(end - line)))) {
            if (parse_line(&r, line, newline) != 0) {
                close(fd);
                return -1;
            }
            line = newline + 1;
        }
        have = (size_t)(end - line);
        if (got == 0) { /* the end; maybe a last line without a newline */
            close(fd);
            return have ? parse_line(&r, line, end) : 0;
        }
        if (have == sizeof chunk) {
            r.line++;
            close(fd);
            return complain(&r, "a line over 1 MiB");
        }
        memmove(chunk, line, have);
    }
}

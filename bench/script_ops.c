/* script_ops.c - reading a script for the benchmarks (see script_ops.h). */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "script_ops.h"

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

/* Reads up to `want` numbers after the command letter. */
static int read_numbers(const char *p, const char *end, size_t *n, int want)
{
    int got = 0;

    while (got < want) {
        char *after;
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        if (p >= end || *p < '0' || *p > '9')
            return got;
        n[got++] = strtoull(p, &after, 10);
        p = after;
    }
    return got;
}

static int parse_line(const char *p, const char *end, script_op *op)
{
    size_t n[3] = {0, 0, 0};
    int want = (*p == 'c' || *p == 'm') ? 3 : (*p == 'f') ? 1 : 2;

    op->kind = *p;
    if (read_numbers(p + 1, end, n, want) != want)
        return -1;
    op->id = n[0];
    if (op->kind == 'c' || op->kind == 'm') {
        op->extra = n[1];
        op->size = n[2];
    } else {
        op->size = n[1];
        op->extra = 0;
    }
    return 0;
}

int script_ops_read(const char *path, script_ops *out)
{
    int fd = open(path, O_RDONLY);
    struct stat st;
    const char *text, *line, *end;
    unsigned lineno = 0;
    script_op op;

    memset(out, 0, sizeof *out);
    if (fd < 0 || fstat(fd, &st) != 0 || st.st_size == 0) {
        fprintf(stderr, "%s: cannot read it\n", path);
        return -1;
    }
    text = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (text == MAP_FAILED)
        return -1;
    for (line = text; line < text + st.st_size; line = end + 1) {
        end = memchr(line, '\n', (size_t)(text + st.st_size - line));
        if (!end)
            end = text + st.st_size;
        lineno++;
        if (!strchr("acmrf", *line) || end - line < 2 || line[1] != ' ')
            continue; /* comments, heap/note/check/expect lines */
        if (end - line >= 4 && !strncmp(line, "f -1", 4))
            continue; /* free(NULL) */
        if (parse_line(line, end, &op) != 0 || append(out, &op) != 0) {
            fprintf(stderr, "%s:%u: not an operation with numeric IDs\n",
                    path, lineno);
            return -1;
        }
    }
    munmap((void *)text, (size_t)st.st_size);
    return 0;
}

/* replay_bench.c - replays a heaplab script through malloc and free, and
 * measures it.
 *
 *   replay_bench [-n REPEAT | -d SECONDS] SCRIPT
 *
 * A plain program: it links no heaplab library, so one binary measures
 * the C library's malloc and, under LD_PRELOAD, heaplab's or any other.
 * SCRIPT is a heaplab script (a recording, gen_workload's output) or a
 * CS:APP malloc-lab trace (.rep, such as gen_trace writes): see
 * script_ops.h.  Each operation becomes the call it names (a: malloc,
 * c: calloc, m: aligned_alloc, r: realloc, f: free); each new object is
 * touched once per page, as a program writing to it would, so that the
 * resident set means something.  The script runs REPEAT times (once by
 * default), freeing what is left after each pass, or, with -d, pass after
 * whole pass until SECONDS have passed (at least one pass): a fixed time
 * suits a table whose allocators differ a hundredfold in speed.  The
 * timing covers the calls only, not the reading.  One line of results:
 *
 *   replay_bench: FILE ops=N repeat=R seconds=S ops_per_sec=X
 *     max_rss_kib=K base_rss_kib=B heap_rss_kib=H peak_live_bytes=L
 * max_rss_kib is the process's peak resident set (getrusage's ru_maxrss),
 * base_rss_kib the resident set just before the replay (the program, the
 * parsed script at 16 bytes an operation and the table of objects: the
 * same on every allocator), and heap_rss_kib the difference: what the
 * allocator needed (0 when the kernel's counts, which lag by a few pages,
 * put the peak below the base).  peak_live_bytes is the most the script held at once
 * (also the same on every allocator).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

#include "script_ops.h"

typedef struct object {
    void *ptr;
    size_t size;
} object;

static size_t live_bytes, peak_live_bytes;

static void touch(void *p, size_t size)
{
    size_t i;

    for (i = 0; i < size; i += 4096)
        ((volatile char *)p)[i] = 1;
    if (size)
        ((volatile char *)p)[size - 1] = 1;
}

static void hold(object *o, void *p, size_t size)
{
    if (!p && size) {
        fprintf(stderr, "replay_bench: allocation of %zu bytes failed\n",
                size);
        exit(1);
    }
    o->ptr = p;
    o->size = size;
    live_bytes += size;
    if (live_bytes > peak_live_bytes)
        peak_live_bytes = live_bytes;
    touch(p, size);
}

static void release(object *o)
{
    free(o->ptr);
    live_bytes -= o->size;
    o->ptr = NULL;
    o->size = 0;
}

static void run_op(const script_op *op, object *objects)
{
    object *o = &objects[op->id];
    void *p;

    switch (op->kind) {
    case 'a':
        hold(o, malloc(op->size), op->size);
        break;
    case 'c': /* the count and element size, multiplied when read */
        hold(o, calloc(1, op->size), op->size);
        break;
    case 'm':
        hold(o, aligned_alloc((size_t)1 << op->align_shift, op->size),
             op->size);
        break;
    case 'r':
        live_bytes -= o->size;
        p = realloc(o->ptr, op->size);
        if (!p && op->size)
            o->ptr = NULL; /* keep going; hold() reports it */
        hold(o, p, op->size);
        break;
    case 'f':
        release(o);
        break;
    }
}

/* A "VmRSS:" figure of /proc/self/status, in KiB (0 when unknown). */
static long status_kib(const char *name)
{
    char line[256];
    long kib = 0;
    size_t len = strlen(name);
    FILE *f = fopen("/proc/self/status", "r");

    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, name, len))
            kib = strtol(line + len, NULL, 10);
    if (f)
        fclose(f);
    return kib;
}

int main(int argc, char **argv)
{
    script_ops script;
    object *objects;
    size_t i, pass, repeat = 1;
    double start, seconds, duration = 0;
    struct rusage usage;
    long before_kib;
    int opt;

    while ((opt = getopt(argc, argv, "n:d:")) != -1) {
        if (opt == 'n')
            repeat = strtoul(optarg, NULL, 10);
        else if (opt == 'd' && (duration = strtod(optarg, NULL)) > 0)
            repeat = 1;
        else
            repeat = 0;
    }
    if (optind != argc - 1 || repeat == 0) {
        fputs("usage: replay_bench [-n REPEAT | -d SECONDS] SCRIPT\n",
              stderr);
        return 2;
    }
    if (script_ops_read(argv[optind], &script) != 0)
        return 1;
    if (script.count == 0) {
        fprintf(stderr, "%s: no operations\n", argv[optind]);
        return 1;
    }
    objects = mmap(NULL, (script.max_id + 1) * sizeof *objects,
                   PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (objects == MAP_FAILED)
        return 1;
    memset(objects, 0, (script.max_id + 1) * sizeof *objects);
    before_kib = status_kib("VmRSS:");
    start = bench_now();
    for (pass = 0; pass < repeat || (duration > 0 && bench_now() - start <
                                      duration); pass++) {
        for (i = 0; i < script.count; i++)
            run_op(&script.ops[i], objects);
        for (i = 0; i <= script.max_id; i++)
            if (objects[i].ptr)
                release(&objects[i]);
    }
    seconds = bench_now() - start;
    repeat = pass;
    getrusage(RUSAGE_SELF, &usage);
    printf("replay_bench: %s ops=%zu repeat=%zu seconds=%.3f "
           "ops_per_sec=%.0f max_rss_kib=%ld base_rss_kib=%ld "
           "heap_rss_kib=%ld peak_live_bytes=%zu\n",
           argv[optind], script.count, repeat, seconds,
           (double)(script.count * repeat) / seconds, usage.ru_maxrss,
           before_kib, usage.ru_maxrss > before_kib ?
           usage.ru_maxrss - before_kib : 0, peak_live_bytes);
    return 0;
}

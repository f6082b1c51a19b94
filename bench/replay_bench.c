/* replay_bench.c - replays a heaplab script through malloc and free, and
 * measures it.
 *
 *   replay_bench [-n REPEAT] SCRIPT
 *
 * A plain program: it links no heaplab library, so one binary measures
 * the C library's malloc and, under LD_PRELOAD=libheaplab-malloc.so,
 * heaplab's.  Each operation of the script becomes the call it names
 * (a: malloc, c: calloc, m: aligned_alloc, r: realloc, f: free); each new
 * object is touched once per page, as a program writing to it would, so
 * that the resident set means something.  The script runs REPEAT times
 * (freeing what is left after each pass); the timing covers the calls only,
 * not the reading.  One line of results:
 *
 *   replay_bench: FILE ops=N repeat=R seconds=S ops_per_sec=X
 *     peak_rss_kib=K heap_rss_kib=H peak_live_bytes=B
 * peak_live_bytes is the most the script held at once (it is the same on
 * every allocator).  peak_rss_kib is the process's peak resident set;
 * heap_rss_kib is how far it rose above what the process held before the
 * replay (the parsed script itself is big): what the allocator needed.
 * The peak is reset after reading (/proc/self/clear_refs) where Linux
 * allows it, so that reading the script does not count.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

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
    case 'c':
        hold(o, calloc(op->extra, op->size), op->extra * op->size);
        break;
    case 'm':
        hold(o, aligned_alloc(op->extra, op->size), op->size);
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

/* A "VmRSS:" or "VmHWM:" figure of /proc/self/status, in KiB (0 when
 * unknown). */
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

/* Resets the peak resident set to the current one; false where the
 * kernel does not allow it. */
static int reset_peak_rss(void)
{
    FILE *f = fopen("/proc/self/clear_refs", "w");
    int ok = f && fputs("5", f) >= 0;

    if (f && fclose(f) != 0)
        ok = 0;
    return ok;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    script_ops script;
    object *objects;
    size_t i, pass, repeat = 1;
    double start, seconds;
    struct rusage usage;
    long before_kib, peak_kib;
    int opt;

    while ((opt = getopt(argc, argv, "n:")) != -1)
        repeat = opt == 'n' ? strtoul(optarg, NULL, 10) : 0;
    if (optind != argc - 1 || repeat == 0) {
        fputs("usage: replay_bench [-n REPEAT] SCRIPT\n", stderr);
        return 2;
    }
    if (script_ops_read(argv[optind], &script) != 0)
        return 1;
    objects = mmap(NULL, (script.max_id + 1) * sizeof *objects,
                   PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (objects == MAP_FAILED)
        return 1;
    memset(objects, 0, (script.max_id + 1) * sizeof *objects);
    reset_peak_rss();
    before_kib = status_kib("VmRSS:");
    start = now();
    for (pass = 0; pass < repeat; pass++) {
        for (i = 0; i < script.count; i++)
            run_op(&script.ops[i], objects);
        for (i = 0; i <= script.max_id; i++)
            if (objects[i].ptr)
                release(&objects[i]);
    }
    seconds = now() - start;
    getrusage(RUSAGE_SELF, &usage);
    peak_kib = status_kib("VmHWM:");
    if (peak_kib == 0)
        peak_kib = usage.ru_maxrss;
    printf("replay_bench: %s ops=%zu repeat=%zu seconds=%.3f "
           "ops_per_sec=%.0f peak_rss_kib=%ld heap_rss_kib=%ld "
           "peak_live_bytes=%zu\n",
           argv[optind], script.count, repeat, seconds,
           (double)(script.count * repeat) / seconds, peak_kib,
           peak_kib - before_kib, peak_live_bytes);
    return 0;
}

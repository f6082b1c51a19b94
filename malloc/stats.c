/* stats.c - what the heap did, as one line at exit (HEAPLAB_STATS), and
 * the same numbers for programs (hl_global_get_stats).
 *
 *   heaplab-malloc: pid=4242 allocs=1200 frees=1190 reallocs=31 failures=0
 *     mapped=3 unmapped=3 peak_heap=262144 final_heap=131072 trimmed=65536
 *     align=16 fit=first order=lifo merge=immediate grower=mmap ...
 * (one line).  allocs and frees count heap objects and mappings together.
 *
 * The line is written by a destructor, which the dynamic loader runs at
 * exit() or at the return from main, with no registration that could
 * allocate (atexit may); snprintf into a stack buffer and one write(2)
 * need no heap.  A preloaded library is finalized after the program's own
 * libraries, so the line counts nearly everything the program did.
 *
 * HEAPLAB_STATS=1 writes to a copy of stderr taken at start-up: some
 * programs (the coreutils, for one) close their stderr on the way out.
 * Programs also close descriptors they do not know, and the number may
 * then be reused for another file, so at exit the copy (or else fd 2) is
 * used only if it is still the very file stderr was at start-up (same
 * device and inode); otherwise the line is not written.
 * HEAPLAB_STATS=PATH appends the line to that file instead, one line per
 * process; %p in PATH is the process id (a file per process).  HEAPLAB_STATS_HEAPS=1 adds a line for each heap that served
 * anything (allocations, or remote frees taken), numbered as
 * hl_global_visit_heaps numbers them: which heap served what.
 */
#include "config.h"

#include <fcntl.h>
#include <stddef.h>
#include <sys/stat.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "global.h"

#define STATS_FD_FLOOR 100 /* the copy of stderr goes above the usual fds */

static int stderr_copy = -1;
static struct stat stderr_file; /* what fd 2 was at start-up */

void stats_prepare(void)
{
    if (!global_knobs_in_force.stats || global_knobs_in_force.stats_path[0])
        return;
    if (fstat(STDERR_FILENO, &stderr_file) == 0)
        stderr_copy = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, STATS_FD_FLOOR);
}

static bool is_stderr_file(int fd)
{
    struct stat now;

    return fd >= 0 && fstat(fd, &now) == 0 &&
           now.st_dev == stderr_file.st_dev &&
           now.st_ino == stderr_file.st_ino;
}

/* The copy of stderr, else fd 2, if either is still that file; or -1. */
static int stderr_now(void)
{
    if (is_stderr_file(stderr_copy))
        return stderr_copy;
    return is_stderr_file(STDERR_FILENO) ? STDERR_FILENO : -1;
}

/* Adds one heap's stats to the sums: every field of hl_stats before
 * utilization is a size_t count, added up, but largest_free, a maximum. */
static void add_stats(hl_stats *sum, const hl_stats *s)
{
    size_t *to = &sum->heap_size;
    const size_t *from = &s->heap_size;
    size_t i, n = offsetof(hl_stats, utilization) / sizeof(size_t);
    size_t largest = sum->largest_free > s->largest_free ? sum->largest_free
                                                         : s->largest_free;

    for (i = 0; i < n; i++)
        to[i] += from[i];
    sum->largest_free = largest;
}

static bool add_heap(hl_heap *heap, unsigned number, void *arg)
{
    hl_stats s;

    (void)number;
    hl_heap_lock(heap);
    hl_heap_stats(heap, &s);
    hl_heap_unlock(heap);
    add_stats(arg, &s);
    return true;
}

unsigned hl_global_visit_heaps(hl_global_heap_visitor visit, void *arg)
{
    unsigned i, n;

    if (!global_ready())
        return 0;
    n = heaps_count();
    for (i = 0; i < n; i++)
        if (!visit(heaps_slot(i)->heap, i, arg))
            return i + 1;
    return n;
}

typedef struct check_all {
    char *msg;
    size_t size;
    bool sound;
} check_all;

static bool check_heap(hl_heap *heap, unsigned number, void *arg)
{
    check_all *c = arg;
    char why[200];

    /* In a child of fork(), a heap whose thread did not come along may
     * have been left half-way through an operation: it is never used
     * again (heaps_after_fork_child), so there is nothing to check. */
    if (heaps_is_lost(heaps_slot(number)))
        return true;
    hl_heap_lock(heap);
    c->sound = hl_heap_check(heap, why, sizeof why);
    hl_heap_unlock(heap);
    if (!c->sound && c->msg && c->size)
        snprintf(c->msg, c->size, "heap %u: %s", number, why);
    return c->sound;
}

bool hl_global_check(char *msg, size_t msg_size)
{
    check_all c = {msg, msg_size, true};

    if (msg && msg_size)
        msg[0] = '\0';
    hl_global_visit_heaps(check_heap, &c);
    return c.sound;
}

void hl_global_get_stats(hl_global_stats *out)
{
    hl_stats *s = &out->heap;

    memset(s, 0, sizeof *s);
    out->heaps = hl_global_visit_heaps(add_heap, s);
    s->utilization = s->heap_size ? (double)s->requested_bytes / s->heap_size
                                  : 0.0;
    s->fragmentation = s->free_bytes
                           ? 1.0 - (double)s->largest_free / s->free_bytes
                           : 0.0;
    mapping_count(&out->mappings, &out->mapping_bytes, &out->mappings_made,
                  &out->mappings_freed);
    out->trimmed_bytes = s->trimmed_bytes;
    out->mmap_threshold = threshold_mmap();
    out->trim_threshold = threshold_trim();
}

/* Peak requested bytes over the peak heap size: how well the heap held
 * what the program asked for at its fullest (the malloc lab's measure). */
static double peak_utilization(const hl_stats *s)
{
    return s->peak_heap_size ? (double)s->peak_requested / s->peak_heap_size
                             : 0.0;
}

/* HEAPLAB_STATS_HEAPS=1: a line for each heap that served anything. */
static bool print_heap_line(hl_heap *heap, unsigned number, void *arg)
{
    int fd = *(int *)arg, n;
    char line[320];
    hl_stats s;

    hl_heap_lock(heap);
    hl_heap_stats(heap, &s);
    hl_heap_unlock(heap);
    if (s.allocs == 0 && s.remote_frees == 0)
        return true;
    n = snprintf(line, sizeof line,
                 "heaplab-malloc: pid=%ld heap=%u%s allocs=%zu frees=%zu "
                 "cache_hits=%zu remote_frees=%zu drains=%zu peak_heap=%zu "
                 "final_heap=%zu\n",
                 (long)getpid(), number, number == 0 ? " (shared)" : "",
                 s.allocs, s.frees, s.cache_hits, s.remote_frees, s.drains,
                 s.peak_heap_size, s.heap_size);
    if (n >= (int)sizeof line)
        n = (int)sizeof line - 1;
    return n <= 0 || write(fd, line, (size_t)n) >= 0;
}

void stats_print_line(int fd)
{
    hl_global_stats s;
    global_knobs now = global_knobs_in_force;
    char knobs[256], line[640];
    int n;

    hl_global_get_stats(&s);
    /* The thresholds in force, not the ones set at start-up: they follow
     * the program (threshold.c). */
    now.mmap_threshold = s.mmap_threshold;
    now.trim_threshold = s.trim_threshold;
    knobs_describe(&now, knobs, sizeof knobs);
    n = snprintf(line, sizeof line,
                 "heaplab-malloc: pid=%ld allocs=%zu frees=%zu reallocs=%zu "
                 "failures=%zu mapped=%zu unmapped=%zu peak_heap=%zu "
                 "final_heap=%zu trimmed=%zu utilization=%.3f heaps=%u "
                 "cache_hits=%zu remote_frees=%zu %s\n",
                 (long)getpid(), s.heap.allocs + s.mappings_made,
                 s.heap.frees + s.mappings_freed, s.heap.reallocs,
                 s.heap.failures, s.mappings_made, s.mappings_freed,
                 s.heap.peak_heap_size, s.heap.heap_size, s.trimmed_bytes,
                 peak_utilization(&s.heap), s.heaps, s.heap.cache_hits,
                 s.heap.remote_frees, knobs);
    if (n >= (int)sizeof line)
        n = (int)sizeof line - 1;
    if (n > 0 && write(fd, line, (size_t)n) < 0)
        return;
    if (global_knobs_in_force.stats_heaps)
        hl_global_visit_heaps(print_heap_line, &fd);
}

__attribute__((destructor)) static void print_at_exit(void)
{
    const char *template = global_knobs_in_force.stats_path;
    char path[512];
    int fd;

    if (!global_knobs_in_force.stats)
        return;
    if (!template[0]) {
        if ((fd = stderr_now()) >= 0)
            stats_print_line(fd);
        return;
    }
    if (!stats_expand_path(template, (long)getpid(), path, sizeof path))
        return;
    fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd >= 0) {
        stats_print_line(fd);
        close(fd);
    }
}

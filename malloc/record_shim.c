/* record_shim.c - the malloc family of `heaplab record`: forward, and
 * write down what happened.
 *
 * Every exported function takes the recorder's one lock, calls the next
 * allocator (record_next.c) and writes the script line for what it did,
 * then lets go.  Holding the lock across both keeps the script in the
 * order the calls really happened: a pointer freed by one thread and
 * handed out again to another is recorded freed first.  The lock is
 * recursive, and only the outermost call on a thread records, so an
 * allocator that calls malloc inside its own malloc neither deadlocks
 * nor records itself.
 *
 *   malloc(n)            a ID n           calloc(k, n)     c ID k n
 *   realloc(p, n)        r ID n           realloc(NULL, n) a ID n
 *   realloc(p, 0)        f ID (the object was freed, as glibc does)
 *   aligned_alloc, posix_memalign, memalign, valloc, pvalloc: m ID ALIGN n
 *   free(p)              f ID; a pointer never seen allocated (one from
 *                        before the recording started) becomes a comment
 *   a failed call        "# failed: ..." (a comment: replays skip it)
 *
 * A fork child records to a file of its own from a fresh start (FILE.PID):
 * the objects it inherited are unknown there, so their frees are comments.
 *
 * Threads: a line `thread N` comes before a call made by another thread
 * than the call before it.  Threads are numbered 1, 2, ... as they first
 * call; when a thread exits its number goes to the next new thread, as
 * libheaplab-malloc gives an exited thread's heap to the next one, so the
 * numbers stay as few as the threads alive at once (at most
 * RECORD_MAX_THREADS, the script language's limit: beyond it, threads
 * share the last number).
 */
#include "config.h"

#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "record.h"

static pthread_mutex_t lock = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
static int depth;          /* the lock holder's nesting, under the lock */
static bool started;       /* writer_start() has been tried */
static bool recording;     /* lines are being written */

/* The script language's `thread N` goes up to 64 (tools/script.h). */
#define RECORD_MAX_THREADS 64
static __thread unsigned my_number;   /* 0 until the thread's first call */
static bool number_taken[RECORD_MAX_THREADS + 1]; /* under the lock */
static unsigned last_thread = 1;      /* of the last line; scripts start
                                         on thread 1 */
static pthread_key_t number_key;      /* gives the number back at exit */
static bool have_key;

static void give_number_back(void *arg)
{
    unsigned n = (unsigned)(uintptr_t)arg;

    pthread_mutex_lock(&lock);
    if (n >= 1 && n <= RECORD_MAX_THREADS && n == my_number) {
        number_taken[n] = false;
        my_number = 0; /* a later destructor's call takes one anew */
    }
    pthread_mutex_unlock(&lock);
}

/* The calling thread's number, taken at its first recorded call (under
 * the lock): the smallest one no live thread has. */
static unsigned thread_number(void)
{
    unsigned n;

    if (my_number)
        return my_number;
    for (n = 1; n < RECORD_MAX_THREADS && number_taken[n]; n++)
        ;
    number_taken[n] = true;
    my_number = n;
    if (have_key) /* may allocate: the lock is recursive, depth > 1 */
        pthread_setspecific(number_key, (void *)(uintptr_t)n);
    return n;
}

/* `thread N` when the caller is not the thread of the last line. */
static void note_thread(void)
{
    unsigned n = thread_number();

    if (n == last_thread)
        return;
    last_thread = n;
    writer_text("thread");
    writer_number(n);
    writer_end_line();
}

static void enter(void)
{
    pthread_mutex_lock(&lock);
    depth++;
    if (!started) {
        started = true;
        recording = writer_start();
    }
}

static void leave(void)
{
    depth--;
    pthread_mutex_unlock(&lock);
}

static bool should_record(void)
{
    if (!recording || depth != 1)
        return false;
    note_thread();
    return true;
}

/* What an object costs a heap: its size rounded, a header, any padding. */
static size_t footprint(size_t size, size_t align)
{
    return ((size + 15) & ~(size_t)15) + 16 + (align > 16 ? align : 0);
}

/* The line for a new object (or the comment for a failed call).  `first`
 * is the COUNT of c or the ALIGN of m, and ignored for a and r. */
static void note_new(char kind, const void *p, size_t first, size_t size,
                     size_t align)
{
    if (!p) {
        writer_begin_line('#');
        writer_text(" failed: ");
        writer_begin_line(kind);
    } else {
        /* calloc's product cannot overflow here: the call succeeded. */
        size_t bytes = kind == 'c' ? first * size : size;
        writer_begin_line(kind);
        writer_number(ids_add(p, footprint(bytes, align)));
    }
    if (kind == 'c' || kind == 'm')
        writer_number(first);
    writer_number(size);
    writer_end_line();
}

static void note_free(const void *p)
{
    size_t id, old_footprint;

    if (!ids_take(p, &id, &old_footprint)) {
        writer_text("# free of an object from before the recording\n");
        return;
    }
    writer_begin_line('f');
    writer_number(id);
    writer_end_line();
    ids_retire(id);
}

static void note_realloc(const void *old, const void *moved, size_t size)
{
    size_t id, old_footprint;

    if (size == 0 && !moved) {
        note_free(old);
    } else if (!ids_take(old, &id, &old_footprint)) {
        writer_text("# realloc of an object from before the recording\n");
        note_new('a', moved, 0, size, 0);
    } else if (!moved) {
        ids_put(old, id, old_footprint); /* unchanged */
        writer_text("# failed: r");
        writer_number(id);
        writer_number(size);
        writer_end_line();
    } else {
        ids_put(moved, id, footprint(size, 0));
        writer_begin_line('r');
        writer_number(id);
        writer_number(size);
        writer_end_line();
    }
}

void *malloc(size_t size)
{
    void *p;

    if (!next_ready())
        return bootstrap_alloc(size, 0);
    enter();
    p = next.malloc(size);
    if (should_record())
        note_new('a', p, 0, size, 0);
    leave();
    return p;
}

void free(void *p)
{
    if (!p || bootstrap_owns(p) || !next_ready())
        return;
    enter();
    next.free(p);
    if (should_record())
        note_free(p);
    leave();
}

void *calloc(size_t count, size_t size)
{
    void *p;

    if (!next_ready()) {
        if (size && count > SIZE_MAX / size)
            return NULL;
        return bootstrap_alloc(count * size, 0); /* fresh, so zeroed */
    }
    enter();
    p = next.calloc(count, size);
    if (should_record())
        note_new('c', p, count, size, 0);
    leave();
    return p;
}

/* An object of the bootstrap buffer moves out to the real allocator. */
static void *move_out_of_bootstrap(void *old, size_t size)
{
    size_t keep = bootstrap_usable_size(old);
    void *p = malloc(size);

    if (p)
        memcpy(p, old, keep < size ? keep : size);
    return p;
}

void *realloc(void *old, size_t size)
{
    void *p;

    if (!next_ready())
        return old ? NULL : bootstrap_alloc(size, 0);
    if (old && bootstrap_owns(old))
        return move_out_of_bootstrap(old, size);
    enter();
    p = next.realloc(old, size);
    if (should_record()) {
        if (old)
            note_realloc(old, p, size);
        else
            note_new('a', p, 0, size, 0);
    }
    leave();
    return p;
}

void *reallocarray(void *old, size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size) {
        errno = ENOMEM;
        return NULL;
    }
    return realloc(old, count * size);
}

size_t malloc_usable_size(void *p)
{
    if (!p)
        return 0;
    if (bootstrap_owns(p))
        return bootstrap_usable_size(p);
    return next_ready() ? next.usable_size(p) : 0;
}

/* ---------------------------------------------------------------------------
 * The aligned members: each is recorded as `m ID ALIGN SIZE`.
 * ------------------------------------------------------------------------- */

static void *aligned_call(void *p, size_t align, size_t size)
{
    if (should_record())
        note_new('m', p, align, size, align);
    leave();
    return p;
}

int posix_memalign(void **out, size_t align, size_t size)
{
    int rc;

    if (!next_ready()) {
        *out = bootstrap_alloc(size, align);
        return *out ? 0 : ENOMEM;
    }
    enter();
    rc = next.posix_memalign(out, align, size);
    aligned_call(rc == 0 ? *out : NULL, align, size);
    return rc;
}

void *aligned_alloc(size_t align, size_t size)
{
    if (!next_ready())
        return bootstrap_alloc(size, align);
    enter();
    return aligned_call(next.aligned_alloc ? next.aligned_alloc(align, size)
                                           : next.memalign(align, size),
                        align, size);
}

void *memalign(size_t align, size_t size)
{
    size_t power = 1;

    while (power < align && power < ((size_t)1 << 62))
        power <<= 1; /* what glibc rounds a stray alignment up to */
    if (!next_ready())
        return bootstrap_alloc(size, power);
    enter();
    return aligned_call(next.memalign(align, size), power, size);
}

void *valloc(size_t size)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);

    if (!next_ready())
        return bootstrap_alloc(size, page);
    enter();
    return aligned_call(next.valloc ? next.valloc(size)
                                    : next.memalign(page, size),
                        page, size);
}

void *pvalloc(size_t size)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t rounded = size ? (size + page - 1) & ~(page - 1) : page;

    if (!next_ready())
        return bootstrap_alloc(rounded, page);
    enter();
    return aligned_call(next.pvalloc ? next.pvalloc(size)
                                     : next.memalign(page, rounded),
                        page, rounded);
}

/* ---------------------------------------------------------------------------
 * A recording's life: it starts with the first call (or at load), a fork
 * child starts its own, and it is complete when the program exits.
 * ------------------------------------------------------------------------- */

static void before_fork(void)
{
    pthread_mutex_lock(&lock);
}

static void after_fork_in_parent(void)
{
    pthread_mutex_unlock(&lock);
}

static void after_fork_in_child(void)
{
    pthread_mutex_t fresh = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;

    memcpy(&lock, &fresh, sizeof lock); /* its owner does not exist here */
    depth = 0;
    /* The child's one thread starts its script, as thread 1. */
    memset(number_taken, 0, sizeof number_taken);
    number_taken[1] = true;
    my_number = last_thread = 1;
    ids_forget_all();
    recording = started && writer_start_in_child();
}

__attribute__((constructor)) static void start_at_load(void)
{
    have_key = pthread_key_create(&number_key, give_number_back) == 0;
    next_ready();
    enter();
    leave();
    pthread_atfork(before_fork, after_fork_in_parent, after_fork_in_child);
}

/* The script's heap: four times the peak footprint, in whole MiB, at
 * least 1 MiB: room for what the program held at once and for the
 * fragmentation a first-fit heap adds on replay. */
static size_t capacity_for_replay(void)
{
    size_t mib = (size_t)1 << 20;
    size_t want = 4 * ids_peak_footprint();

    return want < mib ? mib : (want + mib - 1) & ~(mib - 1);
}

__attribute__((destructor)) static void finish_at_exit(void)
{
    enter();
    if (recording)
        writer_finish(capacity_for_replay());
    recording = false;
    leave();
}

/* threads_prog.c - a plain program that stresses whatever malloc it runs
 * on, for the LD_PRELOAD tests: it links no heaplab library, so the same
 * binary runs on the C library's malloc and on libheaplab-malloc.so.
 *
 *   threads_prog threads [N]  N threads allocate, fill, check and free,
 *                             half the objects freed by another thread
 *   threads_prog fork         a threaded process forks, over and over,
 *                             while its threads keep allocating
 *   threads_prog dlopen       dlopen/dlclose, and threads using the
 *                             loaded library's thread-local storage
 *   threads_prog sbrk         moves the program break behind malloc's back
 *   threads_prog doublefree   frees one object twice (must abort)
 *   threads_prog remote-double a second thread frees two objects of the
 *                             main thread's heap, the first one twice
 *                             (must abort: the main thread's next malloc
 *                             takes its remote list and finds it)
 *   threads_prog foreign      frees a pointer malloc never gave (must abort)
 *   threads_prog fill N       makes N objects of 64 bytes, keeps them all
 *                             (for a small ulimit -v: fails at the first
 *                             NULL)
 *   threads_prog crash        allocates 1000 objects, frees 500, then
 *                             writes through NULL (dies of SIGSEGV)
 *   threads_prog handoff      one thread at a time: the main thread makes
 *                             1000 objects, a second thread frees them and
 *                             makes 500, which the main thread frees (for
 *                             recordings with a known number of frees of
 *                             another thread's objects: 1500)
 *   threads_prog big [KIB]    makes and frees a 4 MiB buffer (or one of
 *                             KIB KiB) twice (as sort(1) does: above the
 *                             default mmap threshold, which the first free
 *                             raises)
 * Exit status 0 means every check held.
 */
#include "config.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define SLOTS 64

static int failures;

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "threads_prog: %s\n", what);
        __atomic_add_fetch(&failures, 1, __ATOMIC_RELAXED);
    }
}

/* An object filled with a pattern that names its size. */
static unsigned char *make(size_t size)
{
    unsigned char *p = malloc(size);

    check(p != NULL, "malloc returned NULL");
    if (p)
        memset(p, (int)(size & 0xff), size);
    return p;
}

static void drop(unsigned char *p, size_t size)
{
    size_t i;

    for (i = 0; p && i < size; i += 61)
        if (p[i] != (unsigned char)(size & 0xff)) {
            check(0, "an object's bytes changed under it");
            break;
        }
    free(p);
}

/* Objects passed between threads through one shared mailbox each. */
static struct mailbox {
    pthread_mutex_t lock;
    unsigned char *object;
    size_t size;
} boxes[16];

static size_t thread_count = 4;
static volatile int stop_churning;

static void swap_with_neighbour(size_t me, size_t round)
{
    struct mailbox *box = &boxes[(me + 1) % thread_count];
    size_t size = (round * 131) % 5000 + 1;
    unsigned char *mine = make(size), *theirs;
    size_t their_size;

    pthread_mutex_lock(&box->lock);
    theirs = box->object;
    their_size = box->size;
    box->object = mine;
    box->size = size;
    pthread_mutex_unlock(&box->lock);
    drop(theirs, their_size);
}

static void *churn(void *arg)
{
    size_t me = (size_t)(uintptr_t)arg, round, slot;
    unsigned char *objects[SLOTS] = {0};
    size_t sizes[SLOTS] = {0};

    for (round = 0; round < 50000 && !stop_churning; round++) {
        slot = (round * 7 + me) % SLOTS;
        drop(objects[slot], sizes[slot]);
        sizes[slot] = (round * 37 + me * 101) % (round % 100 ? 700 : 200000);
        objects[slot] = make(sizes[slot]);
        if (round % 4 == 0)
            swap_with_neighbour(me, round);
    }
    for (slot = 0; slot < SLOTS; slot++)
        drop(objects[slot], sizes[slot]);
    return NULL;
}

static void run_threads(size_t n)
{
    pthread_t t[16];
    size_t i;

    thread_count = n;
    for (i = 0; i < n; i++)
        pthread_mutex_init(&boxes[i].lock, NULL);
    for (i = 0; i < n; i++)
        pthread_create(&t[i], NULL, churn, (void *)(uintptr_t)i);
    for (i = 0; i < n; i++)
        pthread_join(t[i], NULL);
    for (i = 0; i < n; i++)
        drop(boxes[i].object, boxes[i].size);
}

/* handoff: objects made by one thread and freed by the other, the two
 * never running at once (each waits for the other with a join). */
#define HANDOFF 1000
static unsigned char *handed[HANDOFF];

static void *take_and_give(void *arg)
{
    size_t i;

    (void)arg;
    for (i = 0; i < HANDOFF; i++)
        drop(handed[i], i % 300 + 1);
    for (i = 0; i < HANDOFF / 2; i++)
        handed[i] = make(i % 200 + 1);
    return NULL;
}

static void run_handoff(void)
{
    pthread_t t;
    size_t i;

    for (i = 0; i < HANDOFF; i++)
        handed[i] = make(i % 300 + 1);
    if (pthread_create(&t, NULL, take_and_give, NULL) != 0) {
        check(0, "pthread_create");
        return;
    }
    pthread_join(t, NULL);
    for (i = 0; i < HANDOFF / 2; i++)
        drop(handed[i], i % 200 + 1);
}

/* The child of a threaded fork: only this thread exists; malloc works. */
static int child_work(void)
{
    size_t i;
    for (i = 1; i < 2000; i++)
        drop(make(i), i);
    return failures == 0 ? 0 : 1;
}

static void run_forks(void)
{
    pthread_t t[3];
    int i, status;

    thread_count = 3;
    for (i = 0; i < 3; i++) {
        pthread_mutex_init(&boxes[i].lock, NULL);
        pthread_create(&t[i], NULL, churn, (void *)(uintptr_t)i);
    }
    for (i = 0; i < 50; i++) {
        pid_t child = fork();
        if (child == 0)
            exit(child_work());
        check(child > 0 && waitpid(child, &status, 0) == child &&
                  WIFEXITED(status) && WEXITSTATUS(status) == 0,
              "a child forked from a threaded process failed");
    }
    stop_churning = 1;
    for (i = 0; i < 3; i++)
        pthread_join(t[i], NULL);
    for (i = 0; i < 3; i++)
        drop(boxes[i].object, boxes[i].size);
}

static void *use_loaded_library(void *arg)
{
    double (*cosine)(double) = (double (*)(double))(uintptr_t)arg;
    check(cosine(0.0) == 1.0, "a function of a dlopened library");
    return make(100);
}

static void run_dlopen(void)
{
    int i;

    for (i = 0; i < 20; i++) {
        void *lib = dlopen("libm.so.6", RTLD_NOW | RTLD_LOCAL);
        pthread_t t;
        void *object;
        check(lib != NULL, "dlopen(libm.so.6)");
        if (!lib)
            return;
        pthread_create(&t, NULL, use_loaded_library,
                       (void *)(uintptr_t)dlsym(lib, "cos"));
        pthread_join(t, &object);
        drop(object, 100);
        dlclose(lib);
    }
}

/* Moves the break with sbrk(2) between allocations: the mmap grower does
 * not care; the brk grower must notice and not write over the new bytes. */
static void run_sbrk(void)
{
    unsigned char *before[100], *after[100], *mine;
    size_t i;

    for (i = 0; i < 100; i++)
        before[i] = make(1000);
    mine = sbrk(65536);
    check(mine != (void *)-1, "sbrk");
    memset(mine, 0x5a, 65536);
    for (i = 0; i < 100; i++)
        after[i] = make(3000);
    for (i = 0; i < 65536; i++)
        if (mine[i] != 0x5a) {
            check(0, "malloc wrote over memory the program got from sbrk");
            break;
        }
    for (i = 0; i < 100; i++) {
        drop(before[i], 1000);
        drop(after[i], 3000);
    }
}

static void run_double_free(void)
{
    unsigned char *a = make(24), *b = make(24), *c = make(24);
    volatile uintptr_t b_address = (uintptr_t)b; /* hidden from gcc */

    free(b);
    free((void *)b_address); /* heaplab aborts here */
    free(a);
    free(c);
}

static void *free_first_twice(void *arg)
{
    void **objects = arg;
    volatile uintptr_t first = (uintptr_t)objects[0]; /* hidden from gcc */

    free(objects[0]);
    free(objects[1]);
    free((void *)first);
    return NULL;
}

static void run_remote_double_free(void)
{
    void *objects[2] = {make(64), make(64)};
    pthread_t t;

    if (pthread_create(&t, NULL, free_first_twice, objects) != 0)
        exit(1);
    pthread_join(t, NULL);
    free(make(64)); /* heaplab aborts here, at the drain */
}

static void run_foreign_free(void)
{
    static char not_from_malloc[64];
    char *volatile p = not_from_malloc + 16;

    free(p); /* heaplab aborts here */
}

/* N objects of 64 bytes, all kept: the heap must grow into as much
 * address space as there is, not fail early. */
static void run_fill(long n)
{
    long i;

    for (i = 0; i < n; i++) {
        char *p = malloc(64);
        if (!p) {
            fprintf(stderr, "threads_prog: malloc failed after %ld "
                    "objects\n", i);
            failures++;
            return;
        }
        p[0] = (char)i;
    }
}

static void run_crash(void)
{
    static unsigned char *kept[1000];
    /* gcc can neither see that it is NULL nor drop the store. */
    volatile char *volatile nowhere = NULL;
    size_t i;

    for (i = 0; i < 1000; i++)
        kept[i] = make(16 + i % 200);
    for (i = 0; i < 1000; i += 2)
        drop(kept[i], 16 + i % 200);
    *nowhere = 1;
}

static void run_big(size_t kib)
{
    size_t size = kib << 10;

    drop(make(size), size);
    drop(make(size), size);
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "threads";

    if (!strcmp(mode, "threads")) {
        int n = argc > 2 ? atoi(argv[2]) : 4;
        run_threads(n < 1 ? 1 : n > 16 ? 16 : (size_t)n);
    }
    else if (!strcmp(mode, "fork"))
        run_forks();
    else if (!strcmp(mode, "dlopen"))
        run_dlopen();
    else if (!strcmp(mode, "sbrk"))
        run_sbrk();
    else if (!strcmp(mode, "doublefree"))
        run_double_free();
    else if (!strcmp(mode, "remote-double"))
        run_remote_double_free();
    else if (!strcmp(mode, "foreign"))
        run_foreign_free();
    else if (!strcmp(mode, "fill") && argc > 2)
        run_fill(atol(argv[2]));
    else if (!strcmp(mode, "crash"))
        run_crash();
    else if (!strcmp(mode, "handoff"))
        run_handoff();
    else if (!strcmp(mode, "big"))
        run_big(argc > 2 ? (size_t)atol(argv[2]) : 4096);
    else {
        fprintf(stderr, "usage: threads_prog threads [N]|fork|dlopen|sbrk|"
                        "doublefree|remote-double|foreign|fill N|crash|"
                        "handoff|big [KIB]\n");
        return 2;
    }
    return failures == 0 ? 0 : 1;
}

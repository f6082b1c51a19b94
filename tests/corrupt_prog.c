/* corrupt_prog.c - writes after free that attack the heap, run by
 * corrupt.sh on libheaplab-malloc.so through LD_PRELOAD.  Each must end in
 * heaplab's one line on stderr and SIGABRT: never SIGSEGV, and never the
 * write that the forged links ask for.
 *
 *   corrupt_prog links SIZE     two pointers written into a freed object's
 *                               first words (the unlink attack), then malloc
 *   corrupt_prog word SIZE      p[0] = 0x4141414141414141 after free(p),
 *                               then malloc
 *   corrupt_prog overflow SIZE  the same to the 17th object of a class,
 *                               which the full cache sends to the freelist;
 *                               the 16 cached ones are taken back first
 *   corrupt_prog footer SIZE    the last word of a freed object (its
 *                               footer), then free of the object after it
 *   corrupt_prog cached SIZE    word, on an object in the cache: the first
 *                               malloc takes the object back (its header is
 *                               sound), the second follows the link
 *
 * Before the attack it prints "victim=PTR" (the object written after
 * free) on stdout.  Exit status 0 means heaplab let it through: a failure.
 */
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEPTH 16 /* HL_CACHE_DEPTH */

/* What a write through the forged links would overwrite. */
static volatile uint64_t target[4];

/* malloc and free called through volatile pointers: the compiler can
 * neither warn that the program uses memory after freeing it (it does so
 * on purpose) nor delete or reorder the calls, as it may with builtins. */
static void *(*volatile allocate)(size_t) = malloc;
static void (*volatile release)(void *) = free;
static void *volatile sink; /* keeps objects that are never used */

static void announce(void *victim)
{
    printf("victim=%p\n", victim);
    fflush(stdout);
}

static void links(size_t size)
{
    uint64_t *a = allocate(size), *b;

    sink = allocate(16);
    b = allocate(size);
    sink = allocate(16);
    release(a);
    release(b);
    announce(b);
    b[0] = (uint64_t)(uintptr_t)&target[0]; /* next */
    b[1] = (uint64_t)(uintptr_t)&target[2]; /* prev */
    sink = allocate(size);
}

static void word(size_t size)
{
    uint64_t *p = allocate(size);

    sink = allocate(16);
    release(p);
    announce(p);
    p[0] = 0x4141414141414141ull;
    sink = allocate(size);
}

static void cached(size_t size)
{
    word(size);
    sink = allocate(size);
}

static void overflow(size_t size)
{
    uint64_t *p[DEPTH + 1];
    int i;

    for (i = 0; i <= DEPTH; i++) {
        p[i] = allocate(size);
        sink = allocate(size * 4 + 100); /* a guard of another class */
    }
    for (i = 0; i <= DEPTH; i++)
        release(p[i]); /* the last finds the class full */
    announce(p[DEPTH]);
    p[DEPTH][0] = 0x4141414141414141ull;
    for (i = 0; i < DEPTH; i++)
        sink = allocate(size); /* the cached ones */
    sink = allocate(size); /* the freelist */
}

static void footer(size_t size)
{
    uint64_t *a = allocate(size), *b = allocate(size);
    size_t usable = malloc_usable_size(a);

    sink = allocate(16);
    release(a);
    announce(b);
    a[usable / 8 - 1] = 0x4141414141414141ull;
    release(b);
}

int main(int argc, char **argv)
{
    size_t size = argc > 2 ? strtoul(argv[2], NULL, 10) : 2000;

    if (argc < 2) {
        fprintf(stderr, "usage: corrupt_prog links|word|overflow|footer|cached SIZE\n");
        return 2;
    }
    if (!strcmp(argv[1], "links"))
        links(size);
    else if (!strcmp(argv[1], "word"))
        word(size);
    else if (!strcmp(argv[1], "overflow"))
        overflow(size);
    else if (!strcmp(argv[1], "footer"))
        footer(size);
    else if (!strcmp(argv[1], "cached"))
        cached(size);
    else
        return 2;
    printf("not stopped; target %s\n",
           target[0] || target[1] || target[2] || target[3] ? "written"
                                                            : "intact");
    return 0;
}

/* bugs_prog.c - small programs on a heaplab heap, each with one bug, for
 * valgrind, ASan and gdb to find (tests/tools.sh, tests/gdb.sh).
 *
 *   bugs_prog clean        no bug: nothing may be reported
 *   bugs_prog overflow     writes one byte past a 10-byte object
 *   bugs_prog header       writes into the header after a 16-byte object
 *   bugs_prog after-free   reads a 24-byte object after freeing it
 *   bugs_prog leak         loses the only pointer to a 40-byte object
 *   bugs_prog realloc      writes past an object shrunk in place
 *   bugs_prog malloc-bugs  malloc's objects, not a heap's: writes one
 *                          byte past a 10-byte one and loses a 40-byte
 *                          one (for the drop-in under valgrind)
 *   bugs_prog double-free  frees an object twice: heaplab aborts
 *   bugs_prog record       malloc's objects of 24 and 40 bytes in bugs_p
 *                          and bugs_q, then stops in bugs_stop_here (for
 *                          gdb's heaplab id, under heaplab record)
 *   bugs_prog dump         builds a heap, prints hl_heap_dump and the
 *                          addresses of two objects, stops in
 *                          bugs_stop_here (a breakpoint for gdb), frees
 *                          one object, prints the dump again, and frees
 *                          that object a second time: heaplab aborts
 *
 * Each prints the address it misuses as "at 0x...", so that a test can
 * find it in the tool's report.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "heaplab.h"

static _Alignas(4096) char buffer[64 * 1024];
static hl_static_grower grower;
static hl_heap_space space;
/* The one pointer to the leaked object, until it is overwritten. */
static void *volatile only_pointer;
/* The dump's two objects, for gdb to name (heaplab block bugs_p). */
void *volatile bugs_p, *volatile bugs_q;

/* gdb's breakpoint: the heap is in the state hl_heap_dump just printed. */
void bugs_stop_here(hl_heap *heap);
void __attribute__((noinline)) bugs_stop_here(hl_heap *heap)
{
    __asm__ volatile("" : : "r"(heap) : "memory");
}

static hl_heap *make_heap(const char *merge)
{
    hl_config cfg;

    hl_config_preset(&cfg, HL_PRESET_DEFAULT);
    hl_config_set(&cfg, "merge", merge);
    hl_static_grower_init(&grower, buffer, sizeof buffer, 4096);
    return hl_heap_init(&space, &cfg, &grower.base);
}

static void at(const volatile void *p)
{
    printf("at %p\n", (const void *)p);
    fflush(stdout);
}

int main(int argc, char **argv)
{
    const char *bug = argc > 1 ? argv[1] : "clean";
    hl_heap *heap = make_heap("immediate");
    volatile char *p, *q;
    char c;

    if (!heap)
        return 2;
    if (strcmp(bug, "record") == 0) {
        bugs_p = malloc(24);
        bugs_q = malloc(40);
        bugs_stop_here(heap);
        free(bugs_q);
        free(bugs_p);
        return 0;
    }
    if (strcmp(bug, "malloc-bugs") == 0) {
        static volatile size_t ten = 10; /* unknown to the compiler */

        p = malloc(ten);
        only_pointer = malloc(40);
        only_pointer = NULL;
        at(p + 10);
        p[10] = 'x';
        free((char *)p);
        return 0;
    }
    p = hl_alloc(heap, 10);
    q = hl_alloc(heap, 16);
    memset((char *)p, 'p', 10);
    memset((char *)q, 'q', 16);
    if (strcmp(bug, "clean") == 0) {
        p = hl_realloc(heap, (char *)p, 100);
        p[99] = 1;
        hl_free(heap, (char *)q);
        hl_free(heap, (char *)p);
        hl_heap_destroy(heap);
    } else if (strcmp(bug, "overflow") == 0) {
        at(p + 10);
        p[10] = 'x';
    } else if (strcmp(bug, "header") == 0) {
        at(q + 16);
        q[16] = 'x';
    } else if (strcmp(bug, "after-free") == 0) {
        q = hl_alloc(heap, 24);
        hl_free(heap, (char *)q);
        at(q);
        c = q[0];
        printf("read %d\n", c);
    } else if (strcmp(bug, "leak") == 0) {
        hl_free(heap, (char *)q);
        hl_free(heap, (char *)p);
        only_pointer = hl_alloc(heap, 40);
        at(only_pointer);
        only_pointer = NULL;
    } else if (strcmp(bug, "realloc") == 0) {
        p = hl_realloc(heap, (char *)p, 4);
        at(p + 4);
        p[4] = 'x';
    } else if (strcmp(bug, "double-free") == 0) {
        hl_free(heap, (char *)q);
        at(q);
        hl_free(heap, (char *)q);
    } else if (strcmp(bug, "dump") == 0) {
        hl_free(heap, (char *)p);
        p = hl_alloc(heap, 100);
        hl_alloc(heap, 33);
        hl_heap_dump(heap, stdout);
        bugs_p = (char *)p;
        bugs_q = (char *)q;
        printf("p %p\nq %p\n", (const void *)p, (const void *)q);
        fflush(stdout);
        bugs_stop_here(heap);
        hl_free(heap, (char *)q);
        printf("after\n");
        hl_heap_dump(heap, stdout);
        fflush(stdout);
        hl_free(heap, (char *)q);
    } else {
        fprintf(stderr, "bugs_prog: no bug named %s\n", bug);
        return 2;
    }
    return 0;
}

/* demo.c - `heaplab demo`: a few allocations on the reference heap, with
 * the heap dumped after each, to show what the library does before any
 * script is written. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "heaplab.h"

static _Alignas(4096) char demo_buffer[64 * 1024];

static void step(hl_heap *heap, const char *what)
{
    printf("\n## %s\n", what);
    hl_heap_dump(heap, stdout);
}

int cmd_demo(int argc, char **argv)
{
    hl_static_grower grower;
    hl_heap_space space;
    hl_config cfg;
    hl_heap *heap;
    void *a, *b, *c;

    if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        puts("usage: heaplab demo [reference|default]\n"
             "Replays a short demo on a 64 KiB static heap and prints the "
             "heap dump after each step.");
        return 0;
    }
    hl_config_preset(&cfg, HL_PRESET_REFERENCE);
    /* The demo's notes describe the reference and the default; the fast
     * preset's cache would make them wrong, so it is not offered. */
    if (argc > 1 && (strcmp(argv[1], "fast") == 0 ||
                     hl_config_set(&cfg, "preset", argv[1]) != 0)) {
        fprintf(stderr, "heaplab demo: unknown preset '%s'; expected "
                "reference or default\n", argv[1]);
        return 2;
    }
    hl_static_grower_init(&grower, demo_buffer, sizeof demo_buffer, 4096);
    heap = hl_heap_init(&space, &cfg, &grower.base);
    a = hl_alloc(heap, 10);
    step(heap, "a = alloc(10): the heap grows by 4096, the rest is free");
    b = hl_alloc(heap, 100);
    c = hl_alloc(heap, 40);
    step(heap, "b = alloc(100); c = alloc(40): each split from the free rest");
    hl_free(heap, a);
    hl_free(heap, b);
    step(heap, "free(a); free(b): both go to the front of the freelist");
    a = hl_alloc(heap, 120);
    step(heap, "alloc(120): the search merges a and b and fits in them");
    hl_free(heap, a);
    hl_free(heap, c);
    step(heap, "free everything");
    return 0;
}

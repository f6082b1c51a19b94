/* first_heap.c - the example of README.md: a heap on a static buffer, one
 * knob turned, one allocation, and the dump.  `make installcheck` builds it
 * against the installed header and library. */
#include <heaplab.h>

static _Alignas(4096) char buffer[1 << 20];

int main(void)
{
    hl_static_grower grower;
    hl_heap_space space;            /* the heap's state: no malloc needed */
    hl_config cfg;

    hl_config_preset(&cfg, HL_PRESET_REFERENCE);
    hl_config_set(&cfg, "merge", "immediate");   /* one knob at a time */
    hl_static_grower_init(&grower, buffer, sizeof buffer, 4096);
    hl_heap *heap = hl_heap_init(&space, &cfg, &grower.base);

    void *p = hl_alloc(heap, 100);
    hl_free(heap, p);
    hl_heap_dump(heap, stdout);     /* stable text: keep it as a golden file */
    return 0;
}

/* dump.c - the heap's state as stable text.
 *
 * The format (documented in heaplab(3)) is line-oriented; offsets are from
 * the heap's base, so the same operations give the same dump on every run:
 *
 *   heap align=16 fit=first order=lifo merge=immediate
 *   size 4096 first 8 end 4096
 *   block 8 used 24 requested 20
 *   block 40 free 4048
 *   freelist 40
 *   stats used=1/24 free=1/4048 largest=4048 requested=20
 *   counts allocs=1 frees=0 reallocs=0 failures=0 grows=1 trims=0 splits=1 merges=0
 *
 * A heap with the cache on says so on its first line and shows its cached
 * blocks as "block 8 cached 24"; it, and any heap of heaps=per-thread, has
 * two more lines before the stats, and a last line of their counts:
 *
 *   cache 8 40
 *   remote empty
 *
 * (the cached blocks, class by class, and the objects other threads freed
 * that the owner has not taken yet).
 *
 * Like SQLite's mem3 dump, it is also a validator: a heap that fails the
 * checker gets a last line "corrupt: WHY".
 */
#include "internal.h"

static bool print_block(const hl_block_info *b, void *arg)
{
    FILE *out = arg;

    if (b->free)
        fprintf(out, "block %zu free %zu\n", b->offset, b->size);
    else if (b->cached)
        fprintf(out, "block %zu cached %zu\n", b->offset, b->size);
    else
        fprintf(out, "block %zu used %zu requested %zu\n", b->offset, b->size,
                b->requested);
    return true;
}

static bool print_offset(const hl_block_info *b, void *arg)
{
    fprintf(arg, " %zu", b->offset);
    return true;
}

void hl_heap_dump(hl_heap *heap, FILE *out)
{
    const hl_config *cfg = &heap->cfg;
    hl_stats s;
    char why[160];

    fprintf(out, "heap align=%zu fit=%s order=%s merge=%s%s%s%s%s\n",
            cfg->align, hl_fit_name(cfg->fit), hl_order_name(cfg->order),
            hl_merge_name(cfg->merge),
            cfg->place != HL_PLACE_FRONT ? " place=" : "",
            cfg->place != HL_PLACE_FRONT ? hl_place_name(cfg->place) : "",
            cfg->cache ? " cache=on" : "",
            cfg->heaps == HL_HEAPS_PER_THREAD ? " heaps=per-thread" : "");
    hl_heap_stats(heap, &s);
    fprintf(out, "size %zu first %zu end %zu\n", s.heap_size,
            heap->started ? heap_offset(heap, heap->first) : 0,
            heap->started ? heap_offset(heap, heap->end) : 0);
    hl_heap_visit_blocks(heap, print_block, out);
    fputs("freelist", out);
    if (!freelist_first(heap))
        fputs(" empty", out);
    hl_heap_visit_freelist(heap, print_offset, out);
    fputc('\n', out);
    if (cfg->cache || cfg->heaps == HL_HEAPS_PER_THREAD) {
        fputs("cache", out);
        if (hl_heap_visit_cache(heap, print_offset, out) == 0)
            fputs(" empty", out);
        fputs("\nremote", out);
        if (hl_heap_visit_remote(heap, print_offset, out) == 0)
            fputs(" empty", out);
        fputc('\n', out);
    }
    fprintf(out, "stats used=%zu/%zu free=%zu/%zu largest=%zu requested=%zu\n",
            s.used_blocks, s.used_bytes, s.free_blocks, s.free_bytes,
            s.largest_free, s.requested_bytes);
    fprintf(out, "counts allocs=%zu frees=%zu reallocs=%zu failures=%zu "
            "grows=%zu trims=%zu splits=%zu merges=%zu\n", s.allocs, s.frees,
            s.reallocs, s.failures, s.grows, s.trims, s.splits, s.merges);
    if (cfg->cache || cfg->heaps == HL_HEAPS_PER_THREAD)
        fprintf(out, "cache cached=%zu/%zu hits=%zu puts=%zu flushes=%zu "
                "remote_frees=%zu drains=%zu\n", s.cached_blocks,
                s.cached_bytes, s.cache_hits, s.cache_puts, s.flushes,
                s.remote_frees, s.drains);
    if (!hl_heap_check(heap, why, sizeof why))
        fprintf(out, "corrupt: %s\n", why);
}

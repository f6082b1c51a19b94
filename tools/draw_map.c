/* draw_map.c - the model of one heap map: what `heaplab draw` pictures.
 *
 * Everything comes from the library's public introspection: the blocks in
 * address order (hl_heap_visit_blocks), the freelist in list order
 * (hl_heap_visit_freelist) and the stats.  The bytes between blocks that
 * no block covers are found by comparing each block's offset with where
 * the one before it ended; the script ID of each used block, by asking the
 * replay which object each ID holds.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"

/* A growing array of pieces, and where the last piece ended. */
typedef struct map_builder {
    draw_map *map;
    size_t capacity;
    size_t end;           /* the first byte after the last piece */
    const size_t *owner_offsets, *owner_ids; /* sorted by offset */
    size_t nowners;
    bool failed;
} map_builder;

static bool add_piece(map_builder *b, draw_kind kind, size_t offset,
                      size_t size)
{
    draw_map *map = b->map;
    draw_piece *p;

    if (map->npieces == b->capacity) {
        size_t capacity = b->capacity ? 2 * b->capacity : 16;
        draw_piece *more = realloc(map->pieces, capacity * sizeof *more);
        if (!more) {
            b->failed = true;
            return false;
        }
        map->pieces = more;
        b->capacity = capacity;
    }
    p = &map->pieces[map->npieces++];
    memset(p, 0, sizeof *p);
    p->kind = kind;
    p->offset = offset;
    p->size = size;
    p->id = SCRIPT_NO_ID;
    return true;
}

/* The ID whose object's block starts at offset, or SCRIPT_NO_ID. */
static size_t owner_of(const map_builder *b, size_t offset)
{
    size_t lo = 0, hi = b->nowners;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (b->owner_offsets[mid] < offset)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < b->nowners && b->owner_offsets[lo] == offset
               ? b->owner_ids[lo] : SCRIPT_NO_ID;
}

static bool add_block(const hl_block_info *info, void *arg)
{
    map_builder *b = arg;
    draw_piece *p;
    draw_kind kind = info->free ? DRAW_FREE
                     : info->cached ? DRAW_CACHED : DRAW_USED;

    if (info->offset > b->end &&
        !add_piece(b, DRAW_PADDING, b->end, info->offset - b->end))
        return false;
    if (!add_piece(b, kind, info->offset, info->size))
        return false;
    p = &b->map->pieces[b->map->npieces - 1];
    if (kind == DRAW_USED) {
        p->requested = info->requested;
        p->id = owner_of(b, info->offset);
    }
    b->map->nblocks++;
    b->end = info->offset + HL_HEADER_SIZE + info->size;
    return true;
}

/* ---------------------------------------------------------------------------
 * Which ID holds which block
 * ------------------------------------------------------------------------- */

typedef struct owner { size_t offset, id; } owner;

static int by_offset(const void *a, const void *b)
{
    const owner *x = a, *y = b;

    return (x->offset > y->offset) - (x->offset < y->offset);
}

/* Fills offsets[] and ids[] with the live IDs' block offsets, sorted;
 * returns how many, or -1 without memory. */
static long find_owners(replay *r, size_t **offsets, size_t **ids)
{
    const hl_script *script = replay_script(r);
    const char *base = hl_heap_base(replay_heap(r));
    owner *all = malloc((script->nids ? script->nids : 1) * sizeof *all);
    size_t id, n = 0, i;

    *offsets = malloc((script->nids ? script->nids : 1) * sizeof **offsets);
    *ids = malloc((script->nids ? script->nids : 1) * sizeof **ids);
    if (!all || !*offsets || !*ids) {
        free(all);
        return -1;
    }
    for (id = 0; id < script->nids; id++) {
        const char *object = replay_object(r, id);
        if (object && base) {
            all[n].offset = (size_t)(object - base) - HL_HEADER_SIZE;
            all[n++].id = id;
        }
    }
    qsort(all, n, sizeof *all, by_offset);
    for (i = 0; i < n; i++) {
        (*offsets)[i] = all[i].offset;
        (*ids)[i] = all[i].id;
    }
    free(all);
    return (long)n;
}

/* ---------------------------------------------------------------------------
 * The freelist, as indexes of pieces
 * ------------------------------------------------------------------------- */

static size_t piece_at(const draw_map *map, size_t offset)
{
    size_t lo = 0, hi = map->npieces;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (map->pieces[mid].offset < offset)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

typedef struct list_builder {
    draw_map *map;
    size_t capacity;
    bool failed;
} list_builder;

static bool add_free(const hl_block_info *info, void *arg)
{
    list_builder *l = arg;
    draw_map *map = l->map;
    size_t at = piece_at(map, info->offset);

    if (at == map->npieces || map->pieces[at].offset != info->offset)
        return true; /* not a block of the walk: the heap is corrupt */
    if (map->nfree == l->capacity) {
        size_t capacity = l->capacity ? 2 * l->capacity : 16;
        size_t *more = realloc(map->freelist, capacity * sizeof *more);
        if (!more) {
            l->failed = true;
            return false;
        }
        map->freelist = more;
        l->capacity = capacity;
    }
    map->freelist[map->nfree++] = at;
    return true;
}

/* ---------------------------------------------------------------------------
 * The map
 * ------------------------------------------------------------------------- */

int draw_map_build(replay *r, size_t step, const char *source,
                   draw_map *map)
{
    hl_heap *heap = replay_heap(r);
    map_builder b;
    list_builder l;
    size_t *offsets = NULL, *ids = NULL;
    long nowners;

    memset(map, 0, sizeof *map);
    map->step = step;
    map->source = source;
    hl_heap_stats(heap, &map->stats);
    memset(&b, 0, sizeof b);
    b.map = map;
    if ((nowners = find_owners(r, &offsets, &ids)) < 0) {
        free(offsets);
        free(ids);
        return ENOMEM;
    }
    b.owner_offsets = offsets;
    b.owner_ids = ids;
    b.nowners = (size_t)nowners;
    hl_heap_visit_blocks(heap, add_block, &b);
    if (!b.failed && map->stats.heap_size > b.end)
        add_piece(&b, DRAW_PADDING, b.end, map->stats.heap_size - b.end);
    free(offsets);
    free(ids);
    l.map = map;
    l.capacity = 0;
    l.failed = false;
    if (!b.failed)
        hl_heap_visit_freelist(heap, add_free, &l);
    if (b.failed || l.failed) {
        draw_map_release(map);
        return ENOMEM;
    }
    return 0;
}

void draw_map_release(draw_map *map)
{
    free(map->pieces);
    free(map->freelist);
    memset(map, 0, sizeof *map);
}

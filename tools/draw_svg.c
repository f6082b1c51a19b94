/* draw_svg.c - heap maps (draw_map) laid out and written as SVG.
 *
 * Step 1 lays every map out: each piece gets a width (draw.h says how
 * widths are chosen) and a place on a row; a row ends before it would pass
 * ROW_WIDTH pixels.  Step 2 writes the page: the title, the legend, then
 * each map under its caption, blocks first and the freelist's arrows over
 * them.  Every block is one group holding its parts, an outline (class
 * "block") and its labels (class "offset" under it, "id" or "size" in it),
 * so a test can count what a reader sees.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "svg.h"

enum {
    MARGIN = 16,
    PAGE_MIN_WIDTH = 640,
    ROW_WIDTH = 960,      /* the widest a row of blocks gets */
    HEADER_WIDTH = 12,    /* every header: they are all 8 bytes */
    CHAR_WIDTH = 7,       /* of the 11px monospace labels, rounded up */
    ARCH_SPACE = 36,      /* above a row: room for the freelist's arrows */
    BLOCK_HEIGHT = 36,
    LABEL_SPACE = 18,     /* under a row: the offsets */
    ROW_HEIGHT = ARCH_SPACE + BLOCK_HEIGHT + LABEL_SPACE,
    CAPTION_HEIGHT = 36,  /* the step's line and its stats */
    MAP_GAP = 14,
    TOP = 86              /* below the title and the legend */
};

static const char style[] =
    ".page{fill:#ffffff}\n"
    "text{font-family:monospace;font-size:11px;fill:#222222}\n"
    ".title{font-size:14px;font-weight:bold}\n"
    ".caption{font-size:12px;font-weight:bold}\n"
    ".header{fill:#5b6770}\n"
    ".object{fill:#7fb3e6}\n"
    ".slack{fill:#f3c44f}\n"
    ".free{fill:#b9e3b0}\n"
    ".cached{fill:#cfa8e0}\n"
    ".padding{fill:#d4d4d4}\n"
    ".block,.swatch{fill:none;stroke:#222222;stroke-width:1}\n"
    ".freelist,.legend-arrow{fill:none;stroke:#c0392b;stroke-width:1.5}\n"
    ".arrowhead{fill:#c0392b}\n"
    ".freelist-head{fill:#c0392b}\n"
    ".axis{stroke:#222222;stroke-width:1}\n"
    ".tick{stroke:#999999;stroke-width:0.5}\n"
    ".heap-size{fill:none;stroke:#5b6770;stroke-width:2}\n"
    ".requested{fill:none;stroke:#2a7fd4;stroke-width:2}\n";

/* Where one piece goes. */
typedef struct placed {
    int x, row, width;
} placed;

/* ---------------------------------------------------------------------------
 * Step 1: widths and rows
 * ------------------------------------------------------------------------- */

static int text_width(const char *text)
{
    return (int)strlen(text) * CHAR_WIDTH + 6;
}

/* Contents grow with the logarithm of their bytes: 0 bytes 28 px, 16
 * bytes 69, 4096 bytes 148. */
static int contents_width(size_t bytes)
{
    return 28 + (int)lround(10.0 * log2((double)bytes + 1.0));
}

static int max_int(int a, int b) { return a > b ? a : b; }

/* The label written inside a block: its ID, or a free block's size. */
static void inner_label(const hl_script *script, const draw_piece *p,
                        char *buf, size_t len)
{
    buf[0] = '\0';
    if (p->kind == DRAW_USED && p->id != SCRIPT_NO_ID)
        snprintf(buf, len, "%s", script->id_names[p->id]);
    else if (p->kind == DRAW_FREE)
        snprintf(buf, len, "free %zu", p->size);
}

static int piece_width(const hl_script *script, const draw_piece *p)
{
    char label[64];
    int width;

    if (p->kind == DRAW_PADDING)
        return contents_width(p->size);
    width = HEADER_WIDTH + contents_width(p->size);
    inner_label(script, p, label, sizeof label);
    width = max_int(width, HEADER_WIDTH + text_width(label));
    snprintf(label, sizeof label, "%zu", p->offset);
    return max_int(width, text_width(label));
}

/* Places the pieces; returns the number of rows (at least 1) and the
 * widest row's width in *widest. */
static int lay_out(const hl_script *script, const draw_map *map,
                   placed *at, int *widest)
{
    int x = 0, row = 0;
    size_t i;

    for (i = 0; i < map->npieces; i++) {
        int width = piece_width(script, &map->pieces[i]);
        if (x > 0 && x + width > ROW_WIDTH) {
            row++;
            x = 0;
        }
        at[i].x = x;
        at[i].row = row;
        at[i].width = width;
        x += width;
        *widest = max_int(*widest, x);
    }
    return row + 1;
}

static int map_height(int rows)
{
    return CAPTION_HEIGHT + rows * ROW_HEIGHT;
}

/* ---------------------------------------------------------------------------
 * Step 2: writing
 * ------------------------------------------------------------------------- */

void draw_heap_line(const hl_script *script, char *buf, size_t len)
{
    const hl_config *cfg = &script->heap.config;

    snprintf(buf, len, "heap align=%zu fit=%s order=%s merge=%s%s%s%s "
             "grower=%s", cfg->align, hl_fit_name(cfg->fit),
             hl_order_name(cfg->order), hl_merge_name(cfg->merge),
             cfg->place != HL_PLACE_FRONT ? " place=" : "",
             cfg->place != HL_PLACE_FRONT ? hl_place_name(cfg->place) : "",
             cfg->cache ? " cache=on" : "",
             script_grower_name(script->heap.grower));
}

/* One swatch of the legend at x; returns the x after it. */
static int legend_entry(FILE *out, int x, const char *cls, const char *name)
{
    svg_rect(out, cls, x, 56, 14, 14);
    svg_rect(out, "swatch", x, 56, 14, 14);
    svg_text(out, "legend", x + 18, 67, "start", name);
    return x + 18 + text_width(name) + 8;
}

static void write_legend(FILE *out, bool cached)
{
    int x = MARGIN;

    x = legend_entry(out, x, "header", "header");
    x = legend_entry(out, x, "object", "object");
    x = legend_entry(out, x, "slack", "slack");
    x = legend_entry(out, x, "free", "free");
    if (cached)
        x = legend_entry(out, x, "cached", "cached");
    x = legend_entry(out, x, "padding", "in no block");
    svg_line(out, "legend-arrow", x, 63, x + 24, 63);
    svg_text(out, "legend", x + 30, 67, "start", "freelist, in list order");
}

/* A used block's object and slack share its contents' width. */
static void write_used_parts(FILE *out, const draw_piece *p, int x, int y,
                             int width)
{
    int object = p->size ? (int)((double)width * (double)p->requested /
                                 (double)p->size + 0.5) : 0;

    if (p->requested > 0 && object < 5)
        object = 5;
    if (p->requested < p->size && object > width - 5)
        object = width - 5;
    if (object > 0)
        svg_rect(out, "object", x, y, object, BLOCK_HEIGHT);
    if (object < width)
        svg_rect(out, "slack", x + object, y, width - object, BLOCK_HEIGHT);
}

static const char *group_class(draw_kind kind)
{
    switch (kind) {
    case DRAW_USED: return "block-used";
    case DRAW_FREE: return "block-free";
    case DRAW_CACHED: return "block-cached";
    case DRAW_PADDING: default: return "no-block";
    }
}

static void write_piece(FILE *out, const hl_script *script,
                        const draw_piece *p, const placed *at, int rows_y)
{
    int x = MARGIN + at->x, y = rows_y + at->row * ROW_HEIGHT + ARCH_SPACE;
    int inner = at->width - HEADER_WIDTH;
    char text[64];

    snprintf(text, sizeof text, "%zu", p->offset);
    svg_group_begin(out, group_class(p->kind), "offset", text);
    if (p->kind == DRAW_PADDING) {
        svg_rect(out, "padding", x, y, at->width, BLOCK_HEIGHT);
        svg_group_end(out);
        return;
    }
    svg_rect(out, "header", x, y, HEADER_WIDTH, BLOCK_HEIGHT);
    if (p->kind == DRAW_USED)
        write_used_parts(out, p, x + HEADER_WIDTH, y, inner);
    else
        svg_rect(out, p->kind == DRAW_FREE ? "free" : "cached",
                 x + HEADER_WIDTH, y, inner, BLOCK_HEIGHT);
    svg_rect(out, "block", x, y, at->width, BLOCK_HEIGHT);
    svg_text(out, "offset", x, y + BLOCK_HEIGHT + 13, "start", text);
    inner_label(script, p, text, sizeof text);
    if (text[0])
        svg_text(out, p->kind == DRAW_USED ? "id" : "size",
                 x + HEADER_WIDTH + 3, y + 22, "start", text);
    svg_group_end(out);
}

/* Where an arrow leaves a free block (right third of its contents) or
 * arrives (left third), so two arrows never meet at one point. */
static int arrow_x(const placed *at, int third)
{
    return MARGIN + at->x + HEADER_WIDTH +
           (at->width - HEADER_WIDTH) * third / 3;
}

/* How high an arrow arches: higher the farther it goes, so nested arrows
 * stay apart, and never out of the row's room above the blocks. */
static int arch_rise(int x1, int x2)
{
    int distance = x1 > x2 ? x1 - x2 : x2 - x1, rise = 12 + distance / 12;

    return rise < ARCH_SPACE - 2 ? rise : ARCH_SPACE - 2;
}

/* Arrows from each free block to the next one on the list. */
static void write_freelist(FILE *out, const draw_map *map,
                           const placed *at, int rows_y)
{
    size_t i;

    for (i = 0; i < map->nfree; i++) {
        const placed *to = &at[map->freelist[i]];
        int y2 = rows_y + to->row * ROW_HEIGHT + ARCH_SPACE;
        if (i == 0) {
            svg_text(out, "freelist-head", MARGIN + to->x + HEADER_WIDTH,
                     y2 - 4, "start", "head");
        } else {
            const placed *from = &at[map->freelist[i - 1]];
            int x1 = arrow_x(from, 2), x2 = arrow_x(to, 1);
            int y1 = rows_y + from->row * ROW_HEIGHT + ARCH_SPACE;
            char from_offset[32], to_offset[32];
            snprintf(from_offset, sizeof from_offset, "%zu",
                     map->pieces[map->freelist[i - 1]].offset);
            snprintf(to_offset, sizeof to_offset, "%zu",
                     map->pieces[map->freelist[i]].offset);
            svg_arch(out, "freelist", from_offset, to_offset, x1, y1, x2, y2,
                     arch_rise(x1, x2));
        }
    }
}

static void write_caption(FILE *out, const draw_map *map, int y)
{
    char text[512];
    const hl_stats *s = &map->stats;

    snprintf(text, sizeof text, "step %zu: %s", map->step, map->source);
    svg_text(out, "caption", MARGIN, y + 14, "start", text);
    snprintf(text, sizeof text, "heap %zu bytes; %zu used block%s, %zu "
             "bytes requested; %zu free block%s, %zu bytes", s->heap_size,
             s->used_blocks, s->used_blocks == 1 ? "" : "s",
             s->requested_bytes, s->free_blocks,
             s->free_blocks == 1 ? "" : "s", s->free_bytes);
    svg_text(out, "stats", MARGIN, y + 30, "start", text);
}

static void write_map(FILE *out, const hl_script *script,
                      const draw_map *map, const placed *at, int y)
{
    char step[32];
    size_t i;

    snprintf(step, sizeof step, "%zu", map->step);
    svg_group_begin(out, "map", "step", step);
    write_caption(out, map, y);
    for (i = 0; i < map->npieces; i++)
        write_piece(out, script, &map->pieces[i], &at[i],
                    y + CAPTION_HEIGHT);
    write_freelist(out, map, at, y + CAPTION_HEIGHT);
    svg_group_end(out);
}

int draw_write_maps(FILE *out, const hl_script *script,
                    const draw_map *maps, size_t n)
{
    placed **at = calloc(n ? n : 1, sizeof *at);
    int *rows = calloc(n ? n : 1, sizeof *rows);
    int widest = PAGE_MIN_WIDTH - 2 * MARGIN, height = TOP;
    bool cached = false;
    char heap_line[160];
    size_t i, j, laid = 0;

    /* Step 1 */
    for (; at && rows && laid < n; laid++) {
        if (!(at[laid] = malloc((maps[laid].npieces ? maps[laid].npieces : 1)
                                * sizeof *at[laid])))
            break;
        rows[laid] = lay_out(script, &maps[laid], at[laid], &widest);
        height += map_height(rows[laid]) + MAP_GAP;
        for (j = 0; j < maps[laid].npieces; j++)
            cached |= maps[laid].pieces[j].kind == DRAW_CACHED;
    }
    /* Step 2 */
    if (laid == n && at && rows) {
        svg_begin(out, widest + 2 * MARGIN, height, script->name, style);
        svg_text(out, "title", MARGIN, 24, "start", script->name);
        draw_heap_line(script, heap_line, sizeof heap_line);
        svg_text(out, "subtitle", MARGIN, 42, "start", heap_line);
        write_legend(out, cached);
        for (i = 0, height = TOP; i < n; i++) {
            write_map(out, script, &maps[i], at[i], height);
            height += map_height(rows[i]) + MAP_GAP;
        }
        svg_end(out);
    }
    for (i = 0; at && i < laid; i++)
        free(at[i]);
    free(at);
    free(rows);
    return laid == n && at && rows ? 0 : ENOMEM;
}

/* view_model_text.c - the side panels of the viewer, as lines of text:
 * the step, its events spelled out, the freelist in list order, and the
 * stats.  Every line is wrapped at words to its panel's width (one
 * helper, vm_wrap, for every pane of the viewer), so the panel beside the
 * map shows each number whole, however narrow the screen.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "view_model.h"

/* ---------------------------------------------------------------------------
 * Fitting text to a width
 * ------------------------------------------------------------------------- */

/* Whether the space at text[i] joins a number to its unit ("56 B",
 * "56 B," or "(56 B)"): no place to cut, so a size reads whole. */
static bool joins_a_unit(const char *text, size_t len, size_t i)
{
    return i > 0 && text[i - 1] >= '0' && text[i - 1] <= '9' &&
           i + 1 < len && text[i + 1] == 'B' &&
           (i + 2 == len || strchr(" ,.;:)\n", text[i + 2]));
}

size_t vm_wrap(const char *text, size_t len, size_t width, size_t *next)
{
    size_t indent = 0, n = len, end;
    const char *newline;

    if (width == 0)
        width = 1;
    while (indent < len && text[indent] == ' ')
        indent++;
    /* A newline within the line's reach ends it there: the lines of a
     * note are the author's.  (A newline drawn by curses would go on at
     * the screen's left edge, over the map.) */
    newline = memchr(text, '\n', len > width ? width + 1 : len);
    if (newline) {
        n = (size_t)(newline - text);
        end = n + 1;
    } else {
        if (len > width) {
            /* The last space that ends a word within the width (not
             * one between a number and its unit). */
            n = width;
            while (n > indent &&
                   (text[n] != ' ' || joins_a_unit(text, len, n)))
                n--;
            if (n == indent)    /* one word wider than the whole width */
                n = width;
        }
        end = n;
        while (end < len && text[end] == ' ')
            end++;
        /* The spaces a line was cut at may end where a newline does:
         * that newline is the same break, not an empty line. */
        if (end < len && end > n && text[end] == '\n')
            end++;
    }
    while (n > indent && text[n - 1] == ' ')
        n--;
    if (n <= indent && newline) /* a line of spaces alone: empty */
        n = 0;
    *next = end;
    return n;
}

/* The next line of a panel, unless only the line for "... N more" is
 * left. */
static char *panel_next_line(vm_panel *p)
{
    return p->count < VM_PANEL_LINES - 1 ? p->line[p->count++] : NULL;
}

/* Adds text wrapped at the panel's width, the lines after the first
 * `hang` columns in, `max_lines` at most (0: as many as there is room). */
static bool panel_put(vm_panel *p, const char *text, size_t max_lines,
                      size_t hang)
{
    size_t width = p->width ? p->width : VM_PANEL_WIDTH;
    size_t len = strlen(text), lines = 0;
    char *line;

    if (width > VM_LINE_MAX - 1)
        width = VM_LINE_MAX - 1;
    if (hang > width / 2)
        hang = width / 2;
    do {
        size_t skip = lines ? hang : 0, next;
        size_t n = vm_wrap(text, len, width - skip, &next);

        if ((max_lines && lines == max_lines) || !(line = panel_next_line(p)))
            return false;
        snprintf(line, VM_LINE_MAX, "%*s%.*s", (int)skip, "", (int)n, text);
        for (; *line; line++)
            if (*line == VM_NBSP[0])
                *line = ' ';
        lines++;
        text += next;
        len -= next;
    } while (len > 0);
    return true;
}

/* Prose (a note, a message, a question) keeps its indent on every line. */
bool vm_panel_add_text(vm_panel *p, const char *text, size_t max_lines)
{
    return panel_put(p, text, max_lines, strspn(text, " "));
}

const char *vm_shorten_left(char *buf, size_t size, const char *text,
                            size_t width)
{
    size_t len = strlen(text);
    const char *end, *slash;

    if (len <= width || width < 4)
        return snprintf(buf, size, "%.*s", (int)(len < width ? len : width),
                        text), buf;
    /* The end that fits, from a directory's start when it has one. */
    end = text + len - (width - 3);
    if ((slash = strchr(end, '/')) && slash[1])
        end = slash;
    snprintf(buf, size, "...%s", end);
    return buf;
}

/* ---------------------------------------------------------------------------
 * The parts of the side panel, in the rows there are
 * ------------------------------------------------------------------------- */

static size_t part_need(const vm_part *part)
{
    return part->panel && part->panel->count
               ? part->gap + part->panel->count : 0;
}

void vm_parts_place(vm_part *parts, const size_t *priority, size_t count,
                    size_t room)
{
    size_t i, j;

    for (i = 0; i < count; i++)
        parts[priority[i]].rows = 0;
    /* In priority order, each part what it needs, but for a row (and its
     * gap) kept for each part after it, so that each says it is there;
     * a part gets that one row at least, before the parts after it. */
    for (i = 0; i < count; i++) {
        vm_part *part = &parts[priority[i]];
        size_t need = part_need(part), least = part->gap + 1;
        size_t reserve = 0, later = 0, give;
        if (!need || least > room)
            continue;
        for (j = i + 1; j < count; j++) {
            const vm_part *after = &parts[priority[j]];
            if (part_need(after)) {
                reserve += after->gap + 1;
                later += part_need(after);
            }
        }
        give = room > reserve ? room - reserve : 0;
        if (part->shares) {
            /* What the parts after it need is kept for them, or half. */
            size_t keep = room - room / 2;
            if (later < keep)
                keep = later;
            if (give > room - keep)
                give = room - keep;
        }
        if (give > need)
            give = need;
        if (give < least)
            give = least;
        part->rows = give;
        room -= give;
    }
    /* What was kept and not needed, to the parts that want more. */
    for (i = 0; i < count && room > 0; i++) {
        vm_part *part = &parts[priority[i]];
        size_t want = part->rows ? part_need(part) - part->rows : 0;
        size_t give = want < room ? want : room;
        part->rows += give;
        room -= give;
    }
}

size_t vm_part_lines(const vm_part *part, size_t *first, size_t *more)
{
    size_t count = part->panel ? part->panel->count : 0;
    size_t shown = part->rows > part->gap ? part->rows - part->gap : 0;

    *first = 0;
    *more = 0;
    if (shown >= count)
        return count;
    /* One of the rows says what is left out. */
    shown = shown ? shown - 1 : 0;
    *more = count - shown;
    if (part->tail)
        *first = count - shown;
    return shown;
}

const char *vm_part_more(const vm_part *part, size_t more, char *buf,
                         size_t size)
{
    size_t count = part->panel ? part->panel->count : 0;

    if (more == count && part->name)
        snprintf(buf, size, "  (%s: %zu line%s: P shows all)", part->name,
                 more, more == 1 ? "" : "s");
    else
        snprintf(buf, size, VM_PART_MORE, more);
    return buf;
}

/* ---------------------------------------------------------------------------
 * Panels
 * ------------------------------------------------------------------------- */

static void panel_clear(vm_panel *p)
{
    p->count = 0;
}

/* Adds a line, wrapped at the panel's width (the rest of it hangs under
 * it); a full panel keeps its last line for "... N more". */
bool vm_panel_printf(vm_panel *p, const char *fmt, ...)
{
    char text[4 * VM_LINE_MAX];
    va_list ap;
    size_t indent;

    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    /* What does not fit hangs two spaces in, as deep as the line at least. */
    indent = strspn(text, " ");
    return panel_put(p, text, 0, indent < 2 ? 2 : indent);
}

/* This file's short name for it. */
#define panel_add vm_panel_printf

static void panel_add_more(vm_panel *p, size_t more, const char *what)
{
    if (more > 0)
        snprintf(p->line[p->count++], VM_LINE_MAX, "  ... %zu more %s", more,
                 what);
}

/* ---------------------------------------------------------------------------
 * The step
 * ------------------------------------------------------------------------- */

const char *vm_outcome_text(vm_outcome outcome)
{
    switch (outcome) {
    case VM_STEP_NULL: return "returned NULL";
    case VM_STEP_CHECK_PASSED: return "passed";
    case VM_STEP_CHECK_FAILED: return "FAILED";
    case VM_STEP_ERROR: return "MISUSE: the call did nothing";
    case VM_STEP_DONE: break;
    }
    return "done";
}

/* A long text (a message), indented, four lines at most. */
static void add_wrapped(vm_panel *p, const char *text)
{
    char indented[4 * VM_LINE_MAX];

    snprintf(indented, sizeof indented, "  %s", text);
    vm_panel_add_text(p, indented, 4);
}

void vm_text_step(vm_panel *p, const vm_step *step)
{
    panel_clear(p);
    if (!step)
        return;
    if (step->position == 0) {
        panel_add(p, "step 0 of %zu: the start", step->count);
        panel_add(p, "nothing done yet");
        return;
    }
    panel_add(p, "step %zu of %zu", step->position, step->count);
    if (step->line)
        panel_add(p, "line %u: %s", step->line,
                  step->op_text ? step->op_text : "");
    else if (step->op_text)
        panel_add(p, "%s", step->op_text);
    panel_add(p, "%s", vm_outcome_text(step->outcome));
    if (step->message && step->message[0])
        add_wrapped(p, step->message);
}

/* ---------------------------------------------------------------------------
 * Events
 * ------------------------------------------------------------------------- */

/* "block 96 [a]": a block by its offset, and its label when it has one. */
static const char *block_name(char *buf, size_t size, size_t offset,
                              const vm_label *labels, size_t count)
{
    const vm_label *l = vm_label_of(labels, count, offset);

    if (l)
        snprintf(buf, size, "block %zu [%s]", offset, l->name);
    else
        snprintf(buf, size, "block %zu", offset);
    return buf;
}

/* One event in words: one line, or two for the events about two blocks. */
static void add_event(vm_panel *p, const hl_event *ev, const vm_label *labels,
                      size_t count)
{
    char a[VM_LINE_MAX / 2], b[VM_LINE_MAX / 2];
    const char *one = block_name(a, sizeof a, ev->offset, labels, count);
    const char *other = block_name(b, sizeof b, ev->other_offset, labels,
                                   count);

    switch (ev->kind) {
    case HL_EVENT_ALLOC:
        panel_add(p, "alloc: %s, %zu B for %zu", one, ev->size,
                  ev->requested);
        break;
    case HL_EVENT_FREE:
        panel_add(p, "free: %s, %zu B", one, ev->size);
        break;
    case HL_EVENT_SPLIT:
        if (ev->other_offset < ev->offset) {
            panel_add(p, "split: free padding block %zu,", ev->other_offset);
            panel_add(p, "  %zu B, in front of %s", ev->other_size, one);
            break;
        }
        panel_add(p, "split: %s keeps %zu B,", one, ev->size);
        panel_add(p, "  new free %s, %zu B", other, ev->other_size);
        break;
    case HL_EVENT_MERGE:
        panel_add(p, "merge: %s absorbs", one);
        panel_add(p, "  %s (%zu B) -> %zu B", other, ev->other_size,
                  ev->size);
        break;
    case HL_EVENT_GROW:
        panel_add(p, "grow: heap end %zu -> %zu (+%zu)", ev->offset,
                  ev->offset + ev->size, ev->size);
        break;
    case HL_EVENT_TRIM:
        panel_add(p, "trim: heap end %zu -> %zu (-%zu)",
                  ev->offset + ev->size, ev->offset, ev->size);
        break;
    case HL_EVENT_REALLOC_IN_PLACE:
        panel_add(p, "realloc in place: %s, %zu B", one, ev->size);
        break;
    case HL_EVENT_REALLOC_MOVE:
        panel_add(p, "realloc: %s moves", other);
        panel_add(p, "  to %s, %zu B", one, ev->size);
        break;
    case HL_EVENT_FAIL:
        panel_add(p, "fail: no room for %zu B: NULL", ev->requested);
        break;
    case HL_EVENT_CACHE_PUT:
        panel_add(p, "free: %s, %zu B,", one, ev->size);
        panel_add(p, "  kept in the cache (stays used)");
        break;
    case HL_EVENT_CACHE_HIT:
        panel_add(p, "cache hit: %s, %zu B for %zu", one, ev->size,
                  ev->requested);
        break;
    case HL_EVENT_FLUSH:
        panel_add(p, "flush: %s, %zu B leaves the cache", one, ev->size);
        break;
    case HL_EVENT_REMOTE_FREE:
        panel_add(p, "remote free: %s, %zu B", one, ev->size);
        break;
    case HL_EVENT_DRAIN:
        panel_add(p, "drain: %zu remote frees taken", ev->size);
        break;
    }
}

void vm_text_event(vm_panel *p, const hl_event *ev, const vm_label *labels,
                   size_t label_count)
{
    add_event(p, ev, labels, label_count);
}

void vm_text_events(vm_panel *p, const vm_step *step, const vm_label *labels,
                    size_t label_count)
{
    size_t i;

    panel_clear(p);
    if (!step || step->event_count == 0) {
        panel_add(p, "(no events)");
        return;
    }
    for (i = 0; i < step->event_count && p->count + 2 < VM_PANEL_LINES; i++)
        add_event(p, &step->events[i], labels, label_count);
    panel_add_more(p, step->event_count - i + step->events_lost, "events");
}

/* ---------------------------------------------------------------------------
 * The freelist and the stats
 * ------------------------------------------------------------------------- */

typedef struct freelist_walk {
    vm_panel *panel;
    size_t seen, shown;
} freelist_walk;

static bool add_free_block(const hl_block_info *block, void *arg)
{
    freelist_walk *w = arg;

    w->seen++;
    if (panel_add(w->panel, "%3zu. block %zu, %zu B", w->seen, block->offset,
                  block->size))
        w->shown++;
    return true;
}

/* With cache=on, the cached blocks after the freelist, in the order the
 * next hits take them, class by class. */
static void add_cache(vm_panel *p, hl_heap *heap)
{
    freelist_walk w = {p, 0, 0};
    size_t title = p->count;

    panel_add(p, "cache");
    hl_heap_visit_cache(heap, add_free_block, &w);
    if (w.seen == 0)
        panel_add(p, "  (empty)");
    else if (title < p->count)
        snprintf(p->line[title], VM_LINE_MAX, "cache: %zu block%s (used)",
                 w.seen, w.seen == 1 ? "" : "s");
    panel_add_more(p, w.seen - w.shown, "blocks");
}

void vm_text_freelist(vm_panel *p, hl_heap *heap)
{
    freelist_walk w = {p, 0, 0};

    panel_clear(p);
    panel_add(p, "freelist");
    hl_heap_visit_freelist(heap, add_free_block, &w);
    if (w.seen == 0)
        panel_add(p, "  (empty)");
    else
        snprintf(p->line[0], VM_LINE_MAX, "freelist: %zu block%s", w.seen,
                 w.seen == 1 ? "" : "s");
    panel_add_more(p, w.seen - w.shown, "blocks");
    if (hl_heap_config(heap)->cache)
        add_cache(p, heap);
}

void vm_text_stats(vm_panel *p, hl_heap *heap)
{
    const hl_config *cfg = hl_heap_config(heap);
    hl_stats s;

    hl_heap_stats(heap, &s);
    panel_clear(p);
    panel_add(p, "%s" VM_NBSP "fit, %s, merge" VM_NBSP "%s, align" VM_NBSP
              "%zu", hl_fit_name(cfg->fit),
              hl_order_name(cfg->order), hl_merge_name(cfg->merge),
              cfg->align);
    panel_add(p, "heap      %zu B (peak %zu)", s.heap_size, s.peak_heap_size);
    panel_add(p, "grower    %s", hl_heap_grower(heap)->name);
    panel_add(p, "used      %zu B in %zu block%s", s.used_bytes,
              s.used_blocks, s.used_blocks == 1 ? "" : "s");
    panel_add(p, "free      %zu B in %zu block%s", s.free_bytes,
              s.free_blocks, s.free_blocks == 1 ? "" : "s");
    if (cfg->cache)
        panel_add(p, "cached    %zu B in %zu block%s", s.cached_bytes,
                  s.cached_blocks, s.cached_blocks == 1 ? "" : "s");
    panel_add(p, "largest   %zu B free", s.largest_free);
    if (s.large_from) {
        panel_add(p, "large     from %zu B (%s)", s.large_from,
                  hl_place_name(cfg->place));
        /* Before two requests nothing switched kind or did not: the
         * library says 100 (too few to tell, large at the back), which is
         * no measure.  Every request it counts ends in an allocation or a
         * failure, so fewer than two of those means fewer than two. */
        if (s.allocs + s.failures < 2)
            panel_add(p, "in turn   -: large at the %s",
                      s.large_at_back ? "back" : "front");
        else
            panel_add(p, "in turn   %zu%%: large at the %s", s.in_turn,
                      s.large_at_back ? "back" : "front");
    }
    panel_add(p, "asked     %zu B live", s.requested_bytes);
    panel_add(p, "utilization    %5.1f%%", 100.0 * s.utilization);
    panel_add(p, "fragmentation  %5.1f%%", 100.0 * s.fragmentation);
}

/* config.c - the knobs: presets, and setting a knob by its name. */
#include <errno.h>
#include <string.h>

#include "heaplab.h"

void hl_config_preset(hl_config *cfg, hl_preset preset)
{
    cfg->fit = HL_FIT_FIRST;
    cfg->order = HL_ORDER_LIFO;
    cfg->cache = false;
    cfg->heaps = HL_HEAPS_ONE;
    cfg->place = HL_PLACE_FRONT;
    if (preset == HL_PRESET_REFERENCE) {
        cfg->align = 8;
        cfg->merge = HL_MERGE_LAZY;
    } else {
        cfg->align = 16;
        cfg->merge = HL_MERGE_IMMEDIATE;
    }
    if (preset == HL_PRESET_FAST) {
        cfg->fit = HL_FIT_SEGREGATED;
        cfg->cache = true;
        cfg->heaps = HL_HEAPS_PER_THREAD;
    }
    if (preset == HL_PRESET_COMPACT) {
        cfg->fit = HL_FIT_BEST;
        cfg->order = HL_ORDER_ADDRESS;
        cfg->place = HL_PLACE_ZONED;
    }
    cfg->locked = false;
}

static const char *const fit_names[] = {"first", "next", "best", "worst",
                                        "segregated"};
static const char *const order_names[] = {"lifo", "fifo", "address"};
static const char *const merge_names[] = {"lazy", "immediate", "none"};
static const char *const preset_names[] = {"reference", "default", "fast",
                                           "compact"};
static const char *const place_names[] = {"front", "apart",
                                          "zoned"};
static const char *const heaps_names[] = {"one", "per-thread"};
static const char *const switch_names[] = {"off", "on"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *name_of(const char *const *names, size_t n, unsigned v)
{
    return v < n ? names[v] : "?";
}

const char *hl_fit_name(hl_fit fit)
{
    return name_of(fit_names, COUNT(fit_names), (unsigned)fit);
}

const char *hl_order_name(hl_order order)
{
    return name_of(order_names, COUNT(order_names), (unsigned)order);
}

const char *hl_merge_name(hl_merge merge)
{
    return name_of(merge_names, COUNT(merge_names), (unsigned)merge);
}

const char *hl_place_name(hl_place place)
{
    return name_of(place_names, COUNT(place_names), (unsigned)place);
}

const char *hl_heaps_name(hl_heaps heaps)
{
    return name_of(heaps_names, COUNT(heaps_names), (unsigned)heaps);
}

/* The index of value in names, or -1. */
static int index_of(const char *const *names, size_t n, const char *value)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (strcmp(names[i], value) == 0)
            return (int)i;
    return -1;
}

int hl_config_set(hl_config *cfg, const char *key, const char *value)
{
    int v = -1;

    if (strcmp(key, "preset") == 0) {
        bool locked = cfg->locked;
        if ((v = index_of(preset_names, COUNT(preset_names), value)) >= 0)
            hl_config_preset(cfg, (hl_preset)v);
        cfg->locked = locked;
    } else if (strcmp(key, "align") == 0) {
        if (strcmp(value, "8") == 0 || strcmp(value, "16") == 0)
            cfg->align = (size_t)(v = value[0] == '8' ? 8 : 16);
    } else if (strcmp(key, "fit") == 0) {
        if ((v = index_of(fit_names, COUNT(fit_names), value)) >= 0)
            cfg->fit = (hl_fit)v;
    } else if (strcmp(key, "order") == 0) {
        if ((v = index_of(order_names, COUNT(order_names), value)) >= 0)
            cfg->order = (hl_order)v;
    } else if (strcmp(key, "merge") == 0) {
        if ((v = index_of(merge_names, COUNT(merge_names), value)) >= 0)
            cfg->merge = (hl_merge)v;
    } else if (strcmp(key, "place") == 0) {
        if ((v = index_of(place_names, COUNT(place_names), value)) >= 0)
            cfg->place = (hl_place)v;
    } else if (strcmp(key, "cache") == 0) {
        if ((v = index_of(switch_names, COUNT(switch_names), value)) >= 0)
            cfg->cache = v == 1;
    } else if (strcmp(key, "heaps") == 0) {
        if ((v = index_of(heaps_names, COUNT(heaps_names), value)) >= 0)
            cfg->heaps = (hl_heaps)v;
    }
    if (v < 0) {
        errno = EINVAL;
        return -1;
    }
    return 0;
}

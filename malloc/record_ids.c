/* record_ids.c - naming live objects with small numbers.
 *
 * A script names each object by an ID.  A new object gets the ID that was
 * freed last, or else a new one, so IDs stay about as small as the number
 * of objects alive at once, and no ID is given to a second object while
 * the first is alive (the script runner rejects that).  Pointers map to IDs through an open-addressing
 * hash table with linear probing; removal shifts the following entries
 * back, so no tombstones pile up.  Its memory, and the stack of free IDs,
 * come from mmap(2): the recorder never uses the allocator it records.
 *
 * The table also adds up each live object's footprint (its size rounded
 * and a header, as a heap would spend it) to know the peak, from which the
 * script's heap capacity is chosen at the end.
 */
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "record.h"

typedef struct id_entry {
    uintptr_t ptr; /* 0: an empty slot */
    size_t id;
    size_t footprint;
} id_entry;

static id_entry *table;
static size_t slots, used; /* slots: a power of two, or 0 */
static size_t *free_ids, free_count, free_room;
static size_t next_new_id;
static size_t live_footprint, peak_footprint;

static void *map(size_t bytes)
{
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

static size_t slot_of(uintptr_t ptr)
{
    uint64_t h = (uint64_t)(ptr >> 4) * UINT64_C(0x9e3779b97f4a7c15);
    return (size_t)(h >> 20) & (slots - 1);
}

static void insert(uintptr_t ptr, size_t id, size_t footprint)
{
    size_t i = slot_of(ptr);

    while (table[i].ptr)
        i = (i + 1) & (slots - 1);
    table[i].ptr = ptr;
    table[i].id = id;
    table[i].footprint = footprint;
    used++;
}

/* Doubles the table (or makes the first one).  False when out of memory. */
static bool grow_table(void)
{
    id_entry *old = table;
    size_t old_slots = slots, i;
    size_t new_slots = slots ? slots * 2 : 4096;
    id_entry *fresh = map(new_slots * sizeof *fresh);

    if (!fresh)
        return false;
    table = fresh;
    slots = new_slots;
    used = 0;
    for (i = 0; i < old_slots; i++)
        if (old[i].ptr)
            insert(old[i].ptr, old[i].id, old[i].footprint);
    if (old)
        munmap(old, old_slots * sizeof *old);
    return true;
}

void ids_put(const void *ptr, size_t id, size_t footprint)
{
    if (used + 1 > slots / 2 && !grow_table())
        return; /* out of memory: the object goes unnamed */
    insert((uintptr_t)ptr, id, footprint);
    live_footprint += footprint;
    if (live_footprint > peak_footprint)
        peak_footprint = live_footprint;
}

size_t ids_add(const void *ptr, size_t footprint)
{
    size_t id = free_count ? free_ids[--free_count] : next_new_id++;

    ids_put(ptr, id, footprint);
    return id;
}

/* Fills the hole at slot `hole` by moving back the entries after it that
 * would not be found past the hole otherwise. */
static void close_hole(size_t hole)
{
    size_t i = hole;

    for (;;) {
        size_t home;
        i = (i + 1) & (slots - 1);
        if (!table[i].ptr)
            break;
        home = slot_of(table[i].ptr);
        /* Entry i may move to the hole unless its home lies in (hole, i]. */
        if ((i > hole && (home <= hole || home > i)) ||
            (i < hole && home <= hole && home > i)) {
            table[hole] = table[i];
            hole = i;
        }
    }
    table[hole].ptr = 0;
}

static void push_free_id(size_t id)
{
    if (free_count == free_room) {
        size_t room = free_room ? free_room * 2 : 4096;
        size_t *bigger = map(room * sizeof *bigger);
        if (!bigger)
            return; /* the ID is simply never reused */
        if (free_ids) {
            memcpy(bigger, free_ids, free_count * sizeof *bigger);
            munmap(free_ids, free_room * sizeof *free_ids);
        }
        free_ids = bigger;
        free_room = room;
    }
    free_ids[free_count++] = id;
}

bool ids_take(const void *ptr, size_t *id, size_t *footprint)
{
    size_t i;

    if (!slots)
        return false;
    for (i = slot_of((uintptr_t)ptr); table[i].ptr; i = (i + 1) & (slots - 1))
        if (table[i].ptr == (uintptr_t)ptr) {
            *id = table[i].id;
            *footprint = table[i].footprint;
            live_footprint -= table[i].footprint;
            used--;
            close_hole(i);
            return true;
        }
    return false;
}

void ids_retire(size_t id)
{
    push_free_id(id);
}

size_t ids_peak_footprint(void)
{
    return peak_footprint;
}

/* A fork child starts a recording of its own: no object is known yet. */
void ids_forget_all(void)
{
    if (table)
        memset(table, 0, slots * sizeof *table);
    used = free_count = next_new_id = 0;
    live_footprint = peak_footprint = 0;
}

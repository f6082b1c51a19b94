/* script_ids.c - IDs: names in the script, dense indexes in the parsed ops.
 *
 * An ID is a non-negative integer ("7") or a word ("buf", "node_2").  The
 * integers are names like the words, except that leading zeros do not
 * count: "007" and "7" are the same ID.  A trace of a million operations
 * can name hundreds of thousands of IDs, so they are found through a hash
 * table (open addressing, linear probing, at most half full) rather than a
 * search.
 *
 * While it reads, the parser also follows which IDs are live, assuming that
 * every allocation succeeds; that is how it rejects, before anything runs,
 * a free of an ID that holds nothing and an allocation into an ID that
 * still holds an object.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "script_parse.h"

#define INITIAL_SLOTS 64

bool ids_init(id_table *ids)
{
    memset(ids, 0, sizeof *ids);
    ids->slots = calloc(INITIAL_SLOTS, sizeof *ids->slots);
    if (!ids->slots)
        return false;
    ids->nslots = INITIAL_SLOTS;
    return true;
}

void ids_release(id_table *ids)
{
    free(ids->slots);
    free(ids->states);
    memset(ids, 0, sizeof *ids);
}

static bool is_letter(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_';
}

static bool is_id_char(char ch)
{
    return is_letter(ch) || (ch >= '0' && ch <= '9');
}

/* True when w is spelled as an ID may be. */
static bool word_is_id(word w)
{
    size_t i;

    if (word_is_number(w))
        return true;
    if (w.len == 0 || !is_letter(w.start[0]))
        return false;
    for (i = 1; i < w.len; i++)
        if (!is_id_char(w.start[i]))
            return false;
    return true;
}

/* The name under which an ID is kept: a number loses its leading zeros. */
static word canonical(word w)
{
    if (word_is_number(w))
        while (w.len > 1 && w.start[0] == '0') {
            w.start++;
            w.len--;
        }
    return w;
}

/* FNV-1a: simple, and good enough for short names. */
static uint32_t hash_name(word w)
{
    uint32_t h = 2166136261u;
    size_t i;

    for (i = 0; i < w.len; i++) {
        h ^= (unsigned char)w.start[i];
        h *= 16777619u;
    }
    return h;
}

/* The slot where the ID named w (of hash h) is, or the empty slot where it
 * would go. */
static size_t slot_of(const id_table *ids, const hl_script *s, word w,
                      uint32_t h)
{
    size_t mask = ids->nslots - 1, i = h & mask;
    const id_slot *slot;

    for (slot = &ids->slots[i]; slot->id_plus_one; slot = &ids->slots[i]) {
        const char *name = s->id_names[slot->id_plus_one - 1];
        if (slot->hash == h && strncmp(name, w.start, w.len) == 0 &&
            name[w.len] == '\0')
            break;
        i = (i + 1) & mask;
    }
    return i;
}

/* Doubles the slots and moves every ID to its place in the new ones. */
static bool rehash(id_table *ids)
{
    id_slot *old = ids->slots;
    size_t nold = ids->nslots, mask = nold * 2 - 1, i, j;

    ids->slots = calloc(nold * 2, sizeof *ids->slots);
    if (!ids->slots) {
        ids->slots = old;
        return false;
    }
    ids->nslots = nold * 2;
    for (i = 0; i < nold; i++) {
        if (!old[i].id_plus_one)
            continue;
        for (j = old[i].hash & mask; ids->slots[j].id_plus_one;)
            j = (j + 1) & mask;
        ids->slots[j] = old[i];
    }
    free(old);
    return true;
}

/* Makes room for one more ID in the per-ID arrays. */
static bool reserve_one(id_table *ids, hl_script *s)
{
    size_t capacity = ids->capacity ? ids->capacity * 2 : 32;
    id_state *states;
    const char **names;

    if (s->nids < ids->capacity)
        return true;
    states = realloc(ids->states, capacity * sizeof *states);
    if (!states)
        return false;
    ids->states = states;
    names = realloc(s->id_names, capacity * sizeof *names);
    if (!names)
        return false;
    s->id_names = names;
    ids->capacity = capacity;
    return true;
}

size_t ids_find(parser *p, word w, bool create, bool *no_memory)
{
    id_table *ids = &p->ids;
    hl_script *s = p->script;
    size_t slot, id;
    const char *name;
    uint32_t h;

    *no_memory = false;
    w = canonical(w);
    h = hash_name(w);
    slot = slot_of(ids, s, w, h);
    if (ids->slots[slot].id_plus_one)
        return ids->slots[slot].id_plus_one - 1;
    if (!create)
        return SCRIPT_NO_ID;
    if (s->nids >= UINT32_MAX - 1)
        goto out_of_memory;
    if ((s->nids + 1) * 2 > ids->nslots) {
        if (!rehash(ids))
            goto out_of_memory;
        slot = slot_of(ids, s, w, h);
    }
    if (!reserve_one(ids, s) || !(name = strings_add(p, w.start, w.len)))
        goto out_of_memory;
    id = s->nids++;
    s->id_names[id] = name;
    ids->states[id].live = false;
    ids->states[id].line = 0;
    ids->slots[slot].hash = h;
    ids->slots[slot].id_plus_one = (uint32_t)(id + 1);
    return id;
out_of_memory:
    *no_memory = true;
    return SCRIPT_NO_ID;
}

bool parse_id_word(parser *p, cursor *c, const char *after, word *w)
{
    char seen[64];

    *w = cursor_next(c);
    if (word_is_id(*w))
        return true;
    return parse_error(p, "expected an ID (a number or a name) after '%s', "
                       "got %s", after, word_describe(*w, seen, sizeof seen));
}

bool ids_allocate(parser *p, word w, bool may_be_live, size_t *id)
{
    bool no_memory;
    id_state *state;
    char name[64];

    *id = ids_find(p, w, true, &no_memory);
    if (no_memory)
        return parse_error(p, "out of memory");
    state = &p->ids.states[*id];
    if (state->live && !may_be_live)
        return parse_error(p, "reused ID %s: it is still live, allocated "
                           "at line %u", word_describe(w, name, sizeof name),
                           state->line);
    state->live = true;
    state->line = p->line;
    return true;
}

/* Fails with "unknown ID" unless the ID is live. */
static bool ids_need_live(parser *p, word w, size_t id)
{
    char name[64];

    if (id != SCRIPT_NO_ID && p->ids.states[id].live)
        return true;
    word_describe(w, name, sizeof name);
    if (id == SCRIPT_NO_ID)
        return parse_error(p, "unknown ID %s: it was never allocated", name);
    return parse_error(p, "unknown ID %s: it was freed at line %u", name,
                       p->ids.states[id].line);
}

bool ids_free(parser *p, word w, size_t *id)
{
    bool no_memory;

    *id = ids_find(p, w, false, &no_memory);
    if (!ids_need_live(p, w, *id))
        return false;
    p->ids.states[*id].live = false;
    p->ids.states[*id].line = p->line;
    return true;
}

bool ids_lookup(parser *p, word w, bool need_live, size_t *id)
{
    bool no_memory;
    char name[64];

    *id = ids_find(p, w, false, &no_memory);
    if (need_live)
        return ids_need_live(p, w, *id);
    if (*id == SCRIPT_NO_ID)
        return parse_error(p, "unknown ID %s: it was never allocated",
                           word_describe(w, name, sizeof name));
    return true;
}

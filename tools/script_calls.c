/* script_calls.c - the operation lines a, f, r, c, m and check: the ones
 * that become a call when the script is replayed.
 *
 *   a ID SIZE          allocate SIZE bytes into ID
 *   f ID               free ID's object (f -1 frees NULL)
 *   r ID SIZE          resize ID's object (an ID that is not live: as
 *                      realloc(NULL, SIZE))
 *   c ID COUNT SIZE    allocate COUNT x SIZE zeroed bytes into ID
 *   m ID ALIGN SIZE    allocate SIZE bytes aligned to ALIGN, a power of two
 *   check              run the heap checker
 *
 * Each parser reads the words after the command into the operation that
 * script.c made for the line, and names what it expected when a word is
 * missing or wrong.  The table of commands, which finds the parser of a
 * line, is in script.c; IDs, and which of them are live, in script_ids.c.
 */
#include "script_parse.h"

/* The ID after a line that makes an object (a, r, c, m): it becomes
 * live; for r it may be live already. */
static bool parse_new_id(parser *p, cursor *c, const char *command,
                         bool may_be_live, script_op *op)
{
    word id;

    return parse_id_word(p, c, command, &id) &&
           ids_allocate(p, id, may_be_live, &op->id);
}

/* a ID SIZE */
bool parse_alloc(parser *p, cursor *c, script_op *op)
{
    return parse_new_id(p, c, "a", false, op) &&
           parse_number_after(p, c, "a size", "a ID", &op->size) &&
           parse_line_end(p, c, "a ID SIZE");
}

/* f ID, or f -1 to free NULL */
bool parse_free(parser *p, cursor *c, script_op *op)
{
    cursor rest = *c;
    word id;

    if (word_is(cursor_next(&rest), "-1")) {
        *c = rest;
        op->id = SCRIPT_NO_ID;
    } else if (!parse_id_word(p, c, "f", &id) || !ids_free(p, id, &op->id)) {
        return false;
    }
    return parse_line_end(p, c, "f ID");
}

/* r ID SIZE: an ID that is not live is allocated, as realloc(NULL, n). */
bool parse_realloc(parser *p, cursor *c, script_op *op)
{
    return parse_new_id(p, c, "r", true, op) &&
           parse_number_after(p, c, "a size", "r ID", &op->size) &&
           parse_line_end(p, c, "r ID SIZE");
}

/* c ID COUNT SIZE */
bool parse_calloc(parser *p, cursor *c, script_op *op)
{
    return parse_new_id(p, c, "c", false, op) &&
           parse_number_after(p, c, "a count", "c ID", &op->count) &&
           parse_number_after(p, c, "a size", "c ID COUNT", &op->size) &&
           parse_line_end(p, c, "c ID COUNT SIZE");
}

/* m ID ALIGN SIZE */
bool parse_memalign(parser *p, cursor *c, script_op *op)
{
    const char *what = "an alignment (a power of two)";

    if (!parse_new_id(p, c, "m", false, op) ||
        !parse_number_after(p, c, what, "m ID", &op->align))
        return false;
    if (op->align == 0 || (op->align & (op->align - 1)) != 0)
        return parse_error(p, "expected %s after 'm ID', got '%zu'", what,
                           op->align);
    return parse_number_after(p, c, "a size", "m ID ALIGN", &op->size) &&
           parse_line_end(p, c, "m ID ALIGN SIZE");
}

bool parse_check(parser *p, cursor *c, script_op *op)
{
    (void)op;
    return parse_line_end(p, c, "check");
}

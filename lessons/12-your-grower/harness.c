/* harness.c - lesson 12: checks a grower against the contract in heaplab.h,
 * then runs a heap on it with the heap checker after every operation.
 *
 * Link it with a file that defines my_grower_new() and my_grower_free()
 * (my_grower.h).  It prints one line per rule, "ok" or "FAIL", and stops at
 * the first rule that fails, with what it saw; the exit status is 0 when
 * every rule holds, 1 otherwise.
 *
 * The rules (heaplab.h, "Growers"):
 *   1. grow(0) reports the end and grows by 0, and says the same twice.
 *   2. grow(n) extends the buffer by at least n bytes (and at least the
 *      minimum increment), and reports the old end.
 *   3. The new bytes follow the old end: the next grow(0) reports the old
 *      end plus what was added, and every new byte can be written.
 *   4. A grow that cannot be satisfied returns ENOMEM and changes nothing.
 *   5. The grower hands out no more than its buffer: growing until ENOMEM
 *      stays inside it.
 *   6. A heap on the grower passes hl_heap_check after every operation of
 *      a run of allocations and frees.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "heaplab.h"
#include "my_grower.h"

#define BUFFER_SIZE ((size_t)256 * 1024)
#define INCREMENT ((size_t)4096)

static char buffer[BUFFER_SIZE] __attribute__((aligned(64)));

static int fail(int rule, const char *what)
{
    printf("FAIL rule %d: %s\n", rule, what);
    return 1;
}

static void pass(int rule, const char *what)
{
    printf("ok   rule %d: %s\n", rule, what);
}

static hl_grower *fresh(size_t increment)
{
    hl_grower *g = my_grower_new(buffer, BUFFER_SIZE, increment);

    if (!g) {
        puts("FAIL: my_grower_new returned NULL");
        exit(1);
    }
    return g;
}

/* grow(0): where the end is; -1 when the call itself fails. */
static int end_of(hl_grower *g, char **end)
{
    size_t grown = 1;
    int rc = g->grow(g, 0, end, &grown);

    return rc != 0 || grown != 0 ? -1 : 0;
}

static int rule_report_end(hl_grower *g, char **end)
{
    char *again;
    char msg[160];

    if (end_of(g, end) != 0)
        return fail(1, "grow(0) did not return 0 with *grown = 0");
    if (end_of(g, &again) != 0 || again != *end) {
        snprintf(msg, sizeof msg, "two grow(0) calls reported %p, then %p",
                 (void *)*end, (void *)again);
        return fail(1, msg);
    }
    pass(1, "grow(0) reports the end and grows by 0");
    return 0;
}

static int rule_grow(hl_grower *g, char *end, size_t n)
{
    char *old_end = NULL, *now;
    size_t grown = 0;
    char msg[200];
    int rc = g->grow(g, n, &old_end, &grown);

    if (rc != 0) {
        snprintf(msg, sizeof msg, "grow(%zu) returned %d (%s)", n, rc,
                 strerror(rc));
        return fail(2, msg);
    }
    if (old_end != end || grown < n || grown < g->min_increment) {
        snprintf(msg, sizeof msg, "grow(%zu) reported old end %p (expected "
                 "%p) and %zu bytes (expected at least %zu)", n,
                 (void *)old_end, (void *)end, grown,
                 n > g->min_increment ? n : g->min_increment);
        return fail(2, msg);
    }
    pass(2, "grow(n) extends by at least n and the minimum increment");
    if (end_of(g, &now) != 0 || now != end + grown) {
        snprintf(msg, sizeof msg, "after growing by %zu from %p, grow(0) "
                 "reports %p", grown, (void *)end, (void *)now);
        return fail(3, msg);
    }
    memset(end, 0xab, grown);
    pass(3, "the new bytes follow the old end, contiguous");
    return 0;
}

static int rule_enomem(hl_grower *g)
{
    char *before, *after, *old_end = NULL;
    size_t grown = 0;
    int rc;

    end_of(g, &before);
    rc = g->grow(g, BUFFER_SIZE * 2, &old_end, &grown);
    if (rc != ENOMEM)
        return fail(4, "a grow bigger than the buffer did not return ENOMEM");
    if (end_of(g, &after) != 0 || after != before)
        return fail(4, "a grow that failed with ENOMEM moved the end");
    pass(4, "ENOMEM leaves the grower as it was");
    return 0;
}

static int rule_bounded(hl_grower *g)
{
    char *end = NULL;
    size_t grown, total = 0;
    int rounds = 0;

    while (rounds++ < 10000 && g->grow(g, 1000, &end, &grown) == 0)
        total += grown;
    if (end_of(g, &end) != 0 || end > buffer + BUFFER_SIZE || end < buffer)
        return fail(5, "growing until ENOMEM left the end outside the "
                       "buffer");
    (void)total;
    pass(5, "the grower stays inside its buffer");
    return 0;
}

/* Rule 6: random allocations and frees, the checker after each. */
static int rule_heap(void)
{
    hl_grower *g = fresh(INCREMENT);
    hl_heap_space space;
    hl_config cfg;
    hl_heap *heap;
    void *slot[32] = {0};
    unsigned state = 12345;
    char msg[256], why[200];
    int i, status = 0;

    hl_config_preset(&cfg, HL_PRESET_DEFAULT);
    heap = hl_heap_init(&space, &cfg, g);
    for (i = 0; i < 3000 && status == 0; i++) {
        void **p;
        state = state * 1103515245u + 12345u;
        p = &slot[(state >> 16) % 32];
        if (*p) {
            hl_free(heap, *p);
            *p = NULL;
        } else {
            *p = hl_alloc(heap, 1 + (state >> 8) % 3000);
        }
        if (!hl_heap_check(heap, why, sizeof why)) {
            snprintf(msg, sizeof msg, "after operation %d: %s", i + 1, why);
            status = fail(6, msg);
        }
    }
    hl_heap_destroy(heap);
    my_grower_free(g);
    if (status == 0)
        pass(6, "a heap on it passes the checker after every operation");
    return status;
}

int main(void)
{
    hl_grower *g = fresh(INCREMENT);
    char *end;
    int status;

    status = rule_report_end(g, &end);
    if (status == 0)
        status = rule_grow(g, end, 100);
    if (status == 0)
        status = rule_enomem(g);
    if (status == 0)
        status = rule_bounded(g);
    my_grower_free(g);
    if (status == 0)
        status = rule_heap();
    puts(status == 0 ? "every rule holds" : "the grower breaks a rule");
    return status;
}

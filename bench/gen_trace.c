/* gen_trace.c - writes allocation traces in the CS:APP malloc-lab format
 * (.rep), made up here, for replay_bench and `heaplab run`.
 *
 *   gen_trace -p PATTERN [-n MIN_OPS] [-s SEED] > FILE.rep
 *   gen_trace -l          (lists the patterns)
 *
 * The format: four header lines of one number each (a suggested heap
 * size, here the most bytes the trace holds at once; the number of IDs;
 * the number of operations; a weight, here 1), then one operation a line:
 * `a ID SIZE` allocates, `r ID SIZE` reallocates, `f ID` frees.  Every ID
 * is allocated once, so that a driver can keep one slot per ID.
 *
 * Each pattern is a load aimed at one part of an allocator's placement
 * policy (see `patterns` below): how it fills holes, whether it merges
 * neighbours, how it grows a block in place, how much its size classes
 * round up, whether it can reuse space that a few survivors pin.  Sizes
 * and counts are drawn from a random generator, so the same PATTERN,
 * MIN_OPS and SEED give the same trace, and another seed another trace of
 * the same kind.  MIN_OPS (200000 by default) is where a pattern stops
 * starting new rounds, not the trace's length: it finishes the round it
 * is in, and the trace ends freeing what it still holds.  So a trace has
 * at least MIN_OPS operations, and a pattern with long rounds many more
 * (binary's round is 2000 to 8000 pairs: -n 1500 -s 5 gives 33792); the
 * third header line says how many.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

typedef struct trace_op {
    char kind;    /* 'a', 'r' or 'f' */
    size_t id, size;
} trace_op;

static trace_op *ops;
static size_t op_count, op_room, target = 200000;
static size_t *id_size;      /* each ID's size while it is live, else 0 */
static unsigned char *id_live;
static size_t id_count, id_room;
static size_t live_bytes, peak_bytes;
static uint64_t rng_state = 0x2545f4914f6cdd1dULL;

static void *grow(void *array, size_t *room, size_t item)
{
    void *bigger;

    *room = *room ? *room * 2 : 4096;
    bigger = realloc(array, *room * item);
    if (!bigger) {
        fputs("gen_trace: out of memory\n", stderr);
        exit(1);
    }
    return bigger;
}

static uint64_t next_random(void)
{
    return bench_random(&rng_state);
}

static size_t between(size_t low, size_t high)
{
    return bench_between(&rng_state, low, high);
}

/* A size between low and high whose logarithm is uniform: as many
 * requests from 16 to 32 bytes as from 1024 to 2048. */
static size_t log_between(size_t low, size_t high)
{
    size_t doublings = 0, from;

    while ((low << (doublings + 1)) <= high)
        doublings++;
    from = low << between(0, doublings);
    return between(from, from * 2 - 1 < high ? from * 2 - 1 : high);
}

static int done(void)
{
    return op_count >= target;
}

static void emit(char kind, size_t id, size_t size)
{
    if (op_count == op_room)
        ops = grow(ops, &op_room, sizeof *ops);
    ops[op_count].kind = kind;
    ops[op_count].id = id;
    ops[op_count].size = size;
    op_count++;
}

static size_t allocate(size_t size)
{
    size_t id = id_count++;

    if (id == id_room) {
        size_t room = id_room;
        id_size = grow(id_size, &room, sizeof *id_size);
        id_live = grow(id_live, &id_room, sizeof *id_live);
    }
    id_size[id] = size;
    id_live[id] = 1;
    live_bytes += size;
    if (live_bytes > peak_bytes)
        peak_bytes = live_bytes;
    emit('a', id, size);
    return id;
}

static void release(size_t id)
{
    live_bytes -= id_size[id];
    id_size[id] = 0;
    id_live[id] = 0;
    emit('f', id, 0);
}

static void resize(size_t id, size_t size)
{
    live_bytes = live_bytes - id_size[id] + size;
    if (live_bytes > peak_bytes)
        peak_bytes = live_bytes;
    id_size[id] = size;
    emit('r', id, size);
}

/* A pool of live IDs from which random ones leave. */
typedef struct pool {
    size_t *ids;
    size_t count, room;
} pool;

static void pool_add(pool *p, size_t id)
{
    if (p->count == p->room)
        p->ids = grow(p->ids, &p->room, sizeof *p->ids);
    p->ids[p->count++] = id;
}

static size_t pool_take_random(pool *p)
{
    size_t i = (size_t)(next_random() % p->count), id = p->ids[i];

    p->ids[i] = p->ids[--p->count];
    return id;
}

static void pool_release_all(pool *p)
{
    while (p->count)
        release(pool_take_random(p));
}

/* --- the patterns ---------------------------------------------------------- */

/* Rounds of pairs, a small object then a large one; the small ones are
 * freed, which leaves a small hole between every two large blocks, and
 * then come requests a little bigger than those holes, which none of them
 * can take.  A policy that splits the holes or keeps the big requests
 * elsewhere holds the heap near the live bytes; one that cannot ends with
 * a heap of holes. */
static void pattern_binary(void)
{
    while (!done()) {
        size_t small = between(8, 96), large = between(256, 640);
        size_t bigger = small + between(small / 2 + 8, small + 64);
        size_t pairs = between(2000, 8000), i;
        pool larges = {0}, biggers = {0};
        size_t *smalls = malloc(pairs * sizeof *smalls);

        if (!smalls)
            exit(1);
        for (i = 0; i < pairs; i++) {
            smalls[i] = allocate(small);
            pool_add(&larges, allocate(large));
        }
        for (i = 0; i < pairs; i++)
            release(smalls[i]);
        for (i = 0; i < pairs; i++)
            pool_add(&biggers, allocate(bigger));
        pool_release_all(&larges);
        pool_release_all(&biggers);
        free(smalls);
        free(larges.ids);
        free(biggers.ids);
    }
}

/* The binary traces as the malloc lab has them: pairs of a small object
 * and one about seven times larger, the LARGE ones freed, then as many
 * requests of their two sizes added together, a few bytes too many for
 * the holes the large ones left.  Only a heap that kept the two sizes
 * apart has those holes side by side, merged into room for the new
 * requests. */
static void pattern_binary_large(void)
{
    while (!done()) {
        size_t small = between(8, 96), large = small * between(5, 8);
        size_t pairs = between(2000, 8000), i;
        size_t *smalls = malloc(pairs * sizeof *smalls);
        size_t *larges = malloc(pairs * sizeof *larges);
        pool sums = {0};

        if (!smalls || !larges)
            exit(1);
        for (i = 0; i < pairs; i++) {
            smalls[i] = allocate(small);
            larges[i] = allocate(large);
        }
        for (i = 0; i < pairs; i++)
            release(larges[i]);
        for (i = 0; i < pairs; i++)
            pool_add(&sums, allocate(small + large));
        for (i = 0; i < pairs; i++)
            release(smalls[i]);
        pool_release_all(&sums);
        free(smalls);
        free(larges);
        free(sums.ids);
    }
}

/* Runs of a few neighbouring blocks of one size; each run is freed, in a
 * random order, and straight away one block as big as the whole run is
 * asked for.  It fits where the run was only if the freed blocks were
 * merged into one. */
static void pattern_coalesce(void)
{
    while (!done()) {
        size_t width = between(2, 8), size = between(16, 400);
        size_t runs = between(1000, 4000), r, j;
        size_t *blocks = malloc(runs * width * sizeof *blocks);
        pool merged = {0};

        if (!blocks)
            exit(1);
        for (r = 0; r < runs * width; r++)
            blocks[r] = allocate(size);
        for (r = 0; r < runs; r++) {
            pool run = {0};
            for (j = 0; j < width; j++)
                pool_add(&run, blocks[r * width + j]);
            pool_release_all(&run);
            free(run.ids);
            pool_add(&merged, allocate(size * width));
        }
        pool_release_all(&merged);
        free(blocks);
        free(merged.ids);
    }
}

/* Random allocations and frees, sizes log-uniform from 8 bytes to 16 KiB,
 * around a live count that changes from phase to phase. */
static void pattern_random(void)
{
    pool live = {0};

    while (!done()) {
        size_t goal = between(200, 6000), steps = between(5000, 30000);
        while (steps-- && !done()) {
            if (!live.count || (live.count < goal && next_random() % 100 < 55))
                pool_add(&live, allocate(log_between(8, 16384)));
            else
                release(pool_take_random(&live));
        }
    }
    pool_release_all(&live);
    free(live.ids);
}

/* Buffers that grow by realloc, a quarter and a bit at a time, as vectors
 * and strings do, with a small object allocated after every growth and
 * kept for a while: it lands just after the buffer, often, and stops the
 * next growth from happening in place.  A buffer that passes 128 KiB is
 * freed and starts again small. */
static void pattern_realloc(void)
{
    size_t count = between(4, 24), i;
    size_t *buffers = malloc(count * sizeof *buffers);
    pool smalls = {0};

    if (!buffers)
        exit(1);
    for (i = 0; i < count; i++)
        buffers[i] = allocate(between(8, 64));
    while (!done()) {
        size_t b = (size_t)(next_random() % count), id = buffers[b];
        size_t size = id_size[id];

        if (size > (128u << 10)) {
            release(id);
            buffers[b] = allocate(between(8, 64));
        } else {
            resize(id, size + size / 4 + between(1, 64));
        }
        pool_add(&smalls, allocate(between(16, 96)));
        if (smalls.count > 2000 || (smalls.count && next_random() % 3 == 0))
            release(pool_take_random(&smalls));
    }
    for (i = 0; i < count; i++)
        release(buffers[i]);
    pool_release_all(&smalls);
    free(buffers);
    free(smalls.ids);
}

/* The realloc traces as the malloc lab has them: ONE buffer that grows
 * by realloc a fixed step at a time, with a small object allocated after
 * every growth and the small object before it freed.  Each small object
 * lands after the buffer, unless the heap finds it a place elsewhere; a
 * heap that keeps the buffer last grows it in place, by the step alone. */
static void pattern_realloc_one(void)
{
    size_t step = between(4, 256), small = between(16, 128);
    size_t buffer = allocate(between(512, 4096)), before;

    before = allocate(small);
    while (!done()) {
        size_t after;

        resize(buffer, id_size[buffer] + step);
        after = allocate(small);
        release(before);
        before = after;
    }
    release(before);
    release(buffer);
}

/* A queue: messages of mixed sizes (now and then a big one) are allocated
 * at one end and freed, oldest first, at the other, so what is freed is
 * always the block that has waited longest, and the free space wanders
 * through the heap. */
static void pattern_fifo(void)
{
    while (!done()) {
        size_t length = between(100, 5000), head = 0, tail = 0, i;
        size_t steps = between(20000, 60000);
        size_t *queue = malloc(length * sizeof *queue);

        if (!queue)
            exit(1);
        for (i = 0; i < steps && !done(); i++) {
            if (tail - head == length)
                release(queue[head++ % length]);
            queue[tail++ % length] = allocate(
                next_random() % 40 ? between(16, 1024) : between(4096, 65536));
        }
        while (head < tail)
            release(queue[head++ % length]);
        free(queue);
    }
}

/* A stack: a random walk of depth, each push an allocation and each pop
 * the free of the newest block, as a recursive program's temporaries
 * behave.  The walk leans down or up for a while, so the stack empties
 * and refills over many sizes. */
static void pattern_lifo(void)
{
    size_t room = 50000, depth = 0;
    size_t *stack = malloc(room * sizeof *stack);

    if (!stack)
        exit(1);
    while (!done()) {
        unsigned push_percent = (unsigned)between(35, 65);
        size_t steps = between(2000, 20000);
        while (steps-- && !done()) {
            if (depth < room &&
                (!depth || next_random() % 100 < push_percent))
                stack[depth++] = allocate(log_between(16, 4096));
            else
                release(stack[--depth]);
        }
    }
    while (depth)
        release(stack[--depth]);
    free(stack);
}

/* Requests just over a power of two (2^k plus up to an eighth of it, k
 * from 4 to 14), the sizes that a policy rounding up to classes of powers
 * of two wastes nearly half of; a window of live ones, freed at random. */
static void pattern_pow2(void)
{
    pool live = {0};

    while (!done()) {
        size_t shift = between(4, 14), size = (size_t)1 << shift;
        size = size + between(1, size / 8);
        pool_add(&live, allocate(size));
        while (live.count > 3000 ||
               (live.count > 1 && next_random() % 100 < 45))
            release(pool_take_random(&live));
    }
    pool_release_all(&live);
    free(live.ids);
}

/* Phases: many objects of one size, then all of them freed but one in
 * sixteen, which stay (for three more phases); the next phase uses another
 * size.  The survivors pin the pages of the space their phase used; the
 * question is whether the next phases can reuse it, between them. */
static void pattern_survivors(void)
{
    pool survivors[4] = {{0}};
    size_t phase = 0, i;

    while (!done()) {
        size_t size = log_between(16, 2048), count = between(2000, 20000);
        pool *keep = &survivors[phase % 4];
        size_t *batch = malloc(count * sizeof *batch);

        if (!batch)
            exit(1);
        pool_release_all(keep); /* the survivors of four phases ago */
        for (i = 0; i < count; i++)
            batch[i] = allocate(size + between(0, size / 4));
        for (i = 0; i < count; i++) {
            if (next_random() % 16 == 0)
                pool_add(keep, batch[i]);
            else
                release(batch[i]);
        }
        free(batch);
        phase++;
    }
    for (i = 0; i < 4; i++) {
        pool_release_all(&survivors[i]);
        free(survivors[i].ids);
    }
}

static const struct pattern {
    const char *name;
    void (*run)(void);
    const char *what;
} patterns[] = {
    {"binary", pattern_binary,
     "small and large objects in turn, the small freed, then requests "
     "a little too big for their holes"},
    {"binary-large", pattern_binary_large,
     "small and large objects in turn, the LARGE freed, then requests "
     "of both sizes added (the lab's binary traces)"},
    {"coalesce", pattern_coalesce,
     "runs of neighbours freed, then one block the size of the run"},
    {"random", pattern_random,
     "random allocations and frees, 8 B to 16 KiB, log-uniform"},
    {"realloc", pattern_realloc,
     "buffers growing by realloc, a small object after every growth"},
    {"realloc-one", pattern_realloc_one,
     "one buffer growing by realloc, a small object after every growth "
     "and the one before freed (the lab's realloc traces)"},
    {"fifo", pattern_fifo,
     "a queue of messages, the oldest freed first"},
    {"lifo", pattern_lifo,
     "a stack of temporaries, the newest freed first"},
    {"pow2", pattern_pow2,
     "sizes just over powers of two, freed at random"},
    {"survivors", pattern_survivors,
     "phases of one size, all freed but one in 16, which stay a while"},
};
#define NPATTERNS (sizeof patterns / sizeof patterns[0])

static int usage(void)
{
    fputs("usage: gen_trace -p PATTERN [-n MIN_OPS] [-s SEED] > FILE.rep\n"
          "       gen_trace -l   (lists the patterns)\n"
          "  -n  at least this many operations (default 200000): the\n"
          "      pattern finishes its round, then frees what it holds\n",
          stderr);
    return 2;
}

int main(int argc, char **argv)
{
    const struct pattern *chosen = NULL;
    size_t i;
    int opt;

    while ((opt = getopt(argc, argv, "p:n:s:l")) != -1) {
        if (opt == 'p') {
            for (i = 0; i < NPATTERNS; i++)
                if (!strcmp(optarg, patterns[i].name))
                    chosen = &patterns[i];
            if (!chosen) {
                fprintf(stderr, "gen_trace: no pattern '%s' (gen_trace -l "
                        "lists them)\n", optarg);
                return 2;
            }
        } else if (opt == 'n') {
            target = strtoul(optarg, NULL, 10);
        } else if (opt == 's') {
            rng_state ^= strtoull(optarg, NULL, 10) * 0x9e3779b97f4a7c15ULL;
            if (rng_state == 0)
                rng_state = 1;
        } else if (opt == 'l') {
            for (i = 0; i < NPATTERNS; i++)
                printf("%-10s %s\n", patterns[i].name, patterns[i].what);
            return 0;
        } else {
            return usage();
        }
    }
    if (!chosen || target == 0 || optind != argc)
        return usage();
    chosen->run();
    for (i = 0; i < id_count; i++) /* what a pattern left, if anything */
        if (id_live[i])
            release(i);
    printf("%zu\n%zu\n%zu\n1\n", peak_bytes, id_count, op_count);
    for (i = 0; i < op_count; i++) {
        if (ops[i].kind == 'f')
            printf("f %zu\n", ops[i].id);
        else
            printf("%c %zu %zu\n", ops[i].kind, ops[i].id, ops[i].size);
    }
    return fflush(stdout) == 0 ? 0 : 1;
}
